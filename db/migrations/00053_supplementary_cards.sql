-- +goose Up
-- Supplementary credit cards (FEATURES F13): a card on the same credit account as the main card, for another
-- holder (the name printed on it), held by the account's customer. Its own spending in a cycle is limited to
-- credit_cards.supplementary_percent of the limit (package creditcard). A reprint keeps the mark.
ALTER TABLE cards ADD COLUMN supplementary INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE cards DROP COLUMN supplementary;
