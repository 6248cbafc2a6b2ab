-- +goose Up
-- Trusting the payee is part of what a payment's confirmation proves (RTS Art. 13): the request to trust is made
-- before the challenge, named in its SMS and bound into it, so the confirmation cannot be reused to add one.
ALTER TABLE payment_challenges ADD COLUMN trust_payee INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE payment_challenges DROP COLUMN trust_payee;
