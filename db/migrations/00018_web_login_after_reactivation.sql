-- +goose Up
-- After the bank reactivates a closed channel (A16) the customer's first login is in the internet branch ("Pas
-- riaktivizimit … duhet të hyni në shërbimin e Degës Internet"): set by the reactivation, cleared by the first full
-- web login; until then the app's logins are refused with web_login_required.
ALTER TABLE credentials ADD COLUMN web_login_required INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE credentials DROP COLUMN web_login_required;
