package statement

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// An account's statement reads in the reader's language from the database up: the type of an account the bank
// opened without a name, the descriptions the bank wrote, the labels, the dates; what the customer typed stays.
func TestAStatementFromTheLedgerReadsInTheReadersLanguage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clk := clock.NewFake(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
		l := ledger.New(d, clk)
		if err := l.EnsureGL(ctx); err != nil {
			t.Fatal(err)
		}
		bank := customer.Bank{Name: "Banka Kumbara", Code: "999", Branch: "0001", BIC: "KUMBALT0XXX"}
		cs := &customer.Service{DB: d, Clock: clk, Bank: bank}
		c, err := cs.CreateIndividual(ctx, customer.NewIndividual{FirstName: "Arbër", LastName: "Çela",
			NationalID: kyc.NewNationalID(time.Date(1980, 5, 4, 0, 0, 0, 0, time.UTC), false, 7).String(),
			Mobile:     "+355691000009"})
		if err != nil {
			t.Fatal(err)
		}
		a, err := cs.OpenAccount(ctx, c.ID, money.ALL, ledger.TypeCurrent, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := l.CashDeposit(ctx, a.ID, money.New(125_050, money.ALL), ""); err != nil {
			t.Fatal(err)
		}
		if _, err := l.CashWithdrawal(ctx, a.ID, money.New(5_000, money.ALL), "Arka 2"); err != nil {
			t.Fatal(err)
		}
		src := Source{Ledger: &l.Store, Customers: cs, Bank: bank, Clock: clk, Texts: catalogue}
		first, last, err := ParsePeriod("2026-11-01", "2026-11-20")
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			lang Lang
			want []string
		}{
			{Albanian, []string{"Llogari rrjedhëse", "Depozitë cash në degë", "Tërheqje cash në degë - Arka 2",
				"1.250,50", "20.11.2026", "Gjendja në fund"}},
			{English, []string{"Current account", "Cash deposit at a branch", "Cash withdrawal at a branch - Arka 2",
				"1,250.50", "20 Nov 2026", "Closing balance"}},
		}
		for _, tt := range tests {
			t.Run(string(tt.lang), func(t *testing.T) {
				st, err := src.ForAccount(ctx, a, first, last, tt.lang)
				if err != nil {
					t.Fatal(err)
				}
				if st.AccountType != tt.want[0] || len(st.Lines) != 2 || st.Lines[0].Description != tt.want[1] {
					t.Fatalf("type %q, lines %+v", st.AccountType, st.Lines)
				}
				text := strings.Join(strings.Fields(pdfText(t, render(t, st))), " ")
				for _, w := range tt.want {
					if !strings.Contains(text, w) {
						t.Errorf("text lacks %q; got:\n%s", w, text)
					}
				}
				if strings.Contains(text, "current") {
					t.Errorf("the PDF prints the raw type:\n%s", text)
				}
			})
		}
	})
}

func TestTheFileNameIsInTheReadersLanguageAndPlainASCII(t *testing.T) {
	first := time.Date(2026, 11, 1, 0, 0, 0, 0, clock.Tirane)
	last := time.Date(2026, 11, 30, 0, 0, 0, 0, clock.Tirane)
	tests := []struct {
		lang   Lang
		number string
		want   string
	}{
		{Albanian, "1000000011001008", "pasqyre-llogarie-1000000011001008-2026-11-01-2026-11-30.pdf"},
		{English, "1000000011001008", "account-statement-1000000011001008-2026-11-01-2026-11-30.pdf"},
		{English, `12"; x=ë/..\`, "account-statement-12x-2026-11-01-2026-11-30.pdf"},
	}
	if got := ReceiptFileName("01a24f16-c64f", English); got != "transfer-receipt-01a24f16-c64f.pdf" {
		t.Errorf("ReceiptFileName = %q", got)
	}
	if got := ReceiptFileName("01a24f16-c64f", Albanian); got != "mandat-transferte-01a24f16-c64f.pdf" {
		t.Errorf("ReceiptFileName = %q", got)
	}
	for _, tt := range tests {
		if got := FileName(ledger.Account{Number: tt.number}, first, last, tt.lang); got != tt.want {
			t.Errorf("FileName(%q, %s) = %q, want %q", tt.number, tt.lang, got, tt.want)
		}
	}
}
