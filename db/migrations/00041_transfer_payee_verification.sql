-- +goose Up
-- The name check (Verification of Payee, package vop) an in-bank transfer ran when the payer typed the payee's
-- name (issue #11: in-bank transfers use the same check as payments to other banks): what the payer was told
-- before confirming, kept for the receipt and the transfer's detail. vop_result is match, close_match, no_match
-- or not_possible; vop_name the name on the account, on a close match only; vop_checked_at when the check was
-- answered. A transfer made without a name ran no check: vop_result and vop_name are empty, vop_checked_at NULL.
-- pending_transfers keeps them while the transfer waits for its confirmation, for the row it becomes.
ALTER TABLE transfers ADD COLUMN vop_result TEXT NOT NULL DEFAULT '';
ALTER TABLE transfers ADD COLUMN vop_name TEXT NOT NULL DEFAULT '';
ALTER TABLE transfers ADD COLUMN vop_checked_at BIGINT;
ALTER TABLE pending_transfers ADD COLUMN vop_result TEXT NOT NULL DEFAULT '';
ALTER TABLE pending_transfers ADD COLUMN vop_name TEXT NOT NULL DEFAULT '';
ALTER TABLE pending_transfers ADD COLUMN vop_checked_at BIGINT;

-- +goose Down
ALTER TABLE pending_transfers DROP COLUMN vop_checked_at;
ALTER TABLE pending_transfers DROP COLUMN vop_name;
ALTER TABLE pending_transfers DROP COLUMN vop_result;
ALTER TABLE transfers DROP COLUMN vop_checked_at;
ALTER TABLE transfers DROP COLUMN vop_name;
ALTER TABLE transfers DROP COLUMN vop_result;
