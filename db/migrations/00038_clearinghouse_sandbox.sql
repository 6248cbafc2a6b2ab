-- +goose Up
-- The clearing-house sandbox's own state (package clearinghouse): the messages it took from the bank and sent to
-- it, the accounts at other banks it rejects payments to (with the reason), and whether it is down or slow. A
-- real clearing house keeps its own books; the sandbox keeps them in the bank's database so the demo and the
-- tests run with one binary and one database, and so a staff command in another process can set it up.
CREATE TABLE clearinghouse_messages (
    id          TEXT PRIMARY KEY,
    direction   TEXT NOT NULL,
    name        TEXT NOT NULL,
    scheme      TEXT NOT NULL,
    status      TEXT NOT NULL,
    document    TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    answered_at BIGINT NOT NULL
);
CREATE INDEX clearinghouse_messages_status ON clearinghouse_messages (status, created_at);

CREATE TABLE clearinghouse_rejects (
    iban       TEXT PRIMARY KEY,
    reason     TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE clearinghouse_settings (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    down     INTEGER NOT NULL,
    delay_ms BIGINT NOT NULL
);
INSERT INTO clearinghouse_settings (id, down, delay_ms) VALUES (1, 0, 0);

-- +goose Down
DROP TABLE clearinghouse_settings;
DROP TABLE clearinghouse_rejects;
DROP TABLE clearinghouse_messages;
