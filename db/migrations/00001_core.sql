-- +goose Up
-- One schema for SQLite and PostgreSQL: TEXT ids (UUIDv7 made by the application), BIGINT money in minor units,
-- BIGINT times in Unix microseconds UTC (portable and ordered), INTEGER 0/1 flags, dates as 'YYYY-MM-DD'.

CREATE TABLE customers (
    id               TEXT PRIMARY KEY,
    client_number    TEXT NOT NULL UNIQUE,
    kind             TEXT NOT NULL,            -- individual | business
    national_id      TEXT UNIQUE,
    nipt             TEXT UNIQUE,
    first_name       TEXT NOT NULL DEFAULT '',
    last_name        TEXT NOT NULL DEFAULT '',
    company_name     TEXT NOT NULL DEFAULT '',
    birth_date       TEXT NOT NULL DEFAULT '',
    mobile           TEXT NOT NULL DEFAULT '',
    email            TEXT NOT NULL DEFAULT '',
    address          TEXT NOT NULL DEFAULT '',
    contract_version TEXT NOT NULL DEFAULT '',
    branch           TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL DEFAULT 'active',
    created_at       BIGINT NOT NULL
);

CREATE TABLE business_representatives (
    business_id TEXT NOT NULL REFERENCES customers (id),
    person_id   TEXT NOT NULL REFERENCES customers (id),
    role        TEXT NOT NULL,
    PRIMARY KEY (business_id, person_id)
);

-- Customer accounts and the bank's own general-ledger accounts. balance and held are materialised from postings
-- and holds; last_seq numbers the account's postings so history pages and statements have a stable order.
CREATE TABLE accounts (
    id              TEXT PRIMARY KEY,
    customer_id     TEXT REFERENCES customers (id),
    gl_code         TEXT UNIQUE,
    iban            TEXT UNIQUE,
    number          TEXT NOT NULL UNIQUE,
    currency        TEXT NOT NULL,
    type            TEXT NOT NULL,             -- current | savings | vault | clearing | fees | fx_position | suspense
    name            TEXT NOT NULL DEFAULT '',
    logo            TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL,             -- active | blocked | closed
    overdraft_limit BIGINT NOT NULL DEFAULT 0,
    allow_negative  INTEGER NOT NULL DEFAULT 0,
    balance         BIGINT NOT NULL DEFAULT 0,
    held            BIGINT NOT NULL DEFAULT 0,
    last_seq        BIGINT NOT NULL DEFAULT 0,
    opened_at       BIGINT NOT NULL,
    status_at       BIGINT NOT NULL
);
CREATE INDEX accounts_customer ON accounts (customer_id);

-- A journal entry is one balanced money movement; its postings never change. A correction is a new entry that
-- reverses it.
CREATE TABLE journal_entries (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    reference   TEXT NOT NULL DEFAULT '',
    reverses_id TEXT UNIQUE REFERENCES journal_entries (id),
    posted_at   BIGINT NOT NULL
);

CREATE TABLE postings (
    id                TEXT PRIMARY KEY,
    entry_id          TEXT NOT NULL REFERENCES journal_entries (id),
    account_id        TEXT NOT NULL REFERENCES accounts (id),
    seq               BIGINT NOT NULL,
    amount            BIGINT NOT NULL,          -- credit > 0, debit < 0
    currency          TEXT NOT NULL,
    balance_after     BIGINT NOT NULL,
    posted_at         BIGINT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    counterparty      TEXT NOT NULL DEFAULT '',
    counterparty_iban TEXT NOT NULL DEFAULT '',
    search            TEXT NOT NULL DEFAULT '', -- lower-cased description, counterparty and IBAN, for text search
    UNIQUE (account_id, seq)
);
-- There is deliberately no (account_id, posted_at) index: seq grows with posted_at on each account, so a time range
-- is turned into a seq range by binary search on (account_id, seq), and every posting costs one index less.
CREATE INDEX postings_entry ON postings (entry_id);

CREATE TABLE holds (
    id         TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    amount     BIGINT NOT NULL,
    currency   TEXT NOT NULL,
    reason     TEXT NOT NULL,
    reference  TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL,                   -- active | captured | released | expired
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    settled_at BIGINT,
    entry_id   TEXT REFERENCES journal_entries (id)
);
CREATE INDEX holds_account ON holds (account_id, status);
CREATE INDEX holds_expiry ON holds (status, expires_at);

-- Every money-moving request's key, scoped to who sent it and what it was for, with a hash of the request so the
-- same key with a different request is told apart from a repeat.
CREATE TABLE idempotency_keys (
    scope_key    TEXT PRIMARY KEY,
    request_hash TEXT NOT NULL,
    resource_id  TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);

CREATE TABLE transfers (
    id              TEXT PRIMARY KEY,
    customer_id     TEXT NOT NULL REFERENCES customers (id),
    type            TEXT NOT NULL,              -- own | internal
    from_account_id TEXT NOT NULL REFERENCES accounts (id),
    to_account_id   TEXT NOT NULL REFERENCES accounts (id),
    amount          BIGINT NOT NULL,
    currency        TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL,
    entry_id        TEXT REFERENCES journal_entries (id),
    created_at      BIGINT NOT NULL
);

CREATE TABLE credentials (
    customer_id         TEXT PRIMARY KEY REFERENCES customers (id),
    password_hash       TEXT NOT NULL,
    must_change         INTEGER NOT NULL DEFAULT 0,
    password_changed_at BIGINT NOT NULL,
    failed_attempts     INTEGER NOT NULL DEFAULT 0,
    blocked             INTEGER NOT NULL DEFAULT 0,
    blocked_at          BIGINT
);

CREATE TABLE password_history (
    customer_id   TEXT NOT NULL REFERENCES customers (id),
    password_hash TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE INDEX password_history_customer ON password_history (customer_id, created_at);

-- A login in progress: the password was right and a one-time code was sent. The code is stored as an HMAC.
CREATE TABLE login_challenges (
    id          TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    otp_hash    TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX login_challenges_customer ON login_challenges (customer_id, created_at);

-- Sessions are found by the SHA-256 of their bearer token; the token itself is never stored.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    customer_id  TEXT NOT NULL REFERENCES customers (id),
    assurance    TEXT NOT NULL,                 -- partial | full
    must_change  INTEGER NOT NULL DEFAULT 0,    -- only a password change and logout are allowed
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    ended_at     BIGINT
);
CREATE INDEX sessions_customer ON sessions (customer_id);

-- Messages to customers, written in the same transaction as the change that causes them and delivered later.
CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    channel         TEXT NOT NULL,              -- sms | email
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL DEFAULT '',
    body            TEXT NOT NULL,
    status          TEXT NOT NULL,              -- pending | sent | failed
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_until     BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    sent_at         BIGINT
);
CREATE INDEX outbox_pending ON outbox (status, next_attempt_at);

-- What the sandbox SMS and email gateways "delivered": the demo bank's phones and mailboxes.
CREATE TABLE sandbox_inbox (
    id         TEXT PRIMARY KEY,
    channel    TEXT NOT NULL,
    recipient  TEXT NOT NULL,
    subject    TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX sandbox_inbox_time ON sandbox_inbox (created_at);

-- Bank-wide settings and one-off markers (e.g. that demo data was seeded).
CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- +goose Down
DROP TABLE settings;
DROP TABLE sandbox_inbox;
DROP TABLE outbox;
DROP TABLE sessions;
DROP TABLE login_challenges;
DROP TABLE password_history;
DROP TABLE credentials;
DROP TABLE transfers;
DROP TABLE idempotency_keys;
DROP TABLE holds;
DROP TABLE postings;
DROP TABLE journal_entries;
DROP TABLE accounts;
DROP TABLE business_representatives;
DROP TABLE customers;
