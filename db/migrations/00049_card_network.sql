-- +goose Up
-- The issuer's side of card payments (package issuing): every authorisation the card network asked for (approved
-- or declined, with its reason), keyed by the network's id so a repeat gets the first answer; the presentments
-- (clearing) the network's files brought, each posted once; the files themselves; and the disputes staff raise on
-- a posted presentment (chargebacks).
CREATE TABLE card_authorisations (
    id               TEXT PRIMARY KEY,
    card_id          TEXT NOT NULL,
    parent_id        TEXT NOT NULL,
    kind             TEXT NOT NULL,
    amount           BIGINT NOT NULL,
    currency         TEXT NOT NULL,
    merchant         TEXT NOT NULL,
    mcc              TEXT NOT NULL,
    country          TEXT NOT NULL,
    entry_mode       TEXT NOT NULL,
    approved         INTEGER NOT NULL,
    reason           TEXT NOT NULL,
    control          TEXT NOT NULL,
    account_id       TEXT NOT NULL,
    hold_id          TEXT NOT NULL,
    account_amount   BIGINT NOT NULL,
    account_currency TEXT NOT NULL,
    limit_amount     BIGINT NOT NULL,
    day              TEXT NOT NULL,
    status           TEXT NOT NULL,
    request_hash     TEXT NOT NULL,
    created_at       BIGINT NOT NULL
);
-- Covering the daily totals (issuing.Service.spentOn): the sum reads the index alone.
CREATE INDEX card_authorisations_card_day ON card_authorisations (card_id, day, kind, status, limit_amount);
CREATE INDEX card_authorisations_parent ON card_authorisations (parent_id);

CREATE TABLE card_clearing_files (
    id            TEXT PRIMARY KEY,
    business_date TEXT NOT NULL,
    presentments  INTEGER NOT NULL,
    posted        INTEGER NOT NULL,
    exceptions    INTEGER NOT NULL,
    received_at   BIGINT NOT NULL
);

CREATE TABLE card_clearings (
    id               TEXT PRIMARY KEY,
    file_id          TEXT NOT NULL,
    authorisation_id TEXT NOT NULL,
    card_id          TEXT NOT NULL,
    kind             TEXT NOT NULL,
    amount           BIGINT NOT NULL,
    currency         TEXT NOT NULL,
    merchant         TEXT NOT NULL,
    mcc              TEXT NOT NULL,
    account_id       TEXT NOT NULL,
    account_amount   BIGINT NOT NULL,
    account_currency TEXT NOT NULL,
    entry_id         TEXT NOT NULL,
    outcome          TEXT NOT NULL,
    created_at       BIGINT NOT NULL
);
CREATE INDEX card_clearings_card ON card_clearings (card_id, created_at);
CREATE INDEX card_clearings_authorisation ON card_clearings (authorisation_id);

CREATE TABLE card_disputes (
    id          TEXT PRIMARY KEY,
    clearing_id TEXT NOT NULL UNIQUE,
    card_id     TEXT NOT NULL,
    status      TEXT NOT NULL,
    reason      TEXT NOT NULL,
    opened_by   TEXT NOT NULL,
    opened_at   BIGINT NOT NULL,
    decided_by  TEXT NOT NULL,
    decided_at  BIGINT NOT NULL,
    entry_id    TEXT NOT NULL
);
CREATE INDEX card_disputes_status ON card_disputes (status, opened_at);

-- The card network sandbox's own state (package cardnetwork): the authorisations it sent the issuer, the
-- presentments it will put in (or put in) a day's clearing file, and the files it built, one per business date.
CREATE TABLE cardnet_authorisations (
    id         TEXT PRIMARY KEY,
    card_id    TEXT NOT NULL,
    parent_id  TEXT NOT NULL,
    amount     BIGINT NOT NULL,
    currency   TEXT NOT NULL,
    merchant   TEXT NOT NULL,
    mcc        TEXT NOT NULL,
    approved   INTEGER NOT NULL,
    reason     TEXT NOT NULL,
    reversed   INTEGER NOT NULL,
    presented  INTEGER NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX cardnet_authorisations_open ON cardnet_authorisations (approved, reversed, presented);

CREATE TABLE cardnet_presentments (
    id               TEXT PRIMARY KEY,
    authorisation_id TEXT NOT NULL,
    card_id          TEXT NOT NULL,
    kind             TEXT NOT NULL,
    amount           BIGINT NOT NULL,
    currency         TEXT NOT NULL,
    merchant         TEXT NOT NULL,
    mcc              TEXT NOT NULL,
    file_id          TEXT NOT NULL,
    created_at       BIGINT NOT NULL
);
CREATE INDEX cardnet_presentments_file ON cardnet_presentments (file_id);

CREATE TABLE cardnet_files (
    id            TEXT PRIMARY KEY,
    business_date TEXT NOT NULL UNIQUE,
    presentments  INTEGER NOT NULL,
    delivered     INTEGER NOT NULL,
    created_at    BIGINT NOT NULL
);

-- +goose Down
DROP TABLE cardnet_files;
DROP TABLE cardnet_presentments;
DROP TABLE cardnet_authorisations;
DROP TABLE card_disputes;
DROP TABLE card_clearings;
DROP TABLE card_clearing_files;
DROP TABLE card_authorisations;
