-- +goose Up
-- The payment tariff (package tariff): what the bank charges for a payment to another bank, by scheme (aech, aips,
-- instant, sct, sct_inst, swift), charges (OUR, SHA, BEN) and currency. A row is a version, never updated: the
-- latest valid_from (Unix microseconds) at or before now is in force, ties broken by id. fee = fixed + amount ×
-- percent / 100 (an exact decimal, rounded once half-up to minor units), clamped to [min_fee, max_fee] (max_fee 0:
-- no bound), plus correspondent for OUR on swift (the correspondents' charges the customer pays for the
-- beneficiary). Amounts are minor units of currency. Staff change it through four-eyes (operation tariff.set).
--
-- The seed is the default tariff a new bank pays with at once (set by the bank, in force since always), each
-- figure the same for BEN, SHA and OUR but the correspondent: AECH 100 ALL; AIPS 0.05 % min 1,000 max 10,000 ALL;
-- the ALL instant system 50 ALL; SEPA SCT 1.50 EUR; SCT Inst 2.00 EUR; SWIFT 0.20 % min 10 max 150 in the
-- currency of the payment (EUR, USD, GBP, CHF, AUD, CAD) with 20 of correspondents' charges for OUR, and in ALL
-- min 1,000 max 15,000 with 2,000 for OUR.
CREATE TABLE tariffs (
    id            TEXT PRIMARY KEY,
    scheme        TEXT   NOT NULL,
    charges       TEXT   NOT NULL,
    currency      TEXT   NOT NULL,
    fixed         BIGINT NOT NULL,
    percent       TEXT   NOT NULL DEFAULT '',
    min_fee       BIGINT NOT NULL,
    max_fee       BIGINT NOT NULL,
    correspondent BIGINT NOT NULL,
    valid_from    BIGINT NOT NULL,
    set_by        TEXT   NOT NULL,
    approved_by   TEXT   NOT NULL DEFAULT ''
);
CREATE INDEX tariffs_in_force ON tariffs (scheme, charges, currency, valid_from);
INSERT INTO tariffs (id, scheme, charges, currency, fixed, percent, min_fee, max_fee, correspondent, valid_from, set_by) VALUES
    ('00000000-0000-7000-8000-000000000001', 'aech', 'BEN', 'ALL', 10000, '', 0, 0, 0, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000002', 'aech', 'SHA', 'ALL', 10000, '', 0, 0, 0, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000003', 'aech', 'OUR', 'ALL', 10000, '', 0, 0, 0, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000004', 'aips', 'BEN', 'ALL', 0, '0.05', 100000, 1000000, 0, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000005', 'aips', 'SHA', 'ALL', 0, '0.05', 100000, 1000000, 0, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000006', 'aips', 'OUR', 'ALL', 0, '0.05', 100000, 1000000, 0, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000007', 'instant', 'BEN', 'ALL', 5000, '', 0, 0, 0, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000008', 'instant', 'SHA', 'ALL', 5000, '', 0, 0, 0, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000009', 'instant', 'OUR', 'ALL', 5000, '', 0, 0, 0, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000010', 'sct', 'BEN', 'EUR', 150, '', 0, 0, 0, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000011', 'sct', 'SHA', 'EUR', 150, '', 0, 0, 0, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000012', 'sct', 'OUR', 'EUR', 150, '', 0, 0, 0, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000013', 'sct_inst', 'BEN', 'EUR', 200, '', 0, 0, 0, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000014', 'sct_inst', 'SHA', 'EUR', 200, '', 0, 0, 0, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000015', 'sct_inst', 'OUR', 'EUR', 200, '', 0, 0, 0, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000016', 'swift', 'BEN', 'ALL', 0, '0.20', 100000, 1500000, 0, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000017', 'swift', 'SHA', 'ALL', 0, '0.20', 100000, 1500000, 0, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000018', 'swift', 'OUR', 'ALL', 0, '0.20', 100000, 1500000, 200000, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000019', 'swift', 'BEN', 'EUR', 0, '0.20', 1000, 15000, 0, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000020', 'swift', 'SHA', 'EUR', 0, '0.20', 1000, 15000, 0, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000021', 'swift', 'OUR', 'EUR', 0, '0.20', 1000, 15000, 2000, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000022', 'swift', 'BEN', 'USD', 0, '0.20', 1000, 15000, 0, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000023', 'swift', 'SHA', 'USD', 0, '0.20', 1000, 15000, 0, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000024', 'swift', 'OUR', 'USD', 0, '0.20', 1000, 15000, 2000, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000025', 'swift', 'BEN', 'GBP', 0, '0.20', 1000, 15000, 0, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000026', 'swift', 'SHA', 'GBP', 0, '0.20', 1000, 15000, 0, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000027', 'swift', 'OUR', 'GBP', 0, '0.20', 1000, 15000, 2000, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000028', 'swift', 'BEN', 'CHF', 0, '0.20', 1000, 15000, 0, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000029', 'swift', 'SHA', 'CHF', 0, '0.20', 1000, 15000, 0, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000030', 'swift', 'OUR', 'CHF', 0, '0.20', 1000, 15000, 2000, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000031', 'swift', 'BEN', 'AUD', 0, '0.20', 1000, 15000, 0, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000032', 'swift', 'SHA', 'AUD', 0, '0.20', 1000, 15000, 0, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000033', 'swift', 'OUR', 'AUD', 0, '0.20', 1000, 15000, 2000, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000034', 'swift', 'BEN', 'CAD', 0, '0.20', 1000, 15000, 0, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000035', 'swift', 'SHA', 'CAD', 0, '0.20', 1000, 15000, 0, 0, 'kumbara'),
    ('00000000-0000-7000-8000-000000000036', 'swift', 'OUR', 'CAD', 0, '0.20', 1000, 15000, 2000, 0, 'kumbara');

-- +goose Down
DROP TABLE tariffs;
