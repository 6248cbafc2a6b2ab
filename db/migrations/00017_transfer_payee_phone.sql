-- +goose Up
-- The payee's mobile an in-bank transfer may name (T3, optional): kept with the transfer for its receipt and
-- detail, and sent an SMS naming the amount and the payer when the transfer posts. Empty when none was given.
ALTER TABLE transfers ADD COLUMN payee_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE pending_transfers ADD COLUMN payee_phone TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE pending_transfers DROP COLUMN payee_phone;
ALTER TABLE transfers DROP COLUMN payee_phone;
