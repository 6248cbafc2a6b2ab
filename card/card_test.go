package card_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// t0 is when every test's fake clock starts: a Monday morning in Tirana.
var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

var secret = bytes.Repeat([]byte{0x5a}, 32)

type fixture struct {
	ctx   context.Context
	d     *db.DB
	clk   *clock.Fake
	cards *card.Service
	// Two customers, each with one active ALL account.
	alice, bob       customer.Customer
	aliceAcc, bobAcc ledger.Account
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	clk := clock.NewFake(t0)
	cs := &customer.Service{DB: d, Clock: clk, Bank: customer.Bank{Name: "Banka Kumbara", Code: "999", Branch: "0001",
		BIC: "KUMBALT0XXX"}}
	f := &fixture{ctx: ctx, d: d, clk: clk, cards: &card.Service{DB: d, Clock: clk, Keys: card.DeriveKeys(secret), BIN: "400000"}}
	person := func(n int) (customer.Customer, ledger.Account) {
		c, err := cs.CreateIndividual(ctx, customer.NewIndividual{
			NationalID: kyc.NewNationalID(time.Date(1985, 5, n, 0, 0, 0, 0, time.UTC), n%2 == 0, n).String(),
			FirstName:  "Arben", LastName: "Hoxha", Mobile: fmt.Sprintf("+35569%07d", n), ContractVersion: "002"})
		if err != nil {
			t.Fatalf("CreateIndividual: %v", err)
		}
		a, err := cs.OpenAccount(ctx, c.ID, money.Currency("ALL"), ledger.TypeCurrent, "")
		if err != nil {
			t.Fatalf("OpenAccount: %v", err)
		}
		return c, a
	}
	f.alice, f.aliceAcc = person(1)
	f.bob, f.bobAcc = person(2)
	return f
}

// issue issues a Visa card with PIN 4739 on Alice's account.
func (f *fixture) issue(t *testing.T) card.Card {
	t.Helper()
	c, err := f.cards.Issue(f.ctx, card.IssueRequest{CustomerID: f.alice.ID, AccountID: f.aliceAcc.ID, Type: card.Visa,
		Contactless: true, PIN: "4739"})
	if err != nil {
		t.Fatalf("Issue: %v", err)
	}
	return c
}

func (f *fixture) reveal(t *testing.T, id string) string {
	t.Helper()
	pan, err := f.cards.Reveal(f.ctx, id)
	if err != nil {
		t.Fatalf("Reveal: %v", err)
	}
	return pan
}

// storedRows returns every column of every card row as text, as an attacker holding a copy of the table sees it.
func (f *fixture) storedRows(t *testing.T) [][]string {
	t.Helper()
	rows, err := f.d.Query(f.ctx, `SELECT id, customer_id, account_id, type, number_enc, number_hmac, last6_hmac, masked,
		contactless, expires, status, pin_hash, pin_failures, pin_blocked, created_at FROM cards`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		var id, customerID, accountID, typ, enc, hmac, last6, masked, expires, status, pinHash string
		var contactless, failures, blocked int
		var created int64
		if err := rows.Scan(&id, &customerID, &accountID, &typ, &enc, &hmac, &last6, &masked, &contactless, &expires,
			&status, &pinHash, &failures, &blocked, &created); err != nil {
			t.Fatal(err)
		}
		out = append(out, []string{id, customerID, accountID, typ, enc, hmac, last6, masked, fmt.Sprint(contactless),
			expires, status, pinHash, fmt.Sprint(failures), fmt.Sprint(blocked), fmt.Sprint(created)})
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if kumbara.CodeOf(err) != code {
		t.Fatalf("error = %v, want %s", err, code)
	}
}

var maskedForm = regexp.MustCompile(`^\d{4} \d{2}\*\* \*\*\*\* \d{4}$`)

func TestIssueStoresTheNumberOnlyEncryptedAndShowsItMasked(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.issue(t)
		pan := f.reveal(t, c.ID)

		if len(pan) != 16 || !strings.HasPrefix(pan, "400000") || !card.Luhn(pan) {
			t.Fatalf("number %s: want 16 digits under BIN 400000 with a Luhn check digit", pan)
		}
		if !maskedForm.MatchString(c.Masked) || c.Masked != pan[0:4]+" "+pan[4:6]+"** **** "+pan[12:] {
			t.Fatalf("masked = %q for %s", c.Masked, pan)
		}
		if c.Last6 != pan[10:] {
			t.Fatalf("last6 = %q for %s", c.Last6, pan)
		}
		if c.Type != card.Visa || !c.Contactless || c.Status != card.Active || c.PINBlocked ||
			c.Expires != "2030-03" || !c.CreatedAt.Equal(t0) {
			t.Fatalf("issued card = %+v", c)
		}
		got, err := f.cards.Get(f.ctx, f.alice.ID, c.ID)
		if want := withoutLast6(c); err != nil || got != want {
			t.Fatalf("Get = %+v, %v; want %+v", got, err, want)
		}

		rows := f.storedRows(t)
		if len(rows) != 1 {
			t.Fatalf("%d card rows, want 1", len(rows))
		}
		for _, col := range rows[0] {
			if strings.Contains(col, pan) || strings.Contains(col, pan[:12]) || strings.Contains(col, pan[6:]) {
				t.Fatalf("a stored column holds the card number or most of it: %q", col)
			}
			if col == "4739" {
				t.Fatal("the PIN is stored in clear")
			}
		}
		if pinHash := rows[0][11]; len(pinHash) != 64 {
			t.Fatalf("pin_hash = %q, want a hex HMAC-SHA256", pinHash)
		}

		// The ciphertext needs the key: another bank secret cannot read it.
		other := &card.Service{DB: d, Clock: f.clk, Keys: card.DeriveKeys(bytes.Repeat([]byte{1}, 32)), BIN: "400000"}
		if got, err := other.Reveal(f.ctx, c.ID); err == nil {
			t.Fatalf("Reveal with another secret = %s", got)
		}
		// So does the PIN hash: the right PIN under another key is a wrong PIN.
		wantCode(t, other.VerifyPIN(f.ctx, c.ID, "4739"), "card_pin_invalid")
		_, err = f.cards.Reveal(f.ctx, "no-such-card")
		wantCode(t, err, "card_not_found")
	})
}

func TestIssueDrawsUniqueNumbers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		seen := map[string]bool{}
		for range 200 {
			pan := f.reveal(t, f.issue(t).ID)
			if seen[pan] {
				t.Fatalf("number %s issued twice", pan)
			}
			if !card.Luhn(pan) || !strings.HasPrefix(pan, "400000") {
				t.Fatalf("number %s is not a valid number under the BIN", pan)
			}
			seen[pan] = true
		}
		cards, err := f.cards.List(f.ctx, f.alice.ID)
		if err != nil || len(cards) != 200 {
			t.Fatalf("List: %d cards, %v", len(cards), err)
		}
	})
}

// zeros is a random source that always draws 0, so every number it makes is the same.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestIssueDrawsAgainWhenTheNumberIsTaken(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.cards.SetRand(zeros{})
		first := f.issue(t)
		// The next issue draws the same number first (4 bytes is one draw of 9 digits), then a random one.
		f.cards.SetRand(io.MultiReader(io.LimitReader(zeros{}, 4), rand.Reader))
		second := f.issue(t)
		if a, b := f.reveal(t, first.ID), f.reveal(t, second.ID); a == b || a != "4000000000000002" {
			t.Fatalf("numbers %s and %s: want the forced one and then another", a, b)
		}
		// A source that can only repeat itself gives up with an error instead of looping.
		f.cards.SetRand(zeros{})
		if _, err := f.cards.Issue(f.ctx, card.IssueRequest{CustomerID: f.alice.ID, AccountID: f.aliceAcc.ID,
			Type: card.Visa, PIN: "4739"}); err == nil || kumbara.KindOf(err) != kumbara.KindInternal {
			t.Fatalf("Issue with no free number: %v", err)
		}
	})
}

func TestIssueRefusesBadRequests(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		tests := []struct {
			name string
			req  func(*card.IssueRequest)
			code string
		}{
			{"weak PIN all the same", func(r *card.IssueRequest) { r.PIN = "0000" }, "card_pin_weak"},
			{"weak PIN ascending", func(r *card.IssueRequest) { r.PIN = "1234" }, "card_pin_weak"},
			{"weak PIN descending", func(r *card.IssueRequest) { r.PIN = "9876" }, "card_pin_weak"},
			{"PIN too long", func(r *card.IssueRequest) { r.PIN = "47391" }, "card_pin_weak"},
			{"unknown scheme", func(r *card.IssueRequest) { r.Type = "amex" }, "card_type_invalid"},
			{"another customer's account", func(r *card.IssueRequest) { r.AccountID = f.bobAcc.ID }, "account_not_found"},
			{"unknown account", func(r *card.IssueRequest) { r.AccountID = "nope" }, "account_not_found"},
			{"account id not text", func(r *card.IssueRequest) { r.AccountID = "\xff\x00" }, "account_not_found"},
			{"no customer", func(r *card.IssueRequest) { r.CustomerID = "" }, "validation_failed"},
			{"too many years", func(r *card.IssueRequest) { r.ValidYears = 11 }, "validation_failed"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := card.IssueRequest{CustomerID: f.alice.ID, AccountID: f.aliceAcc.ID, Type: card.Mastercard, PIN: "4739"}
				tt.req(&r)
				_, err := f.cards.Issue(f.ctx, r)
				wantCode(t, err, tt.code)
			})
		}
		if err := d.InTx(f.ctx, func(tx *db.Tx) error {
			return ledger.SetStatus(f.ctx, tx, t0, f.aliceAcc.ID, ledger.Blocked)
		}); err != nil {
			t.Fatal(err)
		}
		_, err := f.cards.Issue(f.ctx, card.IssueRequest{CustomerID: f.alice.ID, AccountID: f.aliceAcc.ID,
			Type: card.Visa, PIN: "4739"})
		wantCode(t, err, "account_blocked")
		if rows := f.storedRows(t); len(rows) != 0 {
			t.Fatalf("%d cards stored by refused requests", len(rows))
		}
	})
}

func TestVerifyPINCountsConsecutiveWrongPINs(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.issue(t)
		unblock := "unblock" // a step that is staff's UnblockPIN, not a try
		steps := []struct {
			pin  string
			code string // "" for accepted
		}{
			{"0000", "card_pin_invalid"},
			{"4738", "card_pin_invalid"},
			{"4739", ""}, // a right PIN resets the count…
			{"1111", "card_pin_invalid"},
			{"", "card_pin_invalid"},
			{"4739 ", "card_pin_blocked"}, // …so this is the third in a row, and blocks
			{"4739", "card_pin_blocked"},  // even the right PIN, from now on
			{"0000", "card_pin_blocked"},
			{unblock, ""},
			{"1111", "card_pin_invalid"}, // the count starts again from zero
			{"4739", ""},
		}
		for i, s := range steps {
			if s.pin == unblock {
				if err := f.cards.UnblockPIN(f.ctx, c.ID); err != nil {
					t.Fatalf("UnblockPIN: %v", err)
				}
				continue
			}
			err := f.cards.VerifyPIN(f.ctx, c.ID, s.pin)
			if kumbara.CodeOf(err) != s.code && !(s.code == "" && err == nil) {
				t.Fatalf("step %d: VerifyPIN(%q) = %v, want %q", i, s.pin, err, s.code)
			}
			if i == 5 {
				if got, _ := f.cards.Get(f.ctx, f.alice.ID, c.ID); !got.PINBlocked {
					t.Fatal("the card does not show its PIN blocked")
				}
			}
		}
		wantCode(t, f.cards.VerifyPIN(f.ctx, "no-such-card", "4739"), "card_not_found")
		wantCode(t, f.cards.VerifyPIN(f.ctx, "\xff", "4739"), "card_not_found")
		wantCode(t, f.cards.UnblockPIN(f.ctx, "no-such-card"), "card_not_found")

		// A card that is not active proves nothing.
		if _, err := d.Exec(f.ctx, "UPDATE cards SET status = 'closed' WHERE id = ?", c.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.cards.VerifyPIN(f.ctx, c.ID, "4739"), "card_not_found")
	})
}

func TestCardsAreOnlyFoundThroughTheirOwner(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.issue(t)
		_, err := f.cards.Get(f.ctx, f.bob.ID, c.ID)
		wantCode(t, err, "card_not_found")
		_, err = f.cards.Get(f.ctx, f.alice.ID, "\xff\x00")
		wantCode(t, err, "card_not_found")
		if cards, err := f.cards.List(f.ctx, f.bob.ID); err != nil || len(cards) != 0 {
			t.Fatalf("List(bob) = %v, %v", cards, err)
		}
		if cards, err := f.cards.List(f.ctx, f.alice.ID); err != nil || len(cards) != 1 || cards[0] != withoutLast6(c) {
			t.Fatalf("List(alice) = %v, %v", cards, err)
		}
	})
}

func TestFindByLast6FindsTheCustomersActiveCardOfThatType(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.issue(t)
		tests := []struct {
			name     string
			customer string
			typ      card.Type
			last6    string
			found    int
			code     string
		}{
			{"the card", f.alice.ID, card.Visa, c.Last6, 1, ""},
			{"another scheme", f.alice.ID, card.Mastercard, c.Last6, 0, ""},
			{"another customer", f.bob.ID, card.Visa, c.Last6, 0, ""},
			{"other digits", f.alice.ID, card.Visa, fmt.Sprintf("%06d", (atoi(c.Last6)+1)%1000000), 0, ""},
			{"not 6 digits", f.alice.ID, card.Visa, c.Last6[1:], 0, "validation_failed"},
			{"unknown scheme", f.alice.ID, "amex", c.Last6, 0, "card_type_invalid"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := f.cards.FindByLast6(f.ctx, tt.customer, tt.typ, tt.last6)
				if tt.code != "" {
					wantCode(t, err, tt.code)
					return
				}
				if err != nil || len(got) != tt.found || (tt.found == 1 && got[0].ID != c.ID) {
					t.Fatalf("FindByLast6 = %v, %v; want %d card(s)", got, err, tt.found)
				}
			})
		}
		if _, err := d.Exec(f.ctx, "UPDATE cards SET status = 'blocked' WHERE id = ?", c.ID); err != nil {
			t.Fatal(err)
		}
		if got, err := f.cards.FindByLast6(f.ctx, f.alice.ID, card.Visa, c.Last6); err != nil || len(got) != 0 {
			t.Fatalf("FindByLast6 found a blocked card: %v, %v", got, err)
		}
	})
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

func TestDeriveKeysSeparatesSecretsAndPurposes(t *testing.T) {
	a, b := card.DeriveKeys(secret), card.DeriveKeys(bytes.Repeat([]byte{0x5b}, 32))
	again := card.DeriveKeys(secret)
	keys := map[string][]byte{"a.enc": a.Encryption, "a.lookup": a.Lookup, "a.pin": a.PIN,
		"b.enc": b.Encryption, "b.lookup": b.Lookup, "b.pin": b.PIN}
	for name, k := range keys {
		if len(k) != 32 {
			t.Errorf("%s is %d bytes, want 32", name, len(k))
		}
		for other, o := range keys {
			if name != other && bytes.Equal(k, o) {
				t.Errorf("%s and %s are the same key", name, other)
			}
		}
	}
	if !bytes.Equal(a.Encryption, again.Encryption) || !bytes.Equal(a.Lookup, again.Lookup) || !bytes.Equal(a.PIN, again.PIN) {
		t.Error("the same secret derived different keys")
	}
}

func TestServiceRefusesMissingKeys(t *testing.T) {
	s := &card.Service{BIN: "400000"}
	if _, err := s.Issue(context.Background(), card.IssueRequest{}); err == nil {
		t.Fatal("Issue without keys succeeded")
	}
}

// withoutLast6 is a card as it reads back: only the card Issue returns carries its last six digits, which are
// stored as a keyed hash.
func withoutLast6(c card.Card) card.Card {
	c.Last6 = ""
	return c
}

func TestVerifyHolderChecksThePINOfTheOneMatchingCard(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.issue(t)
		tests := []struct {
			name     string
			customer string
			typ      card.Type
			pin      string
			code     string
		}{
			{"the holder with the PIN", f.alice.ID, card.Visa, "4739", ""},
			{"a wrong PIN", f.alice.ID, card.Visa, "9173", "card_pin_invalid"},
			{"another scheme", f.alice.ID, card.Mastercard, "4739", "card_not_found"},
			{"another customer", f.bob.ID, card.Visa, "4739", "card_not_found"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := f.cards.VerifyHolder(f.ctx, tt.customer, tt.typ, c.Last6, tt.pin)
				if tt.code == "" {
					if err != nil {
						t.Fatalf("VerifyHolder: %v", err)
					}
					return
				}
				wantCode(t, err, tt.code)
			})
		}
	})
}
