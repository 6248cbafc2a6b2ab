-- +goose Up
-- Sessions say where they were opened (api or web) and, if known, by what (the app's device name or the browser's
-- user agent), so a customer can tell them apart in the list of live sessions (A19).
ALTER TABLE sessions ADD COLUMN channel TEXT NOT NULL DEFAULT 'api';
ALTER TABLE sessions ADD COLUMN label TEXT NOT NULL DEFAULT '';

-- The bank closes a customer's digital channel (A16): unlike a lockout after wrong factors it is the bank's
-- decision, and only its reactivation lets the customer log in again (with the same password).
ALTER TABLE credentials ADD COLUMN channel_closed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE credentials ADD COLUMN channel_closed_at BIGINT;

-- Devices on which a customer completed a full login, the condition for a partial (password only, SmartPay)
-- login there (A19). The app's device id is kept only as an HMAC. forgotten = 1 after "forget me": no partial
-- login on that device until the next full login there.
CREATE TABLE partial_login_devices (
    customer_id        TEXT NOT NULL REFERENCES customers (id),
    device_hash        TEXT NOT NULL,
    last_full_login_at BIGINT NOT NULL,
    forgotten          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (customer_id, device_hash)
);

-- +goose Down
DROP TABLE partial_login_devices;
ALTER TABLE credentials DROP COLUMN channel_closed_at;
ALTER TABLE credentials DROP COLUMN channel_closed;
ALTER TABLE sessions DROP COLUMN label;
ALTER TABLE sessions DROP COLUMN channel;
