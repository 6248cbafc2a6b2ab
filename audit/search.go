package audit

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/text"
)

// Filter is what staff with audit.read search the log by. Every field set narrows the search; the zero Filter is
// the whole log, newest first.
type Filter struct {
	CustomerID string // entries about this customer
	Staff      string // entries by this member of staff (their username): actor kind staff
	// Action is one action ("account.status_changed"), or every action under a prefix when it ends in a dot
	// ("staff." finds staff.created, staff.login.failed…).
	Action string
	From   time.Time // entries at or after From; zero: from the first
	To     time.Time // entries before To; zero: to the last
	Before int64     // a page's Next: entries older than it; 0: from the newest
	Limit  int       // entries per page, 1–MaxPage; out of range means MaxPage
}

// Search returns the page of entries f asks for (the package's Search).
func (l *Log) Search(ctx context.Context, f Filter) (Page, error) {
	return Search(ctx, l.DB, f)
}

// Search returns the entries f matches, newest first, a page at a time: Page.Next is the Before of the next
// (older) page, 0 on the last.
//
// A search by customer reads the table's key (customer_id, seq) and one by a member of staff the index of staff
// entries (migration 00031), each only as far back as the page needs. One by action or time alone reads the
// whole log: the one index every append pays for is the customer's, and an index by action or time would be a
// second on every transfer's entry.
func Search(ctx context.Context, d *db.DB, f Filter) (Page, error) {
	if f.Limit <= 0 || f.Limit > MaxPage {
		f.Limit = MaxPage
	}
	if !text.Storable(f.CustomerID) || !text.Storable(f.Staff) || !text.Storable(f.Action) {
		// Nothing was ever recorded under it, and PostgreSQL refuses to compare NUL bytes or invalid UTF-8.
		return Page{}, nil
	}
	where, args := f.conditions()
	rows, err := d.Query(ctx, `SELECT `+selectColumns+` FROM audit_log WHERE `+strings.Join(where, " AND ")+
		` ORDER BY seq DESC LIMIT ?`, append(args, f.Limit+1)...)
	if err != nil {
		return Page{}, fmt.Errorf("audit: search: %w", err)
	}
	entries, err := db.Collect(rows, scan)
	if err != nil {
		return Page{}, fmt.Errorf("audit: search: %w", err)
	}
	p := Page{Entries: entries}
	if len(entries) > f.Limit {
		p.Entries = entries[:f.Limit]
		p.Next = entries[f.Limit-1].Seq
	}
	return p, nil
}

// conditions are f's WHERE terms and their arguments.
func (f Filter) conditions() ([]string, []any) {
	before := f.Before
	if before <= 0 {
		before = 1<<63 - 1
	}
	where, args := []string{"seq < ?"}, []any{before}
	if f.CustomerID != "" {
		where, args = append(where, "customer_id = ?"), append(args, f.CustomerID)
	}
	if f.Staff != "" {
		// The kind is written out, not bound: only a literal lets either engine use the partial index of staff
		// entries.
		where, args = append(where, "actor_kind = '"+ActorStaff+"'", "actor_id = ?"), append(args, f.Staff)
	}
	switch {
	case strings.HasSuffix(f.Action, "."):
		// substr (which counts characters on both engines) compares exactly, where a LIKE would need its
		// wildcards escaped and a range would follow PostgreSQL's collation, which may ignore punctuation.
		where = append(where, fmt.Sprintf("substr(action, 1, %d) = ?", utf8.RuneCountInString(f.Action)))
		args = append(args, f.Action)
	case f.Action != "":
		where, args = append(where, "action = ?"), append(args, f.Action)
	}
	if !f.From.IsZero() {
		where, args = append(where, "at >= ?"), append(args, db.Micros(f.From))
	}
	if !f.To.IsZero() {
		where, args = append(where, "at < ?"), append(args, db.Micros(f.To))
	}
	return where, args
}
