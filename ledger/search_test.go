package ledger_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/ledger"
)

func TestFoldIgnoresAccentsAndCase(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"Çela", "cela"},
		{"ÇELA", "cela"},
		{"cela", "cela"},
		{"Pagesë për Shërbimin e ujit", "pagese per sherbimin e ujit"},
		{"ËMBËLSIRA", "embelsira"},
		{"Ça va, garçon? Où? Über Ærø", "ca va, garcon? ou? uber æro"},
		{"Łódź, Đakovo, Ħamrun, Târgu Mureș", "lodz, dakovo, hamrun, targu mures"},
		{"e\u0308 (decomposed ë)", "e (decomposed e)"},
		{"AL35 2021 1109", "al35 2021 1109"},
		{"100% i_tarifës", "100% i_tarifes"},
		{"Σοφία", "σοφια"},
		{"", ""},
	} {
		if got := ledger.Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"Çela", "Shërbimi", "e\u0308", "ǅ", "\xff", "İstanbul"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := ledger.Fold(s)
		if again := ledger.Fold(once); again != once {
			t.Errorf("Fold is not stable on %q: %q then %q", s, once, again)
		}
		if utf8.ValidString(s) && !utf8.ValidString(once) {
			t.Errorf("Fold(%q) = %q is not UTF-8", s, once)
		}
	})
}

// refoldPairs reads the letters migration 00021 folds in SQL.
func refoldPairs(t *testing.T) [][2]string {
	t.Helper()
	b, err := os.ReadFile("../db/migrations/00021_history_search_fold.sql")
	if err != nil {
		t.Fatal(err)
	}
	var pairs [][2]string
	for _, m := range regexp.MustCompile(`'([^']+)', '([a-z])'\)`).FindAllStringSubmatch(string(b), -1) {
		pairs = append(pairs, [2]string{m[1], m[2]})
	}
	return pairs
}

// The migration folds in SQL what Fold folds in Go, letter for letter: old rows and new ones answer a search alike.
func TestMigrationRefoldsTheLettersFoldDoes(t *testing.T) {
	t.Parallel()
	pairs := refoldPairs(t)
	var from []string
	for _, p := range pairs {
		if got := ledger.Fold(p[0]); got != p[1] {
			t.Errorf("the migration folds %q to %q, Fold to %q", p[0], p[1], got)
		}
		from = append(from, p[0])
	}
	for _, r := range "ëËçÇéÉàÀöÖüÜšŠžŽșȘ" {
		if !slices.Contains(from, string(r)) {
			t.Errorf("the migration does not fold %q", r)
		}
	}
	for r := rune(0xC0); r <= 0x17F; r++ {
		f := ledger.Fold(string(r))
		if len(f) == 1 && f[0] >= 'a' && f[0] <= 'z' && !slices.Contains(from, string(r)) {
			t.Errorf("Fold folds %q to %q, the migration leaves it", r, f)
		}
	}
}

// upSQL is migration 00021's Up statement.
func upSQL(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../db/migrations/00021_history_search_fold.sql")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	start := strings.Index(s, "UPDATE")
	end := strings.Index(s, "-- +goose Down")
	return s[start:end]
}

func TestMigrationRefoldsSearchOfOldPostings(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		payer, payee := f.funded(t, 100000), f.open(t, 0)
		own := f.openFor(t, payer.CustomerID, 0)
		for _, leg := range []struct {
			to         ledger.Account
			desc, name string
		}{{payee, "Qira për tetorin", "Dritan Çela"}, {own, "Kursime ÇDO MUAJ", "Arben Hoxha"}} {
			if _, err := f.l.Post(f.ctx, ledger.Entry{Kind: ledger.KindTransfer, Description: leg.desc, Legs: []ledger.Leg{
				{AccountID: payer.ID, Amount: -100, Description: leg.desc, Counterparty: leg.name, CounterpartyIBAN: leg.to.IBAN},
				{AccountID: leg.to.ID, Amount: 100, Description: leg.desc, Counterparty: "Arben Hoxha", CounterpartyIBAN: payer.IBAN},
			}}); err != nil {
				t.Fatal(err)
			}
		}
		// As the ledger wrote the search column before folding: lower-cased only, names included.
		if _, err := d.Exec(f.ctx, `UPDATE postings SET search =
			REPLACE(REPLACE(LOWER(description || ' ' || counterparty || ' ' || counterparty_iban), 'Ç', 'ç'), 'Ë', 'ë')`); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(f.ctx, upSQL(t)); err != nil {
			t.Fatalf("migration 00021: %v", err)
		}
		for _, tc := range []struct {
			name    string
			account string
			text    string
			want    int
		}{
			{"description without ë", payer.ID, "qira per", 1},
			{"description in capitals", payer.ID, "QIRA PËR", 1},
			{"own account's name", payer.ID, "hoxha", 1},
			{"another customer's name is not searchable by the payer", payer.ID, "cela", 0},
			{"capitals folded by SQL", payer.ID, "cdo muaj", 1},
			{"the payer's name is searchable by the payee", payee.ID, "hoxha", 1},
			{"the IBAN still is", payee.ID, strings.ToLower(payer.IBAN[:8]), 1},
		} {
			p, err := f.l.History(f.ctx, tc.account, ledger.HistoryFilter{Text: tc.text})
			if err != nil || len(p.Lines) != tc.want {
				t.Errorf("%s: search %q found %d lines (%v), want %d", tc.name, tc.text, len(p.Lines), err, tc.want)
			}
		}
	})
}
