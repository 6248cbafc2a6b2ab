package customer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/i18n"
)

// The customer's language is what the bank writes to them in: every SMS comes from the catalogue in it. The rule
// that sets it is the least surprising one: the customer's own choice. Choosing a language in the internet branch
// while signed in stores it, and so does a login from the app, whose Accept-Language is the phone's language (a
// login from the internet branch keeps the stored one: the page's language follows the browser until the
// customer chooses, and a borrowed browser must not change what the customer's phone receives). Until then it is
// Albanian, the bank's language.

// language reads the stored value; anything but English is Albanian.
func language(v string) i18n.Lang {
	if i18n.Lang(v) == i18n.EN {
		return i18n.EN
	}
	return i18n.SQ
}

// SetLanguage stores the language the customer chose. An unknown customer is customer_not_found.
func (s *Service) SetLanguage(ctx context.Context, id string, lang i18n.Lang) error {
	lang = language(string(lang))
	res, err := s.DB.Exec(ctx, "UPDATE customers SET language = ? WHERE id = ? AND language <> ?", string(lang), id,
		string(lang))
	if err != nil {
		return fmt.Errorf("set language: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := s.Get(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// LanguageOf returns the customer's language, read in tx, for a message written in the same transaction as its
// cause. An unknown customer is customer_not_found.
func LanguageOf(ctx context.Context, tx *db.Tx, id string) (i18n.Lang, error) {
	var v string
	err := tx.QueryRow(ctx, "SELECT language FROM customers WHERE id = ?", id).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return i18n.SQ, ErrNotFound
	}
	return language(v), err
}
