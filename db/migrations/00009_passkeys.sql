-- +goose Up
-- Passkeys (WebAuthn credentials) of customers on the web. The public key is not a secret; the credential id is
-- the authenticator's handle, base64url, unique across the bank.
CREATE TABLE passkeys (
    id                 TEXT PRIMARY KEY,
    customer_id        TEXT NOT NULL REFERENCES customers (id),
    credential_id      TEXT NOT NULL UNIQUE,
    public_key         TEXT NOT NULL,
    sign_count         BIGINT NOT NULL DEFAULT 0,
    transports         TEXT NOT NULL DEFAULT '',
    aaguid             TEXT NOT NULL DEFAULT '',
    flags              INTEGER NOT NULL DEFAULT 0,
    attestation_format TEXT NOT NULL DEFAULT '',
    name               TEXT NOT NULL,
    created_at         BIGINT NOT NULL,
    last_used_at       BIGINT
);
CREATE INDEX passkeys_customer ON passkeys (customer_id, created_at);

-- A WebAuthn ceremony between its begin and its finish: the state go-webauthn needs (challenge, allowed
-- credentials, user verification), kept in the database because any instance may receive the finish. Valid five
-- minutes, used once. customer_id is empty for a login, where the passkey names the customer.
CREATE TABLE passkey_ceremonies (
    id          TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL,
    session     TEXT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX passkey_ceremonies_expiry ON passkey_ceremonies (expires_at);

-- +goose Down
DROP TABLE passkey_ceremonies;
DROP TABLE passkeys;
