-- +goose Up
-- A customer's conversion between two of their own accounts (package fx), written when the customer confirms the
-- quote the bank signed (the rate, both amounts and the expiry, which are kept here): its journal entry through
-- the bank's FX position accounts (entry_id) and the time it was made. A quote not confirmed is never written. Amounts are minor units of their currencies; rate, the mid rates and the
-- spread's factor are exact decimals kept as text. income and rounding are what the bank booked in lek (minor
-- units): the spread against the mid rates, and the rounding of the customer's amount. sell_rate_id and
-- buy_rate_id are the fx_rates publications the quote was priced from ('' for ALL): a newer one changes the quote.
CREATE TABLE fx_conversions (
    id              TEXT PRIMARY KEY,
    customer_id     TEXT   NOT NULL REFERENCES customers (id),
    from_account_id TEXT   NOT NULL REFERENCES accounts (id),
    to_account_id   TEXT   NOT NULL REFERENCES accounts (id),
    sell_amount     BIGINT NOT NULL,
    sell_currency   TEXT   NOT NULL,
    buy_amount      BIGINT NOT NULL,
    buy_currency    TEXT   NOT NULL,
    side            TEXT   NOT NULL,            -- sell | buy: the amount the customer gave
    rate            TEXT   NOT NULL,            -- one base in quoted
    base            TEXT   NOT NULL,
    quoted          TEXT   NOT NULL,
    segment         TEXT   NOT NULL,
    factor          TEXT   NOT NULL,
    sell_mid        TEXT   NOT NULL,
    buy_mid         TEXT   NOT NULL,
    sell_rate_id    TEXT   NOT NULL DEFAULT '',
    buy_rate_id     TEXT   NOT NULL DEFAULT '',
    income          BIGINT NOT NULL,
    rounding        BIGINT NOT NULL,
    description     TEXT   NOT NULL DEFAULT '',
    status          TEXT   NOT NULL,            -- executed
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    entry_id        TEXT REFERENCES journal_entries (id),
    executed_at     BIGINT
);
CREATE INDEX fx_conversions_customer ON fx_conversions (customer_id, created_at);
CREATE INDEX fx_conversions_executed ON fx_conversions (executed_at) WHERE executed_at IS NOT NULL;

-- +goose Down
DROP TABLE fx_conversions;
