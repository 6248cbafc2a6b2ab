package ledger_test

import (
	"testing"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// The texts the bank writes on a posting are kept as a key and parameters and read in the reader's language; the
// description column keeps the Albanian text, so search, the staff tools and older readers see what they always
// did. What a person typed is shown as typed.
func TestGeneratedDescriptionsAreReadInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	c := i18n.MustNew()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a := f.open(t, 0)
		b := f.open(t, 0)
		deposit, err := f.l.CashDeposit(f.ctx, a.ID, money.New(10_000, money.ALL), "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.l.CashDeposit(f.ctx, a.ID, money.New(5_000, money.ALL), "Arka 3"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.l.CashWithdrawal(f.ctx, a.ID, money.New(1_000, money.ALL), ""); err != nil {
			t.Fatal(err)
		}
		typed := transfer(a.ID, b.ID, 500) // legs described as a person typed them
		if _, err := f.l.Post(f.ctx, typed); err != nil {
			t.Fatal(err)
		}
		if _, err := f.l.Reverse(f.ctx, deposit, "gabim"); err != nil {
			t.Fatal(err)
		}
		lines := f.postings(t, a.ID)
		tests := []struct {
			name        string
			stored      string // the description column
			key, sq, en string
		}{
			{"a cash deposit", "Depozitë cash në degë", ledger.TextCashDeposit, "Depozitë cash në degë", "Cash deposit at a branch"},
			{"a cash deposit with the cashier's note", "Depozitë cash në degë - Arka 3", ledger.TextCashDeposit,
				"Depozitë cash në degë - Arka 3", "Cash deposit at a branch - Arka 3"},
			{"a cash withdrawal", "Tërheqje cash në degë", ledger.TextCashWithdrawal, "Tërheqje cash në degë",
				"Cash withdrawal at a branch"},
			{"a description a person typed", "Transfertë dalëse", "", "Transfertë dalëse", "Transfertë dalëse"},
			{"the reversal of a text the bank wrote", "Kthim: Depozitë cash në degë", ledger.TextReversal,
				"Kthim: Depozitë cash në degë", "Reversal: Cash deposit at a branch"},
		}
		if len(lines) != len(tests) {
			t.Fatalf("%d lines, want %d", len(lines), len(tests))
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				l := lines[i]
				if l.Description != tt.stored || l.Text.Key != tt.key {
					t.Errorf("stored %q with key %q, want %q with %q", l.Description, l.Text.Key, tt.stored, tt.key)
				}
				if got := l.Describe(c, i18n.SQ); got != tt.sq {
					t.Errorf("sq = %q, want %q", got, tt.sq)
				}
				if got := l.Describe(c, i18n.EN); got != tt.en {
					t.Errorf("en = %q, want %q", got, tt.en)
				}
			})
		}
	})
}

// The description column's Albanian text is the catalogue's: a posting reads the same in Albanian through its key
// as through the column.
func TestTheStoredDescriptionIsTheCataloguesAlbanian(t *testing.T) {
	c := i18n.MustNew()
	tests := []struct {
		name string
		line ledger.Line
	}{
		{"deposit", ledger.Line{Description: "Depozitë cash në degë", Text: ledger.Text{Key: ledger.TextCashDeposit}}},
		{"withdrawal with a note", ledger.Line{Description: "Tërheqje cash në degë - ATM",
			Text: ledger.Text{Key: ledger.TextCashWithdrawal, Params: map[string]string{"note": "ATM"}}}},
		{"reversal of typed text", ledger.Line{Description: "Kthim: Qiraja",
			Text: ledger.Text{Key: ledger.TextReversal, Params: map[string]string{"of": "Qiraja"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.line.Describe(c, i18n.SQ); got != tt.line.Description {
				t.Errorf("Describe(sq) = %q, stored %q", got, tt.line.Description)
			}
		})
	}
}

// A key the catalogue does not know (a newer bank's, say) shows the stored description rather than an error text.
func TestAnUnknownKeyShowsTheStoredDescription(t *testing.T) {
	l := ledger.Line{Description: "Komision", Text: ledger.Text{Key: "tx_from_the_future"}}
	if got := l.Describe(i18n.MustNew(), i18n.EN); got != "Komision" {
		t.Errorf("Describe = %q", got)
	}
}

func TestAnAccountIsCalledByItsNameOrElseItsTypeInTheReadersLanguage(t *testing.T) {
	c := i18n.MustNew()
	tests := []struct {
		name    string
		account ledger.Account
		sq, en  string
	}{
		{"unnamed current", ledger.Account{Type: ledger.TypeCurrent, Currency: money.EUR},
			"Llogari rrjedhëse (EUR)", "Current account (EUR)"},
		{"unnamed savings", ledger.Account{Type: ledger.TypeSavings, Currency: money.ALL},
			"Llogari kursimi (ALL)", "Savings account (ALL)"},
		{"named by its holder", ledger.Account{Type: ledger.TypeCurrent, Currency: money.ALL, Name: "Kursimet"},
			"Kursimet", "Kursimet"},
		{"a type without a name of its own", ledger.Account{Type: "deposit_term", Currency: money.ALL},
			"deposit_term (ALL)", "deposit_term (ALL)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.account.Title(c, i18n.SQ); got != tt.sq {
				t.Errorf("sq = %q, want %q", got, tt.sq)
			}
			if got := tt.account.Title(c, i18n.EN); got != tt.en {
				t.Errorf("en = %q, want %q", got, tt.en)
			}
		})
	}
	if got := ledger.TypeName(c, i18n.EN, ledger.TypeCurrent); got != "Current account" {
		t.Errorf("TypeName = %q", got)
	}
}

// Search finds what the bank wrote in either language: the description column keeps the Albanian, the search text
// adds the English of a keyed text. What a person typed is searched as typed.
func TestSearchFindsTheBanksTextsInEitherLanguage(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.l.Texts = i18n.MustNew()
		a := f.open(t, 0)
		if _, err := f.l.CashDeposit(f.ctx, a.ID, money.New(10_000, money.ALL), "Arka 3"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.l.CashWithdrawal(f.ctx, a.ID, money.New(1_000, money.ALL), ""); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			q    string
			want int
		}{
			{"depozitë", 1},
			{"Deposit", 1},
			{"withdrawal at a branch", 1},
			{"cash", 2},
			{"arka 3", 1},
			{"transfer", 0},
		}
		for _, tt := range tests {
			p, err := f.l.History(f.ctx, a.ID, ledger.HistoryFilter{Text: tt.q})
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Lines) != tt.want {
				t.Errorf("search %q found %d lines, want %d", tt.q, len(p.Lines), tt.want)
			}
		}
	})
}
