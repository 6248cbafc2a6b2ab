package sca

import (
	"strings"
	"testing"

	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/money"
)

// The payment code's SMS is in the customer's language, with the amount as that language writes it, the masked
// payee, the IBAN and, when confirming trusts the payee, that too.
func TestThePaymentCodeSMSIsInTheCustomersLanguage(t *testing.T) {
	s := &Service{Texts: i18n.MustNew()}
	p := Payment{ToIBAN: "AL35202111090000000001234567", PayeeName: "E**** S****", Amount: money.New(1_250_050, money.EUR)}
	tests := []struct {
		name  string
		lang  i18n.Lang
		trust bool
		want  []string
		not   []string
	}{
		{"albanian", i18n.SQ, false, []string{"kodi 123456 konfirmon pagesën 12.500,50 EUR për E**** S**** (AL35202111090000000001234567)",
			"Mos ia tregoni askujt"}, []string{"besuar", "Code"}},
		{"albanian, trusting the payee", i18n.SQ, true, []string{"12.500,50 EUR", "dhe e shton si përfitues të besuar"}, nil},
		{"english", i18n.EN, false, []string{"code 123456 confirms the payment of 12,500.50 EUR to E**** S**** (AL35202111090000000001234567)",
			"Do not share it"}, []string{"trusted", "kodi"}},
		{"english, trusting the payee", i18n.EN, true, []string{"12,500.50 EUR", "and makes them a trusted beneficiary"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := p
			q.TrustPayee = tt.trust
			body := s.smsText(tt.lang, q, "123456")
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("SMS %q lacks %q", body, w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(body, w) {
					t.Errorf("SMS %q has %q", body, w)
				}
			}
		})
	}
}

// An online card purchase's code names the merchant, the amount and the card's last digits, in the customer's
// language, and speaks of a purchase, not a payment to a payee.
func TestThePurchaseCodeSMSNamesTheMerchantAndTheAmount(t *testing.T) {
	s := &Service{Texts: i18n.MustNew()}
	p := Payment{Purchase: true, PayeeName: "Librari Adrion", FromIBAN: "*1234", Amount: money.New(245_000, money.ALL)}
	for lang, want := range map[i18n.Lang]string{
		i18n.SQ: "kodi 123456 aprovon blerjen online 2.450,00 ALL te Librari Adrion me kartën *1234",
		i18n.EN: "code 123456 approves the online purchase of 2,450.00 ALL at Librari Adrion with card *1234",
	} {
		if body := s.smsText(lang, p, "123456"); !strings.Contains(body, want) {
			t.Errorf("%s SMS %q lacks %q", lang, body, want)
		}
	}
}

// A purchase's binding is of another kind than a payment's, and names the merchant: the same fields as a transfer
// bind differently, and another merchant binds differently.
func TestAPurchaseBindsTheMerchantApartFromAnyPayment(t *testing.T) {
	p := Payment{TransferID: "a1", CustomerID: "c1", FromIBAN: "*1234", PayeeName: "Shop A", Amount: money.New(100, money.EUR)}
	purchase := p
	purchase.Purchase = true
	other := purchase
	other.PayeeName = "Shop B"
	if Binding(p) == Binding(purchase) || Binding(purchase) == Binding(other) {
		t.Fatal("a purchase's binding equals a payment's or another merchant's")
	}
	if Binding(p) != Binding(Payment{TransferID: "a1", CustomerID: "c1", FromIBAN: "*1234", PayeeName: "Shop B",
		Amount: money.New(100, money.EUR)}) {
		t.Fatal("a payment's binding changed with its payee's shown name: payments bind as before")
	}
}
