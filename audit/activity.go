package audit

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
)

// Log is the audit log as the channels read it: a customer's own activity.
type Log struct {
	DB *db.DB
}

// Query is a request for a page of activity: Cursor is the Next of the page before (0: the newest), Limit the
// page's size (0: MaxPage).
type Query struct {
	Cursor int64
	Limit  int
}

// ParseQuery reads a page request from a query string, the one rule for the API and the web app: cursor is a
// page's next_cursor, limit 1–MaxPage; any other parameter is refused (invalid_query, naming it).
func ParseQuery(q url.Values) (Query, error) {
	var out Query
	for k := range q {
		if k != "cursor" && k != "limit" {
			return out, kumbara.ErrInvalidQuery.Field(k)
		}
	}
	if v := q.Get("cursor"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 || strconv.FormatInt(n, 10) != v {
			return out, kumbara.ErrInvalidQuery.Field("cursor")
		}
		out.Cursor = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxPage {
			return out, kumbara.ErrInvalidQuery.Field("limit")
		}
		out.Limit = n
	}
	return out, nil
}

// Activity is the page q asks for of the entries about customerID (the package's Activity).
func (l *Log) Activity(ctx context.Context, customerID string, q Query) (Page, error) {
	return Activity(ctx, l.DB, customerID, q.Cursor, q.Limit)
}

// MaxPage is the most entries one page of activity holds.
const MaxPage = 100

// Page is one page of a customer's activity, newest first. Next is the cursor of the next (older) page: 0 when
// this is the last.
type Page struct {
	Entries []Entry
	Next    int64
}

// Activity returns the entries about customerID, newest first, older than the cursor before (0: from the newest),
// at most limit (1–MaxPage; out of range means MaxPage). Only that customer's entries are read: another
// customer's never show.
func Activity(ctx context.Context, d *db.DB, customerID string, before int64, limit int) (Page, error) {
	if limit <= 0 || limit > MaxPage {
		limit = MaxPage
	}
	if before <= 0 {
		before = 1<<63 - 1
	}
	rows, err := d.Query(ctx, `SELECT `+selectColumns+` FROM audit_log WHERE customer_id = ? AND seq < ?
		ORDER BY seq DESC LIMIT ?`, customerID, before, limit+1)
	if err != nil {
		return Page{}, fmt.Errorf("audit: activity: %w", err)
	}
	entries, err := db.Collect(rows, scan)
	if err != nil {
		return Page{}, fmt.Errorf("audit: activity: %w", err)
	}
	p := Page{Entries: entries}
	if len(entries) > limit {
		p.Entries = entries[:limit]
		p.Next = entries[limit-1].Seq
	}
	return p, nil
}

// TextKey is the catalogue key of an action's name as a customer reads it: "audit_" and the action with its dots
// as underscores (login.password.failed → audit_login_password_failed).
func TextKey(action string) string {
	b := []byte("audit_" + action)
	for i, c := range b {
		if c == '.' {
			b[i] = '_'
		}
	}
	return string(b)
}
