-- +goose Up
-- The payments a clearing message carries, found by the message: when the clearing house takes a message, its
-- payments become sent (payment.deliver), once per message. Without this index each delivery read the whole
-- payments table, so a session's cost grew with the square of its payments, and an instant payment's confirmation
-- with every payment the bank ever sent.
-- Only payments in a message are in it: the many waiting for one (message_id '') stay out, so claiming them for a
-- message (WHERE message_id = '' AND id IN …) goes by their ids, never through this index; the queries that use it
-- say message_id <> '' so that the planner may.
CREATE INDEX payments_message ON payments (message_id) WHERE message_id <> '';

-- +goose Down
DROP INDEX payments_message;
