-- +goose Up
-- Payments to and from other banks (package payment, issue #11): domestic (AECH, AIPS, the instant system), SEPA
-- (SCT, SCT Inst) and international (SWIFT). One row per payment, outgoing or incoming; the counterparty is the
-- beneficiary of an outgoing payment and the payer of an incoming one. status is the payment's state now;
-- payment_events keeps each state it went through, with its time, for the customer's status page.
-- send_entry_id is the posting that took the money to outgoing clearing (or, incoming, credited the customer);
-- end_entry_id the one that settled, gave back or returned it. message_id is the clearing message that carried
-- it. save_beneficiary: the customer asked to save the beneficiary once the payment is accepted (after its
-- confirmation, in another request). tx_id is unique per direction: the interbank transaction id, so a message received twice posts once.
CREATE TABLE payments (
    id                   TEXT PRIMARY KEY,
    customer_id          TEXT NOT NULL REFERENCES customers (id),
    direction            TEXT NOT NULL,
    type                 TEXT NOT NULL,
    scheme               TEXT NOT NULL,
    status               TEXT NOT NULL,
    account_id           TEXT NOT NULL REFERENCES accounts (id),
    amount               BIGINT NOT NULL,
    currency             TEXT NOT NULL,
    fee                  BIGINT NOT NULL,
    fee_deducted         INTEGER NOT NULL,
    charges              TEXT NOT NULL,
    urgent               INTEGER NOT NULL,
    description          TEXT NOT NULL,
    cp_name              TEXT NOT NULL,
    cp_iban              TEXT NOT NULL,
    cp_account           TEXT NOT NULL,
    cp_bic               TEXT NOT NULL,
    cp_bank_name         TEXT NOT NULL,
    cp_bank_address      TEXT NOT NULL,
    cp_street            TEXT NOT NULL,
    cp_building          TEXT NOT NULL,
    cp_postal_code       TEXT NOT NULL,
    cp_city              TEXT NOT NULL,
    cp_country           TEXT NOT NULL,
    cp_phone             TEXT NOT NULL,
    purpose_category     TEXT NOT NULL,
    purpose              TEXT NOT NULL,
    beneficiary_category TEXT NOT NULL,
    vop_result           TEXT NOT NULL,
    vop_name             TEXT NOT NULL,
    value_date           TEXT NOT NULL,
    hold_id              TEXT,
    send_entry_id        TEXT,
    end_entry_id         TEXT,
    end_to_end_id        TEXT NOT NULL,
    tx_id                TEXT NOT NULL,
    message_id           TEXT NOT NULL DEFAULT '',
    reason               TEXT NOT NULL DEFAULT '',
    save_beneficiary     INTEGER NOT NULL DEFAULT 0,
    created_at           BIGINT NOT NULL,
    expires_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL
);
CREATE INDEX payments_customer ON payments (customer_id, created_at);
CREATE INDEX payments_due ON payments (status, scheme, value_date);
CREATE UNIQUE INDEX payments_tx ON payments (direction, tx_id);

CREATE TABLE payment_events (
    id         TEXT PRIMARY KEY,
    payment_id TEXT NOT NULL REFERENCES payments (id),
    status     TEXT NOT NULL,
    reason     TEXT NOT NULL,
    at         BIGINT NOT NULL
);
CREATE INDEX payment_events_payment ON payment_events (payment_id, at);

-- The ISO 20022 messages exchanged with the clearing house and the correspondents, both ways: an outgoing one
-- stays pending until the clearing house took it (retried while it is down); an incoming one is processed once
-- (its id is the sender's, unique per direction).
CREATE TABLE clearing_messages (
    direction  TEXT NOT NULL,
    id         TEXT NOT NULL,
    name       TEXT NOT NULL,
    scheme     TEXT NOT NULL,
    status     TEXT NOT NULL,
    document   TEXT NOT NULL,
    attempts   INTEGER NOT NULL,
    last_error TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (direction, id)
);
CREATE INDEX clearing_messages_pending ON clearing_messages (direction, status);

-- +goose Down
DROP TABLE clearing_messages;
DROP TABLE payment_events;
DROP TABLE payments;
