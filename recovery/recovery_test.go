package recovery_test

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"regexp"
	"strings"
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
	"github.com/kumbara/kumbara/recovery"
	"github.com/kumbara/kumbara/uniquecode"
)

// t0 is when every test's fake clock starts: a Monday morning in Tirana.
var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

var secret = bytes.Repeat([]byte{0x5a}, 32)

const (
	pin     = "4739"
	oldPW   = "Kumbara2026"
	newPW   = "Lule-Shqipe7"
	thirdPW = "Mali-Dajti48"
)

// fixture is recovery wired as main wires it, with a dispatcher that delivers SMS into the sandbox inbox (the
// customers' phones), and Alice: a registered individual (password oldPW) with an ALL account and a Visa card.
type fixture struct {
	ctx   context.Context
	d     *db.DB
	clk   *clock.Fake
	cs    *customer.Service
	auth  *auth.Service
	cards *card.Service
	codes *uniquecode.Service
	rec   *recovery.Service
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
	f.rec = &recovery.Service{Auth: f.auth, Cards: f.cards,
		Identity: &identity.Checker{Customers: f.cs, Cards: f.cards, Codes: f.codes}}
	f.inbox = &outbox.Sandbox{DB: d, Clock: f.clk}
	f.disp = &outbox.Dispatcher{DB: d, Sender: f.inbox, Clock: f.clk}
	f.alice = f.person(t)
	f.visa = f.issueCard(t, f.alice)
	if err := f.auth.SetPassword(f.ctx, f.alice.ID, oldPW, false); err != nil {
		t.Fatalf("SetPassword: %v", err)
	}
	return f
}

func (f *fixture) person(t *testing.T) customer.Customer {
	t.Helper()
	f.n++
	c, err := f.cs.CreateIndividual(f.ctx, customer.NewIndividual{
		NationalID: kyc.NewNationalID(time.Date(1985, 5, f.n, 0, 0, 0, 0, time.UTC), f.n%2 == 0, f.n).String(),
		FirstName:  "Arben", LastName: "Hoxha", Mobile: fmt.Sprintf("+35569%07d", f.n), ContractVersion: "002"})
	if err != nil {
		t.Fatalf("CreateIndividual: %v", err)
	}
	return c
}

func (f *fixture) issueCard(t *testing.T, c customer.Customer) card.Card {
	t.Helper()
	acc, err := f.cs.OpenAccount(f.ctx, c.ID, money.Currency("ALL"), ledger.TypeCurrent, "")
	if err != nil {
		t.Fatalf("OpenAccount: %v", err)
	}
	k, err := f.cards.Issue(f.ctx, card.IssueRequest{CustomerID: c.ID, AccountID: acc.ID, Type: card.Visa, PIN: pin})
	if err != nil {
		t.Fatalf("Issue card: %v", err)
	}
	return k
}

func (f *fixture) cardProof() identity.Proof {
	return identity.Proof{CardType: "visa", CardLast6: f.visa.Last6, CardPIN: pin}
}

// start starts a recovery with the proof by the method.
func (f *fixture) start(username, method string, p identity.Proof) (auth.Challenge, error) {
	p.Method = method
	return f.rec.Start(f.ctx, username, p)
}

var codePattern = regexp.MustCompile(`\b(\d{6})\b`)

// lastSMS delivers the outbox and returns the newest SMS on the phone.
func (f *fixture) lastSMS(t *testing.T, mobile string) string {
	t.Helper()
	if _, err := f.disp.RunOnce(f.ctx); err != nil {
		t.Fatalf("dispatch: %v", err)
	}
	msgs, err := f.inbox.InboxFor(f.ctx, mobile, 1)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("no SMS reached %s (%v)", mobile, err)
	}
	return msgs[0].Body
}

// sms returns the one-time code of the newest SMS on the phone.
func (f *fixture) sms(t *testing.T, mobile string) string {
	t.Helper()
	body := f.lastSMS(t, mobile)
	m := codePattern.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no code in SMS %q", body)
	}
	return m[1]
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := kumbara.CodeOf(err); got != code {
		t.Fatalf("error %v (code %q), want %q", err, got, code)
	}
}

// login logs in with password and SMS code and returns the session's token and session.
func (f *fixture) login(t *testing.T, c customer.Customer, pw string) (string, auth.Session) {
	t.Helper()
	ch, err := f.auth.Login(f.ctx, c.ClientNumber, pw)
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	token, sess, err := f.auth.VerifyOTP(f.ctx, ch.ID, f.sms(t, c.Mobile))
	if err != nil {
		t.Fatalf("VerifyOTP: %v", err)
	}
	return token, sess
}

// recover runs a whole recovery with the proof and sets pw.
func (f *fixture) recover(t *testing.T, username, method string, p identity.Proof, pw string) {
	t.Helper()
	st, err := f.start(username, method, p)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	if err := f.rec.Complete(f.ctx, st.ID, f.sms(t, f.alice.Mobile), pw); err != nil {
		t.Fatalf("Complete: %v", err)
	}
}

func TestRecoveryWithACardEndsInALoginWithTheNewPassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		token, _ := f.login(t, f.alice, oldPW) // a session somewhere, say a stolen phone
		// By national ID, to show both usernames work (the unique-code test uses the client number).
		st, err := f.start(f.alice.NationalID, identity.MethodCard, f.cardProof())
		if err != nil {
			t.Fatalf("Start: %v", err)
		}
		if st.MaskedPhone != kyc.MaskPhone(f.alice.Mobile) || st.ExpiresIn != 2*time.Minute || st.ID == "" {
			t.Fatalf("Start = %+v", st)
		}
		body := f.lastSMS(t, f.alice.Mobile)
		for _, want := range []string{"rivendosjen e fjalëkalimit", "Nëse nuk e kërkuat", "bankën"} {
			if !strings.Contains(body, want) {
				t.Errorf("SMS %q does not say %q", body, want)
			}
		}
		code := codePattern.FindStringSubmatch(body)[1]
		// A recovery code is not a login code: it opens no session, and cannot be resent as one.
		if _, _, err := f.auth.VerifyOTP(f.ctx, st.ID, code); kumbara.CodeOf(err) != "otp_invalid" {
			t.Fatalf("VerifyOTP with a recovery code: %v, want otp_invalid", err)
		}
		if _, err := f.auth.Resend(f.ctx, st.ID); kumbara.CodeOf(err) != "challenge_not_found" {
			t.Fatalf("Resend of a recovery: %v, want challenge_not_found", err)
		}
		if err := f.rec.Complete(f.ctx, st.ID, code, newPW); err != nil {
			t.Fatalf("Complete: %v", err)
		}
		// The customer hears that the password changed (A18).
		if body := f.lastSMS(t, f.alice.Mobile); !strings.Contains(body, "fjalëkalimi juaj i bankës dixhitale u ndryshua") {
			t.Errorf("after the recovery the phone shows %q, want the password-changed alert", body)
		}
		if _, err := f.auth.Authenticate(f.ctx, token); kumbara.CodeOf(err) != "session_expired" {
			t.Fatalf("the session from before the recovery: %v, want session_expired", err)
		}
		if _, err := f.auth.Login(f.ctx, f.alice.ClientNumber, oldPW); kumbara.CodeOf(err) != "login_failed" {
			t.Fatalf("Login with the old password: %v, want login_failed", err)
		}
		f.login(t, f.alice, newPW)
	})
}

func TestRecoveryWithAUniqueCodeEndsInALogin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		// A registration code proves nothing for recovery.
		regCode, _, err := f.codes.Issue(f.ctx, f.alice.ID, uniquecode.Registration, "staff-1")
		if err != nil {
			t.Fatalf("Issue code: %v", err)
		}
		_, err = f.start(f.alice.ClientNumber, identity.MethodUniqueCode, identity.Proof{UniqueCode: regCode})
		wantCode(t, err, "recovery_failed")

		uc, _, err := f.codes.Issue(f.ctx, f.alice.ID, uniquecode.Recovery, "staff-1")
		if err != nil {
			t.Fatalf("Issue code: %v", err)
		}
		f.recover(t, f.alice.ClientNumber, identity.MethodUniqueCode, identity.Proof{UniqueCode: uc}, newPW)
		f.login(t, f.alice, newPW)
		// The unique code was spent by the first recovery.
		_, err = f.start(f.alice.ClientNumber, identity.MethodUniqueCode, identity.Proof{UniqueCode: uc})
		wantCode(t, err, "recovery_failed")
	})
}

func TestAnOutsiderCannotTellUnknownOrUnregisteredCustomersFromWrongProofs(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		// Bob is a customer with a card and a recovery code who never registered for digital banking: even his
		// right proofs recover nothing.
		bob := f.person(t)
		bobCard := f.issueCard(t, bob)
		bobCode, _, err := f.codes.Issue(f.ctx, bob.ID, uniquecode.Recovery, "staff-1")
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
			{"someone else's unique code", f.alice.ClientNumber, identity.MethodUniqueCode,
				identity.Proof{UniqueCode: bobCode}},
			{"unregistered customer with his card", bob.ClientNumber, identity.MethodCard,
				identity.Proof{CardType: "visa", CardLast6: bobCard.Last6, CardPIN: pin}},
			{"unregistered customer with his unique code", bob.ClientNumber, identity.MethodUniqueCode,
				identity.Proof{UniqueCode: bobCode}},
		}
		var first *kumbara.Error
		for _, tc := range cases {
			_, err := f.start(tc.username, tc.method, tc.proof)
			e, ok := kumbara.As(err)
			if !ok || e.Code != "recovery_failed" || e.Kind != kumbara.KindUnauthorized {
				t.Fatalf("%s: %v, want recovery_failed", tc.name, err)
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
		// Bob's code was not spent by those tries: it was never checked against his account.
		if err := f.codes.Redeem(f.ctx, bob.ID, uniquecode.Recovery, bobCode); err != nil {
			t.Errorf("Bob's code after the tries: %v", err)
		}
	})
}

func TestThreeWrongPINsBlockTheCardsPIN(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		wrong := identity.Proof{CardType: "visa", CardLast6: f.visa.Last6, CardPIN: "1111"}
		for i := 0; i < card.MaxPINFailures; i++ {
			_, err := f.start(f.alice.ClientNumber, identity.MethodCard, wrong)
			wantCode(t, err, "recovery_failed")
		}
		_, err := f.start(f.alice.ClientNumber, identity.MethodCard, f.cardProof())
		wantCode(t, err, "recovery_failed")
		c, err := f.cards.Get(f.ctx, f.alice.ID, f.visa.ID)
		if err != nil || !c.PINBlocked {
			t.Fatalf("card after %d wrong PINs: %+v, %v; want its PIN blocked", card.MaxPINFailures, c, err)
		}
	})
}

// block blocks Alice's channel with wrong passwords, as anyone who knows her client number can, and delivers the
// SMS that tells her.
func (f *fixture) block(t *testing.T) {
	t.Helper()
	for range auth.DefaultConfig().MaxFailures {
		_, _ = f.auth.Login(f.ctx, f.alice.ClientNumber, "Wrong-pass1")
	}
	if blocked, err := f.auth.Blocked(f.ctx, f.alice.ID); err != nil || !blocked {
		t.Fatalf("Blocked = %v, %v", blocked, err)
	}
	if body := f.lastSMS(t, f.alice.Mobile); !strings.Contains(body, "Keni harruar fjalëkalimin?") {
		t.Fatalf("the SMS of the block %q does not say what to do", body)
	}
}

func TestAStrongRecoveryLiftsABlockWithoutABranch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		uc, _, err := f.codes.Issue(f.ctx, f.alice.ID, uniquecode.Recovery, "staff-1")
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name   string
			method string
			proof  identity.Proof
			pw     string
		}{
			{"card and PIN", identity.MethodCard, f.cardProof(), newPW},
			{"the branch's code", identity.MethodUniqueCode, identity.Proof{UniqueCode: uc}, thirdPW},
		} {
			t.Run(tc.name, func(t *testing.T) {
				f.block(t)
				// A wrong proof says nothing about the block.
				_, err := f.start(f.alice.ClientNumber, identity.MethodCard,
					identity.Proof{CardType: "visa", CardLast6: f.visa.Last6, CardPIN: "1111"})
				wantCode(t, err, "recovery_failed")
				f.recover(t, f.alice.ClientNumber, tc.method, tc.proof, tc.pw)
				if blocked, err := f.auth.Blocked(f.ctx, f.alice.ID); err != nil || blocked {
					t.Fatalf("Blocked = %v, %v after the recovery", blocked, err)
				}
				f.login(t, f.alice, tc.pw)
			})
		}
	})
}

func TestARecoveryStartedBeforeABlockLiftsItWhenCompleted(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		st, err := f.start(f.alice.ClientNumber, identity.MethodCard, f.cardProof())
		if err != nil {
			t.Fatalf("Start: %v", err)
		}
		code := f.sms(t, f.alice.Mobile)
		f.block(t)
		if err := f.rec.Complete(f.ctx, st.ID, code, newPW); err != nil {
			t.Fatalf("Complete on a blocked channel: %v", err)
		}
		f.login(t, f.alice, newPW)
	})
}

func TestAChannelTheBankClosedStaysClosedWhateverTheRecovery(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		// A recovery started before the bank closed the channel cannot be completed after it.
		st, err := f.start(f.alice.ClientNumber, identity.MethodCard, f.cardProof())
		if err != nil {
			t.Fatalf("Start: %v", err)
		}
		code := f.sms(t, f.alice.Mobile)
		f.block(t)
		if err := f.auth.CloseChannel(f.ctx, f.alice.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.rec.Complete(f.ctx, st.ID, code, newPW), "channel_closed")
		// A wrong proof says nothing about the closed channel (A16); a right one is told, and no code is sent.
		_, err = f.start(f.alice.ClientNumber, identity.MethodCard,
			identity.Proof{CardType: "visa", CardLast6: f.visa.Last6, CardPIN: "1111"})
		wantCode(t, err, "recovery_failed")
		_, err = f.start(f.alice.ClientNumber, identity.MethodCard, f.cardProof())
		wantCode(t, err, "channel_closed")
		if n, _ := f.disp.RunOnce(f.ctx); n != 0 {
			t.Errorf("%d SMS sent for a closed channel", n)
		}
		// Staff reopen it (A16); the block is still there until a recovery or staff lift it.
		if err := f.auth.ReactivateChannel(f.ctx, f.alice.ID); err != nil {
			t.Fatal(err)
		}
		if blocked, err := f.auth.Blocked(f.ctx, f.alice.ID); err != nil || !blocked {
			t.Fatalf("Blocked = %v, %v after the channel reopened", blocked, err)
		}
		f.recover(t, f.alice.ClientNumber, identity.MethodCard, f.cardProof(), newPW)
		// After a reactivation the first login is in the internet branch (A16).
		web := auth.WithClient(f.ctx, auth.Client{Channel: auth.ChannelWeb})
		ch, err := f.auth.Login(web, f.alice.ClientNumber, newPW)
		if err != nil {
			t.Fatalf("Login: %v", err)
		}
		if _, _, err := f.auth.VerifyOTP(web, ch.ID, f.sms(t, f.alice.Mobile)); err != nil {
			t.Fatalf("VerifyOTP: %v", err)
		}
	})
}

func TestRecoveryEndsAForcedPasswordChange(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if err := f.auth.SetPassword(f.ctx, f.alice.ID, thirdPW, true); err != nil { // staff set it
			t.Fatal(err)
		}
		f.recover(t, f.alice.ClientNumber, identity.MethodCard, f.cardProof(), newPW)
		if _, sess := f.login(t, f.alice, newPW); sess.MustChange {
			t.Fatal("session after recovery must still change its password")
		}
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
		wantCode(t, f.rec.Complete(f.ctx, id, wrongOf(code), newPW), "otp_invalid")
		wantCode(t, f.rec.Complete(f.ctx, "no-such-recovery", code, newPW), "otp_invalid")
		// A password the policy refuses (here: the current one, A11's last five) gives the code back.
		err := f.rec.Complete(f.ctx, id, code, oldPW)
		if e, ok := kumbara.As(err); !ok || e.Code != "password_policy" {
			t.Fatalf("Complete with the current password: %v, want password_policy", err)
		}
		if err := f.rec.Complete(f.ctx, id, code, newPW); err != nil {
			t.Fatalf("Complete after a wrong code: %v", err)
		}
		wantCode(t, f.rec.Complete(f.ctx, id, code, thirdPW), "otp_used")

		id, code = start()
		f.clk.Advance(2*time.Minute + time.Second)
		wantCode(t, f.rec.Complete(f.ctx, id, code, thirdPW), "otp_expired")

		id, code = start()
		for i := 0; i < auth.DefaultConfig().OTPMaxAttempts; i++ {
			wantCode(t, f.rec.Complete(f.ctx, id, wrongOf(code), thirdPW), "otp_invalid")
		}
		wantCode(t, f.rec.Complete(f.ctx, id, code, thirdPW), "otp_too_many_attempts")

		// A login code cannot set a password.
		ch, err := f.auth.Login(f.ctx, f.alice.ClientNumber, newPW)
		if err != nil {
			t.Fatalf("Login: %v", err)
		}
		wantCode(t, f.rec.Complete(f.ctx, ch.ID, f.sms(t, f.alice.Mobile), thirdPW), "otp_invalid")
		f.login(t, f.alice, newPW)
	})
}

func TestRecoveryCodesCountTowardsTheHourlySMSLimit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		for i := 0; i < auth.DefaultConfig().ChallengesPerHour; i++ {
			if _, err := f.start(f.alice.ClientNumber, identity.MethodCard, f.cardProof()); err != nil {
				t.Fatalf("Start %d: %v", i+1, err)
			}
		}
		_, err := f.start(f.alice.ClientNumber, identity.MethodCard, f.cardProof())
		wantCode(t, err, "rate_limited")
		f.clk.Advance(time.Hour + time.Second)
		if _, err := f.start(f.alice.ClientNumber, identity.MethodCard, f.cardProof()); err != nil {
			t.Fatalf("Start an hour later: %v", err)
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
			{"five digits", identity.MethodCard,
				identity.Proof{CardType: "visa", CardLast6: "12345", CardPIN: pin}, []string{"card_last6"}},
			{"unique code missing", identity.MethodUniqueCode, identity.Proof{}, []string{"unique_code"}},
			{"ID document without anything", identity.MethodIDDocument, identity.Proof{},
				[]string{"id_document.sod", "id_document.data_groups", "previous_password"}},
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

// TestOnABlockedChannelEachPINOrCodeGuessCostsACountedTry shows why the card and unique-code methods may go on
// after a right proof on a blocked channel (and lift the block): every wrong guess there costs one of the PIN's or
// the code's own tries, and once those are spent a right answer is refused like a wrong one, so the answer is no
// unlimited oracle.
func TestOnABlockedChannelEachPINOrCodeGuessCostsACountedTry(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		uc, _, err := f.codes.Issue(f.ctx, f.alice.ID, uniquecode.Recovery, "staff-1")
		if err != nil {
			t.Fatal(err)
		}
		bob := f.person(t)
		notAlices, _, err := f.codes.Issue(f.ctx, bob.ID, uniquecode.Recovery, "staff-1")
		if err != nil {
			t.Fatal(err)
		}
		f.block(t)
		for range card.MaxPINFailures {
			_, err := f.start(f.alice.ClientNumber, identity.MethodCard,
				identity.Proof{CardType: "visa", CardLast6: f.visa.Last6, CardPIN: "1111"})
			wantCode(t, err, "recovery_failed")
		}
		_, err = f.start(f.alice.ClientNumber, identity.MethodCard, f.cardProof())
		wantCode(t, err, "recovery_failed") // the card's PIN is blocked now
		for range uniquecode.DefaultMaxAttempts {
			_, err := f.start(f.alice.ClientNumber, identity.MethodUniqueCode, identity.Proof{UniqueCode: notAlices})
			wantCode(t, err, "recovery_failed")
		}
		_, err = f.start(f.alice.ClientNumber, identity.MethodUniqueCode, identity.Proof{UniqueCode: uc})
		wantCode(t, err, "recovery_failed") // the code was revoked at its limit
		if n, _ := f.disp.RunOnce(f.ctx); n != 0 {
			t.Errorf("%d SMS sent to a blocked customer", n)
		}
	})
}
