-- +goose Up
-- When a pending transfer was confirmed: the server finishes (posts or fails) a confirmed transfer itself within a
-- bound of that time, so none stays half-way when the request that confirmed it could not post it. The index holds
-- only the few transfers between confirmation and posting, which is what the sweep looks for.
ALTER TABLE pending_transfers ADD COLUMN confirmed_at BIGINT;
UPDATE pending_transfers SET confirmed_at = created_at WHERE status = 'confirmed';
CREATE INDEX pending_transfers_confirmed ON pending_transfers (confirmed_at) WHERE status = 'confirmed';

-- +goose Down
DROP INDEX pending_transfers_confirmed;
ALTER TABLE pending_transfers DROP COLUMN confirmed_at;
