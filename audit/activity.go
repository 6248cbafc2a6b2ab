package audit

import (
	"context"
	"fmt"

	"github.com/kumbara/kumbara/db"
)

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
