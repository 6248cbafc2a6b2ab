package transfer_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/transfer"
)

func TestCheckDescriptionAcceptsLettersDigitsAndPaymentPunctuation(t *testing.T) {
	for _, c := range []struct{ name, in string }{
		{"empty", ""},
		{"plain", "Qira per muajin tetor"},
		{"albanian lower-case letters", "Darka e së shtunës, çmimi"},
		{"albanian capitals", "ËMBËLSIRA ÇELA"},
		{"accented latin letters", "Café Zürich Ñandú Łódź"},
		{"digits", "Fatura 2026 nr 00123"},
		{"payment punctuation", "Ref. 12/3, (tetor) - paguar: 'po'? +1"},
		{"140 characters", strings.Repeat("a", transfer.MaxDescription)},
		{"140 albanian letters of two bytes each", strings.Repeat("ë", transfer.MaxDescription)},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := transfer.CheckDescription(c.in); err != nil {
				t.Fatalf("CheckDescription(%q) = %v, want accepted", c.in, err)
			}
		})
	}
}

func TestCheckDescriptionRefusesSpecialCharactersAndLength(t *testing.T) {
	const bad, long = "description_invalid_characters", "description_too_long"
	for _, c := range []struct{ name, in, code string }{
		{"less-than", "a < b", bad},
		{"greater-than", "a > b", bad},
		{"markup", "<script>alert(1)</script>", bad},
		{"semicolon", "a; DROP TABLE", bad},
		{"double quote", `"quoted"`, bad},
		{"ampersand", "Tom & Jerry", bad},
		{"percent", "100%", bad},
		{"dollar", "$100", bad},
		{"asterisk", "a*b", bad},
		{"hash", "#1", bad},
		{"at sign", "arben@example.al", bad},
		{"backslash", `a\b`, bad},
		{"backquote", "a`b", bad},
		{"equals", "a=b", bad},
		{"emoji", "Faleminderit 🙏", bad},
		{"tab", "a\tb", bad},
		{"newline", "rreshti 1\nrreshti 2", bad},
		{"carriage return", "a\rb", bad},
		{"nul byte", "a\x00b", bad},
		{"non-breaking space", "a\u00a0b", bad},
		{"zero-width space", "a\u200bb", bad},
		{"right-to-left override", "a\u202eb", bad},
		{"combining diaeresis", "e\u0308", bad},
		{"cyrillic letters", "Привет", bad},
		{"arabic-indic digits", "\u0661\u0662", bad},
		{"invalid UTF-8", "a\xffb", bad},
		{"141 characters", strings.Repeat("a", transfer.MaxDescription+1), long},
		{"141 albanian letters", strings.Repeat("ç", transfer.MaxDescription+1), long},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := transfer.CheckDescription(c.in)
			e, ok := kumbara.As(err)
			if !ok || e.Kind != kumbara.KindInvalid || e.Code != c.code {
				t.Fatalf("CheckDescription(%q) = %v, want %s", c.in, err, c.code)
			}
			if len(e.Fields) != 1 || e.Fields[0].Field != "description" || e.Fields[0].Code != c.code {
				t.Fatalf("fields = %+v, want one description/%s", e.Fields, c.code)
			}
		})
	}
}

func FuzzCheckDescription(f *testing.F) {
	for _, s := range []string{"", "Qira për tetorin", "ËÇëç", "<b>", "a;b", `"`, "&", "🙏", "\t", "\n", "a\xffb",
		strings.Repeat("ë", 141), "Ref. 12/3, (tetor) - paguar: 'po'? +1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := transfer.CheckDescription(s)
		if err != nil {
			if e, ok := kumbara.As(err); !ok || e.Kind != kumbara.KindInvalid {
				t.Fatalf("CheckDescription(%q) error %v is not a validation error", s, err)
			}
			return
		}
		if strings.ContainsAny(s, `<>;"&%$*#@`+"\t\r\n\x00") {
			t.Fatalf("CheckDescription accepted %q, which has a forbidden character", s)
		}
		if !utf8.ValidString(s) {
			t.Fatalf("CheckDescription accepted invalid UTF-8 %q", s)
		}
		if n := utf8.RuneCountInString(s); n > transfer.MaxDescription {
			t.Fatalf("CheckDescription accepted %d characters", n)
		}
	})
}

// A description is kept in the one form of free text (text.Clean): what looks the same is stored, posted and
// searched the same, and a repeat of the request as sent is still the same request.
func TestADescriptionIsKeptInItsPlainForm(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t, "Arben", "Hoxha")
		current := f.account(t, c.ID, money.ALL, 100000)
		savings := f.account(t, c.ID, money.ALL, 0)
		req := transfer.Request{Type: transfer.Own, FromAccountID: current.ID, ToAccountID: savings.ID,
			Amount: "10.00", Currency: "ALL", Description: " Ｑｉｒａ për Durre\u0308sin "}
		tr, _, err := f.svc.Create(f.ctx, c.ID, "plain-1", req)
		if err != nil {
			t.Fatalf("Create: %v", err)
		}
		const want = "Qira për Durrësin"
		if tr.Description != want || f.transferRow(t, tr.ID).desc != want {
			t.Fatalf("description %q, stored %q, want %q", tr.Description, f.transferRow(t, tr.ID).desc, want)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM postings WHERE entry_id = ? AND description = ?", tr.EntryID, want); n != 2 {
			t.Fatalf("%d postings carry the plain description, want 2", n)
		}
		again, replayed, err := f.svc.Create(f.ctx, c.ID, "plain-1", req)
		if err != nil || !replayed || again.ID != tr.ID {
			t.Fatalf("repeat: %v replayed=%v id=%s", err, replayed, again.ID)
		}
	})
}

// A transfer without a description is described by the bank ("Transfertë"), as a key both sides read in their own
// language; one the customer typed is shown as typed in every language.
func TestATransferWithoutADescriptionReadsInTheReadersLanguage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t, "Arben", "Hoxha")
		current := f.account(t, c.ID, money.ALL, 100000)
		savings := f.account(t, c.ID, money.ALL, 0)
		tests := []struct {
			name, typed, sq, en string
		}{
			{"none typed", "", "Transfertë", "Transfer"},
			{"typed", "Qiraja", "Qiraja", "Qiraja"},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				req := transfer.Request{Type: transfer.Own, FromAccountID: current.ID, ToAccountID: savings.ID,
					Amount: "10.00", Currency: "ALL", Description: tt.typed}
				if _, _, err := f.svc.Create(f.ctx, c.ID, fmt.Sprintf("desc-%d", i), req); err != nil {
					t.Fatalf("Create: %v", err)
				}
				for _, acc := range []string{current.ID, savings.ID} {
					p, err := f.l.History(f.ctx, acc, ledger.HistoryFilter{Limit: 1})
					if err != nil || len(p.Lines) != 1 {
						t.Fatalf("History: %v", err)
					}
					l := p.Lines[0]
					if got := l.Describe(f.tx, i18n.SQ); got != tt.sq || l.Description != tt.sq {
						t.Errorf("sq = %q (stored %q), want %q", got, l.Description, tt.sq)
					}
					if got := l.Describe(f.tx, i18n.EN); got != tt.en {
						t.Errorf("en = %q, want %q", got, tt.en)
					}
				}
			})
		}
	})
}
