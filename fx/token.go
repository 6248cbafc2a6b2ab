package fx

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/sealed"
)

// A quote is an offer the bank signs rather than a row it writes: the customer's id, both accounts, the price and
// the expiry, sealed with an HMAC under the bank's key. Nothing is written until the customer confirms it, so a
// quote costs reads alone (the accounts, the rates) and any instance can confirm one another instance gave; a
// quote tampered with, or another customer's, is simply not found. Its conversion's own id (a UUIDv7) is inside:
// the row Execute writes, the idempotency of the execution and the receipt use that.

// DeriveKey is the key quotes are signed with, from the bank's secret.
func DeriveKey(secret []byte) []byte { return sealed.Key(secret, "kumbara fx quote v1") }

// quoteToken is what a quote carries, in short keys: it travels in addresses.
type quoteToken struct {
	ID         string `json:"i"`
	Customer   string `json:"c"`
	From       string `json:"f"`
	To         string `json:"t"`
	FromIBAN   string `json:"fi,omitempty"`
	ToIBAN     string `json:"ti,omitempty"`
	Sell       int64  `json:"s"`
	SellCur    string `json:"sc"`
	Buy        int64  `json:"b"`
	BuyCur     string `json:"bc"`
	Side       string `json:"sd"`
	Rate       string `json:"r"`
	Base       string `json:"rb"`
	Quoted     string `json:"rq"`
	Segment    string `json:"sg"`
	Factor     string `json:"fa"`
	SellMid    string `json:"sm"`
	BuyMid     string `json:"bm"`
	SellRateID string `json:"sr,omitempty"`
	BuyRateID  string `json:"br,omitempty"`
	Income     int64  `json:"in"`
	Rounding   int64  `json:"ro"`
	Desc       string `json:"d,omitempty"`
	Created    int64  `json:"ca"`
	Expires    int64  `json:"ex"`
}

// tokenPrefix tells a quote's id from a conversion's (a UUID).
const tokenPrefix = "q1."

func tokenOf(c Conversion) quoteToken {
	p := c.Price
	return quoteToken{ID: c.key, Customer: c.CustomerID, From: c.FromAccountID, To: c.ToAccountID,
		FromIBAN: c.FromIBAN, ToIBAN: c.ToIBAN, Sell: p.Sell.Minor, SellCur: string(p.Sell.Currency), Buy: p.Buy.Minor,
		BuyCur: string(p.Buy.Currency), Side: string(p.Side), Rate: p.Rate, Base: string(p.Base),
		Quoted: string(p.Quoted), Segment: p.Segment, Factor: p.Factor, SellMid: p.SellMid, BuyMid: p.BuyMid,
		SellRateID: p.SellRateID, BuyRateID: p.BuyRateID, Income: p.Income, Rounding: p.Rounding, Desc: c.Description,
		Created: db.Micros(c.CreatedAt), Expires: db.Micros(c.ExpiresAt)}
}

func (t quoteToken) conversion() Conversion {
	return Conversion{ID: "", key: t.ID, CustomerID: t.Customer, FromAccountID: t.From, ToAccountID: t.To,
		FromIBAN: t.FromIBAN, ToIBAN: t.ToIBAN, Description: t.Desc, Status: Quoted,
		CreatedAt: db.FromMicros(t.Created), ExpiresAt: db.FromMicros(t.Expires),
		Price: Price{Rate: t.Rate, Base: money.Currency(t.Base), Quoted: money.Currency(t.Quoted),
			Sell: money.New(t.Sell, money.Currency(t.SellCur)), Buy: money.New(t.Buy, money.Currency(t.BuyCur)),
			Side: Side(t.Side), Segment: t.Segment, Factor: t.Factor, SellMid: t.SellMid, BuyMid: t.BuyMid,
			SellRateID: t.SellRateID, BuyRateID: t.BuyRateID, Income: t.Income, Rounding: t.Rounding}}
}

// key is the key quotes are signed with: Service.Key, or, for a service built without one (a test, a tool), one
// made at random for its life.
func (s *Service) key() []byte {
	s.keyOnce.Do(func() {
		if len(s.Key) > 0 {
			s.signing = s.Key
			return
		}
		s.signing = make([]byte, 32)
		_, _ = rand.Read(s.signing)
	})
	return s.signing
}

func (s *Service) mac(payload string) string {
	m := hmac.New(sha256.New, s.key())
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:20])
}

// seal is c's quote as its id: the prefix, the payload and its MAC, URL-safe.
func (s *Service) seal(c Conversion) (string, error) {
	raw, err := json.Marshal(tokenOf(c))
	if err != nil {
		return "", err
	}
	payload := base64.RawURLEncoding.EncodeToString(raw)
	return tokenPrefix + payload + "." + s.mac(payload), nil
}

// open is the quote id names, if the bank signed it for customerID; ok is false otherwise (another customer's, a
// changed one, not a quote at all).
func (s *Service) open(customerID, id string) (Conversion, bool) {
	rest, isQuote := strings.CutPrefix(id, tokenPrefix)
	if !isQuote || len(id) > 4096 {
		return Conversion{}, false
	}
	payload, sum, found := strings.Cut(rest, ".")
	if !found || !hmac.Equal([]byte(sum), []byte(s.mac(payload))) {
		return Conversion{}, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return Conversion{}, false
	}
	var t quoteToken
	if err := json.Unmarshal(raw, &t); err != nil || t.Customer != customerID || t.ID == "" {
		return Conversion{}, false
	}
	c := t.conversion()
	c.ID = id
	return c, true
}

// ratesFor is how long a service's reading of the current rates serves quotes and the calculator: a publication
// reaches them within it on every instance (at once on the one that published it), and a quote priced from the
// rate it replaced is refused when confirmed (fx_quote_changed), which reads the latest publication itself.
const ratesFor = time.Second
