-- +goose Up
-- Debit and credit cards as customers use them (FEATURES F7–F9, F15; issue #13 items 1, 2).
-- kind says what the card spends (debit: its accounts; credit: its own credit account); holder is the name printed
-- on it. The controls are the holder's switches (ctl_*) and per-day limits in minor units of the card's currency
-- (its primary account's); a limit of 0 means the bank's maximum (config). status gains lost (reported lost or
-- stolen: only staff reactivate it, four-eyes), replaced (reprinted under a new number: blocked for good),
-- ordered (a reprinted card being made: it cannot be used) and ready (waiting at the branch, the customer told by
-- SMS: it cannot be used until staff hand it over, when it becomes active).
-- pin_ref is the id the PIN hashes are bound to: the card's own id ('') or, on a reprinted card, the id of the
-- card it replaces, whose PIN it keeps. pin_pending is a new PIN the holder chose, which takes effect at the first
-- ATM operation made with it (the old PIN works until then). replaces / replaced_by link a reprint to its card.
ALTER TABLE cards ADD COLUMN kind TEXT NOT NULL DEFAULT 'debit';
ALTER TABLE cards ADD COLUMN holder TEXT NOT NULL DEFAULT '';
ALTER TABLE cards ADD COLUMN ctl_online INTEGER NOT NULL DEFAULT 1;
ALTER TABLE cards ADD COLUMN ctl_contactless INTEGER NOT NULL DEFAULT 1;
ALTER TABLE cards ADD COLUMN ctl_atm INTEGER NOT NULL DEFAULT 1;
ALTER TABLE cards ADD COLUMN ctl_magstripe INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cards ADD COLUMN ctl_abroad INTEGER NOT NULL DEFAULT 1;
ALTER TABLE cards ADD COLUMN daily_purchase_limit BIGINT NOT NULL DEFAULT 0;
ALTER TABLE cards ADD COLUMN daily_atm_limit BIGINT NOT NULL DEFAULT 0;
ALTER TABLE cards ADD COLUMN pin_ref TEXT NOT NULL DEFAULT '';
ALTER TABLE cards ADD COLUMN pin_pending TEXT NOT NULL DEFAULT '';
ALTER TABLE cards ADD COLUMN replaces TEXT NOT NULL DEFAULT '';
ALTER TABLE cards ADD COLUMN replaced_by TEXT NOT NULL DEFAULT '';
ALTER TABLE cards ADD COLUMN status_at BIGINT NOT NULL DEFAULT 0;

-- The current accounts linked to a debit card besides its primary (cards.account_id): at most 3, the customer's
-- own, in any currency. position orders them as linked.
CREATE TABLE card_accounts (
    card_id    TEXT   NOT NULL REFERENCES cards (id),
    account_id TEXT   NOT NULL REFERENCES accounts (id),
    linked_at  BIGINT NOT NULL,
    PRIMARY KEY (card_id, account_id)
);

-- A card's history: every event with its time and actor (customer, or the member of staff's username), newest
-- first by (at, id). detail is what the event needs to be read (a reason, an account, the new card's id), never a
-- digit of the number or the PIN.
CREATE TABLE card_events (
    id         TEXT   PRIMARY KEY,
    card_id    TEXT   NOT NULL REFERENCES cards (id),
    at         BIGINT NOT NULL,
    event      TEXT   NOT NULL,
    actor_kind TEXT   NOT NULL,              -- customer | staff | system
    actor      TEXT   NOT NULL,
    detail     TEXT   NOT NULL DEFAULT ''
);
CREATE INDEX card_events_card ON card_events (card_id, at);
CREATE INDEX cards_status ON cards (status);

-- +goose Down
DROP INDEX cards_status;
DROP TABLE card_events;
DROP TABLE card_accounts;
ALTER TABLE cards DROP COLUMN status_at;
ALTER TABLE cards DROP COLUMN replaced_by;
ALTER TABLE cards DROP COLUMN replaces;
ALTER TABLE cards DROP COLUMN pin_pending;
ALTER TABLE cards DROP COLUMN pin_ref;
ALTER TABLE cards DROP COLUMN daily_atm_limit;
ALTER TABLE cards DROP COLUMN daily_purchase_limit;
ALTER TABLE cards DROP COLUMN ctl_abroad;
ALTER TABLE cards DROP COLUMN ctl_magstripe;
ALTER TABLE cards DROP COLUMN ctl_atm;
ALTER TABLE cards DROP COLUMN ctl_contactless;
ALTER TABLE cards DROP COLUMN ctl_online;
ALTER TABLE cards DROP COLUMN holder;
ALTER TABLE cards DROP COLUMN kind;
