-- +goose Up
-- Verification of Payee's allowances (package vop): a customer's name checks before paying ("customer:<id>", 20 at
-- once, then one every 6 seconds) and another bank's questions about this bank's IBANs ("bank:<BIC8>", one bucket
-- for all of that bank's branches), kept in the database so that they hold across every instance of the bank and
-- across restarts. Each is a token bucket kept as one time (GCRA, as payee_checks): full_at is when the subject's
-- allowance is whole again; each check moves it one interval on from itself or from now, whichever is later, and a
-- check is refused while it lies more than the burst less one intervals ahead. A row whose full_at has passed says
-- no more than no row, and is deleted.
CREATE TABLE vop_allowances (
    subject TEXT PRIMARY KEY,
    full_at BIGINT NOT NULL
);
CREATE INDEX vop_allowances_full_at ON vop_allowances (full_at);

-- +goose Down
DROP TABLE vop_allowances;
