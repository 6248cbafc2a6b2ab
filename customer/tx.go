package customer

import (
	"context"
	"database/sql"
	"errors"

	"github.com/kumbara/kumbara/db"
)

// Lock takes the customer's row lock in tx: the one lock under which everything counted or limited per customer is
// counted (codes sent, devices, passkeys, unique codes, payment challenges), so concurrent requests cannot together
// pass a limit. It is FOR NO KEY UPDATE on PostgreSQL: lockers still exclude each other, but the inserts that
// reference the customer by foreign key (a ledger batch writing a transfer) never wait on it. An unknown customer is
// customer_not_found.
func Lock(ctx context.Context, tx *db.Tx, id string) error {
	var one int
	err := tx.QueryRow(ctx, "SELECT 1 FROM customers WHERE id = ?"+tx.DB().ForNoKeyUpdate(), id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// KindOf returns whether the customer is an Individual or a Business, read in tx.
func KindOf(ctx context.Context, tx *db.Tx, id string) (string, error) {
	var kind string
	err := tx.QueryRow(ctx, "SELECT kind FROM customers WHERE id = ?", id).Scan(&kind)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return kind, err
}

// Represents reports whether the individual personID represents the business businessID, read in tx.
func Represents(ctx context.Context, tx *db.Tx, businessID, personID string) (bool, error) {
	var one int
	err := tx.QueryRow(ctx, "SELECT 1 FROM business_representatives WHERE business_id = ? AND person_id = ?",
		businessID, personID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}
