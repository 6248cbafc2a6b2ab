// Package dev3ds is the demo card network's side of 3-D Secure (/dev/card-network/3ds): it asks the bank to have
// a card's holder approve an online purchase, as the network does when a merchant asks for 3-D Secure, and reads
// the result. Like the demo inbox, it exists only in demo mode; the rest of the demo card network calls package
// threeds directly.
package dev3ds

import (
	"net/http"
	"strings"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/threeds"
	"github.com/kumbara/kumbara/web/core"
)

// Area is the demo network's 3-D Secure routes, in demo mode only.
func Area() core.Area {
	return core.Area{Name: "dev3ds", Routes: func(site *core.Site) []core.Route {
		if site.Inbox == nil || site.ThreeDS == nil {
			return nil
		}
		s := &area{site}
		return []core.Route{
			{Method: "POST", Path: "/dev/card-network/3ds", Policy: core.Public(""), Handler: s.ask},
			{Method: "GET", Path: "/dev/card-network/3ds/{id}", Policy: core.Public(""), Handler: s.result},
		}
	}}
}

type area struct{ *core.Site }

// askBody is the network's request: its id, the card, the merchant and the amount (a decimal string) in currency.
type askBody struct {
	ID       string `json:"id"`
	CardID   string `json:"card_id"`
	Merchant string `json:"merchant"`
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
}

// answer is what the network learns: its id, the bank's approval id and where the approval stands; once approved,
// the authentication value the purchase's authorisation carries (three_ds_value).
type answer struct {
	ID                  string `json:"id"`
	ApprovalID          string `json:"approval_id"`
	Status              string `json:"status"`
	ExpiresAt           string `json:"expires_at"`
	AuthenticationValue string `json:"authentication_value,omitempty"`
}

func answerOf(a threeds.Approval) answer {
	return answer{ID: a.NetworkRef, ApprovalID: a.ID, Status: string(a.Status), ExpiresAt: a.ExpiresAt.UTC().Format(
		"2006-01-02T15:04:05Z")}
}

// ask asks the card's holder to approve the purchase: 201 with the approval, 200 when the id was asked before.
func (s *area) ask(w http.ResponseWriter, r *http.Request) {
	var in askBody
	if err := httpx.DecodeJSON(r, &in); err != nil {
		s.FailJSON(w, r, err)
		return
	}
	amount, err := parseAmount(in.Amount, in.Currency)
	if err != nil {
		s.FailJSON(w, r, err)
		return
	}
	a, replayed, err := s.ThreeDS.Ask(r.Context(), threeds.Request{CardID: in.CardID, NetworkRef: in.ID,
		Merchant: in.Merchant, Amount: amount})
	if err != nil {
		s.FailJSON(w, r, err)
		return
	}
	status := http.StatusCreated
	if replayed {
		status = http.StatusOK
	}
	core.JSON(w, status, answerOf(a))
}

// parseAmount reads the network's amount, a decimal string in the currency's minor units.
func parseAmount(amount, currency string) (money.Amount, error) {
	cur, err := money.ParseCurrency(strings.ToUpper(strings.TrimSpace(currency)))
	if err != nil {
		return money.Amount{}, kumbara.ErrValidationFailed.WithFields(kumbara.ErrInvalid.At("currency"))
	}
	a, err := money.ParsePositive(strings.TrimSpace(amount), cur)
	if err != nil {
		return money.Amount{}, kumbara.ErrValidationFailed.WithFields(kumbara.ErrInvalid.At("amount"))
	}
	return a, nil
}

// result answers where the approval the network asked for by its id stands: pending, approved, rejected, expired.
func (s *area) result(w http.ResponseWriter, r *http.Request) {
	a, err := s.ThreeDS.ByReference(r.Context(), r.PathValue("id"))
	if err != nil {
		s.FailJSON(w, r, err)
		return
	}
	o, err := s.ThreeDS.Outcome(r.Context(), a.NetworkRef)
	if err != nil {
		s.FailJSON(w, r, err)
		return
	}
	out := answerOf(a)
	out.Status, out.AuthenticationValue = string(o.Status), o.Value
	core.JSON(w, http.StatusOK, out)
}
