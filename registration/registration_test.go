package registration_test

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"regexp"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/identity"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/outbox"
	"github.com/kumbara/kumbara/password"
	"github.com/kumbara/kumbara/registration"
	"github.com/kumbara/kumbara/uniquecode"
)

// t0 is when every test's fake clock starts: a Monday morning in Tirana.
var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

var secret = bytes.Repeat([]byte{0x5a}, 32)

const (
	pin     = "4739"
	goodPW  = "Kumbara2026"
	otherPW = "Lule-Shqipe7"
)

// fixture is registration wired as main wires it, with a dispatcher that delivers SMS into the sandbox inbox (the
// customers' phones), and Alice: an individual with contract "002", an ALL account and a Visa card, no password.
type fixture struct {
	ctx   context.Context
	d     *db.DB
	clk   *clock.Fake
	cs    *customer.Service
	auth  *auth.Service
	cards *card.Service
	codes *uniquecode.Service
	reg   *registration.Service
	disp  *outbox.Dispatcher
	inbox *outbox.Sandbox
	alice customer.Customer
	visa  card.Card
	n     int
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{ctx: context.Background(), d: d, clk: clock.NewFake(t0)}
	f.cs = &customer.Service{DB: d, Clock: f.clk,
		Bank: customer.Bank{Name: "Banka Kumbara", Code: "999", Branch: "0001", BIC: "KUMBALT0XXX"}}
	f.auth = &auth.Service{Texts: i18n.MustNew(), DB: d, Clock: f.clk, Customers: f.cs, Hasher: password.ForTests, Config: auth.DefaultConfig(),
		Key: []byte("0123456789abcdef0123456789abcdef")}
	f.cards = &card.Service{DB: d, Clock: f.clk, Keys: card.DeriveKeys(secret), BIN: "400000"}
	f.codes = &uniquecode.Service{DB: d, Clock: f.clk, Key: uniquecode.DeriveKey(secret)}
	f.reg = &registration.Service{Auth: f.auth,
		Identity: &identity.Checker{Customers: f.cs, Cards: f.cards, Codes: f.codes}}
	f.inbox = &outbox.Sandbox{DB: d, Clock: f.clk}
	f.disp = &outbox.Dispatcher{DB: d, Sender: f.inbox, Clock: f.clk}
	f.alice = f.person(t, "002")
	acc, err := f.cs.OpenAccount(f.ctx, f.alice.ID, money.Currency("ALL"), ledger.TypeCurrent, "")
	if err != nil {
		t.Fatalf("OpenAccount: %v", err)
	}
	f.visa, err = f.cards.Issue(f.ctx, card.IssueRequest{CustomerID: f.alice.ID, AccountID: acc.ID, Type: card.Visa, PIN: pin})
	if err != nil {
		t.Fatalf("Issue card: %v", err)
	}
	return f
}

func (f *fixture) person(t *testing.T, contract string) customer.Customer {
	t.Helper()
	f.n++
	c, err := f.cs.CreateIndividual(f.ctx, customer.NewIndividual{
		NationalID: kyc.NewNationalID(time.Date(1985, 5, f.n, 0, 0, 0, 0, time.UTC), f.n%2 == 0, f.n).String(),
		FirstName:  "Arben", LastName: "Hoxha", Mobile: fmt.Sprintf("+35569%07d", f.n), ContractVersion: contract})
	if err != nil {
		t.Fatalf("CreateIndividual: %v", err)
	}
	return c
}

func (f *fixture) cardProof() identity.Proof {
	return identity.Proof{CardType: "visa", CardLast6: f.visa.Last6, CardPIN: pin}
}

// start starts a registration with the proof by the method.
func (f *fixture) start(username, method string, p identity.Proof) (auth.Challenge, error) {
	p.Method = method
	return f.reg.Start(f.ctx, username, p)
}

var codePattern = regexp.MustCompile(`\b(\d{6})\b`)

// sms delivers the outbox and returns the one-time code of the newest SMS on the phone.
func (f *fixture) sms(t *testing.T, mobile string) string {
	t.Helper()
	if _, err := f.disp.RunOnce(f.ctx); err != nil {
		t.Fatalf("dispatch: %v", err)
	}
	msgs, err := f.inbox.InboxFor(f.ctx, mobile, 1)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("no SMS reached %s (%v)", mobile, err)
	}
	m := codePattern.FindStringSubmatch(msgs[0].Body)
	if m == nil {
		t.Fatalf("no code in SMS %q", msgs[0].Body)
	}
	return m[1]
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := kumbara.CodeOf(err); got != code {
		t.Fatalf("error %v (code %q), want %q", err, got, code)
	}
}

// login proves the password works: password, SMS code, session.
func (f *fixture) login(t *testing.T, c customer.Customer, pw string) {
	t.Helper()
	ch, err := f.auth.Login(f.ctx, c.ClientNumber, pw)
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	if _, _, err := f.auth.VerifyOTP(f.ctx, ch.ID, f.sms(t, c.Mobile)); err != nil {
		t.Fatalf("VerifyOTP: %v", err)
	}
}

func TestRegistrationWithACardEndsInALogin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		// By national ID, to show both usernames work (the unique-code test uses the client number).
		st, err := f.start(f.alice.NationalID, identity.MethodCard, f.cardProof())
		if err != nil {
			t.Fatalf("Start: %v", err)
		}
		if st.MaskedPhone != kyc.MaskPhone(f.alice.Mobile) || st.ExpiresIn != 2*time.Minute || st.ID == "" {
			t.Fatalf("Start = %+v", st)
		}
		code := f.sms(t, f.alice.Mobile)
		// A registration code is not a login code: it opens no session.
		if _, _, err := f.auth.VerifyOTP(f.ctx, st.ID, code); kumbara.CodeOf(err) != "otp_invalid" {
			t.Fatalf("VerifyOTP with a registration code: %v, want otp_invalid", err)
		}
		// Nor can it be resent as one, which would skip the password too.
		if _, err := f.auth.Resend(f.ctx, st.ID); kumbara.CodeOf(err) != "challenge_not_found" {
			t.Fatalf("Resend of a registration: %v, want challenge_not_found", err)
		}
		if err := f.reg.Complete(f.ctx, st.ID, code, goodPW); err != nil {
			t.Fatalf("Complete: %v", err)
		}
		f.login(t, f.alice, goodPW)
	})
}

func TestRegistrationWithAUniqueCodeEndsInALogin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		uc, _, err := f.codes.Issue(f.ctx, f.alice.ID, uniquecode.Registration, "staff-1")
		if err != nil {
			t.Fatalf("Issue code: %v", err)
		}
		st, err := f.start(f.alice.ClientNumber, identity.MethodUniqueCode, identity.Proof{UniqueCode: uc})
		if err != nil {
			t.Fatalf("Start: %v", err)
		}
		if err := f.reg.Complete(f.ctx, st.ID, f.sms(t, f.alice.Mobile), goodPW); err != nil {
			t.Fatalf("Complete: %v", err)
		}
		f.login(t, f.alice, goodPW)
		// The unique code was spent by the first registration.
		_, err = f.start(f.alice.ClientNumber, identity.MethodUniqueCode, identity.Proof{UniqueCode: uc})
		wantCode(t, err, "registration_failed")
	})
}

func TestAnOutsiderCannotTellUnknownCustomersFromWrongProofs(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		// A well-formed unique code that is not Alice's: Bob's.
		bobCode, _, err := f.codes.Issue(f.ctx, f.person(t, "002").ID, uniquecode.Registration, "staff-1")
		if err != nil {
			t.Fatalf("Issue code: %v", err)
		}
		other := "000000"
		if f.visa.Last6 == other {
			other = "000001"
		}
		cases := []struct {
			name     string
			username string
			method   string
			proof    identity.Proof
		}{
			{"unknown client number", "99999999", identity.MethodCard, f.cardProof()},
			{"unknown national ID", kyc.NewNationalID(time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), true, 77).String(),
				identity.MethodCard, f.cardProof()},
			{"not a username at all", "nobody", identity.MethodCard, f.cardProof()},
			{"wrong last six digits", f.alice.ClientNumber, identity.MethodCard,
				identity.Proof{CardType: "visa", CardLast6: other, CardPIN: pin}},
			{"wrong card type", f.alice.ClientNumber, identity.MethodCard,
				identity.Proof{CardType: "mastercard", CardLast6: f.visa.Last6, CardPIN: pin}},
			{"wrong PIN", f.alice.ClientNumber, identity.MethodCard,
				identity.Proof{CardType: "visa", CardLast6: f.visa.Last6, CardPIN: "0000"}},
			{"unknown customer with a unique code", "99999999", identity.MethodUniqueCode,
				identity.Proof{UniqueCode: bobCode}},
			{"no unique code issued", f.alice.ClientNumber, identity.MethodUniqueCode,
				identity.Proof{UniqueCode: bobCode}},
			// Recovery has always answered such a code like a wrong one; registration now does too.
			{"a unique code that cannot be one", f.alice.ClientNumber, identity.MethodUniqueCode,
				identity.Proof{UniqueCode: "ABCDE-FGHJK"}},
		}
		var first *kumbara.Error
		for _, tc := range cases {
			_, err := f.start(tc.username, tc.method, tc.proof)
			e, ok := kumbara.As(err)
			if !ok || e.Code != "registration_failed" || e.Kind != kumbara.KindUnauthorized {
				t.Fatalf("%s: %v, want registration_failed", tc.name, err)
			}
			if first == nil {
				first = e
			} else if !reflect.DeepEqual(e, first) {
				t.Errorf("%s: %#v differs from %#v", tc.name, e, first)
			}
		}
		if n, _ := f.disp.RunOnce(f.ctx); n != 0 {
			t.Errorf("%d SMS sent for failed proofs", n)
		}
	})
}

func TestThreeWrongPINsBlockTheCardsPIN(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		wrong := identity.Proof{CardType: "visa", CardLast6: f.visa.Last6, CardPIN: "1111"}
		for i := 0; i < card.MaxPINFailures; i++ {
			_, err := f.start(f.alice.ClientNumber, identity.MethodCard, wrong)
			wantCode(t, err, "registration_failed")
		}
		_, err := f.start(f.alice.ClientNumber, identity.MethodCard, f.cardProof())
		wantCode(t, err, "registration_failed")
		c, err := f.cards.Get(f.ctx, f.alice.ID, f.visa.ID)
		if err != nil || !c.PINBlocked {
			t.Fatalf("card after %d wrong PINs: %+v, %v; want its PIN blocked", card.MaxPINFailures, c, err)
		}
	})
}

func TestACustomerWhoProvedWhoTheyAreIsToldWhyTheyCannotRegister(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		cases := []struct {
			name  string
			query string
			want  string
		}{
			{"contract 001", "UPDATE customers SET contract_version = '001' WHERE id = ?", "registration_contract_missing"},
			{"no contract", "UPDATE customers SET contract_version = '' WHERE id = ?", "registration_contract_missing"},
			{"no mobile", "UPDATE customers SET mobile = '' WHERE id = ?", "registration_phone_missing"},
		}
		for _, tc := range cases {
			if _, err := d.Exec(f.ctx, "UPDATE customers SET contract_version = '002', mobile = ? WHERE id = ?",
				f.alice.Mobile, f.alice.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := d.Exec(f.ctx, tc.query, f.alice.ID); err != nil {
				t.Fatal(err)
			}
			_, err := f.start(f.alice.ClientNumber, identity.MethodCard, f.cardProof())
			if kumbara.CodeOf(err) != tc.want {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.want)
			}
		}
	})
}

func TestContractVersionsCompareAsNumbers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if _, err := d.Exec(f.ctx, "UPDATE customers SET contract_version = '010' WHERE id = ?", f.alice.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.start(f.alice.ClientNumber, identity.MethodCard, f.cardProof()); err != nil {
			t.Fatalf("Start with contract 010: %v", err)
		}
	})
}

func TestStartRefusesARequestMissingItsProof(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		cases := []struct {
			name   string
			method string
			proof  identity.Proof
			fields []string
		}{
			{"no method", "", identity.Proof{}, []string{"method"}},
			{"unknown method", "letter", identity.Proof{}, []string{"method"}},
			{"card without anything", identity.MethodCard, identity.Proof{}, []string{"card_type", "card_last6", "card_pin"}},
			{"card of an unknown type", identity.MethodCard,
				identity.Proof{CardType: "amex", CardLast6: "123456", CardPIN: pin}, []string{"card_type"}},
			{"unique code missing", identity.MethodUniqueCode, identity.Proof{}, []string{"unique_code"}},
		}
		for _, tc := range cases {
			_, err := f.start(f.alice.ClientNumber, tc.method, tc.proof)
			e, ok := kumbara.As(err)
			if !ok || e.Kind != kumbara.KindInvalid {
				t.Fatalf("%s: %v, want a validation error", tc.name, err)
			}
			var got []string
			for _, fe := range e.Fields {
				got = append(got, fe.Field)
			}
			if !reflect.DeepEqual(got, tc.fields) {
				t.Errorf("%s: fields %v, want %v", tc.name, got, tc.fields)
			}
		}
	})
}

func TestAWeakPasswordLeavesTheCodeUsable(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		st, err := f.start(f.alice.ClientNumber, identity.MethodCard, f.cardProof())
		if err != nil {
			t.Fatalf("Start: %v", err)
		}
		code := f.sms(t, f.alice.Mobile)
		err = f.reg.Complete(f.ctx, st.ID, code, "abc123")
		e, ok := kumbara.As(err)
		if !ok || e.Code != "password_policy" || len(e.Fields) == 0 {
			t.Fatalf("Complete with a weak password: %#v, want password_policy with field errors", err)
		}
		f.clk.Advance(time.Minute)
		if err := f.reg.Complete(f.ctx, st.ID, code, goodPW); err != nil {
			t.Fatalf("Complete with a good password: %v", err)
		}
		f.login(t, f.alice, goodPW)
	})
}

func TestCompleteRefusesWrongExpiredAndUsedCodes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		start := func() (string, string) {
			t.Helper()
			st, err := f.start(f.alice.ClientNumber, identity.MethodCard, f.cardProof())
			if err != nil {
				t.Fatalf("Start: %v", err)
			}
			return st.ID, f.sms(t, f.alice.Mobile)
		}
		wrongOf := func(code string) string {
			if code == "000000" {
				return "000001"
			}
			return "000000"
		}

		id, code := start()
		wantCode(t, f.reg.Complete(f.ctx, id, wrongOf(code), goodPW), "otp_invalid")
		wantCode(t, f.reg.Complete(f.ctx, "no-such-registration", code, goodPW), "otp_invalid")
		if err := f.reg.Complete(f.ctx, id, code, goodPW); err != nil {
			t.Fatalf("Complete after a wrong code: %v", err)
		}
		wantCode(t, f.reg.Complete(f.ctx, id, code, otherPW), "otp_used")

		id, code = start()
		f.clk.Advance(2*time.Minute + time.Second)
		wantCode(t, f.reg.Complete(f.ctx, id, code, otherPW), "otp_expired")

		id, code = start()
		for i := 0; i < auth.DefaultConfig().OTPMaxAttempts; i++ {
			wantCode(t, f.reg.Complete(f.ctx, id, wrongOf(code), otherPW), "otp_invalid")
		}
		wantCode(t, f.reg.Complete(f.ctx, id, code, otherPW), "otp_too_many_attempts")

		// A login code cannot set a password.
		ch, err := f.auth.Login(f.ctx, f.alice.ClientNumber, goodPW)
		if err != nil {
			t.Fatalf("Login: %v", err)
		}
		wantCode(t, f.reg.Complete(f.ctx, ch.ID, f.sms(t, f.alice.Mobile), otherPW), "otp_invalid")
		f.login(t, f.alice, goodPW)
	})
}

func TestRegisteringAgainReplacesThePassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if err := f.auth.SetPassword(f.ctx, f.alice.ID, goodPW, false); err != nil {
			t.Fatal(err)
		}
		st, err := f.start(f.alice.ClientNumber, identity.MethodCard, f.cardProof())
		if err != nil {
			t.Fatalf("Start: %v", err)
		}
		if err := f.reg.Complete(f.ctx, st.ID, f.sms(t, f.alice.Mobile), otherPW); err != nil {
			t.Fatalf("Complete: %v", err)
		}
		if _, err := f.auth.Login(f.ctx, f.alice.ClientNumber, goodPW); kumbara.CodeOf(err) != "login_failed" {
			t.Fatalf("Login with the old password: %v, want login_failed", err)
		}
		f.login(t, f.alice, otherPW)
	})
}
