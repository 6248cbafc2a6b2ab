-- +goose Up
-- The periodic jobs' schedules (package jobs): for each, the due time (Unix microseconds) it was last enqueued for.
-- Moving last_due forward is the guarded update that lets exactly one instance enqueue a due time. River's own
-- tables (river_job and the rest) come from River's migrator, run after these.
CREATE TABLE job_schedules (
    name     TEXT   PRIMARY KEY,
    last_due BIGINT NOT NULL
);

-- +goose Down
DROP TABLE job_schedules;
