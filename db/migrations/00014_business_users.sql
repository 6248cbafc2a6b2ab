-- +goose Up
-- A business's users (A20, Z5, Z6): a representative logs in to the business with their own client number, the
-- company's NIPT and their own password. The login code names the business the person asked to act for, and the
-- session acts for the business (customer_id) while recording the person who authenticated (user_id; NULL when a
-- customer acts for itself).
ALTER TABLE login_challenges ADD COLUMN business_id TEXT;
ALTER TABLE sessions ADD COLUMN user_id TEXT;
CREATE INDEX sessions_user ON sessions (user_id);

-- +goose Down
DROP INDEX sessions_user;
ALTER TABLE sessions DROP COLUMN user_id;
ALTER TABLE login_challenges DROP COLUMN business_id;
