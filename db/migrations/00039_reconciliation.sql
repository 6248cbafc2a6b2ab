-- +goose Up
-- Payments as staff see them (package payment, staff.go), the reconciliation of the clearing side's settlement
-- report with the bank's books (reconcile.go), and what the clearing-house sandbox settled (clearinghouse,
-- report.go).

-- Staff search payments across customers, newest first: by an IBAN of either side (the customer's account, the
-- counterparty's) or by none. A day's clearing messages are read by the time they were written.
CREATE INDEX payments_created ON payments (created_at, id);
CREATE INDEX payments_account ON payments (account_id, created_at);
CREATE INDEX payments_cp_iban ON payments (cp_iban, created_at);
CREATE INDEX clearing_messages_created ON clearing_messages (created_at);

-- What each clearing message carried or named, one row per transaction: the payments of a pacs.008 (role
-- 'carried'), the statuses of a pacs.002 ('status': ACSC, RJCT… with the reason) and the returns of a pacs.004
-- ('return': the returned amount and the reason). tx_id and end_to_end_id are the transaction's own in a pacs.008
-- and the original transaction's in the others, so every message about a payment is found by its tx_id. A message
-- is read into its items once (items_indexed), when it is processed or later by whoever reads them first.
CREATE TABLE clearing_message_items (
    direction     TEXT NOT NULL,
    message_id    TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    role          TEXT NOT NULL,
    tx_id         TEXT NOT NULL,
    end_to_end_id TEXT NOT NULL,
    amount        BIGINT NOT NULL,
    currency      TEXT NOT NULL,
    status        TEXT NOT NULL,
    reason        TEXT NOT NULL,
    PRIMARY KEY (direction, message_id, seq),
    FOREIGN KEY (direction, message_id) REFERENCES clearing_messages (direction, id)
);
CREATE INDEX clearing_message_items_tx ON clearing_message_items (tx_id);
ALTER TABLE clearing_messages ADD COLUMN items_indexed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX clearing_messages_unindexed ON clearing_messages (created_at) WHERE items_indexed = 0;

-- A business day's reconciliation in one currency: the clearing side's statement of the bank's settlement account
-- (its message id, period and balances, signed as the clearing side sees the account: money in is positive) and
-- how many of its entries and of the bank's settlement postings of the day there were and matched. Reconciling a
-- day again replaces its row and its breaks.
CREATE TABLE reconciliations (
    day           TEXT NOT NULL,
    currency      TEXT NOT NULL,
    statement_id  TEXT NOT NULL,
    period_from   BIGINT NOT NULL,
    period_to     BIGINT NOT NULL,
    opening       BIGINT NOT NULL,
    closing       BIGINT NOT NULL,
    theirs        INTEGER NOT NULL,
    ours          INTEGER NOT NULL,
    matched       INTEGER NOT NULL,
    breaks        INTEGER NOT NULL,
    reconciled_at BIGINT NOT NULL,
    PRIMARY KEY (day, currency)
);

-- A break: an entry of the statement the bank's books lack (missing_ours), a settlement posting of the bank the
-- statement lacks (missing_theirs), or both with different amounts (amount_differs). Each side is kept as it was
-- read: the statement's entry (reference, amount, credit or debit, booking day, its additional information) and the
-- bank's posting (entry, posting, amount signed as the statement signs it, when, the entry's kind).
CREATE TABLE reconciliation_breaks (
    id              TEXT PRIMARY KEY,
    day             TEXT NOT NULL,
    currency        TEXT NOT NULL,
    seq             INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    tx_id           TEXT NOT NULL,
    end_to_end_id   TEXT NOT NULL,
    payment_id      TEXT NOT NULL,
    their_reference TEXT NOT NULL,
    their_amount    BIGINT NOT NULL,
    their_booked    TEXT NOT NULL,
    their_info      TEXT NOT NULL,
    our_entry_id    TEXT NOT NULL,
    our_posting_id  TEXT NOT NULL,
    our_amount      BIGINT NOT NULL,
    our_posted_at   BIGINT NOT NULL,
    our_kind        TEXT NOT NULL,
    FOREIGN KEY (day, currency) REFERENCES reconciliations (day, currency)
);
CREATE INDEX reconciliation_breaks_day ON reconciliation_breaks (day, currency, seq);

-- What the clearing-house sandbox settled on the bank's settlement account: each payment of the bank's it settled
-- (a debit), each payment of another bank's it sent the bank (a credit), each return (of the bank's: a debit; to
-- the bank: a credit), with the time it settled; its settlement report (camt.053) is read from here.
CREATE TABLE clearinghouse_settlements (
    message_id     TEXT NOT NULL,
    tx_id          TEXT NOT NULL,
    credit         INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    scheme         TEXT NOT NULL,
    amount         BIGINT NOT NULL,
    currency       TEXT NOT NULL,
    end_to_end_id  TEXT NOT NULL,
    instruction_id TEXT NOT NULL,
    cp_name        TEXT NOT NULL,
    cp_iban        TEXT NOT NULL,
    cp_bic         TEXT NOT NULL,
    remittance     TEXT NOT NULL,
    settled_at     BIGINT NOT NULL,
    PRIMARY KEY (message_id, tx_id)
);
CREATE INDEX clearinghouse_settlements_at ON clearinghouse_settlements (currency, settled_at);
CREATE INDEX clearinghouse_settlements_tx ON clearinghouse_settlements (tx_id);
-- A message whose settlements are recorded is booked: the bank's payments when the sandbox answers them, the
-- payments it sends the bank and the returns either way when a report first needs them.
ALTER TABLE clearinghouse_messages ADD COLUMN booked INTEGER NOT NULL DEFAULT 0;
CREATE INDEX clearinghouse_messages_unbooked ON clearinghouse_messages (created_at) WHERE booked = 0;

-- +goose Down
DROP INDEX clearinghouse_messages_unbooked;
ALTER TABLE clearinghouse_messages DROP COLUMN booked;
DROP TABLE clearinghouse_settlements;
DROP TABLE reconciliation_breaks;
DROP TABLE reconciliations;
DROP INDEX clearing_messages_unindexed;
ALTER TABLE clearing_messages DROP COLUMN items_indexed;
DROP TABLE clearing_message_items;
DROP INDEX clearing_messages_created;
DROP INDEX payments_cp_iban;
DROP INDEX payments_account;
DROP INDEX payments_created;
