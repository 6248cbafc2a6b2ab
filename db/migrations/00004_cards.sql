-- +goose Up
-- Debit cards, just enough for identity (registration with card type + last 6 digits + PIN, password recovery).
-- The full card number (PAN) is never stored in clear: number_enc is base64(nonce || AES-256-GCM ciphertext) for
-- staff to reveal, and number_hmac (HMAC-SHA256 under its own key) finds a card by its number and keeps numbers
-- unique without decrypting anything. masked (first 6 + last 4) is what customers and staff see. The last six
-- digits, which registration asks for, are kept only as a keyed hash (last6_hmac): in clear, with the first six in
-- masked, they would leave only four digits (about 1,000 Luhn-valid numbers) unknown.
-- The PIN is only a keyed hash; pin_failures counts consecutive wrong PINs and pin_blocked stops PIN use after 3
-- until staff lift it.
CREATE TABLE cards (
    id           TEXT PRIMARY KEY,
    customer_id  TEXT NOT NULL REFERENCES customers (id),
    account_id   TEXT NOT NULL REFERENCES accounts (id),
    type         TEXT NOT NULL,                -- visa | mastercard
    number_enc   TEXT NOT NULL,
    number_hmac  TEXT NOT NULL UNIQUE,
    last6_hmac   TEXT NOT NULL,
    masked       TEXT NOT NULL,
    contactless  INTEGER NOT NULL DEFAULT 0,
    expires      TEXT NOT NULL,                -- 'YYYY-MM': valid to the end of that month
    status       TEXT NOT NULL,                -- active | blocked | closed
    pin_hash     TEXT NOT NULL,
    pin_failures INTEGER NOT NULL DEFAULT 0,
    pin_blocked  INTEGER NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL
);
CREATE INDEX cards_customer ON cards (customer_id);

-- +goose Down
DROP TABLE cards;
