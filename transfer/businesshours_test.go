package transfer_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/sca"
	"github.com/kumbara/kumbara/statement"
	"github.com/kumbara/kumbara/transfer"
)

// Z7: from 21:00 to midnight the bank updates the day's books and a business makes no financial transaction; a
// person may, and the business may again from midnight. The rule is the transfer service's, so every face (API,
// web, the app) answers business_hours_closed alike, at the preview already.
func TestBusinessesMakeNoTransfersFrom21ToMidnight(t *testing.T) {
	cases := []struct {
		name     string
		business bool
		at       time.Time
		refused  bool
	}{
		{"a business before 21:00", true, time.Date(2026, 12, 7, 20, 59, 59, 0, clock.Tirane), false},
		{"a business at 21:00", true, time.Date(2026, 12, 7, 21, 0, 0, 0, clock.Tirane), true},
		{"a business at 23:59", true, time.Date(2026, 12, 7, 23, 59, 59, 0, clock.Tirane), true},
		{"a business at midnight", true, time.Date(2026, 12, 8, 0, 0, 0, 0, clock.Tirane), false},
		{"a business at 21:30 in summer time", true, time.Date(2026, 7, 1, 21, 30, 0, 0, clock.Tirane), true},
		{"a person at 21:30", false, time.Date(2026, 12, 7, 21, 30, 0, 0, clock.Tirane), false},
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		person := f.person(t, "Arben", "Hoxha")
		biz, err := f.cs.CreateBusiness(f.ctx, customer.NewBusiness{NIPT: kyc.NewNIPT('M', 7).String(),
			CompanyName: "Ëmbëlsira Tirana Shpk", Mobile: "+355694000004", Representatives: []string{person.ID}})
		if err != nil {
			t.Fatal(err)
		}
		payee := f.account(t, f.person(t, "Elira", "Shehu").ID, money.ALL, 0)
		accounts := map[bool]string{true: f.account(t, biz.ID, money.ALL, 1_000_000).ID,
			false: f.account(t, person.ID, money.ALL, 1_000_000).ID}
		payers := map[bool]string{true: biz.ID, false: person.ID}
		for i, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				f.clk.Set(c.at)
				before := f.balance(t, payee.ID)
				_, perr := f.svc.Preview(f.ctx, payers[c.business], transfer.Request{Type: transfer.Internal,
					FromAccountID: accounts[c.business], ToIBAN: payee.IBAN, Amount: "10.00", Currency: "ALL"})
				_, _, err := f.svc.Create(f.ctx, payers[c.business], fmt.Sprintf("z7-%d", i), transfer.Request{
					Type: transfer.Internal, FromAccountID: accounts[c.business], ToIBAN: payee.IBAN, Amount: "10.00",
					Currency: "ALL"})
				if !c.refused {
					if perr != nil || err != nil {
						t.Fatalf("preview: %v; create: %v", perr, err)
					}
					return
				}
				wantCode(t, perr, kumbara.KindUnprocessable, "business_hours_closed")
				wantCode(t, err, kumbara.KindUnprocessable, "business_hours_closed")
				if got := f.balance(t, payee.ID); got != before {
					t.Errorf("the payee's balance moved from %d to %d", before, got)
				}
			})
		}
	})
}

// T14: a transfer made after the close of business counts from the next working day, and its receipt says so in
// the reader's language; one made before the close says nothing of a value date.
func TestTheReceiptSaysTheValueDateOfATransferAfterTheClose(t *testing.T) {
	cases := []struct {
		name string
		at   time.Time
		lang statement.Lang
		want string // "" when the receipt names no value date
	}{
		{"before the close", time.Date(2026, 12, 7, 19, 59, 0, 0, clock.Tirane), statement.Albanian, ""},
		{"after the close, before Youth Day", time.Date(2026, 12, 7, 20, 30, 0, 0, clock.Tirane), statement.Albanian,
			"Data e valutës 09.12.2026, pas mbylljes së ditës"},
		{"after the close, in English", time.Date(2026, 12, 10, 20, 0, 0, 0, clock.Tirane), statement.English,
			"Value date 11 Dec 2026, after the close of business"},
		{"on a Saturday", time.Date(2026, 12, 12, 10, 0, 0, 0, clock.Tirane), statement.English,
			"Value date 14 Dec 2026, the next working day"},
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.l.Calendar = &calendar.Service{DB: d, Clock: f.clk}
		payer := f.person(t, "Arben", "Hoxha")
		from := f.account(t, payer.ID, money.ALL, 1_000_000)
		to := f.account(t, f.person(t, "Elira", "Shehu").ID, money.ALL, 0)
		for i, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				f.clk.Set(c.at)
				tr, _, err := f.svc.Create(f.ctx, payer.ID, fmt.Sprintf("value-%d", i), transfer.Request{
					Type: transfer.Internal, FromAccountID: from.ID, ToIBAN: to.IBAN, Amount: "10.00", Currency: "ALL"})
				if err != nil {
					t.Fatal(err)
				}
				got, pdf, err := f.svc.Receipt(f.ctx, payer.ID, tr.ID, bank, c.lang)
				if err != nil {
					t.Fatal(err)
				}
				want, _ := f.l.Calendar.ValueDate(f.ctx, c.at)
				if got.ValueDate != want {
					t.Errorf("value date %s, want %s", got.ValueDate, want)
				}
				text := strings.Join(strings.Fields(pdfText(t, pdf)), " ")
				if text == "" {
					return
				}
				switch {
				case c.want == "" && (strings.Contains(text, "valutës") || strings.Contains(text, "Value date")):
					t.Errorf("a same-day transfer's receipt names a value date:\n%s", text)
				case c.want != "" && !strings.Contains(text, c.want):
					t.Errorf("receipt lacks %q:\n%s", c.want, text)
				}
			})
		}
	})
}

// A business's payment asked for before 21:00 and confirmed after it is refused at the confirmation, which is what
// moves the money; nothing moves.
func TestABusinessPaymentConfirmedAfter21IsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newSCAFixture(t, d)
		person := f.person(t, "Arben", "Hoxha")
		biz, err := f.cs.CreateBusiness(f.ctx, customer.NewBusiness{NIPT: kyc.NewNIPT('M', 7).String(),
			CompanyName: "Ëmbëlsira Tirana Shpk", Mobile: "+355694000004", Representatives: []string{person.ID}})
		if err != nil {
			t.Fatal(err)
		}
		from := f.account(t, biz.ID, money.ALL, 10_000_000)
		to := f.account(t, f.person(t, "Elira", "Shehu").ID, money.ALL, 0)
		f.clk.Set(time.Date(2026, 12, 7, 20, 57, 0, 0, clock.Tirane))
		tr, _, err := f.svc.Create(f.ctx, biz.ID, "z7-confirm", pay(from, to, "50000"))
		if err != nil || tr.Status != transfer.PendingConfirmation {
			t.Fatalf("Create = %+v, %v; want a payment waiting for its code", tr, err)
		}
		_, code := f.lastSMS(t, biz.Mobile)
		f.clk.Set(time.Date(2026, 12, 7, 21, 1, 0, 0, clock.Tirane))
		_, _, err = f.svc.Confirm(f.ctx, biz.ID, tr.ID, sca.Proof{Method: sca.MethodSMS, Code: code})
		wantCode(t, err, kumbara.KindUnprocessable, "business_hours_closed")
		if got := f.balance(t, to.ID); got != 0 {
			t.Errorf("payee has %d, want 0", got)
		}
	})
}
