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
