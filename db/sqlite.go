package db

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// stmtCache keeps prepared statements by query text. It is bounded, so queries built at run time (IN lists,
// filter combinations) cannot grow it without limit: past the bound they are simply not cached.
type stmtCache struct {
	mu      sync.RWMutex
	m       map[string]*sql.Stmt
	pending map[string]bool // seen inside a transaction, to prepare once the connection is free
}

const maxCachedStatements = 2000

// get returns a prepared statement for q on pool, or nil when caching does not apply (PostgreSQL, whose driver
// caches statements itself, or a full cache). A failed prepare also returns nil: the caller runs the query
// unprepared and reports the real error.
func (c *stmtCache) get(ctx context.Context, d *DB, pool *sql.DB, q string) *sql.Stmt {
	return c.lookup(ctx, d, pool, q, true)
}

// inTx is get for a statement inside a transaction. SQLite's writer pool has one connection, held by the
// transaction, so preparing now would wait for itself: a miss is noted and prepared after the commit.
func (c *stmtCache) inTx(d *DB, q string) *sql.Stmt {
	return c.lookup(context.Background(), d, nil, q, false)
}

// preparePending prepares the statements transactions missed.
func (c *stmtCache) preparePending(ctx context.Context, d *DB, pool *sql.DB) {
	c.mu.Lock()
	qs := make([]string, 0, len(c.pending))
	for q := range c.pending {
		qs = append(qs, q)
	}
	c.pending = nil
	c.mu.Unlock()
	for _, q := range qs {
		c.lookup(ctx, d, pool, q, true)
	}
}

func (c *stmtCache) lookup(ctx context.Context, d *DB, pool *sql.DB, q string, prepare bool) *sql.Stmt {
	if d.Engine != SQLite {
		return nil
	}
	c.mu.RLock()
	st, ok := c.m[q]
	n := len(c.m)
	c.mu.RUnlock()
	if ok {
		return st
	}
	if n >= maxCachedStatements {
		return nil
	}
	if !prepare {
		c.mu.Lock()
		if c.pending == nil {
			c.pending = map[string]bool{}
		}
		if len(c.pending) < maxCachedStatements {
			c.pending[q] = true
		}
		c.mu.Unlock()
		return nil
	}
	st, err := pool.PrepareContext(context.WithoutCancel(ctx), q)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[q]; ok {
		st.Close()
		return old
	}
	c.m[q] = st
	return st
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.m {
		st.Close()
		delete(c.m, q)
	}
}

// startCheckpointer copies the WAL back into the database file from its own connection, so the writer's commits
// never wait for it. PASSIVE checkpoints run beside readers and the writer. Once the WAL has grown past walLimit (a
// burst of writes, or readers that kept an old snapshot while it was being copied) a TRUNCATE checkpoint empties the
// file (see truncateWAL for when): it holds writers back while the last readers of the old snapshot finish, and
// gives up after a short busy timeout to try again on the next tick rather than stall them.
func (d *DB) startCheckpointer(path string, walLimit int64) error {
	c, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(250)&_pragma=journal_mode(WAL)")
	if err != nil {
		return err
	}
	c.SetMaxOpenConns(1)
	var pageSize int64
	if err := c.QueryRow("PRAGMA page_size").Scan(&pageSize); err != nil {
		c.Close()
		return fmt.Errorf("sqlite page size: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer c.Close()
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				// A last full checkpoint leaves a compact database file behind; nothing else writes any more, so
				// it may wait for the last readers.
				_, _ = c.Exec("PRAGMA busy_timeout = 10000")
				_, _ = c.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
				return
			case <-t.C:
			}
			var busy, logPages, done int
			if err := c.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &logPages, &done); err != nil {
				if ctx.Err() == nil {
					d.log.Warn("sqlite checkpoint", slog.String("error", err.Error()))
				}
				continue
			}
			if truncateWAL(int64(logPages)*pageSize, logPages == done, walLimit) {
				_, _ = c.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
			}
		}
	}()
	d.stopCkpt = func() { cancel(); <-done }
	return nil
}

// truncateWAL decides whether the checkpointer empties a WAL of size bytes. Under the limit it never does. Past it,
// it waits for a PASSIVE checkpoint that caught up (every frame copied back): a TRUNCATE then only has to wait
// for readers still on an old snapshot, which finish within a request, so the writer is barely held back. A WAL
// that never catches up under a steady load is truncated anyway once it is four times its limit, so its size
// stays bounded at the price of one short stall.
func truncateWAL(size int64, caughtUp bool, limit int64) bool {
	switch {
	case size <= limit:
		return false
	case caughtUp:
		return true
	default:
		return size > 4*limit
	}
}
