-- +goose Up
-- A transfer that needs the customer's confirmation (PSD2 RTS Art. 5, dynamic linking) waits here until it is
-- confirmed, then the ledger posts it and writes its `transfers` row; nothing is held meanwhile, so the funds are
-- checked when it posts.
CREATE TABLE pending_transfers (
    id              TEXT PRIMARY KEY,
    customer_id     TEXT NOT NULL REFERENCES customers (id),
    type            TEXT NOT NULL,
    from_account_id TEXT NOT NULL REFERENCES accounts (id),
    to_account_id   TEXT NOT NULL REFERENCES accounts (id),
    amount          BIGINT NOT NULL,
    currency        TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL,              -- pending_confirmation | confirmed | completed | failed
    failure_code    TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL
);
CREATE INDEX pending_transfers_customer ON pending_transfers (customer_id, created_at);

-- One confirmation challenge of a payment. The SMS code is stored as an HMAC over the challenge id, the payment's
-- binding (SHA-256 of amount, currency, payer, payee and transfer id) and the code, so a code confirms that one
-- payment as it was when the code was sent and nothing else.
CREATE TABLE payment_challenges (
    id          TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    transfer_id TEXT NOT NULL,
    binding     TEXT NOT NULL,
    otp_hash    TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT,
    revoked_at  BIGINT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX payment_challenges_transfer ON payment_challenges (transfer_id, created_at);
CREATE INDEX payment_challenges_customer ON payment_challenges (customer_id, created_at);

-- Beneficiaries the customer trusts (RTS Art. 13): payments to them need no confirmation. One is added only by a
-- confirmed payment to it.
CREATE TABLE trusted_beneficiaries (
    customer_id TEXT NOT NULL REFERENCES customers (id),
    iban        TEXT NOT NULL,
    name        TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (customer_id, iban)
);

-- Low-value payments made without confirmation since the customer's last confirmed one (RTS Art. 16): at most
-- 5 of them and 100 EUR together.
CREATE TABLE sca_exemptions (
    customer_id   TEXT PRIMARY KEY REFERENCES customers (id),
    payments      INTEGER NOT NULL DEFAULT 0,
    eur_cents     BIGINT NOT NULL DEFAULT 0,
    since         BIGINT NOT NULL
);

-- +goose Down
DROP TABLE sca_exemptions;
DROP TABLE trusted_beneficiaries;
DROP TABLE payment_challenges;
DROP TABLE pending_transfers;
