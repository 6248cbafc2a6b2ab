package api

import (
	"net/http"
	"slices"
	"time"

	"github.com/kumbara/kumbara/beneficiary"
	"github.com/kumbara/kumbara/payment"
	"github.com/kumbara/kumbara/sca"
)

// paymentTypes are the transfer types that leave the bank: POST /api/v1/transfers hands them to the payment
// service; own and internal transfers stay with the transfer service.
var paymentTypes = []string{payment.Domestic, payment.SEPA, payment.International}

type addressBody struct {
	Street     string `json:"street"`
	City       string `json:"city"`
	PostalCode string `json:"postal_code"`
	Country    string `json:"country"`
}

type paymentBeneficiaryBody struct {
	Name          string      `json:"name"`
	IBAN          string      `json:"iban"`
	AccountNumber string      `json:"account_number"`
	BIC           string      `json:"bic"`
	BankName      string      `json:"bank_name"`
	BankAddress   string      `json:"bank_address"`
	Address       addressBody `json:"address"`
	Phone         string      `json:"phone"`
}

func (req transferBody) payment() payment.Request {
	b := req.Beneficiary
	return payment.Request{Type: req.Type, FromAccountID: req.FromAccountID, Amount: req.Amount, Currency: req.Currency,
		Description: req.Description, Charges: req.Charges, Instant: req.Instant, Urgent: req.Urgent,
		RequireToday: req.RequireToday, PurposeCategory: req.PurposeCategory, Purpose: req.Purpose,
		BeneficiaryCategory: req.BeneficiaryCategory, TermsAccepted: req.TermsAccepted,
		SaveBeneficiary: req.SaveBeneficiary,
		Beneficiary: beneficiary.Input{Name: b.Name, IBAN: b.IBAN, AccountNumber: b.AccountNumber, BIC: b.BIC,
			BankName: b.BankName, BankAddress: b.BankAddress, Phone: b.Phone, Address: beneficiary.Address{
				Street: b.Address.Street, City: b.Address.City, PostalCode: b.Address.PostalCode, Country: b.Address.Country}}}
}

type moneyJSON struct {
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
}

type verificationJSON struct {
	Result string `json:"result"`
	Name   string `json:"name,omitempty"`
}

type eventJSON struct {
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
	At     string `json:"at"`
}

type paymentResponse struct {
	ID            string                 `json:"id"`
	Status        string                 `json:"status"`
	Type          string                 `json:"type"`
	Direction     string                 `json:"direction"`
	Scheme        string                 `json:"scheme"`
	FromAccountID string                 `json:"from_account_id"`
	FromIBAN      string                 `json:"from_iban"`
	Amount        string                 `json:"amount"`
	Currency      string                 `json:"currency"`
	Fee           moneyJSON              `json:"fee"`
	FeeDeducted   bool                   `json:"fee_deducted"`
	Debited       moneyJSON              `json:"debited"`
	Exchange      *exchangeJSON          `json:"exchange,omitempty"`
	Charges       string                 `json:"charges"`
	Description   string                 `json:"description"`
	Beneficiary   paymentBeneficiaryBody `json:"beneficiary"`
	ValueDate     string                 `json:"value_date"`
	Verification  *verificationJSON      `json:"verification,omitempty"`
	Reason        string                 `json:"reason,omitempty"`
	EndToEndID    string                 `json:"end_to_end_id"`
	CreatedAt     string                 `json:"created_at"`
	Events        []eventJSON            `json:"events"`
	Exemption     string                 `json:"exemption,omitempty"`
	ExpiresAt     string                 `json:"expires_at,omitempty"`
	Confirmation  *confirmation          `json:"confirmation,omitempty"`
}

// exchangeJSON is how a payment in another currency than its account's was bought: "1 base = rate quoted", and
// charged, what left the account in its currency.
type exchangeJSON struct {
	Rate    string    `json:"rate"`
	Base    string    `json:"base"`
	Quoted  string    `json:"quoted"`
	Charged moneyJSON `json:"charged"`
}

func paymentJSON(p payment.Payment) paymentResponse {
	b := p.Beneficiary
	out := paymentResponse{ID: p.ID, Status: p.Status, Type: p.Type, Direction: p.Direction, Scheme: p.Scheme,
		FromAccountID: p.AccountID, FromIBAN: p.AccountIBAN, Amount: p.Amount.Decimal(),
		Currency: string(p.Amount.Currency), Fee: moneyJSON{p.Fee.Decimal(), string(p.Fee.Currency)},
		FeeDeducted: p.FeeDeducted, Debited: moneyJSON{p.Debited().Decimal(), string(p.Amount.Currency)},
		Charges: p.Charges, Description: p.Description, ValueDate: p.ValueDate.String(), Reason: p.Reason,
		EndToEndID: p.EndToEndID, CreatedAt: p.CreatedAt.Format(time.RFC3339), Exemption: p.Exemption,
		Beneficiary: paymentBeneficiaryBody{Name: b.Name, IBAN: b.IBAN, AccountNumber: b.AccountNumber, BIC: b.BIC,
			BankName: b.BankName, BankAddress: b.BankAddress, Phone: b.Phone, Address: addressBody{
				Street: b.Address.Street, City: b.Address.City, PostalCode: b.Address.PostalCode, Country: b.Address.Country}},
		Events: []eventJSON{}}
	if p.Verification.Result != "" {
		out.Verification = &verificationJSON{Result: p.Verification.Result, Name: p.Verification.Name}
	}
	if x := p.Exchange; p.Converted() {
		out.Exchange = &exchangeJSON{Rate: x.Rate, Base: string(x.Base), Quoted: string(x.Quoted),
			Charged: moneyJSON{x.Charged.Decimal(), string(x.Charged.Currency)}}
	}
	for _, e := range p.Events {
		out.Events = append(out.Events, eventJSON{Status: e.Status, Reason: e.Reason, At: e.At.Format(time.RFC3339)})
	}
	if p.Status == payment.PendingConfirmation {
		out.ExpiresAt = p.ExpiresAt.Format(time.RFC3339)
	}
	if c := p.Challenge; c != nil {
		// The challenge offers what may confirm the payment (an international one: no SMS code, T6); the API takes
		// no passkey, which confirms in the web app only.
		methods := slices.DeleteFunc(slices.Clone(c.Methods), func(m string) bool { return m == sca.MethodPasskey })
		out.Confirmation = &confirmation{ChallengeID: c.ID, Methods: methods, MaskedPhone: c.MaskedPhone,
			ExpiresIn: int(c.ExpiresIn / time.Second), Message: c.Message, Question: c.Question}
	}
	return out
}

// createPayment makes a payment to another bank: 201 once it is accepted, 202 while it waits for confirmation.
func (s *Server) createPayment(w http.ResponseWriter, r *http.Request, key string, req transferBody) {
	p, replayed, err := s.Payments.Create(r.Context(), sessionOf(r).CustomerID, key, req.payment())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	w.Header().Set("Location", "/api/v1/transfers/"+p.ID)
	status := http.StatusCreated
	if p.Status == payment.PendingConfirmation {
		status = http.StatusAccepted
	}
	s.JSON(w, r, status, paymentJSON(p))
}

// paymentsList lists the customer's payments to and from other banks, newest first.
func (s *Server) paymentsList(w http.ResponseWriter, r *http.Request) {
	ps, err := s.Payments.List(r.Context(), sessionOf(r).CustomerID, payment.Filter{AccountID: r.URL.Query().Get("account_id")})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := []paymentResponse{}
	for _, p := range ps {
		out = append(out, paymentJSON(p))
	}
	s.JSON(w, r, http.StatusOK, map[string]any{"payments": out})
}
