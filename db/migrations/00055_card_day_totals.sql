-- +goose Up
-- A card's day totals (package issuing): what its approved and cleared authorisations of each kind (purchase,
-- cash) hold against its daily limits, in its primary account's currency, kept with each authorisation and
-- reversal, so that checking a limit reads one row however often the card is used that day.
CREATE TABLE card_day_totals (
    card_id TEXT   NOT NULL,
    day     TEXT   NOT NULL,
    kind    TEXT   NOT NULL,
    total   BIGINT NOT NULL,
    PRIMARY KEY (card_id, day, kind)
);
INSERT INTO card_day_totals (card_id, day, kind, total)
SELECT card_id, day, kind, SUM(limit_amount) FROM card_authorisations
WHERE status IN ('approved', 'cleared') GROUP BY card_id, day, kind;
-- The index the total was summed on goes: a card's other reads find its rows by card_authorisations_card_sca
-- (card_id first), and an authorisation's insert and its clearing's status change keep one index less.
DROP INDEX card_authorisations_card_day;

-- +goose Down
CREATE INDEX card_authorisations_card_day ON card_authorisations (card_id, day, kind, status, limit_amount);
DROP TABLE card_day_totals;
