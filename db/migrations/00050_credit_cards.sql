-- +goose Up
-- Credit cards (package creditcard). A credit card spends its own credit account (accounts.type 'credit'), whose
-- overdraft limit is the approved limit: a negative balance is the debt. credit_cards holds what the ledger does
-- not: the cash limit, the statement cycle's cut (start or end of month), the internet-purchase and supplementary
-- percentages, the auto-payment and the points earned.
CREATE TABLE credit_cards (
    id                    TEXT PRIMARY KEY,
    customer_id           TEXT NOT NULL REFERENCES customers (id),
    account_id            TEXT NOT NULL UNIQUE REFERENCES accounts (id),
    card_id               TEXT NOT NULL UNIQUE,
    currency              TEXT NOT NULL,
    credit_limit          BIGINT NOT NULL,
    cash_limit            BIGINT NOT NULL,
    cycle                 TEXT NOT NULL,              -- start | end (of month)
    internet_percent      INTEGER NOT NULL DEFAULT 100,
    supplementary_percent INTEGER NOT NULL DEFAULT 100,
    auto_percent          INTEGER NOT NULL DEFAULT 0, -- 0 (none), 25 (the minimum) or 100 (the total)
    auto_account_id       TEXT NOT NULL DEFAULT '',
    points                BIGINT NOT NULL DEFAULT 0,
    opened_on             TEXT NOT NULL,              -- YYYY-MM-DD, the business date the first cycle starts
    created_at            BIGINT NOT NULL
);
CREATE INDEX credit_cards_customer ON credit_cards (customer_id);

-- One statement per card and cut date (the step's idempotency). from_seq/to_seq bound the credit account's postings
-- the statement covers (from_seq exclusive); the statement's own charges (interest, fees, instalment fees) carry
-- its id as their entry's reference. Dates are business dates, YYYY-MM-DD.
CREATE TABLE credit_statements (
    id               TEXT PRIMARY KEY,
    credit_id        TEXT NOT NULL REFERENCES credit_cards (id),
    cut_date         TEXT NOT NULL,
    period_from      TEXT NOT NULL,
    from_seq         BIGINT NOT NULL,
    to_seq           BIGINT NOT NULL,
    previous_balance BIGINT NOT NULL,  -- debt at the previous cut (positive = owed)
    purchases        BIGINT NOT NULL,
    cash             BIGINT NOT NULL,
    payments         BIGINT NOT NULL,
    credits          BIGINT NOT NULL,  -- refunds and chargebacks
    interest         BIGINT NOT NULL,
    fees             BIGINT NOT NULL,
    instalments      BIGINT NOT NULL,  -- instalment principal billed by this statement
    closing_balance  BIGINT NOT NULL,  -- debt after the statement's charges
    unbilled         BIGINT NOT NULL,  -- instalment principal still to bill
    total_due        BIGINT NOT NULL,
    minimum_due      BIGINT NOT NULL,
    due_date         TEXT NOT NULL,
    grace            INTEGER NOT NULL, -- 1: the previous statement was paid in full, no interest on purchases
    points           BIGINT NOT NULL,
    due_done         INTEGER NOT NULL DEFAULT 0,
    auto_paid        BIGINT NOT NULL DEFAULT 0,
    late_fee         BIGINT NOT NULL DEFAULT 0,
    created_at       BIGINT NOT NULL,
    UNIQUE (credit_id, cut_date)
);

-- A completed purchase split into instalments (F20): billed one per statement; closed early, the rest at once.
CREATE TABLE credit_instalments (
    id          TEXT PRIMARY KEY,
    credit_id   TEXT NOT NULL REFERENCES credit_cards (id),
    entry_id    TEXT NOT NULL UNIQUE REFERENCES journal_entries (id),
    offer_id    TEXT NOT NULL,
    principal   BIGINT NOT NULL,
    fee         BIGINT NOT NULL,
    months      INTEGER NOT NULL,
    billed      INTEGER NOT NULL DEFAULT 0,
    billed_principal BIGINT NOT NULL DEFAULT 0,
    status      TEXT NOT NULL,  -- active | closing | done
    created_at  BIGINT NOT NULL
);
CREATE INDEX credit_instalments_credit ON credit_instalments (credit_id);

-- +goose Down
DROP TABLE credit_instalments;
DROP TABLE credit_statements;
DROP TABLE credit_cards;
