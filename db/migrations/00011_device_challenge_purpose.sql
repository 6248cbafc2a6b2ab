-- +goose Up
-- A device's signature proves one thing only: a challenge signed to log in (A3, A4) must not change the password
-- (A12), and one signed to change the password must not open a session. Existing rows are login challenges.
ALTER TABLE device_challenges ADD COLUMN purpose TEXT NOT NULL DEFAULT 'login';

-- +goose Down
ALTER TABLE device_challenges DROP COLUMN purpose;
