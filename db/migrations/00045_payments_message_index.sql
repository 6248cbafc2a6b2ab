-- +goose Up
-- The payments a clearing message carries, found by the message: when the clearing house takes a message, its
-- payments become sent (payment.deliver), once per message. Without this index each delivery read the whole
-- payments table, so a session's cost grew with the square of its payments, and an instant payment's confirmation
-- with every payment the bank ever sent.
CREATE INDEX payments_message ON payments (message_id);

-- +goose Down
DROP INDEX payments_message;
