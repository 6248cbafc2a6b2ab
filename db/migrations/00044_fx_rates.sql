-- +goose Up
-- The bank's exchange rates (package fx): what the bank pays (buy) and asks (sell) in lek for one unit of a
-- currency, exact decimals kept as text (at most 6 decimals), never floats. A row is one publication, never
-- updated: the latest valid_from (Unix microseconds) at or before now is the currency's rate, ties broken by id,
-- and it is current only until valid_until. Staff publish through four-eyes (operation fx.publish): published_by
-- asked for it, approved_by approved it; reason says why a rate moved beyond the configured band.
CREATE TABLE fx_rates (
    id           TEXT PRIMARY KEY,
    currency     TEXT   NOT NULL,
    buy          TEXT   NOT NULL,
    sell         TEXT   NOT NULL,
    valid_from   BIGINT NOT NULL,
    valid_until  BIGINT NOT NULL,
    published_by TEXT   NOT NULL,
    approved_by  TEXT   NOT NULL DEFAULT '',
    reason       TEXT   NOT NULL DEFAULT ''
);
CREATE INDEX fx_rates_latest ON fx_rates (currency, valid_from);

-- +goose Down
DROP TABLE fx_rates;
