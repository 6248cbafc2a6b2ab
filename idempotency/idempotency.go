// Package idempotency keeps the keys that make money-moving requests idempotent (the table idempotency_keys): a
// request's scope key (say customer/transfer/key), a hash of its content and the id of what it created. A repeat
// with the same content finds the first result; the same key with other content is a conflict. The same keys are
// used inside a plain transaction (Find, Claim) and inside a ledger batch (Read, Insert), which finds them under
// its locks and writes them with its postings.
package idempotency

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kumbara/kumbara/db"
)

// Key is a stored key.
type Key struct {
	Scope      string
	Hash       string // of the request's content
	ResourceID string // what the first request created
}

// Replay answers a request whose content hashes to hash under k: the first request's resource, or ErrReused.
func (k Key) Replay(hash string) (string, error) {
	if k.Hash != hash {
		return "", ErrReused
	}
	return k.ResourceID, nil
}

// querier reads one row: the database outside a transaction, or a transaction.
type querier interface {
	QueryRow(ctx context.Context, q string, args ...any) *sql.Row
}

// Find looks scope up for a request whose content hashes to hash: found is false when no request used it.
func Find(ctx context.Context, q querier, scope, hash string) (resourceID string, found bool, err error) {
	var k Key
	err = q.QueryRow(ctx, "SELECT request_hash, resource_id FROM idempotency_keys WHERE scope_key = ?", scope).
		Scan(&k.Hash, &k.ResourceID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("idempotency: %w", err)
	}
	id, err := k.Replay(hash)
	return id, err == nil, err
}

// Claim records scope in tx for the request that creates resourceID, unless a request used it already: then it
// returns that request's resource (replayID) or ErrReused, and records nothing. Two transactions claiming one scope
// at once cannot both commit: the second fails on the key (a unique violation).
func Claim(ctx context.Context, tx *db.Tx, scope, hash, resourceID string, now time.Time) (replayID string, err error) {
	id, found, err := Find(ctx, tx, scope, hash)
	if err != nil || found {
		return id, err
	}
	_, err = tx.Exec(ctx, "INSERT INTO idempotency_keys (scope_key, request_hash, resource_id, created_at) VALUES (?, ?, ?, ?)",
		scope, hash, resourceID, db.Micros(now))
	return "", err
}

// Read is the query of a pipelined transaction that loads the keys of scopes; each is called for every one found.
func Read(d *db.DB, scopes []string, each func(Key)) db.Read {
	in, args := d.In("scope_key", scopes)
	return db.Read{SQL: "SELECT scope_key, request_hash, resource_id FROM idempotency_keys WHERE " + in, Args: args,
		Each: func(r db.Scanner) error {
			var k Key
			if err := r.Scan(&k.Scope, &k.Hash, &k.ResourceID); err != nil {
				return fmt.Errorf("idempotency keys: %w", err)
			}
			each(k)
			return nil
		}}
}

// Insert returns the statements that store keys, created at now.
func Insert(d *db.DB, keys []Key, now time.Time) []db.Stmt {
	rows := make([][]any, len(keys))
	for i, k := range keys {
		rows[i] = []any{k.Scope, k.Hash, k.ResourceID, db.Micros(now)}
	}
	return d.InsertRows("idempotency_keys", []string{"scope_key", "request_hash", "resource_id", "created_at"}, rows)
}
