package ledger

import (
	"context"
	"fmt"

	"github.com/kumbara/kumbara/db"
)

// Break is one broken invariant found by Verify.
type Break struct {
	Check  string
	Detail string
}

func (b Break) String() string { return b.Check + ": " + b.Detail }

// Verify checks every ledger invariant against the stored data and returns what is broken (nothing, on a sound
// ledger): postings sum to zero per currency and per entry; each balance equals the sum of its postings and its
// last running balance; postings are numbered without gaps; held equals the active holds; no customer account is
// below zero beyond its overdraft; nothing posted to an account after it was closed or blocked; postings carry their
// account's currency.
func (s *Store) Verify(ctx context.Context) ([]Break, error) {
	checks := []struct {
		name, q string
	}{
		{"currency_sum", `SELECT currency, SUM(amount) FROM postings GROUP BY currency HAVING SUM(amount) <> 0`},
		{"entry_balanced", `SELECT entry_id || '/' || currency, SUM(amount) FROM postings
			GROUP BY entry_id, currency HAVING SUM(amount) <> 0`},
		{"entry_has_postings", `SELECT e.id, 0 FROM journal_entries e
			WHERE NOT EXISTS (SELECT 1 FROM postings p WHERE p.entry_id = e.id)`},
		{"balance_equals_postings", `SELECT a.id, a.balance - COALESCE((SELECT SUM(p.amount) FROM postings p
			WHERE p.account_id = a.id), 0) FROM accounts a WHERE a.balance <> COALESCE((SELECT SUM(p.amount)
			FROM postings p WHERE p.account_id = a.id), 0)`},
		{"sequence_without_gaps", `SELECT a.id, a.last_seq FROM accounts a
			WHERE a.last_seq <> (SELECT COUNT(*) FROM postings p WHERE p.account_id = a.id)
			OR a.last_seq <> COALESCE((SELECT MAX(p.seq) FROM postings p WHERE p.account_id = a.id), 0)`},
		{"running_balance", `SELECT p.id, p.balance_after FROM postings p
			LEFT JOIN postings q ON q.account_id = p.account_id AND q.seq = p.seq - 1
			WHERE p.balance_after <> COALESCE(q.balance_after, 0) + p.amount`},
		{"last_running_balance", `SELECT a.id, a.balance FROM accounts a JOIN postings p
			ON p.account_id = a.id AND p.seq = a.last_seq WHERE p.balance_after <> a.balance`},
		{"held_equals_holds", `SELECT a.id, a.held FROM accounts a WHERE a.held <> COALESCE((SELECT SUM(h.amount)
			FROM holds h WHERE h.account_id = a.id AND h.status = 'active'), 0)`},
		{"available_not_negative", `SELECT id, balance - held + overdraft_limit FROM accounts
			WHERE allow_negative = 0 AND balance - held + overdraft_limit < 0`},
		{"no_posting_when_not_active", `SELECT p.id, p.posted_at FROM postings p JOIN accounts a ON a.id = p.account_id
			WHERE a.status <> 'active' AND p.posted_at > a.status_at`},
		{"posting_currency", `SELECT p.id, 0 FROM postings p JOIN accounts a ON a.id = p.account_id
			WHERE p.currency <> a.currency`},
		{"hold_currency", `SELECT h.id, 0 FROM holds h JOIN accounts a ON a.id = h.account_id
			WHERE h.currency <> a.currency`},
	}
	var out []Break
	for _, c := range checks {
		rows, err := s.DB.Query(ctx, c.q+" LIMIT 20")
		if err != nil {
			return nil, fmt.Errorf("verify %s: %w", c.name, err)
		}
		found, err := db.Collect(rows, func(r db.Scanner) (Break, error) {
			var key string
			var v int64
			err := r.Scan(&key, &v)
			return Break{Check: c.name, Detail: fmt.Sprintf("%s (%d)", key, v)}, err
		})
		if err != nil {
			return nil, fmt.Errorf("verify %s: %w", c.name, err)
		}
		out = append(out, found...)
	}
	return out, nil
}

// Totals returns the sum of all balances per currency, which double entry keeps at zero; tests use it to check
// that money is conserved.
func (s *Store) Totals(ctx context.Context) (map[string]int64, error) {
	rows, err := s.DB.Query(ctx, "SELECT currency, SUM(balance) FROM accounts GROUP BY currency")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var c string
		var v int64
		if err := rows.Scan(&c, &v); err != nil {
			return nil, err
		}
		out[c] = v
	}
	return out, rows.Err()
}

// Entries is how many journal entries the ledger holds, for the close of business's report of the books it
// verified.
func (s *Store) Entries(ctx context.Context) (int64, error) {
	var n int64
	if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM journal_entries").Scan(&n); err != nil {
		return 0, fmt.Errorf("count entries: %w", err)
	}
	return n, nil
}
