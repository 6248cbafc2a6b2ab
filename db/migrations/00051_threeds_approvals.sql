-- +goose Up
-- 3-D Secure approvals (package threeds): an online card purchase the card network asked the bank to have the
-- holder approve. network_ref is the network's id of the request, unique, which makes asking again a repeat. The
-- status is pending until the holder approves or rejects it; a pending one past expires_at is expired (written
-- as such when someone tries to decide it). method is the proof that approved it (sms, device_signature,
-- soft_pin, passkey); masked is the card's masked number as the holder sees it, never the number.
CREATE TABLE threeds_approvals (
    id          TEXT PRIMARY KEY,
    network_ref TEXT NOT NULL UNIQUE,
    card_id     TEXT NOT NULL REFERENCES cards (id),
    customer_id TEXT NOT NULL REFERENCES customers (id),
    masked      TEXT NOT NULL,
    merchant    TEXT NOT NULL,
    amount      BIGINT NOT NULL,
    currency    TEXT NOT NULL,
    status      TEXT NOT NULL,
    method      TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    decided_at  BIGINT
);
CREATE INDEX threeds_approvals_customer ON threeds_approvals (customer_id, created_at);

-- +goose Down
DROP TABLE threeds_approvals;
