-- +goose Up
-- The credentials with which other banks ask this bank's name checks (package bankdir, Verification of Payee): the
-- scheme authenticates a requesting bank by mTLS with its directory's certificates, but the bank runs behind a load
-- balancer, so staff issue each bank of the directory a bearer token instead. The token is shown once and never
-- stored: token_hash is its SHA-256 (hex), which is how a request's token is found. A revoked credential
-- (revoked_at set) is kept, so that the audit log's entries about it still name a row.
CREATE TABLE bank_credentials (
    id         TEXT PRIMARY KEY,
    bank_code  TEXT   NOT NULL REFERENCES banks (code),
    token_hash TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT   NOT NULL,
    revoked_at BIGINT,
    revoked_by TEXT   NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX bank_credentials_token ON bank_credentials (token_hash);
CREATE INDEX bank_credentials_bank ON bank_credentials (bank_code, created_at);

-- +goose Down
DROP TABLE bank_credentials;
