package terms_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/terms"
)

var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

// handler finds inline event handler attributes such as onclick=.
var handler = regexp.MustCompile(`(?i)<[^>]*\son[a-z]+\s*=`)

type fixture struct {
	ctx context.Context
	d   *db.DB
	cs  *customer.Service
	n   int
}

func newFixture(d *db.DB) *fixture {
	return &fixture{ctx: context.Background(), d: d, cs: &customer.Service{DB: d, Clock: clock.NewFake(t0),
		Bank: customer.Bank{Name: "Banka Kumbara", Code: "999", Branch: "0001", BIC: "KUMBALT0XXX"}}}
}

func (f *fixture) person(t *testing.T) string {
	t.Helper()
	f.n++
	birth := time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 97*f.n)
	c, err := f.cs.CreateIndividual(f.ctx, customer.NewIndividual{FirstName: "Ana", LastName: "Kola",
		NationalID: kyc.NewNationalID(birth, true, 100+f.n).String(), Mobile: fmt.Sprintf("+3556910000%02d", f.n)})
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

func (f *fixture) business(t *testing.T, rep string) string {
	t.Helper()
	c, err := f.cs.CreateBusiness(f.ctx, customer.NewBusiness{NIPT: string(kyc.NewNIPT('L', 22345678)),
		CompanyName: "Furra Shpk", Mobile: "+355692000000", Representatives: []string{rep}})
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

func accepted(t *testing.T, f *fixture, s *terms.Service, id string) bool {
	t.Helper()
	ok, err := s.Accepted(f.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

func TestACustomerHasNotAcceptedUntilTheyAcceptTheCurrentVersion(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(d)
		s := &terms.Service{DB: d}
		id, other := f.person(t), f.person(t)
		if accepted(t, f, s, id) {
			t.Fatal("a new customer has accepted the terms")
		}
		if err := s.Accept(f.ctx, id, terms.Current, t0); err != nil {
			t.Fatal(err)
		}
		if !accepted(t, f, s, id) {
			t.Fatal("not accepted after Accept")
		}
		if accepted(t, f, s, other) {
			t.Fatal("one customer's acceptance counted for another")
		}
	})
}

func TestAcceptingTwiceKeepsTheFirstRecord(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(d)
		s := &terms.Service{DB: d}
		id := f.person(t)
		for _, at := range []time.Time{t0, t0.Add(time.Hour)} {
			if err := s.Accept(f.ctx, id, terms.Current, at); err != nil {
				t.Fatalf("accept at %v: %v", at, err)
			}
		}
		h, err := s.History(f.ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		want := []terms.Acceptance{{Version: terms.Current, Document: terms.Individual, AcceptedAt: t0}}
		if !slices.Equal(h, want) {
			t.Fatalf("history %+v, want %+v", h, want)
		}
	})
}

func TestANewVersionMustBeAcceptedAgainAndTheOldAcceptanceStaysOnRecord(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(d)
		id := f.person(t)
		old := &terms.Service{DB: d, Version: "2025-07"}
		if err := old.Accept(f.ctx, id, "2025-07", t0); err != nil {
			t.Fatal(err)
		}
		next := &terms.Service{DB: d, Version: "2026-09"}
		if accepted(t, f, next, id) {
			t.Fatal("an acceptance of the old version counts for the new one")
		}
		later := t0.AddDate(0, 6, 0)
		if err := next.Accept(f.ctx, id, "2026-09", later); err != nil {
			t.Fatal(err)
		}
		if !accepted(t, f, next, id) || !accepted(t, f, old, id) {
			t.Fatal("acceptances of both versions should stand")
		}
		h, err := next.History(f.ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		want := []terms.Acceptance{
			{Version: "2026-09", Document: terms.Individual, AcceptedAt: later},
			{Version: "2025-07", Document: terms.Individual, AcceptedAt: t0},
		}
		if !slices.Equal(h, want) {
			t.Fatalf("history %+v, want newest first %+v", h, want)
		}
	})
}

func TestAcceptRefuses(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(d)
		s := &terms.Service{DB: d}
		id := f.person(t)
		tests := []struct {
			name, customer, version string
			kind                    kumbara.Kind
			code                    string
		}{
			{"a version that is not the current one", id, "2025-01", kumbara.KindInvalid, "validation_failed"},
			{"an empty version", id, "", kumbara.KindInvalid, "validation_failed"},
			{"an unknown customer", "0190a4c2-0000-7000-8000-000000000000", terms.Current, kumbara.KindNotFound, "customer_not_found"},
			{"an id no customer can have", "bad\x00id\xff", terms.Current, kumbara.KindNotFound, "customer_not_found"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := s.Accept(f.ctx, tt.customer, tt.version, t0)
				if kumbara.KindOf(err) != tt.kind || kumbara.CodeOf(err) != tt.code {
					t.Fatalf("Accept = %v, want %v %s", err, tt.kind, tt.code)
				}
			})
		}
		if accepted(t, f, s, id) {
			t.Fatal("a refused acceptance was recorded")
		}
		if ok, err := s.Accepted(f.ctx, "bad\x00id\xff"); ok || err != nil {
			t.Fatalf("Accepted(bad id) = %v, %v", ok, err)
		}
	})
}

func TestABusinessAcceptsTheBusinessTerms(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(d)
		s := &terms.Service{DB: d}
		biz := f.business(t, f.person(t))
		if err := s.Accept(f.ctx, biz, terms.Current, t0); err != nil {
			t.Fatal(err)
		}
		h, err := s.History(f.ctx, biz)
		if err != nil {
			t.Fatal(err)
		}
		if len(h) != 1 || h[0].Document != terms.Business {
			t.Fatalf("history %+v, want the business document", h)
		}
	})
}

func TestEveryVersionHasEveryDocumentInBothLanguages(t *testing.T) {
	versions := terms.Versions()
	if !slices.Contains(versions, terms.Current) {
		t.Fatalf("the current version %s has no texts (have %v)", terms.Current, versions)
	}
	for _, v := range versions {
		for _, doc := range terms.Docs {
			texts := map[string]string{}
			for _, lang := range terms.Langs {
				text, err := terms.Document(v, doc, lang)
				if err != nil {
					t.Fatalf("%s/%s/%s: %v", v, doc, lang, err)
				}
				texts[lang] = text
				// The pages include the text as it is under a CSP that forbids inline script and style.
				for _, bad := range []string{"<script", "style=", "<style", "javascript:", "<h1"} {
					if strings.Contains(strings.ToLower(text), bad) {
						t.Errorf("%s/%s/%s contains %q", v, doc, lang, bad)
					}
				}
				if handler.MatchString(text) {
					t.Errorf("%s/%s/%s has an inline event handler", v, doc, lang)
				}
				// The page gives the h1; a document starts its sections at h2.
				if !strings.Contains(text, `class="pr-doc-demo"`) {
					t.Errorf("%s/%s/%s does not say it is the demo bank's", v, doc, lang)
				}
				if !strings.Contains(text, v) {
					t.Errorf("%s/%s/%s does not state its version", v, doc, lang)
				}
			}
			if !strings.ContainsAny(texts["sq"], "ëç") || texts["sq"] == texts["en"] {
				t.Errorf("%s/%s: the Albanian text does not look Albanian", v, doc)
			}
			// The two languages must say the same things: the same sections in the same order.
			if a, b := strings.Count(texts["sq"], "<h2>"), strings.Count(texts["en"], "<h2>"); a != b || a == 0 {
				t.Errorf("%s/%s: %d sections in Albanian, %d in English", v, doc, a, b)
			}
		}
	}
}

func TestDocument(t *testing.T) {
	tests := []struct {
		name, version string
		doc           terms.Doc
		lang          string
		wantErr       bool
		contains      string
	}{
		{"albanian individual terms", terms.Current, terms.Individual, "sq", false, "Bankë demonstruese"},
		{"english business terms", terms.Current, terms.Business, "en", false, "Authorised users"},
		{"another language reads albanian", terms.Current, terms.Privacy, "de", false, "Bankë demonstruese"},
		{"an unknown version", "1999-01", terms.Individual, "sq", true, ""},
		{"an unknown document", terms.Current, terms.Doc("secret"), "sq", true, ""},
		{"a path outside the documents", "../docs", terms.Individual, "sq", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, err := terms.Document(tt.version, tt.doc, tt.lang)
			if tt.wantErr {
				if kumbara.KindOf(err) != kumbara.KindNotFound {
					t.Fatalf("Document = %v, want not found", err)
				}
				return
			}
			if err != nil || !strings.Contains(text, tt.contains) {
				t.Fatalf("Document = %v, does not contain %q", err, tt.contains)
			}
		})
	}
}

func TestForKind(t *testing.T) {
	for kind, want := range map[string]terms.Doc{customer.Individual: terms.Individual,
		customer.Business: terms.Business, "": terms.Individual} {
		if got := terms.ForKind(kind); got != want {
			t.Errorf("ForKind(%q) = %q, want %q", kind, got, want)
		}
	}
}

// The session gate asks Accepted on every banking request: a yes is remembered (an acceptance is never withdrawn),
// a no is read again so an acceptance counts at once, and the version in force is part of what is remembered.
func TestAYesIsRememberedForItsVersionAndANoIsReadAgain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(d)
		s := &terms.Service{DB: d}
		id := f.person(t)
		if accepted(t, f, s, id) {
			t.Fatal("a new customer has accepted the terms")
		}
		if err := s.Accept(f.ctx, id, terms.Current, t0); err != nil {
			t.Fatal(err)
		}
		if !accepted(t, f, s, id) {
			t.Fatal("a no was remembered: the acceptance does not count")
		}
		// Only a test takes an acceptance back: the service that read the yes does not ask again.
		if _, err := d.Exec(f.ctx, "DELETE FROM terms_acceptances WHERE customer_id = ?", id); err != nil {
			t.Fatal(err)
		}
		if !accepted(t, f, s, id) {
			t.Fatal("the yes was not remembered")
		}
		if accepted(t, f, &terms.Service{DB: d}, id) {
			t.Fatal("another instance remembers what it never read")
		}
		s.Version = "2099-01"
		if accepted(t, f, s, id) {
			t.Fatal("a yes to one version was remembered for another")
		}
	})
}
