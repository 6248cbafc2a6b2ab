-- +goose Up
-- Unique codes: what branch staff hand a customer (FEATURES R1, R2, A10) so they can register for digital banking
-- or recover their password. A code is random, single use and short-lived, and is never stored in clear:
-- code_hash is HMAC-SHA256 under a key derived from the bank's secret, over the row id, customer, purpose and code,
-- so the table alone says nothing about a code and a hash copied onto another row does not match there.
-- attempts counts wrong codes typed against this (the customer's newest live) code; at the limit revoked_at is set.
-- Issuing a new code for the same customer and purpose sets revoked_at on the older unused ones.
-- Times are UTC microseconds since the Unix epoch, like every other table.
CREATE TABLE unique_codes (
    id          TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    purpose     TEXT NOT NULL,               -- registration | recovery
    code_hash   TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT NULL,
    revoked_at  BIGINT NULL,
    issued_by   TEXT NOT NULL,               -- the staff member's id, or 'cli' for `kumbara admin`
    created_at  BIGINT NOT NULL
);
CREATE INDEX unique_codes_customer ON unique_codes (customer_id);

-- +goose Down
DROP TABLE unique_codes;
