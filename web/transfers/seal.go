package transfers

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/transfer"
)

// The transfer pages are stateless between steps: what a step hands to the next travels in the page (hidden
// fields, or the query of a GET page) with an HMAC over it, so any instance behind a load balancer can take the
// next step, and a customer who edits the page (or a script that does) is refused instead of sending something
// other than what they reviewed.

const (
	// reviewFor is how long a reviewed transfer may wait for its confirmation.
	reviewFor = 15 * time.Minute
	// payeeFor is how long the answer of a payee check may be used to fill the transfer form.
	payeeFor = 30 * time.Minute
)

// sealLabel separates this key from every other use of the server's secret.
const sealLabel = "kumbara/web/transfers/v1"

// sealKey is the HMAC key of the transfer pages, derived from the secret the one-time codes are HMAC'd with
// (configured, or kept in the database, so every instance and every restart derive the same key). A separate
// label keeps a seal from ever being usable as a code's HMAC or the other way round. Without a secret (a site
// built without auth.Service.Key, as some tests do) the area's random key stands in, so a review only confirms on
// the instance that showed it.
func (s *area) sealKey() []byte {
	if s.Auth == nil || len(s.Auth.Key) == 0 {
		return s.processKey
	}
	m := hmac.New(sha256.New, s.Auth.Key)
	m.Write([]byte(sealLabel))
	return m.Sum(nil)
}

// sign returns the HMAC of purpose, the customer and fields. Each part is length-prefixed so no two different
// lists of fields ever sign the same bytes ("ab","c" and "a","bc" differ).
func (s *area) sign(purpose, customerID string, fields ...string) string {
	m := hmac.New(sha256.New, s.sealKey())
	for _, f := range append([]string{purpose, customerID}, fields...) {
		m.Write([]byte(strconv.Itoa(len(f))))
		m.Write([]byte{':'})
		m.Write([]byte(f))
	}
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (s *area) signed(sig, purpose, customerID string, fields ...string) bool {
	return hmac.Equal([]byte(sig), []byte(s.sign(purpose, customerID, fields...)))
}

// fresh reports whether a seal issued at the Unix second issued is still good at now. A time from the future
// cannot come from this server (the fields are signed), so only age is checked.
func fresh(issued string, now time.Time, ttl time.Duration) bool {
	sec, err := strconv.ParseInt(issued, 10, 64)
	return err == nil && now.Sub(time.Unix(sec, 0)) <= ttl
}

// newKey is the key of one reviewed transfer: 128 random bits, so two reviews never share one.
func newKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// payeeRef is the answer of a payee check as the form carries it: the masked name and the accounts that may
// receive money ("IBAN:CUR,IBAN:CUR"), signed, so the form can be shown again (after an error, or to change a
// reviewed transfer) without asking again — which would spend the customer's rate limit — and a forged IBAN never
// gets a name next to it.
type payeeRef struct {
	By, Name, Accounts, Issued, Sig string
}

// payeeFields names a payee reference's form fields, in the order of its list and then its signature.
func payeeFields() []string {
	return []string{"payee_by", "payee_name", "payee_accounts", "payee_issued", "payee_sig"}
}

func (p payeeRef) list() []string { return []string{p.By, p.Name, p.Accounts, p.Issued} }

func (p payeeRef) set(v url.Values) {
	names := payeeFields()
	for i, x := range append(p.list(), p.Sig) {
		v.Set(names[i], x)
	}
}

func payeeFrom(v url.Values) payeeRef {
	return payeeRef{By: v.Get("payee_by"), Name: v.Get("payee_name"), Accounts: v.Get("payee_accounts"),
		Issued: v.Get("payee_issued"), Sig: v.Get("payee_sig")}
}

func (s *area) sealPayee(customerID, by string, p transfer.Payee, now time.Time) payeeRef {
	accounts := make([]string, 0, len(p.Accounts))
	for _, a := range p.Accounts {
		accounts = append(accounts, a.IBAN+":"+string(a.Currency))
	}
	ref := payeeRef{By: by, Name: p.MaskedName, Accounts: strings.Join(accounts, ","),
		Issued: strconv.FormatInt(now.Unix(), 10)}
	ref.Sig = s.sign("payee", customerID, ref.list()...)
	return ref
}

// openPayee checks a payee reference's signature and, when ttl > 0, its age, and returns its accounts.
func (s *area) openPayee(customerID string, ref payeeRef, now time.Time, ttl time.Duration) ([]transfer.PayeeAccount, error) {
	if !s.signed(ref.Sig, "payee", customerID, ref.list()...) {
		return nil, ErrTampered
	}
	if ttl > 0 && !fresh(ref.Issued, now, ttl) {
		return nil, ErrPayeeExpired
	}
	var out []transfer.PayeeAccount
	for a := range strings.SplitSeq(ref.Accounts, ",") {
		ib, cur, ok := strings.Cut(a, ":")
		if !ok {
			return nil, ErrTampered
		}
		out = append(out, transfer.PayeeAccount{IBAN: ib, Currency: money.Currency(cur)})
	}
	return out, nil
}

// reviewed is one transfer exactly as the customer reviewed it: what the review page shows and the confirm form
// posts back, with the idempotency key the review was given.
type reviewed struct {
	Type, From, To, ToIBAN, Amount, Currency, Description, Phone string
	Name                                                         string   // the payee's name typed, for the name check
	Payee                                                        payeeRef // internal transfers only
	Key, Issued                                                  string
}

// reviewFields names the signed fields, in signing order.
func reviewFields() []string {
	return []string{"type", "from", "to", "to_iban", "amount", "currency", "description", "phone", "name",
		"payee_by", "payee_name", "payee_accounts", "payee_issued", "payee_sig", "key", "issued"}
}

func (rv reviewed) list() []string {
	return []string{rv.Type, rv.From, rv.To, rv.ToIBAN, rv.Amount, rv.Currency, rv.Description, rv.Phone, rv.Name,
		rv.Payee.By, rv.Payee.Name, rv.Payee.Accounts, rv.Payee.Issued, rv.Payee.Sig, rv.Key, rv.Issued}
}

// sealReview returns the reviewed transfer as signed form values ("sig" last).
func (s *area) sealReview(customerID string, rv reviewed) url.Values {
	v, names := url.Values{}, reviewFields()
	for i, x := range rv.list() {
		v.Set(names[i], x)
	}
	v.Set("sig", s.sign("review", customerID, rv.list()...))
	return v
}

// unsealReview reads back what sealReview wrote; any change to any field, or a review older than reviewFor, is refused.
func (s *area) unsealReview(customerID string, v url.Values, now time.Time) (reviewed, error) {
	rv := reviewed{Type: v.Get("type"), From: v.Get("from"), To: v.Get("to"), ToIBAN: v.Get("to_iban"),
		Amount: v.Get("amount"), Currency: v.Get("currency"), Description: v.Get("description"),
		Phone: v.Get("phone"), Name: v.Get("name"), Payee: payeeFrom(v), Key: v.Get("key"), Issued: v.Get("issued")}
	if !s.signed(v.Get("sig"), "review", customerID, rv.list()...) {
		return reviewed{}, ErrTampered
	}
	if !fresh(rv.Issued, now, reviewFor) {
		return reviewed{}, ErrExpired
	}
	return rv, nil
}
