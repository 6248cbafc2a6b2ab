package customer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/text"
)

// MaxSearch is the most customers one search returns; MaxSearchQuery the longest query it reads, in characters.
const (
	MaxSearch      = 50
	MaxSearchQuery = 100
)

// Search finds customers the way a member of staff asks at a counter: by client number, national ID or NIPT, by
// the IBAN of one of their accounts, by mobile number (national "069…" or international "+355 69…", as
// kyc.ParseMobile reads it), or else by name, ignoring accents and case ("Cela" finds "Çela"; every word of the
// query must be in the name). An identifier finds its one customer (or, for a mobile number, every customer with
// it); a name finds at most limit (1–MaxSearch; out of range means MaxSearch), by name. An empty query finds
// nothing; one longer than MaxSearchQuery is invalid_query.
func (s *Service) Search(ctx context.Context, query string, limit int) ([]Customer, error) {
	q := text.Clean(query)
	if utf8.RuneCountInString(q) > MaxSearchQuery {
		return nil, kumbara.ErrInvalidQuery.Field("q")
	}
	if q == "" || !text.Storable(q) {
		return nil, nil
	}
	if limit <= 0 || limit > MaxSearch {
		limit = MaxSearch
	}
	if found, ok, err := s.byIdentifier(ctx, q); ok || err != nil {
		return found, err
	}
	return s.byName(ctx, q, limit)
}

// byIdentifier finds the customers an identifier names; ok is false when q is no identifier, which makes it a name.
func (s *Service) byIdentifier(ctx context.Context, q string) (found []Customer, ok bool, err error) {
	if n, err := kyc.ParseClientNumber(q); err == nil {
		return s.all(ctx, "client_number = ?", string(n))
	}
	// A national ID and a NIPT look alike (a letter, eight digits, a check letter): one may be either.
	nid, errID := kyc.ParseNationalID(q)
	nipt, errNIPT := kyc.ParseNIPT(q)
	switch {
	case errID == nil && errNIPT == nil:
		return s.all(ctx, "national_id = ? OR nipt = ?", nid.String(), nipt.String())
	case errID == nil:
		return s.all(ctx, "national_id = ?", nid.String())
	case errNIPT == nil:
		return s.all(ctx, "nipt = ?", nipt.String())
	}
	if ib, err := iban.Parse(q); err == nil {
		return s.byIBAN(ctx, ib.String())
	}
	if m, err := kyc.ParseMobile(q); err == nil {
		return s.all(ctx, "mobile = ? ORDER BY kind DESC, client_number", m.String())
	}
	return nil, false, nil
}

// byIBAN finds the holder of the account with the IBAN: the accounts are the ledger's, which says whose it is.
func (s *Service) byIBAN(ctx context.Context, ib string) ([]Customer, bool, error) {
	a, err := (&ledger.Store{DB: s.DB}).ByIBAN(ctx, ib)
	if errors.Is(err, ledger.ErrAccountNotFound) {
		return []Customer{}, true, nil
	}
	if err != nil {
		return nil, true, err
	}
	return s.all(ctx, "id = ?", a.CustomerID)
}

// all is every customer where finds, for an identifier.
func (s *Service) all(ctx context.Context, where string, args ...any) ([]Customer, bool, error) {
	rows, err := s.DB.Query(ctx, "SELECT "+columns+" FROM customers WHERE "+where, args...)
	if err != nil {
		return nil, true, fmt.Errorf("search customers: %w", err)
	}
	found, err := db.Collect(rows, scan)
	if err != nil {
		return nil, true, fmt.Errorf("search customers: %w", err)
	}
	return found, true, nil
}

// byName finds the customers whose folded name holds every word of q, folded the same way.
func (s *Service) byName(ctx context.Context, q string, limit int) ([]Customer, error) {
	var where []string
	var args []any
	for _, word := range strings.Fields(ledger.Fold(q)) {
		where = append(where, `search_name LIKE ? ESCAPE '\'`)
		args = append(args, "%"+escapeLike(word)+"%")
	}
	rows, err := s.DB.Query(ctx, "SELECT "+columns+" FROM customers WHERE "+strings.Join(where, " AND ")+
		fmt.Sprintf(" ORDER BY search_name, client_number LIMIT %d", limit), args...)
	if err != nil {
		return nil, fmt.Errorf("search customers: %w", err)
	}
	found, err := db.Collect(rows, scan)
	if err != nil {
		return nil, fmt.Errorf("search customers: %w", err)
	}
	return found, nil
}

// searchName is what the search_name column holds: the customer's names, folded as a search folds its words.
func searchName(c Customer) string {
	return ledger.Fold(c.FirstName + " " + c.LastName + " " + c.CompanyName)
}

// escapeLike makes LIKE's wildcards in a searched word match themselves.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
