-- +goose Up
-- A login's code may be sent again (A1) only within ten minutes of the password step: every resend carries the
-- time of the step that started the chain, so resends cannot be chained forever. NULL means created_at.
ALTER TABLE login_challenges ADD COLUMN started_at BIGINT;

-- +goose Down
ALTER TABLE login_challenges DROP COLUMN started_at;
