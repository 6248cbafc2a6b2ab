-- +goose Up
-- Files attached to an outbox email (F5: an account statement sent as PDF). The content is base64 in a TEXT
-- column, so SQLite and PostgreSQL keep one schema; the rows are deleted once the message is delivered, as the
-- body is redacted, so customers' documents do not pile up in the outbox.
CREATE TABLE outbox_attachments (
    message_id   TEXT NOT NULL REFERENCES outbox (id),
    ord          INTEGER NOT NULL,             -- order of the files in the message, from 0
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    content      TEXT NOT NULL,                -- base64 (RFC 4648, standard alphabet, padded)
    PRIMARY KEY (message_id, ord)
);
-- How many files a message carries, so the dispatcher looks attachments up only for messages that have some (one-time
-- codes, the busy path, never do).
ALTER TABLE outbox ADD COLUMN attachments INTEGER NOT NULL DEFAULT 0;
-- Documents sent to an address recently (a limit per customer); partial, so one-time codes cost it nothing.
CREATE INDEX outbox_files ON outbox (recipient, created_at) WHERE attachments > 0;
-- The names of the files a sandbox mailbox received, one per line: the demo inbox lists them.
ALTER TABLE sandbox_inbox ADD COLUMN attachments TEXT NOT NULL DEFAULT '';

-- +goose Down
DROP INDEX outbox_files;
ALTER TABLE sandbox_inbox DROP COLUMN attachments;
ALTER TABLE outbox DROP COLUMN attachments;
DROP TABLE outbox_attachments;
