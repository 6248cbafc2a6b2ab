-- +goose Up
-- The audit log (package audit): every customer and staff action, append-only and hash-chained. seq is the
-- chain's order (1, 2, 3… with no gap); hash is hex SHA-256(the previous row's hash ‖ the entry's canonical
-- encoding), so deleting, editing or reordering a row breaks the chain from there on. before_state and after_state are JSON
-- without secrets; result is 'ok' or the refusal's code; at is microseconds since the epoch, UTC.
--
-- The key is (customer_id, seq), the order a customer's activity is read in, and the only index: each append costs
-- one index entry. seq needs no index of its own to stay unique, because every append takes it from the locked
-- head row; verify reads the whole log in seq order and finds a duplicate or a gap as it would an edit.
CREATE TABLE audit_log (
    seq         BIGINT NOT NULL,
    at          BIGINT NOT NULL,
    actor_kind  TEXT   NOT NULL,
    actor_id    TEXT   NOT NULL,
    actor_role  TEXT   NOT NULL,
    action      TEXT   NOT NULL,
    customer_id TEXT   NOT NULL,
    account_id  TEXT   NOT NULL,
    before_state TEXT  NOT NULL,
    after_state TEXT   NOT NULL,
    result      TEXT   NOT NULL,
    request_id  TEXT   NOT NULL,
    client      TEXT   NOT NULL,
    hash        TEXT   NOT NULL,
    PRIMARY KEY (customer_id, seq)
);

-- The chain's head, one row: the last entry's sequence number and hash. Every append locks and moves it in the
-- appending transaction, which gives the chain one order on both engines and across instances.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY,
    seq  BIGINT NOT NULL,
    hash TEXT   NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- +goose Down
DROP TABLE audit_head;
DROP TABLE audit_log;
