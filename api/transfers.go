package api

import (
	"encoding/base64"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/payment"
	"github.com/kumbara/kumbara/sca"
	"github.com/kumbara/kumbara/statement"
	"github.com/kumbara/kumbara/transfer"
)

func langOf(r *http.Request) i18n.Lang {
	return i18n.FromAcceptLanguage(r.Header.Get("Accept-Language"))
}

type transferBody struct {
	Type          string `json:"type"`
	FromAccountID string `json:"from_account_id"`
	ToAccountID   string `json:"to_account_id"`
	ToIBAN        string `json:"to_iban"`
	Amount        string `json:"amount"`
	Currency      string `json:"currency"`
	Description   string `json:"description"`
	PayeePhone    string `json:"payee_phone"`
	PayeeName     string `json:"payee_name"`
	TrustPayee    bool   `json:"trust_payee"`
	// Payments to other banks (type domestic, sepa or international).
	Charges             string                 `json:"charges"`
	Instant             bool                   `json:"instant"`
	Urgent              bool                   `json:"urgent"`
	RequireToday        bool                   `json:"require_today"`
	Beneficiary         paymentBeneficiaryBody `json:"beneficiary"`
	PurposeCategory     string                 `json:"purpose_category"`
	Purpose             string                 `json:"purpose"`
	BeneficiaryCategory string                 `json:"beneficiary_category"`
	TermsAccepted       bool                   `json:"terms_accepted"`
	SaveBeneficiary     bool                   `json:"save_beneficiary"`
}

type transferResponse struct {
	ID            string `json:"id"`
	Status        string `json:"status"`
	Type          string `json:"type"`
	FromAccountID string `json:"from_account_id"`
	FromIBAN      string `json:"from_iban"`
	ToAccountID   string `json:"to_account_id"`
	ToIBAN        string `json:"to_iban"`
	ToName        string `json:"to_name"`
	Amount        string `json:"amount"`
	Currency      string `json:"currency"`
	Description   string `json:"description"`
	PayeePhone    string `json:"payee_phone,omitempty"`
	// Verification is what the name check told the payer of an in-bank transfer that named its payee, as a
	// payment's (paymentResponse.Verification).
	Verification *verificationJSON `json:"verification,omitempty"`
	CreatedAt    string            `json:"created_at"`
	// ValueDate is the day the money counts from once the transfer has posted: after the close of business, the
	// next working day (T14).
	ValueDate string `json:"value_date,omitempty"`
	// Exemption says why a transfer made now needed no confirmation; ExpiresAt and Confirmation are set while it
	// waits for one.
	Exemption    string        `json:"exemption,omitempty"`
	ExpiresAt    string        `json:"expires_at,omitempty"`
	Confirmation *confirmation `json:"confirmation,omitempty"`
}

// confirmation is the challenge of a transfer waiting for confirmation: the SMS code was sent to MaskedPhone; a
// trusted device signs Message or answers Question with its Soft PIN. Both are bound to the amount and payee.
type confirmation struct {
	ChallengeID string   `json:"challenge_id"`
	Methods     []string `json:"methods"`
	MaskedPhone string   `json:"masked_phone"`
	ExpiresIn   int      `json:"expires_in"`
	Message     string   `json:"message"`
	Question    string   `json:"question"`
	TrustPayee  bool     `json:"trust_payee"`
}

func transferJSON(t transfer.Transfer, customerID string) transferResponse {
	out := transferResponse{ID: t.ID, Status: t.Status, Type: t.Type, FromAccountID: t.FromAccountID,
		FromIBAN: t.FromIBAN, ToIBAN: t.ToIBAN, ToName: t.ToName, Amount: t.Amount.Decimal(),
		Currency: string(t.Amount.Currency), Description: t.Description, PayeePhone: t.PayeePhone,
		CreatedAt: t.CreatedAt.Format(time.RFC3339)}
	if !t.ValueDate.IsZero() {
		out.ValueDate = t.ValueDate.String()
	}
	if v := t.Verification; v.Result != "" {
		out.Verification = &verificationJSON{Result: string(v.Result), Name: v.Name}
	}
	// Another customer's account id is theirs; the payer sees the beneficiary by IBAN and name.
	if t.Type == transfer.Own {
		out.ToAccountID = t.ToAccountID
	}
	out.Exemption = t.Exemption
	if t.Status == transfer.PendingConfirmation {
		out.ExpiresAt = t.ExpiresAt.Format(time.RFC3339)
	}
	if c := t.Challenge; c != nil {
		// The API lists the methods it takes: a passkey confirms in the web app only.
		methods := slices.DeleteFunc(slices.Clone(c.Methods), func(m string) bool { return m == sca.MethodPasskey })
		out.Confirmation = &confirmation{ChallengeID: c.ID, Methods: methods, MaskedPhone: c.MaskedPhone,
			ExpiresIn: int(c.ExpiresIn / time.Second), Message: c.Message, Question: c.Question,
			TrustPayee: c.TrustPayee}
	}
	return out
}

func (s *Server) createTransfer(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("Idempotency-Key")
	if key == "" {
		s.Error(w, r, ErrIdempotencyKeyMissing)
		return
	}
	var req transferBody
	if err := httpx.DecodeJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	if slices.Contains(paymentTypes, req.Type) {
		s.createPayment(w, r, key, req)
		return
	}
	cust := sessionOf(r).CustomerID
	t, replayed, err := s.Transfers.Create(r.Context(), cust, key, transfer.Request{Type: req.Type,
		FromAccountID: req.FromAccountID, ToAccountID: req.ToAccountID, ToIBAN: req.ToIBAN, Amount: req.Amount,
		Currency: req.Currency, Description: req.Description, PayeePhone: req.PayeePhone, PayeeName: req.PayeeName,
		TrustPayee: req.TrustPayee})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	w.Header().Set("Location", "/api/v1/transfers/"+t.ID)
	status := http.StatusCreated
	if t.Status == transfer.PendingConfirmation {
		status = http.StatusAccepted // made, not yet done: it waits for the customer's confirmation
	}
	s.JSON(w, r, status, transferJSON(t, cust))
}

type confirmBody struct {
	Method    string `json:"method"`
	Code      string `json:"code"`
	DeviceID  string `json:"device_id"`
	Signature string `json:"signature"` // base64 (standard or URL alphabet)
	Response  string `json:"response"`
}

// proofOf reads a confirmation's body: the SMS code, a trusted device's signature (base64) or its Soft PIN
// response. A passkey assertion is made in the web app's WebAuthn ceremony, whose challenge the web page asks for;
// the API offers no such ceremony, so it does not take passkey answers.
func proofOf(r *http.Request) (sca.Proof, error) {
	var req confirmBody
	if err := httpx.DecodeJSON(r, &req); err != nil {
		return sca.Proof{}, err
	}
	if req.Method == sca.MethodPasskey {
		return sca.Proof{}, sca.ErrMethodUnavailable
	}
	proof := sca.Proof{Method: req.Method, Code: req.Code, DeviceID: req.DeviceID, Response: req.Response}
	if req.Signature != "" {
		sig, err := decodeBase64(req.Signature)
		if err != nil {
			return sca.Proof{}, kumbara.ErrValidationFailed.Field("signature")
		}
		proof.Signature = sig
	}
	return proof, nil
}

// confirmTransfer answers a transfer's challenge with the SMS code, a trusted device's signature or its Soft PIN
// response. Repeating a confirmation that went through returns the completed transfer.
func (s *Server) confirmTransfer(w http.ResponseWriter, r *http.Request) {
	proof, err := proofOf(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	cust := sessionOf(r).CustomerID
	t, replayed, err := s.Transfers.Confirm(r.Context(), cust, r.PathValue("id"), proof)
	if errors.Is(err, transfer.ErrNotFound) {
		// Not a transfer within the bank: a payment to another bank, under the same address.
		p, perr := s.Payments.Confirm(r.Context(), cust, r.PathValue("id"), proof)
		if errors.Is(perr, payment.ErrNotFound) {
			s.Error(w, r, err) // neither: the route's own not-found
			return
		}
		if perr != nil {
			s.Error(w, r, perr)
			return
		}
		s.JSON(w, r, http.StatusOK, paymentJSON(p))
		return
	}
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	s.JSON(w, r, http.StatusOK, transferJSON(t, cust))
}

// transferChallenge sends a transfer waiting for confirmation a new code (the old one stops working).
func (s *Server) transferChallenge(w http.ResponseWriter, r *http.Request) {
	cust := sessionOf(r).CustomerID
	t, err := s.Transfers.Challenge(r.Context(), cust, r.PathValue("id"), true)
	if errors.Is(err, transfer.ErrNotFound) {
		p, perr := s.Payments.Challenge(r.Context(), cust, r.PathValue("id"), true)
		if errors.Is(perr, payment.ErrNotFound) {
			s.Error(w, r, err)
			return
		}
		if perr != nil {
			s.Error(w, r, perr)
			return
		}
		s.JSON(w, r, http.StatusCreated, paymentJSON(p))
		return
	}
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusCreated, transferJSON(t, cust))
}

func decodeBase64(v string) ([]byte, error) {
	v = strings.TrimRight(v, "=")
	if b, err := base64.RawStdEncoding.DecodeString(v); err == nil {
		return b, nil
	}
	return base64.RawURLEncoding.DecodeString(v)
}

type beneficiaryJSON struct {
	IBAN      string `json:"iban"`
	Name      string `json:"name"`
	CreatedAt string `json:"created_at"`
}

// trustedBeneficiaries lists the payees the customer trusts: payments to them need no confirmation.
func (s *Server) trustedBeneficiaries(w http.ResponseWriter, r *http.Request) {
	if s.SCA == nil {
		s.Error(w, r, kumbara.ErrNotFound)
		return
	}
	list, err := s.SCA.Trusted(r.Context(), sessionOf(r).CustomerID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := []beneficiaryJSON{}
	for _, b := range list {
		out = append(out, beneficiaryJSON{IBAN: b.IBAN, Name: b.Name, CreatedAt: b.CreatedAt.Format(time.RFC3339)})
	}
	s.JSON(w, r, http.StatusOK, map[string]any{"beneficiaries": out})
}

// untrustBeneficiary removes a trusted beneficiary; payments to it need confirmation again.
func (s *Server) untrustBeneficiary(w http.ResponseWriter, r *http.Request) {
	if s.SCA == nil {
		s.Error(w, r, kumbara.ErrNotFound)
		return
	}
	ib, err := iban.Parse(r.PathValue("iban"))
	if err != nil {
		s.Error(w, r, sca.ErrBeneficiaryNotFound)
		return
	}
	if err := s.SCA.Untrust(r.Context(), sessionOf(r).CustomerID, ib.String()); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) getTransfer(w http.ResponseWriter, r *http.Request) {
	cust := sessionOf(r).CustomerID
	t, err := s.Transfers.Get(r.Context(), cust, r.PathValue("id"))
	if errors.Is(err, transfer.ErrNotFound) {
		p, perr := s.Payments.Get(r.Context(), cust, r.PathValue("id"))
		if errors.Is(perr, payment.ErrNotFound) {
			s.Error(w, r, err) // neither: the route's own not-found
			return
		}
		if perr != nil {
			s.Error(w, r, perr)
			return
		}
		s.JSON(w, r, http.StatusOK, paymentJSON(p))
		return
	}
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusOK, transferJSON(t, cust))
}

// transferReceipt is the PDF receipt every payment gives (Y19).
func (s *Server) transferReceipt(w http.ResponseWriter, r *http.Request) {
	lang := pdfLang(r)
	cust := sessionOf(r).CustomerID
	t, pdf, err := s.Transfers.Receipt(r.Context(), cust, r.PathValue("id"), s.Bank, lang)
	if errors.Is(err, transfer.ErrNotFound) {
		// A payment to another bank: its receipt records the fee, the value date and the name check shown.
		p, ppdf, perr := s.Payments.Receipt(r.Context(), cust, r.PathValue("id"), s.Bank, lang)
		if errors.Is(perr, payment.ErrNotFound) {
			s.Error(w, r, err)
			return
		}
		if perr != nil {
			s.Error(w, r, perr)
			return
		}
		writePDF(w, statement.ReceiptFileName(p.ID, lang), ppdf)
		return
	}
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writePDF(w, statement.ReceiptFileName(t.ID, lang), pdf)
}

type payeeAccount struct {
	IBAN     string `json:"iban"`
	Currency string `json:"currency"`
}

type payeeResponse struct {
	MaskedName string         `json:"masked_name"`
	Accounts   []payeeAccount `json:"accounts"`
}

// findPayee is T3's "verify the client" step. The transfer service limits it per customer (FindPayee), so it
// cannot be used to walk the bank's client numbers.
func (s *Server) findPayee(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	for k := range q {
		if k != "by" && k != "value" {
			s.Error(w, r, badQuery(k))
			return
		}
	}
	if q.Get("value") == "" {
		s.Error(w, r, kumbara.ErrValidationFailed.WithFields(kumbara.ErrFieldRequired.At("value")))
		return
	}
	p, err := s.Transfers.FindPayee(r.Context(), sessionOf(r).CustomerID, q.Get("by"), q.Get("value"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := payeeResponse{MaskedName: p.MaskedName, Accounts: []payeeAccount{}}
	for _, a := range p.Accounts {
		out.Accounts = append(out.Accounts, payeeAccount{IBAN: a.IBAN, Currency: string(a.Currency)})
	}
	s.JSON(w, r, http.StatusOK, out)
}
