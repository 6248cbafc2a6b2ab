package payments

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"strconv"
	"time"
)

// The payment pages are stateless between steps, as the transfer pages are: the reviewed payment travels in the
// review page's address and its confirm form's hidden fields with an HMAC over every field and a fresh
// idempotency key, so any instance behind a load balancer takes the next step, confirming twice (a double click,
// the back button, a reload) makes one payment, and a changed field is refused rather than paid.

// reviewFor is how long a reviewed payment may wait for its confirmation.
const reviewFor = 15 * time.Minute

// sealLabel separates this key from every other use of the server's secret (the transfer pages' seals among them).
const sealLabel = "kumbara/web/payments/v1"

// sealKey is the HMAC key of the payment pages, derived from the secret the one-time codes are HMAC'd with
// (configured or kept in the database, so every instance and restart derive the same). Without a secret (a site
// built without auth.Service.Key, as some tests do) the area's random key stands in.
func (s *area) sealKey() []byte {
	if s.Auth == nil || len(s.Auth.Key) == 0 {
		return s.processKey
	}
	m := hmac.New(sha256.New, s.Auth.Key)
	m.Write([]byte(sealLabel))
	return m.Sum(nil)
}

// sign is the HMAC of the customer and fields, each length-prefixed so that no two lists sign the same bytes.
func (s *area) sign(customerID string, fields ...string) string {
	m := hmac.New(sha256.New, s.sealKey())
	for _, f := range append([]string{"review", customerID}, fields...) {
		m.Write([]byte(strconv.Itoa(len(f))))
		m.Write([]byte{':'})
		m.Write([]byte(f))
	}
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// newKey is the idempotency key of one reviewed payment: 128 random bits.
func newKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// reviewed is one payment exactly as the customer reviewed it, with the idempotency key its review was given.
type reviewed struct {
	In          input
	Key, Issued string
}

// sealNames are the names of what a seal carries beyond the payment's fields, in signing order after them.
var sealNames = []string{"key", "issued"}

func (rv reviewed) list() []string { return append(rv.In.list(), rv.Key, rv.Issued) }

// seal returns rv as signed values ("sig" last): the review page's query and its confirm form's hidden fields.
func (s *area) seal(customerID string, rv reviewed) url.Values {
	v := rv.In.values()
	v.Set("key", rv.Key)
	v.Set("issued", rv.Issued)
	v.Set("sig", s.sign(customerID, rv.list()...))
	return v
}

// fresh seals in as a new review: a new key (a changed payment is another payment) and the time it is issued.
func (s *area) fresh(customerID string, in input) url.Values {
	return s.seal(customerID, reviewed{In: in, Key: newKey(), Issued: strconv.FormatInt(s.Now().Unix(), 10)})
}

// unseal reads back what seal wrote: any change to any field, or a review older than reviewFor, is refused.
func (s *area) unseal(customerID string, v url.Values, now time.Time) (reviewed, error) {
	rv := reviewed{In: inputFrom(v), Key: v.Get("key"), Issued: v.Get("issued")}
	if !hmac.Equal([]byte(v.Get("sig")), []byte(s.sign(customerID, rv.list()...))) {
		return reviewed{}, ErrTampered
	}
	sec, err := strconv.ParseInt(rv.Issued, 10, 64)
	if err != nil || now.Sub(time.Unix(sec, 0)) > reviewFor {
		return reviewed{}, ErrExpired
	}
	return rv, nil
}
