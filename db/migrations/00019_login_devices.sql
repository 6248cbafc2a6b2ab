-- +goose Up
-- The devices and browsers each customer has completed a full login from (A18: one rule for "new device or
-- browser" across the app and the internet branch). The app names its device in X-Device-ID, the internet branch
-- its browser in a long-lived device cookie; both are kept as the same HMAC partial_login_devices uses, so the app
-- devices that logged in before are known from the start. A full login from one not listed (or naming none) alerts
-- the customer by SMS; then it is listed.
CREATE TABLE login_devices (
    customer_id    TEXT NOT NULL REFERENCES customers (id),
    device_hash    TEXT NOT NULL,
    browser        INTEGER NOT NULL DEFAULT 0,  -- 1: a browser of the internet branch; 0: the app's device
    first_login_at BIGINT NOT NULL,
    last_login_at  BIGINT NOT NULL,
    PRIMARY KEY (customer_id, device_hash)
);
INSERT INTO login_devices (customer_id, device_hash, browser, first_login_at, last_login_at)
    SELECT customer_id, device_hash, 0, last_full_login_at, last_full_login_at FROM partial_login_devices;

-- +goose Down
DROP TABLE login_devices;
