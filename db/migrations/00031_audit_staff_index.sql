-- +goose Up
-- Staff search the audit log by member of staff (audit.Search): the entries of staff, by username and newest
-- first. Partial, so only staff entries pay for it: a customer's entry (every login, every transfer) still costs
-- one index entry, its (customer_id, seq) key, and the bench's ratio with and without the audit stays as it was.
-- A search must say actor_kind = 'staff' as a literal for either engine to use it.
CREATE INDEX audit_log_staff ON audit_log (actor_id, seq) WHERE actor_kind = 'staff';

-- +goose Down
DROP INDEX audit_log_staff;
