package db

import (
	"database/sql"
	"time"
)

// Micros is how the schema stores a time: BIGINT Unix microseconds in UTC, portable across both engines and
// ordered like the times themselves.
func Micros(t time.Time) int64 { return t.UTC().UnixMicro() }

// FromMicros is the inverse of Micros.
func FromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// Collect reads every row of rows with scan, closes rows and reports the first error, the iteration's included.
func Collect[T any](rows *sql.Rows, scan func(Scanner) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// ScanString reads a row of one text column, for Collect.
func ScanString(r Scanner) (string, error) {
	var s string
	err := r.Scan(&s)
	return s, err
}
