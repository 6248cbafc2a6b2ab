-- +goose Up
-- The directory of the Albanian banks a customer pays (package bankdir), kept by staff: code is the 3-digit bank
-- code of Albanian IBANs (positions 5–7), bic its BIC (8 or 11 characters), instant whether it takes instant
-- payments in ALL, active whether payments to it are accepted. This bank itself is never a row. A BIC's first 8
-- characters name the bank (a branch's BIC is the same bank), so no two banks share them. Empty at first: staff
-- enter the banks (`kumbara admin banks put`, the back office), the demo seeds a few.
CREATE TABLE banks (
    code       TEXT PRIMARY KEY,
    bic        TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    instant    INTEGER NOT NULL DEFAULT 0,
    active     INTEGER NOT NULL DEFAULT 1,
    updated_at BIGINT  NOT NULL
);
CREATE UNIQUE INDEX banks_bic8 ON banks (substr(bic, 1, 8));

-- +goose Down
DROP TABLE banks;
