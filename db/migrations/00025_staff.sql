-- +goose Up
-- The bank's staff (package staff): who they are, their roles, their password (argon2id PHC string) and their
-- TOTP secret (AES-256-GCM under a key derived from the bank's secret, bound to the member's id), the last time
-- step a TOTP code was accepted at (a code is single use), and the consecutive failures that lock them out at 5.
-- roles is a comma-separated list of role names. bootstrap is 1 on the first member only, created by the operator
-- without another member to act for them: the unique index lets that happen once, however many commands race.
CREATE TABLE staff (
    id             TEXT    PRIMARY KEY,
    username       TEXT    NOT NULL UNIQUE,
    full_name      TEXT    NOT NULL,
    branch         TEXT    NOT NULL,
    roles          TEXT    NOT NULL,
    password_hash  TEXT    NOT NULL,
    must_change    INTEGER NOT NULL DEFAULT 0,
    totp_secret    TEXT    NOT NULL,
    totp_step      BIGINT  NOT NULL DEFAULT 0,
    failures       INTEGER NOT NULL DEFAULT 0,
    locked_at      BIGINT,
    active         INTEGER NOT NULL DEFAULT 1,
    bootstrap      INTEGER UNIQUE,
    created_by     TEXT    REFERENCES staff (id),
    created_at     BIGINT  NOT NULL,
    deactivated_at BIGINT
);

-- The last passwords of each member (the current one included), so a new one may not repeat the last five.
CREATE TABLE staff_password_history (
    staff_id      TEXT   NOT NULL REFERENCES staff (id),
    password_hash TEXT   NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE INDEX staff_password_history_staff ON staff_password_history (staff_id, created_at);

-- A login whose password was right and whose TOTP code is awaited: the step's token is kept as its SHA-256.
CREATE TABLE staff_login_steps (
    token_hash TEXT   PRIMARY KEY,
    staff_id   TEXT   NOT NULL REFERENCES staff (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX staff_login_steps_staff ON staff_login_steps (staff_id);

-- Staff sessions, apart from customers' (auth's sessions): the token is kept as its SHA-256; a session ends 15
-- minutes after its last request, 10 hours after it began, at logout, or when the member is locked, deactivated or
-- given a new TOTP secret.
CREATE TABLE staff_sessions (
    token_hash   TEXT   PRIMARY KEY,
    id           TEXT   NOT NULL UNIQUE,
    staff_id     TEXT   NOT NULL REFERENCES staff (id),
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    ended_at     BIGINT
);
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);

-- +goose Down
DROP TABLE staff_sessions;
DROP TABLE staff_login_steps;
DROP TABLE staff_password_history;
DROP TABLE staff;
