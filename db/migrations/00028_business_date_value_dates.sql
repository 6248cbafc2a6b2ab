-- +goose Up
-- T14: every journal entry carries its value date, the day its money counts from (2006-01-02, in Tirane), which
-- the ledger sets from the business calendar as it posts: after the close of business, or on a day the bank is
-- closed, the next working day's. Postings repeat their entry's value date, as they repeat its posting time, so
-- the history reads it without a join.
ALTER TABLE journal_entries ADD COLUMN value_date TEXT NOT NULL DEFAULT '';
ALTER TABLE postings ADD COLUMN value_date TEXT NOT NULL DEFAULT '';

-- Entries posted before value dates were booked get the day they were posted on in Tirane. Both engines do it the
-- same way, in integer arithmetic: Tirane is UTC+1, and UTC+2 from the last Sunday of March to the last Sunday of
-- October (01:00 UTC each); a day number becomes a civil date by H. Hinnant's days-to-civil algorithm. A test in the
-- ledger checks the result against Go's time zone database on both engines.
CREATE TABLE value_date_backfill (
    id   TEXT PRIMARY KEY,
    s    BIGINT NOT NULL, -- posting time, seconds since 1970 UTC
    n    BIGINT NOT NULL DEFAULT 0, -- a day number, days since 1970-01-01
    yr   BIGINT NOT NULL DEFAULT 0,
    mo   BIGINT NOT NULL DEFAULT 0,
    dy   BIGINT NOT NULL DEFAULT 0,
    doe  BIGINT NOT NULL DEFAULT 0,
    yoe  BIGINT NOT NULL DEFAULT 0,
    mp   BIGINT NOT NULL DEFAULT 0,
    dst0 BIGINT NOT NULL DEFAULT 0, -- summer time starts, seconds
    dst1 BIGINT NOT NULL DEFAULT 0  -- summer time ends, seconds
);
INSERT INTO value_date_backfill (id, s) SELECT id, posted_at / 1000000 FROM journal_entries;
-- The UTC day, then its year (days-to-civil), to find that year's summer time.
UPDATE value_date_backfill SET n = s / 86400;
UPDATE value_date_backfill SET doe = (n + 719468) - ((n + 719468) / 146097) * 146097;
UPDATE value_date_backfill SET yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
UPDATE value_date_backfill SET mp = (5 * (doe - (365 * yoe + yoe / 4 - yoe / 100)) + 2) / 153;
UPDATE value_date_backfill SET yr = yoe + ((n + 719468) / 146097) * 400 + CASE WHEN mp >= 10 THEN 1 ELSE 0 END;
-- The last Sundays of March and October of that year (civil-to-days for the 31st; 1970-01-01 was a Thursday).
UPDATE value_date_backfill SET
    dst0 = (yr / 400) * 146097 + (yr - (yr / 400) * 400) * 365 + (yr - (yr / 400) * 400) / 4
           - (yr - (yr / 400) * 400) / 100 + 30 - 719468,
    dst1 = (yr / 400) * 146097 + (yr - (yr / 400) * 400) * 365 + (yr - (yr / 400) * 400) / 4
           - (yr - (yr / 400) * 400) / 100 + 244 - 719468;
UPDATE value_date_backfill SET dst0 = (dst0 - (dst0 + 4) % 7) * 86400 + 3600,
    dst1 = (dst1 - (dst1 + 4) % 7) * 86400 + 3600;
-- The day in Tirane, as a civil date.
UPDATE value_date_backfill SET
    n = (s + CASE WHEN s >= dst0 AND s < dst1 THEN 7200 ELSE 3600 END) / 86400;
UPDATE value_date_backfill SET doe = (n + 719468) - ((n + 719468) / 146097) * 146097;
UPDATE value_date_backfill SET yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
UPDATE value_date_backfill SET mp = (5 * (doe - (365 * yoe + yoe / 4 - yoe / 100)) + 2) / 153;
UPDATE value_date_backfill SET dy = doe - (365 * yoe + yoe / 4 - yoe / 100) - (153 * mp + 2) / 5 + 1,
    mo = CASE WHEN mp < 10 THEN mp + 3 ELSE mp - 9 END,
    yr = yoe + ((n + 719468) / 146097) * 400 + CASE WHEN mp >= 10 THEN 1 ELSE 0 END;
UPDATE journal_entries SET value_date = (
    SELECT CAST(b.yr AS TEXT) || '-' || SUBSTR(CAST(100 + b.mo AS TEXT), 2) || '-' || SUBSTR(CAST(100 + b.dy AS TEXT), 2)
    FROM value_date_backfill b WHERE b.id = journal_entries.id);
UPDATE postings SET value_date = (SELECT e.value_date FROM journal_entries e WHERE e.id = postings.entry_id);
DROP TABLE value_date_backfill;

-- The bank's business date: the working day whose books are open, one row for the whole bank. The close of
-- business (package eod) moves it to the next working day once every end-of-day step has run for it.
CREATE TABLE business_date (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    day TEXT NOT NULL
);

-- Each business date's end-of-day steps: claimed by one instance (the primary key and a guarded change of status
-- make a step run once per date however many instances close the day), with when it started and finished and what
-- it reported or why it failed.
CREATE TABLE eod_steps (
    business_date TEXT    NOT NULL,
    step          TEXT    NOT NULL,
    position      INTEGER NOT NULL,
    status        TEXT    NOT NULL, -- running, done, failed
    attempts      INTEGER NOT NULL DEFAULT 1,
    started_at    BIGINT  NOT NULL,
    finished_at   BIGINT,
    result        TEXT    NOT NULL DEFAULT '',
    error         TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (business_date, step)
);

-- +goose Down
DROP TABLE eod_steps;
DROP TABLE business_date;
ALTER TABLE postings DROP COLUMN value_date;
ALTER TABLE journal_entries DROP COLUMN value_date;
