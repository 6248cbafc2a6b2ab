package card_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

const password = "Sekret-1234"

// passwords accepts only password, as auth.Service.CheckPassword does with the customer's own.
type passwords struct{ tries *int }

var errWrongPassword = kumbara.NewError(kumbara.KindUnauthorized, "invalid_credentials")

func (p passwords) CheckPassword(_ context.Context, _ string, pw string) error {
	*p.tries++
	if pw != password {
		return errWrongPassword
	}
	return nil
}

// full is the fixture with what the holder's actions need: the customers, a password checker and the texts.
func full(t *testing.T, d *db.DB) (*fixture, *int) {
	t.Helper()
	f := newFixture(t, d)
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	tries := new(int)
	f.cards.Customers = &customer.Service{DB: d, Clock: f.clk}
	f.cards.Passwords = passwords{tries}
	f.cards.Texts = cat
	return f, tries
}

func (f *fixture) open(t *testing.T, c customer.Customer, cur money.Currency, typ string) ledger.Account {
	t.Helper()
	cs := &customer.Service{DB: f.d, Clock: f.clk, Bank: customer.Bank{Name: "Banka Kumbara", Code: "999",
		Branch: "0001", BIC: "KUMBALT0XXX"}}
	a, err := cs.OpenAccount(f.ctx, c.ID, cur, typ, "")
	if err != nil {
		t.Fatalf("OpenAccount: %v", err)
	}
	return a
}

func (f *fixture) status(t *testing.T, id string) card.Status {
	t.Helper()
	s, err := f.cards.ForNetwork(f.ctx, id)
	if err != nil {
		t.Fatalf("ForNetwork: %v", err)
	}
	return s.Status
}

func events(t *testing.T, f *fixture, who card.Who, id string) []string {
	t.Helper()
	h, err := f.cards.History(f.ctx, who, id)
	if err != nil {
		t.Fatalf("History: %v", err)
	}
	var out []string
	for _, e := range h {
		out = append(out, e.Event+"/"+e.ActorKind)
	}
	return out
}

func TestATemporarilyBlockedCardIsReactivatedByItsHolderWithThePassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f, _ := full(t, d)
		c := f.issue(t)
		alice := card.Holder(f.alice.ID)
		if c.Holder != "ARBEN HOXHA" || c.Kind != card.Debit || c.Currency != money.ALL {
			t.Fatalf("issued %+v", c)
		}
		b, err := f.cards.Block(f.ctx, alice, c.ID, card.Temporary)
		if err != nil || b.Status != card.Blocked || f.status(t, c.ID) != card.Blocked {
			t.Fatalf("Block = %+v, %v", b, err)
		}
		// The next authorisation's PIN check already fails: a blocked card proves nothing.
		wantCode(t, f.cards.CheckTerminalPIN(f.ctx, c.ID, "4739", false), "card_not_found")
		_, err = f.cards.Block(f.ctx, alice, c.ID, card.Temporary)
		wantCode(t, err, "card_status_conflict")
		_, err = f.cards.Block(f.ctx, alice, c.ID, "forever")
		wantCode(t, err, "card_block_reason_invalid")

		_, err = f.cards.Unblock(f.ctx, alice, c.ID, "")
		wantCode(t, err, "validation_failed")
		_, err = f.cards.Unblock(f.ctx, alice, c.ID, "wrong")
		wantCode(t, err, "invalid_credentials")
		if f.status(t, c.ID) != card.Blocked {
			t.Fatal("a wrong password reactivated the card")
		}
		u, err := f.cards.Unblock(f.ctx, alice, c.ID, password)
		if err != nil || u.Status != card.Active {
			t.Fatalf("Unblock = %+v, %v", u, err)
		}
		_, err = f.cards.Unblock(f.ctx, alice, c.ID, password)
		wantCode(t, err, "card_status_conflict")
		if err := f.cards.CheckTerminalPIN(f.ctx, c.ID, "4739", false); err != nil {
			t.Fatalf("PIN after reactivation: %v", err)
		}
		got := events(t, f, alice, c.ID)
		want := []string{"reactivated/customer", "blocked/customer", "issued/system"}
		if !slices.Equal(got, want) {
			t.Fatalf("history %v, want %v (newest first)", got, want)
		}
	})
}

func TestALostCardIsReactivatedOnlyByStaff(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f, tries := full(t, d)
		c := f.issue(t)
		alice := card.Holder(f.alice.ID)
		if _, err := f.cards.Block(f.ctx, alice, c.ID, card.Temporary); err != nil {
			t.Fatal(err)
		}
		// A blocked card may still be reported lost; a lost one not blocked again.
		if l, err := f.cards.Block(f.ctx, alice, c.ID, card.LostOrStolen); err != nil || l.Status != card.Lost {
			t.Fatalf("report lost = %+v, %v", l, err)
		}
		_, err := f.cards.Block(f.ctx, alice, c.ID, card.Temporary)
		wantCode(t, err, "card_status_conflict")
		_, err = f.cards.Unblock(f.ctx, alice, c.ID, password)
		wantCode(t, err, "card_lost_reactivation")
		if *tries != 0 {
			t.Fatalf("a refused reactivation asked for the password %d times", *tries)
		}
		staff := audit.WithActor(f.ctx, officer)
		_, err = f.cards.Unblock(staff, card.Staff(), c.ID, "")
		wantCode(t, err, "card_lost_reactivation")
		r, err := f.cards.ReactivateLost(staff, c.ID)
		if err != nil || r.Status != card.Active {
			t.Fatalf("ReactivateLost = %+v, %v", r, err)
		}
		_, err = f.cards.ReactivateLost(staff, c.ID)
		wantCode(t, err, "card_status_conflict")
		es := entriesOf(t, d, card.ActionLostReactivated)
		if len(es) != 1 || es[0].Actor != officer || es[0].CustomerID != f.alice.ID ||
			!strings.Contains(es[0].Before, `"status":"lost"`) || !strings.Contains(es[0].After, `"status":"active"`) {
			t.Fatalf("audit %+v", es)
		}
		h, err := f.cards.History(f.ctx, card.Staff(), c.ID)
		if err != nil || h[0].Event != "lost_reactivated" || h[0].ActorKind != audit.ActorStaff || h[0].Actor != officer.ID ||
			h[1].Event != "reported_lost" || h[1].Detail != "lost" {
			t.Fatalf("history %+v, %v", h, err)
		}
	})
}

func TestADebitCardLinksUpToThreeOfTheHoldersCurrentAccounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f, _ := full(t, d)
		c := f.issue(t)
		alice := card.Holder(f.alice.ID)
		eur := f.open(t, f.alice, money.EUR, ledger.TypeCurrent)
		usd := f.open(t, f.alice, money.USD, ledger.TypeCurrent)
		all2 := f.open(t, f.alice, money.ALL, ledger.TypeCurrent)
		gbp := f.open(t, f.alice, money.GBP, ledger.TypeCurrent)
		savings := f.open(t, f.alice, money.ALL, ledger.TypeSavings)

		for _, tc := range []struct {
			name, account, pw, code string
		}{
			{"another customer's account", f.bobAcc.ID, password, "account_not_found"},
			{"an unknown account", "no-such-account", password, "account_not_found"},
			{"a savings account", savings.ID, password, "card_account_ineligible"},
			{"the primary", f.aliceAcc.ID, password, "card_account_already_linked"},
			{"without the password", eur.ID, "", "validation_failed"},
		} {
			_, err := f.cards.Link(f.ctx, alice, c.ID, tc.account, tc.pw)
			if kumbara.CodeOf(err) != tc.code {
				t.Fatalf("%s: %v, want %s", tc.name, err, tc.code)
			}
		}
		for _, a := range []ledger.Account{eur, usd, all2} {
			if _, err := f.cards.Link(f.ctx, alice, c.ID, a.ID, password); err != nil {
				t.Fatalf("Link %s: %v", a.Currency, err)
			}
			f.clk.Advance(1)
		}
		_, err := f.cards.Link(f.ctx, alice, c.ID, usd.ID, password)
		wantCode(t, err, "card_account_already_linked")
		_, err = f.cards.Link(f.ctx, alice, c.ID, gbp.ID, password)
		wantCode(t, err, "card_link_limit")

		s, err := f.cards.ForNetwork(f.ctx, c.ID)
		if want := []string{f.aliceAcc.ID, eur.ID, usd.ID, all2.ID}; err != nil || !slices.Equal(s.Accounts, want) {
			t.Fatalf("accounts %v, %v; want %v (primary first)", s.Accounts, err, want)
		}
		_, err = f.cards.Unlink(f.ctx, alice, c.ID, f.aliceAcc.ID)
		wantCode(t, err, "card_primary_unlink")
		_, err = f.cards.Unlink(f.ctx, alice, c.ID, gbp.ID)
		wantCode(t, err, "card_account_not_linked")
		if _, err := f.cards.Unlink(f.ctx, alice, c.ID, usd.ID); err != nil {
			t.Fatalf("Unlink: %v", err)
		}
		if _, err := f.cards.Link(f.ctx, alice, c.ID, gbp.ID, password); err != nil {
			t.Fatalf("Link after an unlink: %v", err)
		}
		links, err := f.cards.Linked(f.ctx, alice, c.ID)
		if err != nil || len(links) != 3 || links[2].AccountID != gbp.ID {
			t.Fatalf("Linked = %+v, %v", links, err)
		}
		// Bob cannot see or change Alice's card.
		bob := card.Holder(f.bob.ID)
		_, err = f.cards.Unlink(f.ctx, bob, c.ID, eur.ID)
		wantCode(t, err, "card_not_found")
		_, err = f.cards.Linked(f.ctx, bob, c.ID)
		wantCode(t, err, "card_not_found")
	})
}

func TestANewPINTakesEffectAtTheFirstATMOperation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f, tries := full(t, d)
		c := f.issue(t)
		alice := card.Holder(f.alice.ID)
		for _, weak := range []string{"1234", "0000", "98765", "12a4", ""} {
			_, err := f.cards.SetPIN(f.ctx, alice, c.ID, weak, password)
			wantCode(t, err, "card_pin_weak")
		}
		if *tries != 0 {
			t.Fatal("a weak PIN cost a password try")
		}
		p, err := f.cards.SetPIN(f.ctx, alice, c.ID, "5821", password)
		if err != nil || !p.PINPending {
			t.Fatalf("SetPIN = %+v, %v", p, err)
		}
		// Until the first ATM operation with it, the old PIN is the card's PIN; the new one does not work at a shop.
		if err := f.cards.CheckTerminalPIN(f.ctx, c.ID, "4739", false); err != nil {
			t.Fatalf("old PIN at a shop: %v", err)
		}
		wantCode(t, f.cards.CheckTerminalPIN(f.ctx, c.ID, "5821", false), "card_pin_invalid")
		if err := f.cards.CheckTerminalPIN(f.ctx, c.ID, "4739", true); err != nil {
			t.Fatalf("old PIN at an ATM: %v", err)
		}
		if err := f.cards.CheckTerminalPIN(f.ctx, c.ID, "5821", true); err != nil {
			t.Fatalf("new PIN at an ATM: %v", err)
		}
		wantCode(t, f.cards.CheckTerminalPIN(f.ctx, c.ID, "4739", false), "card_pin_invalid")
		if err := f.cards.VerifyPIN(f.ctx, c.ID, "5821"); err != nil {
			t.Fatalf("new PIN after the ATM: %v", err)
		}
		if got, _ := f.cards.Get(f.ctx, f.alice.ID, c.ID); got.PINPending {
			t.Fatal("the PIN is still pending")
		}
		if got := events(t, f, alice, c.ID); !slices.Equal(got[:2], []string{"pin_effective/system", "pin_changed/customer"}) {
			t.Fatalf("history %v", got)
		}
	})
}

func TestControlsChangeAtOnceWithinTheBanksMaximum(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f, tries := full(t, d)
		c := f.issue(t)
		alice := card.Holder(f.alice.ID)
		max := card.DefaultLimits()[money.ALL]
		want := card.Controls{Online: true, Contactless: true, ATM: true, Abroad: true,
			DailyPurchaseLimit: max.Purchase, DailyATMLimit: max.ATM}
		if c.Controls != want {
			t.Fatalf("new card's controls %+v, want %+v", c.Controls, want)
		}
		off, lower := false, int64(20_000_00)
		// Restricting the card needs no password.
		k, err := f.cards.SetControls(f.ctx, alice, c.ID, card.ControlsChange{Online: &off, DailyATMLimit: &lower}, "")
		if err != nil || k.Controls.Online || k.Controls.DailyATMLimit != lower || *tries != 0 {
			t.Fatalf("SetControls = %+v, %v (%d password tries)", k.Controls, err, *tries)
		}
		s, _ := f.cards.ForNetwork(f.ctx, c.ID)
		if s.Controls != k.Controls {
			t.Fatalf("network sees %+v, want %+v", s.Controls, k.Controls)
		}
		on, above, negative, zero := true, max.Purchase+1, int64(-1), int64(0)
		for _, tc := range []struct {
			name string
			ch   card.ControlsChange
			pw   string
			code string
		}{
			{"a purchase limit above the maximum", card.ControlsChange{DailyPurchaseLimit: &above}, password, "card_limit_too_high"},
			{"a negative ATM limit", card.ControlsChange{DailyATMLimit: &negative}, password, "card_limit_invalid"},
			{"online back on without the password", card.ControlsChange{Online: &on}, "", "validation_failed"},
			{"the ATM limit raised with a wrong password", card.ControlsChange{DailyATMLimit: &zero}, "x", "invalid_credentials"},
		} {
			_, err := f.cards.SetControls(f.ctx, alice, c.ID, tc.ch, tc.pw)
			if kumbara.CodeOf(err) != tc.code {
				t.Fatalf("%s: %v, want %s", tc.name, err, tc.code)
			}
		}
		if got, _ := f.cards.Get(f.ctx, f.alice.ID, c.ID); got.Controls != k.Controls {
			t.Fatalf("a refused change changed the controls: %+v", got.Controls)
		}
		k, err = f.cards.SetControls(f.ctx, alice, c.ID, card.ControlsChange{Online: &on, Magstripe: &on,
			DailyATMLimit: &zero}, password)
		if err != nil || !k.Controls.Online || !k.Controls.Magstripe || k.Controls.DailyATMLimit != max.ATM {
			t.Fatalf("widened controls %+v, %v", k.Controls, err)
		}
		h, _ := f.cards.History(f.ctx, alice, c.ID)
		if h[0].Event != "controls_changed" || !strings.Contains(h[0].Detail, `"magstripe":true`) {
			t.Fatalf("history %+v", h[0])
		}
		_, err = f.cards.SetControls(f.ctx, card.Holder(f.bob.ID), c.ID, card.ControlsChange{Online: &off}, "")
		wantCode(t, err, "card_not_found")
	})
}

func TestAReprintReplacesTheCardAndTheNewOneWaitsAtTheBranch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f, _ := full(t, d)
		c := f.issue(t)
		alice := card.Holder(f.alice.ID)
		eur := f.open(t, f.alice, money.EUR, ledger.TypeCurrent)
		if _, err := f.cards.Link(f.ctx, alice, c.ID, eur.ID, password); err != nil {
			t.Fatal(err)
		}
		off := false
		if _, err := f.cards.SetControls(f.ctx, alice, c.ID, card.ControlsChange{Abroad: &off}, ""); err != nil {
			t.Fatal(err)
		}
		_, err := f.cards.Reprint(f.ctx, alice, c.ID, "")
		wantCode(t, err, "validation_failed")
		f.clk.Advance(24 * 3600 * 1e9)
		n, err := f.cards.Reprint(f.ctx, alice, c.ID, password)
		if err != nil {
			t.Fatalf("Reprint: %v", err)
		}
		if n.ID == c.ID || n.Masked == c.Masked || n.Status != card.Ordered || n.Replaces != c.ID ||
			n.Controls.Abroad || n.Holder != c.Holder || n.Expires != "2030-03" {
			t.Fatalf("new card %+v", n)
		}
		old, _ := f.cards.Get(f.ctx, f.alice.ID, c.ID)
		if old.Status != card.Replaced || old.ReplacedBy != n.ID {
			t.Fatalf("old card %+v", old)
		}
		s, _ := f.cards.ForNetwork(f.ctx, n.ID)
		if !slices.Equal(s.Accounts, []string{f.aliceAcc.ID, eur.ID}) {
			t.Fatalf("new card's accounts %v", s.Accounts)
		}
		// Nothing can be done to the replaced card any more.
		for name, err := range map[string]error{
			"block":   second(f.cards.Block(f.ctx, alice, c.ID, card.Temporary)),
			"reprint": second(f.cards.Reprint(f.ctx, alice, c.ID, password)),
			"link":    second(f.cards.Link(f.ctx, alice, c.ID, eur.ID, password)),
			"pin":     second(f.cards.SetPIN(f.ctx, alice, c.ID, "5821", password)),
		} {
			if kumbara.CodeOf(err) != "card_final" {
				t.Fatalf("%s on a replaced card: %v", name, err)
			}
		}
		// The new card works only once handed over, with the old card's PIN.
		wantCode(t, f.cards.VerifyPIN(f.ctx, n.ID, "4739"), "card_not_found")
		_, err = f.cards.HandOver(f.ctx, c.ID)
		wantCode(t, err, "card_not_waiting")
		staff := audit.WithActor(f.ctx, officer)
		r, err := f.cards.MarkReady(staff, n.ID)
		if err != nil || r.Status != card.Ready {
			t.Fatalf("MarkReady = %+v, %v", r, err)
		}
		_, err = f.cards.MarkReady(staff, n.ID)
		wantCode(t, err, "card_not_waiting")
		var body, to string
		if err := d.QueryRow(f.ctx, "SELECT recipient, body FROM outbox WHERE channel = 'sms'").Scan(&to, &body); err != nil {
			t.Fatal(err)
		}
		if to != f.alice.Mobile || !strings.Contains(body, "karta juaj e re që mbaron me "+n.Masked[len(n.Masked)-4:]) {
			t.Fatalf("SMS to %s: %q", to, body)
		}
		if h, err := f.cards.HandOver(staff, n.ID); err != nil || h.Status != card.Active {
			t.Fatalf("HandOver = %+v, %v", h, err)
		}
		if err := f.cards.VerifyPIN(f.ctx, n.ID, "4739"); err != nil {
			t.Fatalf("the reprinted card's PIN: %v", err)
		}
		if got := events(t, f, alice, n.ID); !slices.Equal(got, []string{"handed_over/staff", "ready/staff", "ordered/customer"}) {
			t.Fatalf("new card's history %v", got)
		}
		if got := events(t, f, alice, c.ID); got[0] != "reprinted/customer" {
			t.Fatalf("old card's history %v", got)
		}
		cards, _ := f.cards.List(f.ctx, f.alice.ID)
		if len(cards) != 2 {
			t.Fatalf("%d cards", len(cards))
		}
	})
}

func second[T any](_ T, err error) error { return err }

func TestAnotherCustomersCardIsNotFound(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f, tries := full(t, d)
		c := f.issue(t)
		bob := card.Holder(f.bob.ID)
		on := true
		for name, err := range map[string]error{
			"block":    second(f.cards.Block(f.ctx, bob, c.ID, card.LostOrStolen)),
			"unblock":  second(f.cards.Unblock(f.ctx, bob, c.ID, password)),
			"reprint":  second(f.cards.Reprint(f.ctx, bob, c.ID, password)),
			"pin":      second(f.cards.SetPIN(f.ctx, bob, c.ID, "5821", password)),
			"link":     second(f.cards.Link(f.ctx, bob, c.ID, f.bobAcc.ID, password)),
			"controls": second(f.cards.SetControls(f.ctx, bob, c.ID, card.ControlsChange{ATM: &on}, password)),
			"history":  second(f.cards.History(f.ctx, bob, c.ID)),
			"nobody":   second(f.cards.History(f.ctx, card.Holder(""), c.ID)),
		} {
			if kumbara.CodeOf(err) != "card_not_found" {
				t.Fatalf("%s: %v", name, err)
			}
		}
		if *tries != 0 || f.status(t, c.ID) != card.Active {
			t.Fatalf("another customer's request cost %d tries or changed the card", *tries)
		}
	})
}

func TestAnExpiredCardShowsAsExpired(t *testing.T) {
	c := card.Card{Status: card.Active, Expires: "2030-03"}
	for _, tc := range []struct {
		at   string
		want card.Status
	}{{"2030-03-31T21:59:59Z", card.Active}, {"2030-03-31T22:00:00Z", card.Expired}} {
		at, _ := time.Parse(time.RFC3339, tc.at)
		if got := c.Shown(at); got != tc.want {
			t.Fatalf("at %s: %s, want %s (the end of March in Tirana is 22:00 UTC, summer time)", tc.at, got, tc.want)
		}
	}
}

func TestStaffFindCardsByCustomerAndLastDigits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f, _ := full(t, d)
		a := f.issue(t)
		b, err := f.cards.Issue(f.ctx, card.IssueRequest{CustomerID: f.bob.ID, AccountID: f.bobAcc.ID, Type: card.Mastercard,
			PIN: "4739"})
		if err != nil {
			t.Fatal(err)
		}
		last4 := a.Masked[len(a.Masked)-4:]
		got, err := f.cards.Search(f.ctx, "", last4)
		if err != nil || !slices.ContainsFunc(got, func(c card.Card) bool { return c.ID == a.ID }) {
			t.Fatalf("by last digits: %+v, %v", got, err)
		}
		got, err = f.cards.Search(f.ctx, f.bob.ID, "")
		if err != nil || len(got) != 1 || got[0].ID != b.ID {
			t.Fatalf("by customer: %+v, %v", got, err)
		}
		for _, bad := range []string{"12", "abcd", "12345"} {
			_, err := f.cards.Search(f.ctx, "", bad)
			wantCode(t, err, "validation_failed")
		}
		_, err = f.cards.Search(f.ctx, "", "")
		wantCode(t, err, "validation_failed")
	})
}
