-- +goose Up
-- A one-time code proves one thing only: a code sent to log in must not set a password, and a code sent to
-- register (R1) must not open a session without the password. Existing rows are login codes.
ALTER TABLE login_challenges ADD COLUMN purpose TEXT NOT NULL DEFAULT 'login';

-- +goose Down
ALTER TABLE login_challenges DROP COLUMN purpose;
