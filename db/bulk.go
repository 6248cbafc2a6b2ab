package db

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Stmt is one write statement with '?' placeholders.
type Stmt struct {
	SQL  string
	Args []any
}

// Scanner reads one row (both *sql.Rows and pgx.Rows are scanners).
type Scanner interface {
	Scan(dest ...any) error
}

// Read is a query of a pipelined transaction; Each is called for every row.
type Read struct {
	SQL  string
	Args []any
	Each func(Scanner) error
}

// PipelinedTx runs one write transaction shaped as "read, decide, write": reads() gives the queries (row locks
// included), write() decides from what they returned and gives the statements to write; then it commits. On
// PostgreSQL that is two round trips in all — BEGIN with every read in one pipeline, every write with COMMIT in
// another — because round trips, not the server's work, bound a group commit there. On SQLite it is an ordinary
// transaction. Serialization failures and deadlocks retry the whole thing, so reads and write must be repeatable.
func (d *DB) PipelinedTx(ctx context.Context, reads func() []Read, write func() ([]Stmt, error)) error {
	if d.Engine != Postgres {
		return d.InTx(ctx, func(tx *Tx) error {
			for _, r := range reads() {
				if err := tx.each(ctx, r); err != nil {
					return err
				}
			}
			stmts, err := write()
			if err != nil {
				return err
			}
			for _, s := range stmts {
				if _, err := tx.Exec(ctx, s.SQL, s.Args...); err != nil {
					return err
				}
			}
			return nil
		})
	}
	err := d.retry(ctx, func() error { return d.pipelinedOnce(ctx, reads, write) })
	noteWrite(ctx, err)
	return err
}

func (t *Tx) each(ctx context.Context, r Read) error {
	rows, err := t.Query(ctx, r.SQL, r.Args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := r.Each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (d *DB) pipelinedOnce(ctx context.Context, reads func() []Read, write func() ([]Stmt, error)) error {
	conn, release, err := d.acquire(ctx)
	if err != nil {
		return err
	}
	defer release()
	ctx, cancel := d.bounded(ctx)
	defer cancel()
	return conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		rollback := func(cause error) error {
			// After a failed statement the server ignores the rest of the pipeline: the transaction must be
			// ended explicitly. If even that fails, database/sql discards the connection (it is not idle).
			_, _ = pc.Exec(context.WithoutCancel(ctx), "ROLLBACK")
			return cause
		}
		rs := reads()
		b := &pgx.Batch{}
		b.Queue("BEGIN")
		for _, r := range rs {
			b.Queue(RebindFor(Postgres, r.SQL), r.Args...)
		}
		// Until the second pipeline is sent, no COMMIT is: whatever fails, nothing is written.
		br := pc.SendBatch(ctx, b)
		if _, err := br.Exec(); err != nil {
			br.Close()
			return rollback(fault(NothingWritten, err))
		}
		for _, r := range rs {
			if err := eachPgx(br, r); err != nil {
				br.Close()
				return rollback(fault(NothingWritten, err))
			}
		}
		if err := br.Close(); err != nil {
			return rollback(fault(NothingWritten, err))
		}
		stmts, err := write()
		if err != nil {
			return rollback(err)
		}
		if err := ctx.Err(); err != nil {
			return rollback(&Fault{Outcome: NothingWritten, Err: err})
		}
		b = &pgx.Batch{}
		for _, s := range stmts {
			b.Queue(RebindFor(Postgres, s.SQL), s.Args...)
		}
		b.Queue("COMMIT")
		apply, injected := d.injectedCommit()
		if !apply {
			return rollback(&Fault{Outcome: OutcomeUnknown, Err: fmt.Errorf("commit: %w", injected)})
		}
		br = pc.SendBatch(ctx, b)
		for range b.QueuedQueries {
			if _, err := br.Exec(); err != nil {
				br.Close()
				// The server answering with an error means the COMMIT did not apply; losing the connection or
				// the deadline passing with the pipeline on its way leaves it unknown.
				return rollback(d.commitFault(err))
			}
		}
		if err := br.Close(); err != nil {
			return rollback(d.commitFault(err))
		}
		if injected != nil {
			return &Fault{Outcome: OutcomeUnknown, Err: fmt.Errorf("commit: %w", injected)}
		}
		return nil
	})
}

func eachPgx(br pgx.BatchResults, r Read) error {
	rows, err := br.Query()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := r.Each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// InsertRows returns the statements that insert rows into table. On PostgreSQL it is one INSERT … SELECT FROM
// unnest(arrays), whose text does not depend on the number of rows, so it is prepared once; values must be
// strings, int64s or nil (NULL). On SQLite it is multi-row INSERTs in power-of-two chunks, which keeps the set of
// statement texts small enough to stay prepared.
func (d *DB) InsertRows(table string, cols []string, rows [][]any) []Stmt {
	if len(rows) == 0 {
		return nil
	}
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") "
	if d.Engine == Postgres {
		arrays, types := d.columnArrays(table, cols, rows)
		casts := make([]string, len(cols))
		for i := range cols {
			casts[i] = "?::" + types[i] + "[]"
		}
		return []Stmt{{SQL: head + "SELECT * FROM unnest(" + strings.Join(casts, ", ") + ")", Args: arrays}}
	}
	var out []Stmt
	maxPer := max(1, 30000/len(cols))
	tuple := "(" + Placeholders(len(cols)) + ")"
	for start := 0; start < len(rows); {
		n := 1
		for n*2 <= min(len(rows)-start, maxPer) {
			n *= 2
		}
		part := rows[start : start+n]
		start += n
		var q strings.Builder
		q.WriteString(head + "VALUES ")
		args := make([]any, 0, len(part)*len(cols))
		for i, r := range part {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString(tuple)
			args = append(args, r...)
		}
		out = append(out, Stmt{SQL: q.String(), Args: args})
	}
	return out
}

// columnArrays turns rows into one array per column for unnest, typed as the table's columns are (read once
// from the catalogue), so a column of NULLs still gets the right type.
func (d *DB) columnArrays(table string, cols []string, rows [][]any) ([]any, []string) {
	colTypes := d.pgColumnTypes(table)
	arrays := make([]any, len(cols))
	types := make([]string, len(cols))
	for c, name := range cols {
		if colTypes[name] == "bigint" || colTypes[name] == "integer" {
			vals := make([]*int64, len(rows))
			for i, r := range rows {
				switch v := r[c].(type) {
				case int64:
					vals[i] = &v
				case int:
					n := int64(v)
					vals[i] = &n
				}
			}
			arrays[c], types[c] = vals, colTypes[name]
			if colTypes[name] == "integer" {
				types[c] = "bigint"
			}
			continue
		}
		vals := make([]*string, len(rows))
		for i, r := range rows {
			if v, ok := r[c].(string); ok {
				vals[i] = &v
			}
		}
		arrays[c], types[c] = vals, "text"
	}
	return arrays, types
}

// pgColumnTypes returns the data types of a table's columns. They are loaded at start (LoadColumnTypes); a table
// missing from them (created since) is read from the catalogue on first use, and kept only if it was read whole
// and found: an incomplete or empty map kept for good would send its columns as text from then on.
func (d *DB) pgColumnTypes(table string) map[string]string {
	d.mu.RLock()
	m, ok := d.colTypes[table]
	d.mu.RUnlock()
	if ok {
		return m
	}
	// Unknown types are sent as text: the statement then fails loudly rather than writing wrongly.
	read, err := d.readColumnTypes(context.Background(), table)
	if m = read[table]; err != nil || len(m) == 0 {
		return m
	}
	d.mu.Lock()
	if d.colTypes == nil {
		d.colTypes = map[string]map[string]string{}
	}
	d.colTypes[table] = m
	d.mu.Unlock()
	return m
}

// LoadColumnTypes reads the data types of every column of the schema on PostgreSQL, for the bulk statements
// (Migrate calls it, so a bank starts with them). It replaces what was known only when the whole read succeeded.
func (d *DB) LoadColumnTypes(ctx context.Context) error {
	if d.Engine != Postgres {
		return nil
	}
	m, err := d.readColumnTypes(ctx, "")
	if err != nil {
		return fmt.Errorf("column types: %w", err)
	}
	d.mu.Lock()
	d.colTypes = m
	d.mu.Unlock()
	return nil
}

// readColumnTypes reads the column types of one table, or of all ("").
func (d *DB) readColumnTypes(ctx context.Context, table string) (map[string]map[string]string, error) {
	q := `SELECT table_name, column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND ($1::text = '' OR table_name = $1::text)`
	rows, err := d.read.QueryContext(ctx, q, table)
	if err != nil {
		return nil, err
	}
	cols, err := Collect(rows, func(r Scanner) (column, error) {
		var c column
		err := r.Scan(&c.table, &c.name, &c.typ)
		return c, err
	})
	if err != nil {
		return nil, err
	}
	m := map[string]map[string]string{}
	for _, c := range cols {
		if m[c.table] == nil {
			m[c.table] = map[string]string{}
		}
		m[c.table][c.name] = c.typ
	}
	return m, nil
}

type column struct{ table, name, typ string }

// UpdateRows returns the statements that set columns of many rows found by key; rows[i] holds the key, then one
// value per column (strings, int64s or nil). On PostgreSQL it is one UPDATE … FROM unnest(arrays), prepared once;
// on SQLite one prepared UPDATE per row (no round trips to save there).
func (d *DB) UpdateRows(table, key string, cols []string, rows [][]any) []Stmt {
	if len(rows) == 0 {
		return nil
	}
	if d.Engine != Postgres {
		sets := make([]string, len(cols))
		for i, c := range cols {
			sets[i] = c + " = ?"
		}
		q := "UPDATE " + table + " SET " + strings.Join(sets, ", ") + " WHERE " + key + " = ?"
		out := make([]Stmt, len(rows))
		for i, r := range rows {
			args := make([]any, 0, len(r))
			args = append(args, r[1:]...)
			out[i] = Stmt{SQL: q, Args: append(args, r[0])}
		}
		return out
	}
	names := append([]string{key}, cols...)
	arrays, types := d.columnArrays(table, names, rows)
	casts := make([]string, len(names))
	for i := range names {
		casts[i] = "?::" + types[i] + "[]"
	}
	sets := make([]string, len(cols))
	for i, c := range cols {
		sets[i] = c + " = v." + c
	}
	q := "UPDATE " + table + " AS t SET " + strings.Join(sets, ", ") + " FROM unnest(" + strings.Join(casts, ", ") +
		") AS v(" + strings.Join(names, ", ") + ") WHERE t." + key + " = v." + key
	return []Stmt{{SQL: q, Args: arrays}}
}

// In returns a condition "col is one of keys" and its arguments. On PostgreSQL it is col = ANY(array), one
// statement text for any number of keys; on SQLite an IN list padded to a power of two (repeating the last key),
// so only a few texts exist and all stay prepared.
func (d *DB) In(col string, keys []string) (string, []any) {
	if d.Engine == Postgres {
		return col + " = ANY(?::text[])", []any{keys}
	}
	n := 1
	for n < len(keys) {
		n *= 2
	}
	args := make([]any, n)
	for i := range args {
		args[i] = keys[min(i, len(keys)-1)]
	}
	return col + " IN (" + Placeholders(n) + ")", args
}
