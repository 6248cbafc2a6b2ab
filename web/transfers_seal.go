package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/transfer"
)

// The transfer pages are stateless between steps: what a step hands to the next travels in the page (hidden
// fields, or the query of a GET page) with an HMAC over it, so any instance behind a load balancer can take the
// next step, and a customer who edits the page (or a script that does) is refused instead of sending something
// other than what they reviewed.

const (
	// trReviewFor is how long a reviewed transfer may wait for its confirmation.
	trReviewFor = 15 * time.Minute
	// trPayeeFor is how long the answer of a payee check may be used to fill the transfer form.
	trPayeeFor = 30 * time.Minute
)

// trSealLabel separates this key from every other use of the server's secret.
const trSealLabel = "kumbara/web/transfers/v1"

// transferProcessKey stands in for the server's secret when there is none (a Server built without auth.Service.Key, as
// some tests do): random, once per process, so a review only confirms on the instance that showed it.
var transferProcessKey = sync.OnceValue(func() []byte {
	k := make([]byte, 32)
	_, _ = rand.Read(k) // never fails (crypto/rand panics rather than return an error since Go 1.24)
	return k
})

// transferSealKey is the HMAC key of the transfer pages, derived from the secret the one-time codes are HMAC'd with
// (configured, or kept in the database, so every instance and every restart derive the same key). A separate
// label keeps a seal from ever being usable as a code's HMAC or the other way round.
func (s *Server) transferSealKey() []byte {
	if s.Auth == nil || len(s.Auth.Key) == 0 {
		return transferProcessKey()
	}
	m := hmac.New(sha256.New, s.Auth.Key)
	m.Write([]byte(trSealLabel))
	return m.Sum(nil)
}

// transferSign returns the HMAC of purpose, the customer and fields. Each part is length-prefixed so no two different
// lists of fields ever sign the same bytes ("ab","c" and "a","bc" differ).
func (s *Server) transferSign(purpose, customerID string, fields ...string) string {
	m := hmac.New(sha256.New, s.transferSealKey())
	for _, f := range append([]string{purpose, customerID}, fields...) {
		m.Write([]byte(strconv.Itoa(len(f))))
		m.Write([]byte{':'})
		m.Write([]byte(f))
	}
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (s *Server) transferSigned(sig, purpose, customerID string, fields ...string) bool {
	return hmac.Equal([]byte(sig), []byte(s.transferSign(purpose, customerID, fields...)))
}

func errTransferTampered() error { return kumbara.Invalid("web_tr_tampered") }

func errTransferExpired() error {
	return &kumbara.Error{Kind: kumbara.KindGone, Code: "web_tr_expired"}
}

// trFresh reports whether a seal issued at the Unix second issued is still good at now. A time from the future
// cannot come from this server (the fields are signed), so only age is checked.
func trFresh(issued string, now time.Time, ttl time.Duration) bool {
	sec, err := strconv.ParseInt(issued, 10, 64)
	return err == nil && now.Sub(time.Unix(sec, 0)) <= ttl
}

// newTransferKey is the key of one reviewed transfer: 128 random bits, so two reviews never share one.
func newTransferKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// trPayeeRef is the answer of a payee check as the form carries it: the masked name and the accounts that may
// receive money ("IBAN:CUR,IBAN:CUR"), signed, so the form can be shown again (after an error, or to change a
// reviewed transfer) without asking again — which would spend the customer's rate limit — and a forged IBAN never
// gets a name next to it.
type trPayeeRef struct {
	By, Name, Accounts, Issued, Sig string
}

var trPayeeFields = []string{"payee_by", "payee_name", "payee_accounts", "payee_issued", "payee_sig"}

func (p trPayeeRef) list() []string { return []string{p.By, p.Name, p.Accounts, p.Issued} }

func (p trPayeeRef) set(v url.Values) {
	for i, x := range append(p.list(), p.Sig) {
		v.Set(trPayeeFields[i], x)
	}
}

func trPayeeFrom(v url.Values) trPayeeRef {
	return trPayeeRef{By: v.Get("payee_by"), Name: v.Get("payee_name"), Accounts: v.Get("payee_accounts"),
		Issued: v.Get("payee_issued"), Sig: v.Get("payee_sig")}
}

func (s *Server) sealPayee(customerID, by string, p transfer.Payee, now time.Time) trPayeeRef {
	accounts := make([]string, 0, len(p.Accounts))
	for _, a := range p.Accounts {
		accounts = append(accounts, a.IBAN+":"+string(a.Currency))
	}
	ref := trPayeeRef{By: by, Name: p.MaskedName, Accounts: strings.Join(accounts, ","),
		Issued: strconv.FormatInt(now.Unix(), 10)}
	ref.Sig = s.transferSign("payee", customerID, ref.list()...)
	return ref
}

// openPayee checks a payee reference's signature and, when ttl > 0, its age, and returns its accounts.
func (s *Server) openPayee(customerID string, ref trPayeeRef, now time.Time, ttl time.Duration) ([]transfer.PayeeAccount, error) {
	if !s.transferSigned(ref.Sig, "payee", customerID, ref.list()...) {
		return nil, errTransferTampered()
	}
	if ttl > 0 && !trFresh(ref.Issued, now, ttl) {
		return nil, &kumbara.Error{Kind: kumbara.KindGone, Code: "web_tr_payee_expired"}
	}
	var out []transfer.PayeeAccount
	for a := range strings.SplitSeq(ref.Accounts, ",") {
		ib, cur, ok := strings.Cut(a, ":")
		if !ok {
			return nil, errTransferTampered()
		}
		out = append(out, transfer.PayeeAccount{IBAN: ib, Currency: money.Currency(cur)})
	}
	return out, nil
}

// trReviewed is one transfer exactly as the customer reviewed it: what the review page shows and the confirm form
// posts back, with the idempotency key the review was given.
type trReviewed struct {
	Type, From, To, ToIBAN, Amount, Currency, Description, Phone string
	Payee                                                        trPayeeRef // internal transfers only
	Key, Issued                                                  string
}

// trReviewFields names the signed fields, in signing order.
var trReviewFields = []string{"type", "from", "to", "to_iban", "amount", "currency", "description", "phone",
	"payee_by", "payee_name", "payee_accounts", "payee_issued", "payee_sig", "key", "issued"}

func (rv trReviewed) list() []string {
	return []string{rv.Type, rv.From, rv.To, rv.ToIBAN, rv.Amount, rv.Currency, rv.Description, rv.Phone,
		rv.Payee.By, rv.Payee.Name, rv.Payee.Accounts, rv.Payee.Issued, rv.Payee.Sig, rv.Key, rv.Issued}
}

// sealReview returns the reviewed transfer as signed form values ("sig" last).
func (s *Server) sealReview(customerID string, rv trReviewed) url.Values {
	v := url.Values{}
	for i, x := range rv.list() {
		v.Set(trReviewFields[i], x)
	}
	v.Set("sig", s.transferSign("review", customerID, rv.list()...))
	return v
}

// unsealReview reads back what sealReview wrote; any change to any field, or a review older than trReviewFor, is refused.
func (s *Server) unsealReview(customerID string, v url.Values, now time.Time) (trReviewed, error) {
	rv := trReviewed{Type: v.Get("type"), From: v.Get("from"), To: v.Get("to"), ToIBAN: v.Get("to_iban"),
		Amount: v.Get("amount"), Currency: v.Get("currency"), Description: v.Get("description"),
		Phone: v.Get("phone"), Payee: trPayeeFrom(v), Key: v.Get("key"), Issued: v.Get("issued")}
	if !s.transferSigned(v.Get("sig"), "review", customerID, rv.list()...) {
		return trReviewed{}, errTransferTampered()
	}
	if !trFresh(rv.Issued, now, trReviewFor) {
		return trReviewed{}, errTransferExpired()
	}
	return rv, nil
}
