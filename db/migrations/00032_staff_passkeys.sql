-- +goose Up
-- Passkeys (WebAuthn credentials) of the bank's staff, a second factor instead of the TOTP code after the password
-- (package staff, passkey.go). Apart from customers' passkeys (00009): a member's credential never logs a customer
-- in, nor the reverse. The public key is not a secret; the credential id is the authenticator's handle, base64url,
-- unique among staff passkeys. The columns are the customers' passkeys', so one record format serves both.
CREATE TABLE staff_passkeys (
    id                 TEXT    PRIMARY KEY,
    staff_id           TEXT    NOT NULL REFERENCES staff (id),
    credential_id      TEXT    NOT NULL UNIQUE,
    public_key         TEXT    NOT NULL,
    sign_count         BIGINT  NOT NULL DEFAULT 0,
    transports         TEXT    NOT NULL DEFAULT '',
    aaguid             TEXT    NOT NULL DEFAULT '',
    flags              INTEGER NOT NULL DEFAULT 0,
    attestation_format TEXT    NOT NULL DEFAULT '',
    name               TEXT    NOT NULL,
    created_at         BIGINT  NOT NULL,
    last_used_at       BIGINT
);
CREATE INDEX staff_passkeys_staff ON staff_passkeys (staff_id, created_at);

-- A staff WebAuthn ceremony between its begin and its finish, kept in the database because any instance may
-- receive the finish: valid five minutes, used once. An addition's id is made at its begin and handed to the
-- browser; a login's is the SHA-256 of its login step's token, so a step has one login ceremony at a time (a new
-- begin replaces it) and the browser sends nothing but the step and its answer.
CREATE TABLE staff_passkey_ceremonies (
    id         TEXT   PRIMARY KEY,
    staff_id   TEXT   NOT NULL REFERENCES staff (id),
    kind       TEXT   NOT NULL,
    session    TEXT   NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX staff_passkey_ceremonies_expiry ON staff_passkey_ceremonies (expires_at);

-- +goose Down
DROP TABLE staff_passkey_ceremonies;
DROP TABLE staff_passkeys;
