-- +goose Up
-- The payee check's allowance per customer (transfer/payee.go): 20 checks at once, then one every 6 seconds, kept
-- in the database so that it holds across every instance of the bank and across restarts. It is a token bucket
-- kept as one time per customer (GCRA): full_at is when the customer's allowance is whole again; each check moves it
-- 6 seconds on from itself or from now, whichever is later, and a check is refused while it lies more than 19
-- checks (114 seconds) ahead. A row whose full_at has passed says no more than no row, and is deleted.
CREATE TABLE payee_checks (
    customer_id TEXT PRIMARY KEY REFERENCES customers (id),
    full_at     BIGINT NOT NULL
);
CREATE INDEX payee_checks_full_at ON payee_checks (full_at);

-- +goose Down
DROP TABLE payee_checks;
