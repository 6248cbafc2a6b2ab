package app

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/kumbara/kumbara/db"
)

// loadSecret returns the configured secret, or the one a demo database was given at its first start (made up
// only when generate is set: serve --demo). A real bank passes its secret from its secret store: a secret kept in
// the database beside the data it protects would protect nothing against a copy of the database.
func loadSecret(ctx context.Context, d *db.DB, configured []byte, generate bool) ([]byte, error) {
	if configured != nil {
		if len(configured) < 32 {
			return nil, &ConfigError{Setting: "secret", Err: errors.New("want at least 32 bytes")}
		}
		return configured, nil
	}
	var stored string
	err := d.QueryRow(ctx, "SELECT value FROM settings WHERE name = 'otp_key'").Scan(&stored)
	switch {
	case errors.Is(err, sql.ErrNoRows) && !generate:
		return nil, ErrNoSecret
	case errors.Is(err, sql.ErrNoRows):
		if stored, err = makeSecret(ctx, d); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, err
	}
	k, err := hex.DecodeString(stored)
	if err != nil {
		return nil, fmt.Errorf("the secret kept in the database: %w", err)
	}
	return k, nil
}

// makeSecret makes up a demo's secret and keeps it in the database, or returns the one another instance kept
// first.
func makeSecret(ctx context.Context, d *db.DB) (string, error) {
	var k [32]byte
	if _, err := rand.Read(k[:]); err != nil {
		return "", err
	}
	stored := hex.EncodeToString(k[:])
	if _, err := d.Exec(ctx, "INSERT INTO settings (name, value) VALUES ('otp_key', ?)", stored); err != nil {
		if !db.IsUniqueViolation(err) {
			return "", err
		}
		// Another instance won the race; use its key.
		if err := d.QueryRow(ctx, "SELECT value FROM settings WHERE name = 'otp_key'").Scan(&stored); err != nil {
			return "", err
		}
	}
	return stored, nil
}
