package transfers

import (
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/transfer"
	"github.com/kumbara/kumbara/web/core"
)

func sealServer(key string) *area {
	return newArea(&core.Site{Deps: core.Deps{Auth: &auth.Service{Key: []byte(key)}}})
}

func TestReviewSealRefusesAnyChangeToWhatWasReviewed(t *testing.T) {
	s := sealServer("0123456789abcdef0123456789abcdef")
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	rv := reviewed{Type: transfer.Internal, From: "acc-1", ToIBAN: "AL35999000010000000000000001", Amount: "10.00",
		Currency: "ALL", Description: "Qira", Phone: "+355691234567",
		Payee: payeeRef{By: "client_number", Name: "E**** S****", Accounts: "AL35999000010000000000000001:ALL",
			Issued: "1", Sig: "x"}, Key: "k", Issued: strconv.FormatInt(now.Unix(), 10)}
	sealed := s.sealReview("cust-1", rv)
	if got, err := s.unsealReview("cust-1", sealed, now); err != nil || got != rv {
		t.Fatalf("unsealReview of an untouched review = %+v, %v", got, err)
	}
	for _, field := range append(reviewFields(), "sig") {
		t.Run("changing "+field, func(t *testing.T) {
			v := url.Values{}
			for k, x := range sealed {
				v[k] = append([]string(nil), x...)
			}
			v.Set(field, v.Get(field)+"1")
			if _, err := s.unsealReview("cust-1", v, now); kumbara.CodeOf(err) != "web_tr_tampered" {
				t.Errorf("a changed %s gives %v", field, err)
			}
		})
	}
	tests := []struct {
		name     string
		server   *area
		customer string
		at       time.Time
		want     string
	}{
		{"another customer cannot confirm it", s, "cust-2", now, "web_tr_tampered"},
		{"another key did not sign it", sealServer("another secret, 32 bytes long...."), "cust-1", now, "web_tr_tampered"},
		{"it may wait for its confirmation a while", s, "cust-1", now.Add(reviewFor), ""},
		{"but not for ever", s, "cust-1", now.Add(reviewFor + time.Second), "web_tr_expired"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.server.unsealReview(tt.customer, sealed, tt.at)
			if got := kumbara.CodeOf(err); (err == nil && tt.want != "") || (err != nil && got != tt.want) {
				t.Errorf("unsealReview = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestPayeeSealKeepsTheMaskedNameWithItsAccounts(t *testing.T) {
	s := sealServer("0123456789abcdef0123456789abcdef")
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	p := transfer.Payee{MaskedName: "E**** S****", Accounts: []transfer.PayeeAccount{
		{IBAN: "AL35999000010000000000000001", Currency: money.ALL}, {IBAN: "AL08999000010000000000000003", Currency: money.EUR}}}
	ref := s.sealPayee("cust-1", transfer.ByClientNumber, p, now)
	got, err := s.openPayee("cust-1", ref, now, payeeFor)
	if err != nil || len(got) != 2 || got[1] != p.Accounts[1] {
		t.Fatalf("openPayee = %+v, %v", got, err)
	}
	forged := ref
	forged.Accounts = "AL47999000010000000000000009:ALL"
	renamed := ref
	renamed.Name = "A**** H****"
	tests := []struct {
		name string
		ref  payeeRef
		at   time.Time
		want string
	}{
		{"another IBAN cannot borrow the name", forged, now, "web_tr_tampered"},
		{"another name cannot borrow the accounts", renamed, now, "web_tr_tampered"},
		{"an old check must be made again", ref, now.Add(payeeFor + time.Second), "web_tr_payee_expired"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := s.openPayee("cust-1", tt.ref, tt.at, payeeFor); kumbara.CodeOf(err) != tt.want {
				t.Errorf("openPayee = %v, want %s", err, tt.want)
			}
		})
	}
}

func TestAmountsAreReadAsCustomersTypeThem(t *testing.T) {
	tests := []struct {
		name, in string
		want     int64
		code     string
	}{
		{"whole", "1500", 150000, ""},
		{"decimal comma", "1500,50", 150050, ""},
		{"decimal point", "1500.5", 150050, ""},
		{"spaces anywhere", " 1 500,50 ", 150050, ""},
		{"thousands separators as the page writes them", "1.500,50", 150050, ""},
		{"thousands separators as the other language writes them", "1,500.50", 150050, ""},
		{"a decimal comma before three digits reads two ways", "12,345", 0, "amount_ambiguous"},
		{"three decimals", "12,3456", 0, "amount_too_many_decimals"},
		{"zero", "0", 0, "amount_not_positive"},
		{"negative", "-5", 0, "amount_not_positive"},
		{"empty", "", 0, "invalid_amount"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			typed, err := money.Typed(tt.in, ',')
			var got money.Amount
			if err == nil {
				got, err = money.ParsePositive(typed, money.ALL)
			}
			if tt.code != "" {
				if kumbara.CodeOf(err) != tt.code {
					t.Fatalf("reading %q error %v, want %s", tt.in, err, tt.code)
				}
				return
			}
			if err != nil || got.Minor != tt.want {
				t.Errorf("reading %q = %d, %v, want %d", tt.in, got.Minor, err, tt.want)
			}
		})
	}
}

func TestOwnIBANsAreMaskedToTheirEnds(t *testing.T) {
	if got := maskIBAN("AL35999000010000000000000001"); got != "AL35 **** 0001" {
		t.Errorf("maskIBAN = %q", got)
	}
}
