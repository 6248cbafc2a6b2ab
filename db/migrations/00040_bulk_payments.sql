-- +goose Up
-- Bulk payments business customers upload (package bulk, issue #11 item 7): one row per pain.001 file read, its
-- lines beside it. message_id is the file's MsgId and document_hash the SHA-256 of the file, so the same file sent
-- again answers the batch it made. total, fees and debited (what leaves the accounts: the amounts and the fees not taken from them) are of the
-- valid lines, in currency (one per file); from_ibans
-- the accounts they are paid from, comma-separated and sorted, as the confirmation binds them. lease_until is when
-- the instance making a confirmed batch's payments gives it up, if it has not finished.
CREATE TABLE bulk_batches (
    id            TEXT PRIMARY KEY,
    customer_id   TEXT NOT NULL REFERENCES customers (id),
    message_id    TEXT NOT NULL,
    document_hash TEXT NOT NULL,
    status        TEXT NOT NULL,
    from_ibans    TEXT NOT NULL,
    line_count    INTEGER NOT NULL,
    valid_count   INTEGER NOT NULL,
    currency      TEXT NOT NULL,
    total         BIGINT NOT NULL,
    fees          BIGINT NOT NULL,
    debited       BIGINT NOT NULL,
    lease_until   BIGINT NOT NULL,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX bulk_batches_customer ON bulk_batches (customer_id, created_at);
CREATE INDEX bulk_batches_message ON bulk_batches (customer_id, message_id);

-- A line of a file: where it came from (its PmtInf, InstrId and EndToEndId, for the pain.002), what it asks for
-- (request: the payment request, JSON) and what became of it: valid, invalid (problems, a JSON list of the
-- element, the code and the ISO reason), accepted (payment_id) or rejected when it was to be paid.
CREATE TABLE bulk_lines (
    batch_id        TEXT NOT NULL REFERENCES bulk_batches (id),
    line_no         INTEGER NOT NULL,
    payment_info_id TEXT NOT NULL,
    instruction_id  TEXT NOT NULL,
    end_to_end_id   TEXT NOT NULL,
    status          TEXT NOT NULL,
    account_id      TEXT NOT NULL REFERENCES accounts (id),
    type            TEXT NOT NULL,
    scheme          TEXT NOT NULL,
    amount          BIGINT NOT NULL,
    currency        TEXT NOT NULL,
    fee             BIGINT NOT NULL,
    debited         BIGINT NOT NULL,
    value_date      TEXT NOT NULL,
    cp_name         TEXT NOT NULL,
    cp_account      TEXT NOT NULL,
    description     TEXT NOT NULL,
    request         TEXT NOT NULL,
    problems        TEXT NOT NULL,
    payment_id      TEXT REFERENCES payments (id),
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (batch_id, line_no)
);

-- +goose Down
DROP TABLE bulk_lines;
DROP TABLE bulk_batches;
