-- +goose Up
-- Throttling password guesses before they count (auth/throttle.go). login_failures keeps each failed password step
-- that came with a client address: who was tried (a customer's id, or a keyed hash of a username no customer has),
-- from where (a keyed hash of the address), and whether the customer had ever logged in from there (stranger = 0)
-- or not. Rows older than the longest throttling window are deleted as new ones come.
CREATE TABLE login_failures (
    id       TEXT PRIMARY KEY,
    target   TEXT NOT NULL,
    address  TEXT NOT NULL,
    stranger INTEGER NOT NULL,
    at       BIGINT NOT NULL
);
CREATE INDEX login_failures_target ON login_failures (target, at);
CREATE INDEX login_failures_address ON login_failures (address, at);
CREATE INDEX login_failures_at ON login_failures (at);

-- The addresses (keyed hashes) of a customer's last full logins, a bounded list (auth.Config.KnownAddresses).
CREATE TABLE login_addresses (
    customer_id   TEXT NOT NULL REFERENCES customers (id),
    address       TEXT NOT NULL,
    last_login_at BIGINT NOT NULL,
    PRIMARY KEY (customer_id, address)
);

-- A recovery code whose proof of identity was strong (a card and its PIN, or the branch's code: A8, A10) lifts a
-- blocked channel (A14) when the recovery completes; other codes do not.
ALTER TABLE login_challenges ADD COLUMN lifts_block INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE login_challenges DROP COLUMN lifts_block;
DROP TABLE login_addresses;
DROP TABLE login_failures;
