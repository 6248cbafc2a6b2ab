// Package terms keeps the demo bank's Terms & Conditions of electronic banking and its privacy policy, and records
// which version of the terms each customer accepted (FEATURES P1, P13). A customer must accept the current
// version before using the internet branch; publishing a new version asks everyone again, and every acceptance
// stays on record.
//
// The texts are embedded HTML fragments, one directory per version (docs/<version>/<document>.<lang>.html), so
// the exact words a customer agreed to remain available after a new version replaces them.
package terms

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/text"
)

// Current is the version of the terms in force. Publishing a new version means adding docs/<version>/ with every
// document in both languages and changing this constant; every customer is then asked to accept again.
const Current = "2026-01"

// Doc names one of the documents of a version.
type Doc string

const (
	Individual Doc = "individual" // terms for individual customers
	Business   Doc = "business"   // terms for business customers and their authorised users
	Privacy    Doc = "privacy"    // the privacy policy: published, not accepted
)

// Docs lists every document a version must have.
var Docs = []Doc{Individual, Business, Privacy}

// Langs are the languages every document is written in; Albanian is the binding one.
var Langs = []string{"sq", "en"}

//go:embed docs
var docs embed.FS

// Document returns one document of a version as an HTML fragment (headings from h2 down, paragraphs and lists;
// no script or style, so a page under a strict Content-Security-Policy can include it as it is). A language other
// than English gets Albanian.
func Document(version string, doc Doc, lang string) (string, error) {
	if lang != "en" {
		lang = "sq"
	}
	notFound := kumbara.ErrNotFound.With("terms %s %s", version, doc)
	// Only names from the fixed lists reach the file system, so a caller cannot read other embedded files.
	if !knownDoc(doc) || strings.ContainsAny(version, "/\\.") || version == "" {
		return "", notFound
	}
	b, err := fs.ReadFile(docs, "docs/"+version+"/"+string(doc)+"."+lang+".html")
	if errors.Is(err, fs.ErrNotExist) {
		return "", notFound
	}
	if err != nil {
		return "", fmt.Errorf("terms: %w", err)
	}
	return string(b), nil
}

func knownDoc(d Doc) bool {
	for _, k := range Docs {
		if k == d {
			return true
		}
	}
	return false
}

// Versions returns every version whose texts are embedded, oldest first.
func Versions() []string {
	entries, _ := fs.ReadDir(docs, "docs") // the directory is embedded, so reading it cannot fail
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	return out
}

// Page is the address at which the internet branch shows a document of the version in force, to anyone, logged
// in or not (P13): the address the API gives the app to open in a browser, so the two cannot disagree.
func Page(doc Doc) string {
	if doc == Privacy {
		return "/privacy"
	}
	return "/terms/" + string(doc)
}

// ForKind is the terms document for a customer kind ("individual" or "business", as package customer names them).
func ForKind(kind string) Doc {
	if kind == string(Business) {
		return Business
	}
	return Individual
}

// Acceptance is one customer's acceptance of one version.
type Acceptance struct {
	Version    string
	Document   Doc
	AcceptedAt time.Time
}

// Service records acceptances.
type Service struct {
	DB *db.DB
	// Version is the version customers must accept; empty means Current. Tests set it to play a new release.
	Version string

	mu       sync.Mutex
	accepted map[acceptance]struct{} // the yeses Accepted has read; at most maxRemembered
}

// acceptance is one customer's acceptance of one version, as Accepted remembers it.
type acceptance struct{ customerID, version string }

// maxRemembered bounds the acceptances remembered; past it, they are forgotten and read again.
const maxRemembered = 100000

// CurrentVersion is the version customers must have accepted.
func (s *Service) CurrentVersion() string {
	if s.Version != "" {
		return s.Version
	}
	return Current
}

// Accepted reports whether the customer has accepted the current version. The session gate asks it on every
// banking request, so a yes is remembered: an acceptance is never withdrawn, and a new version is another key, so
// a remembered yes is never wrong, on any instance. A no is always read again, so the acceptance counts at once.
func (s *Service) Accepted(ctx context.Context, customerID string) (bool, error) {
	if !text.Storable(customerID) {
		return false, nil
	}
	key := acceptance{customerID, s.CurrentVersion()}
	if s.remembered(key) {
		return true, nil
	}
	var one int
	err := s.DB.QueryRow(ctx, "SELECT 1 FROM terms_acceptances WHERE customer_id = ? AND version = ?",
		key.customerID, key.version).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("terms accepted: %w", err)
	}
	s.remember(key)
	return true, nil
}

func (s *Service) remembered(key acceptance) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.accepted[key]
	return ok
}

func (s *Service) remember(key acceptance) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.accepted == nil || len(s.accepted) >= maxRemembered {
		s.accepted = map[acceptance]struct{}{}
	}
	s.accepted[key] = struct{}{}
}

// Accept records that the customer accepted version at now. Only the current version can be accepted: a page
// shown before a new version was published must not count as agreement to words the customer never saw.
// Accepting the same version again changes nothing, so the first time stays on record.
func (s *Service) Accept(ctx context.Context, customerID, version string, now time.Time) error {
	if version != s.CurrentVersion() {
		return kumbara.ErrValidationFailed.WithFields(ErrVersionNotCurrent.At("version"))
	}
	if !text.Storable(customerID) {
		return customer.ErrNotFound
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		kind, err := customer.KindOf(ctx, tx, customerID)
		if err != nil {
			return fmt.Errorf("terms accept: %w", err)
		}
		// ON CONFLICT … DO NOTHING is the same on both engines, and keeps a double click from failing.
		res, err := tx.Exec(ctx, `INSERT INTO terms_acceptances (customer_id, version, document, accepted_at)
			VALUES (?, ?, ?, ?) ON CONFLICT (customer_id, version) DO NOTHING`,
			customerID, version, string(ForKind(kind)), db.Micros(now))
		if err != nil {
			return fmt.Errorf("terms accept: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // accepted before: the first acceptance is the one on record
		}
		return audit.Append(ctx, tx, now, audit.Stamp(ctx, audit.Entry{Actor: audit.Customer(customerID),
			Action: ActionAccepted, CustomerID: customerID, Result: audit.ResultOK,
			After: audit.State(map[string]string{"version": version, "document": string(ForKind(kind))})}))
	})
}

// History returns every acceptance of the customer, newest first.
func (s *Service) History(ctx context.Context, customerID string) ([]Acceptance, error) {
	if !text.Storable(customerID) {
		return nil, nil
	}
	rows, err := s.DB.Query(ctx, `SELECT version, document, accepted_at FROM terms_acceptances WHERE customer_id = ?
		ORDER BY accepted_at DESC, version DESC`, customerID)
	if err != nil {
		return nil, fmt.Errorf("terms history: %w", err)
	}
	out, err := db.Collect(rows, func(r db.Scanner) (Acceptance, error) {
		var a Acceptance
		var doc string
		var at int64
		err := r.Scan(&a.Version, &doc, &at)
		a.Document, a.AcceptedAt = Doc(doc), db.FromMicros(at)
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("terms history: %w", err)
	}
	return out, nil
}

// ActionAccepted is the audit action of a customer accepting a version of the terms.
const ActionAccepted = "terms.accepted"
