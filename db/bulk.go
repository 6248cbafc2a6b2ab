package db

import (
	"context"
	"strconv"
	"strings"
)

// UpdateRows sets columns of many rows found by key. rows[i] holds the key then one value per column; types names
// the PostgreSQL type of the key and each column. On PostgreSQL it is one UPDATE … FROM (VALUES …) per chunk — a
// round trip per row would dominate a group commit; on SQLite, which has no round trips, it is one prepared UPDATE
// per row.
func (t *Tx) UpdateRows(ctx context.Context, table, key string, cols, types []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if t.db.Engine != Postgres {
		sets := make([]string, len(cols))
		for i, c := range cols {
			sets[i] = c + " = ?"
		}
		q := "UPDATE " + table + " SET " + strings.Join(sets, ", ") + " WHERE " + key + " = ?"
		args := make([]any, len(cols)+1)
		for _, r := range rows {
			copy(args, r[1:])
			args[len(cols)] = r[0]
			if _, err := t.Exec(ctx, q, args...); err != nil {
				return err
			}
		}
		return nil
	}
	sets := make([]string, len(cols))
	for i, c := range cols {
		sets[i] = c + " = v." + c
	}
	names := append([]string{key}, cols...)
	per := max(1, 30000/len(names))
	for start := 0; start < len(rows); {
		n := 1
		for n*2 <= min(len(rows)-start, per) {
			n *= 2
		}
		var q strings.Builder
		q.WriteString("UPDATE " + table + " AS t SET " + strings.Join(sets, ", ") + " FROM (VALUES ")
		args := make([]any, 0, n*len(names))
		p := 0
		for i := 0; i < n; i++ {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteByte('(')
			for j := range names {
				if j > 0 {
					q.WriteString(", ")
				}
				p++
				q.WriteString("$" + strconv.Itoa(p) + "::" + types[j])
			}
			q.WriteByte(')')
			args = append(args, rows[start+i]...)
		}
		q.WriteString(") AS v(" + strings.Join(names, ", ") + ") WHERE t." + key + " = v." + key)
		// Placeholders are already numbered: bypass Rebind.
		if _, err := t.tx.ExecContext(ctx, q.String(), args...); err != nil {
			return err
		}
		start += n
	}
	return nil
}
