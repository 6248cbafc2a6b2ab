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

-- +goose Down
DROP TABLE card_day_totals;
