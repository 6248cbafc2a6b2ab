-- +goose Up
-- Customers' mobile devices (A2–A7). A device holds an ECDSA P-256 key pair whose private part never leaves it
-- (its biometrics unlock it); public_key is the public part, base64 DER SubjectPublicKeyInfo. At most 2 active
-- devices of a customer are trusted (checked under the customer's row lock). Trusting turns on remember-me, Smart
-- OTP (only if the device has a screen lock, A19) and Soft PIN. soft_pin_secret is the TOTP secret, base64(nonce
-- || AES-256-GCM ciphertext) under a key derived from the bank's secret and bound to the device id: the server must
-- recompute codes, so it is encrypted rather than hashed. soft_pin_step is the last accepted TOTP time step (a step
-- is usable once). login_streak counts the customer's consecutive logins from this device (A7's offer at the 3rd).
-- A deactivated device (deactivated_at set) is kept for its history but nothing it proves is accepted.
CREATE TABLE devices (
    id              TEXT PRIMARY KEY,
    customer_id     TEXT NOT NULL REFERENCES customers (id),
    name            TEXT NOT NULL,
    type            TEXT NOT NULL,               -- ios | android
    public_key      TEXT NOT NULL,
    screen_lock     INTEGER NOT NULL DEFAULT 0,
    trusted         INTEGER NOT NULL DEFAULT 0,
    trusted_at      BIGINT,
    remember_me     INTEGER NOT NULL DEFAULT 0,
    smart_otp       INTEGER NOT NULL DEFAULT 0,
    soft_pin        INTEGER NOT NULL DEFAULT 0,
    soft_pin_secret TEXT,
    soft_pin_step   BIGINT NOT NULL DEFAULT 0,
    login_streak    INTEGER NOT NULL DEFAULT 0,
    logins          INTEGER NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    last_action_at  BIGINT NOT NULL,
    deactivated_at  BIGINT
);
CREATE INDEX devices_customer ON devices (customer_id);

-- What a device did (A7 activity history): action, time and, if the app shared it, where.
CREATE TABLE device_activity (
    id          TEXT PRIMARY KEY,
    device_id   TEXT NOT NULL REFERENCES devices (id),
    action      TEXT NOT NULL,
    at          BIGINT NOT NULL,
    location    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX device_activity_device ON device_activity (device_id, at);

-- Challenges a device signs to log in with its biometrics (A3, A4): random, 2 minutes, single use. customer_id and
-- device_id are empty when the user or device was unknown, so the answer to the first step says nothing.
CREATE TABLE device_challenges (
    id          TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL,
    device_id   TEXT NOT NULL,
    challenge   TEXT NOT NULL,
    expires_at  BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    used_at     BIGINT
);
CREATE INDEX device_challenges_expiry ON device_challenges (expires_at);

-- +goose Down
DROP TABLE device_challenges;
DROP TABLE device_activity;
DROP TABLE devices;
