-- +goose Up
-- A customer's request for a preferential exchange rate (package fx, FEATURES X5): converting between two of their
-- own accounts, giving the amount they sell or the one they buy (side, amount in minor units of that side's
-- currency), worth at least the bank's minimum. status is what was stored — requested, confirmed, executed,
-- cancelled —; a requested one past expires_at, or a confirmed one past valid_until, reads as expired.
-- Staff answer with rate (one base in quoted, an exact decimal kept as text) valid until valid_until: proposed_by
-- asked for it, approved_by approved it when it needed a second member (operation fx.offer). Executing it makes an
-- fx_conversions row (conversion_id, its factor '': no board spread) whose entry moved the money.
CREATE TABLE fx_requests (
    id              TEXT PRIMARY KEY,
    customer_id     TEXT   NOT NULL REFERENCES customers (id),
    from_account_id TEXT   NOT NULL REFERENCES accounts (id),
    to_account_id   TEXT   NOT NULL REFERENCES accounts (id),
    sell_currency   TEXT   NOT NULL,
    buy_currency    TEXT   NOT NULL,
    side            TEXT   NOT NULL,            -- sell | buy: the amount the customer gave
    amount          BIGINT NOT NULL,
    segment         TEXT   NOT NULL,            -- individual | business: how far the amount may change
    status          TEXT   NOT NULL,            -- requested | confirmed | executed | cancelled
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,            -- an unanswered request's end
    rate            TEXT   NOT NULL DEFAULT '',
    base            TEXT   NOT NULL DEFAULT '',
    quoted          TEXT   NOT NULL DEFAULT '',
    valid_until     BIGINT NOT NULL DEFAULT 0,
    proposed_by     TEXT   NOT NULL DEFAULT '',
    approved_by     TEXT   NOT NULL DEFAULT '',
    proposed_at     BIGINT NOT NULL DEFAULT 0,
    cancelled_at    BIGINT NOT NULL DEFAULT 0,
    executed_at     BIGINT NOT NULL DEFAULT 0,
    conversion_id   TEXT REFERENCES fx_conversions (id)
);
CREATE INDEX fx_requests_customer ON fx_requests (customer_id, created_at);
CREATE INDEX fx_requests_status ON fx_requests (status, created_at);

-- +goose Down
DROP TABLE fx_requests;
