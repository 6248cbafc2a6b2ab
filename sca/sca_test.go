package sca

import (
	"testing"

	"github.com/kumbara/kumbara/money"
)

func TestBindingChangesWithEveryPartOfThePayment(t *testing.T) {
	base := Payment{TransferID: "t1", CustomerID: "c1", FromIBAN: "AL1", ToIBAN: "AL2", Amount: money.New(10000, money.ALL)}
	changes := map[string]func(p *Payment){
		"transfer": func(p *Payment) { p.TransferID = "t2" },
		"customer": func(p *Payment) { p.CustomerID = "c2" },
		"payer":    func(p *Payment) { p.FromIBAN = "AL3" },
		"payee":    func(p *Payment) { p.ToIBAN = "AL3" },
		"amount":   func(p *Payment) { p.Amount.Minor = 10001 },
		"currency": func(p *Payment) { p.Amount.Currency = money.EUR },
		"trust":    func(p *Payment) { p.TrustPayee = true },
		// Fields run together must not collide: "AL1"+"AL2" is not "AL"+"1AL2".
		"boundary": func(p *Payment) { p.FromIBAN, p.ToIBAN = "AL", "1AL2" },
	}
	want := Binding(base)
	for name, change := range changes {
		p := base
		change(&p)
		if Binding(p) == want {
			t.Errorf("changing the %s leaves the binding as it was", name)
		}
	}
	// What the payee is called is shown, not bound: the IBAN names the payee.
	p := base
	p.PayeeName = "X"
	if Binding(p) != want {
		t.Error("the payee's display name changed the binding")
	}
	if Digest("ch1", want) == Digest("ch2", want) {
		t.Error("two challenges of one payment have the same digest")
	}
}

func TestEURCentsRoundUpAtTheReferenceRate(t *testing.T) {
	s := &Service{Config: DefaultConfig()}
	tests := []struct {
		amount money.Amount
		want   int64
		ok     bool
	}{
		{money.New(3000, money.EUR), 3000, true},
		{money.New(292500, money.ALL), 3000, true}, // 2,925.00 ALL at 97.50 is exactly 30 EUR
		{money.New(292501, money.ALL), 3001, true}, // a fraction of a cent more counts as a whole cent
		{money.New(1, money.ALL), 1, true},
		{money.New(108, money.USD), 100, true},
		{money.New(1<<62, money.ALL), 47299343778742441, true}, // no overflow on the way
	}
	for _, tt := range tests {
		got, ok := s.eurCents(tt.amount)
		if got != tt.want || ok != tt.ok {
			t.Errorf("eurCents(%d %s) = %d, %v; want %d, %v", tt.amount.Minor, tt.amount.Currency, got, ok, tt.want, tt.ok)
		}
	}
	delete(s.Config.EURRates, money.CHF)
	if _, ok := s.eurCents(money.New(1, money.CHF)); ok {
		t.Error("a currency without a reference rate was judged")
	}
}

func TestParseRate(t *testing.T) {
	if r, err := ParseRate("97.50"); err != nil || r != (Rate{9750, 100}) {
		t.Errorf("ParseRate(97.50) = %v, %v", r, err)
	}
	for _, bad := range []string{"", "0", "-1", "1.234", "abc"} {
		if _, err := ParseRate(bad); err == nil {
			t.Errorf("ParseRate(%q) accepted", bad)
		}
	}
}
