-- +goose Up
-- The public holidays whose dates are announced each year (Eid al-Fitr and Eid al-Adha), entered by staff; the
-- holidays set by law are computed (package calendar). name is a catalogue key, day is 2006-01-02. The seed is the
-- dates announced for 2026 and those expected for 2027, which staff correct when the 2027 dates are announced.
CREATE TABLE announced_holidays (
    name TEXT    NOT NULL,
    year INTEGER NOT NULL,
    day  TEXT    NOT NULL,
    PRIMARY KEY (name, year)
);
INSERT INTO announced_holidays (name, year, day) VALUES
    ('holiday_eid_al_fitr', 2026, '2026-03-20'),
    ('holiday_eid_al_adha', 2026, '2026-05-27'),
    ('holiday_eid_al_fitr', 2027, '2027-03-10'),
    ('holiday_eid_al_adha', 2027, '2027-05-16');

-- +goose Down
DROP TABLE announced_holidays;
