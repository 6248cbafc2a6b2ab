package issuing

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/text"
)

// The clearing (presentment) file is what the network sends at the end of its day: CSV (RFC 4180), one record a
// line, the record's type first:
//
//	H,<file id>,<business date YYYY-MM-DD>
//	P,<presentment id>,<authorisation id or empty>,<card id>,<kind>,<amount minor units>,<currency>,<mcc>,<merchant>
//	T,<number of P records>,<sum of their amounts, whatever the currency>
//
// kind is purchase, cash or refund. One header first, one trailer last, presentment ids unique in the file. The
// trailer's figures let the issuer tell a cut file from a whole one.

// MaxPresentments is the most presentments one file may carry.
const MaxPresentments = 1_000_000

// File is a clearing file as read.
type File struct {
	ID           string
	BusinessDate calendar.Date
	Presentments []Presentment
}

// Presentment is one line of a clearing file: the merchant asking for the money of an authorisation (or of none),
// or giving some back (a refund).
type Presentment struct {
	ID              string
	AuthorisationID string // "" for a presentment without authorisation, and for most refunds
	CardID          string
	Kind            string // purchase, cash, refund
	Amount          money.Amount
	MCC             string
	Merchant        string
}

// Format writes f in the clearing file format.
func Format(f File) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"H", f.ID, f.BusinessDate.String()})
	var sum int64
	for _, p := range f.Presentments {
		sum += p.Amount.Minor
		_ = w.Write([]string{"P", p.ID, p.AuthorisationID, p.CardID, p.Kind, strconv.FormatInt(p.Amount.Minor, 10),
			string(p.Amount.Currency), p.MCC, p.Merchant})
	}
	_ = w.Write([]string{"T", strconv.Itoa(len(f.Presentments)), strconv.FormatInt(sum, 10)})
	w.Flush()
	return buf.Bytes()
}

// Parse reads a clearing file. Anything out of the format is card_clearing_file_invalid with the line at fault
// (parameter line), and nothing of the file is taken.
func Parse(data []byte) (File, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	var f File
	seen := map[string]bool{}
	var sum int64
	line, trailer := 0, false
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line++
		bad := func() (File, error) {
			return File{}, ErrClearingFileInvalid.WithParam("line", strconv.Itoa(line))
		}
		if err != nil || trailer || len(rec) == 0 {
			return bad()
		}
		switch {
		case line == 1:
			if len(rec) != 3 || rec[0] != "H" || !id(rec[1]) {
				return bad()
			}
			d, err := calendar.ParseDate(rec[2])
			if err != nil {
				return bad()
			}
			f.ID, f.BusinessDate = rec[1], d
		case rec[0] == "P":
			p, ok := presentment(rec)
			if !ok || seen[p.ID] || len(f.Presentments) >= MaxPresentments {
				return bad()
			}
			s, ok := add(sum, p.Amount.Minor)
			if !ok {
				return bad()
			}
			sum = s
			seen[p.ID] = true
			f.Presentments = append(f.Presentments, p)
		case rec[0] == "T":
			if len(rec) != 3 || rec[1] != strconv.Itoa(len(f.Presentments)) || rec[2] != strconv.FormatInt(sum, 10) {
				return bad()
			}
			trailer = true
		default:
			return bad()
		}
	}
	if !trailer {
		return File{}, ErrClearingFileInvalid.WithParam("line", strconv.Itoa(line+1))
	}
	return f, nil
}

func presentment(rec []string) (Presentment, bool) {
	if len(rec) != 9 {
		return Presentment{}, false
	}
	p := Presentment{ID: rec[1], AuthorisationID: rec[2], CardID: rec[3], Kind: rec[4], MCC: rec[7],
		Merchant: text.Clean(rec[8])}
	if !id(p.ID) || !id(p.CardID) || (p.AuthorisationID != "" && !id(p.AuthorisationID)) {
		return Presentment{}, false
	}
	switch p.Kind {
	case KindPurchase, KindCash, KindRefund:
	default:
		return Presentment{}, false
	}
	if _, ok := mccNumber(p.MCC); !ok || p.Merchant == "" || !text.Storable(p.Merchant) || len(p.Merchant) > MaxMerchant {
		return Presentment{}, false
	}
	cur := money.Currency(rec[6])
	n, err := strconv.ParseInt(rec[5], 10, 64)
	if !cur.Valid() || err != nil || n <= 0 || rec[5][0] == '+' || (len(rec[5]) > 1 && rec[5][0] == '0') {
		return Presentment{}, false
	}
	p.Amount = money.New(n, cur)
	return p, true
}

// id is an identifier from outside: 1 to 64 printable ASCII characters without separators.
func id(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if r <= ' ' || r > '~' || r == ',' || r == '"' {
			return false
		}
	}
	return true
}

func add(a, b int64) (int64, bool) {
	c := a + b
	if c < a {
		return 0, false
	}
	return c, true
}
