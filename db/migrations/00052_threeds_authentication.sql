-- +goose Up
-- 3-D Secure checked at authorisation (packages threeds and issuing). used_by is the card network's id of the one
-- authorisation an approved 3-D Secure approval authenticated ('' while unused): an approval authenticates one
-- authorisation only. The authentication value itself is never stored: the access control server computes it
-- again from its key to verify it.
ALTER TABLE threeds_approvals ADD COLUMN used_by TEXT NOT NULL DEFAULT '';
-- authenticated is 1 for an authorisation the holder authenticated (3-D Secure); sca_amount is what an
-- unauthenticated online purchase counts towards the low-value exemption's cumulative total (PSD2 RTS art. 16), in
-- euro cents at the card network's rate when it was authorised.
ALTER TABLE card_authorisations ADD COLUMN authenticated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE card_authorisations ADD COLUMN sca_amount BIGINT NOT NULL DEFAULT 0;
-- The low-value exemption's count and total since the card's last authenticated purchase.
CREATE INDEX card_authorisations_card_sca ON card_authorisations (card_id, entry_mode, created_at);

-- +goose Down
DROP INDEX card_authorisations_card_sca;
ALTER TABLE card_authorisations DROP COLUMN sca_amount;
ALTER TABLE card_authorisations DROP COLUMN authenticated;
ALTER TABLE threeds_approvals DROP COLUMN used_by;
