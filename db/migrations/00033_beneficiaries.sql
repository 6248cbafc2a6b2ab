-- +goose Up
-- A customer's address book of beneficiaries (T1, package beneficiary): an IBAN of any country, or an account number
-- with the bank's BIC, name and address; the beneficiary's structured address. account_key names the account
-- ("iban:<IBAN>" or "account:<BIC8>:<number>") so that one customer saves one account once; search_text holds the
-- names and the account folded as the history's search folds text (ledger.Fold), for a LIKE on either engine.
CREATE TABLE beneficiaries (
    id             TEXT PRIMARY KEY,
    customer_id    TEXT NOT NULL REFERENCES customers (id),
    name           TEXT NOT NULL,
    nickname       TEXT NOT NULL DEFAULT '',
    iban           TEXT NOT NULL DEFAULT '',
    account_number TEXT NOT NULL DEFAULT '',
    bic            TEXT NOT NULL DEFAULT '',
    bank_name      TEXT NOT NULL DEFAULT '',
    bank_address   TEXT NOT NULL DEFAULT '',
    street         TEXT NOT NULL DEFAULT '',
    city           TEXT NOT NULL,
    postal_code    TEXT NOT NULL DEFAULT '',
    country        TEXT NOT NULL,
    phone          TEXT NOT NULL DEFAULT '',
    account_key    TEXT NOT NULL,
    search_text    TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE UNIQUE INDEX beneficiaries_account ON beneficiaries (customer_id, account_key);

-- +goose Down
DROP TABLE beneficiaries;
