-- +goose Up
-- Four-eyes requests (package approval): an operation a member of staff asked for that a second member must
-- approve before it is done. payload is the operation's exact JSON and payload_hash its hex SHA-256: the checker
-- approves that hash, so a payload changed after the request (in the table or on its way to the checker) cannot be
-- approved. status moves pending → approved (the one guarded change that lets exactly one checker go on) →
-- executed or failed, or pending → rejected (with a reason); a pending request past expires_at counts as expired.
CREATE TABLE approvals (
    id           TEXT   PRIMARY KEY,
    kind         TEXT   NOT NULL,
    payload      TEXT   NOT NULL,
    payload_hash TEXT   NOT NULL,
    customer_id  TEXT   NOT NULL DEFAULT '',
    account_id   TEXT   NOT NULL DEFAULT '',
    maker        TEXT   NOT NULL,
    maker_roles  TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    status       TEXT   NOT NULL,
    checker      TEXT   NOT NULL DEFAULT '',
    decided_at   BIGINT,
    reason       TEXT   NOT NULL DEFAULT '',
    result       TEXT   NOT NULL DEFAULT ''
);
CREATE INDEX approvals_status ON approvals (status, created_at);
CREATE INDEX approvals_customer ON approvals (customer_id, created_at);

-- +goose Down
DROP TABLE approvals;
