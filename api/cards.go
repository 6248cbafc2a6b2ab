package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// cardRoutes are the customer's cards (F7–F9, F15): read them and their history, block, reactivate, reprint, a
// new PIN, controls, linked accounts. What lets a card do more (reactivating it, reprinting it, a new PIN, a
// linked account, a control turned on or a limit raised) carries the customer's password again, as trusting a
// device does: the domain asks for it (card.Service). Blocking, reporting lost, unlinking and restricting never
// do, so a worried holder can always stop a card at once. (GET /api/v1/cards/{id}/transactions belongs to the
// card network's authorisations.)
func (s *Server) cardRoutes(full httpx.Policy) []Route {
	confirm := limited(full, httpx.DeviceFactor) // the budget of the password typed again, as for trusting a device
	return []Route{
		{"GET", "/api/v1/cards", full, s.listCards},
		{"GET", "/api/v1/cards/{id}", full, s.getCard},
		{"GET", "/api/v1/cards/{id}/history", full, s.cardHistory},
		{"POST", "/api/v1/cards/{id}/block", full, s.blockCard},
		{"POST", "/api/v1/cards/{id}/unblock", confirm, s.unblockCard},
		{"POST", "/api/v1/cards/{id}/reprint", confirm, s.reprintCard},
		{"POST", "/api/v1/cards/{id}/pin", confirm, s.cardPIN},
		{"PATCH", "/api/v1/cards/{id}/controls", confirm, s.cardControls},
		{"POST", "/api/v1/cards/{id}/accounts/{account_id}", confirm, s.linkCardAccount},
		{"DELETE", "/api/v1/cards/{id}/accounts/{account_id}", full, s.unlinkCardAccount},
	}
}

type cardControlsJSON struct {
	Online             bool   `json:"online"`
	Contactless        bool   `json:"contactless"`
	ATM                bool   `json:"atm"`
	Magstripe          bool   `json:"magstripe"`
	Abroad             bool   `json:"abroad"`
	DailyPurchaseLimit string `json:"daily_purchase_limit"`
	DailyATMLimit      string `json:"daily_atm_limit"`
	MaxPurchaseLimit   string `json:"max_daily_purchase_limit"`
	MaxATMLimit        string `json:"max_daily_atm_limit"`
}

type cardAccountJSON struct {
	accountSummary
	Primary  bool       `json:"primary"`
	LinkedAt *time.Time `json:"linked_at"`
}

type cardJSON struct {
	ID   string    `json:"id"`
	Kind card.Kind `json:"kind"`
	// Supplementary marks a supplementary credit card (F13): another holder's card on the same credit account.
	Supplementary bool              `json:"supplementary"`
	Scheme        card.Type         `json:"scheme"`
	MaskedPAN     string            `json:"masked_pan"`
	Holder        string            `json:"holder"`
	Status        card.Status       `json:"status"`
	Contactless   bool              `json:"contactless"`
	Currency      money.Currency    `json:"currency"`
	Controls      cardControlsJSON  `json:"controls"`
	PINBlocked    bool              `json:"pin_blocked"`
	PINPending    bool              `json:"pin_pending"`
	Accounts      []cardAccountJSON `json:"accounts"`
	Expires       string            `json:"expires"`
	Replaces      string            `json:"replaces,omitempty"`
	ReplacedBy    string            `json:"replaced_by,omitempty"`
	StatusAt      time.Time         `json:"status_at"`
}

// cardOut is c as the API shows it, its accounts (the primary first) from the customer's accounts.
func (s *Server) cardOut(r *http.Request, c card.Card, accounts map[string]ledger.Account) (cardJSON, error) {
	links, err := s.Cards.Linked(r.Context(), card.Holder(sessionOf(r).CustomerID), c.ID)
	if err != nil {
		return cardJSON{}, err
	}
	m := s.Cards.Maximum(c.Currency)
	k := c.Controls
	out := cardJSON{ID: c.ID, Kind: c.Kind, Supplementary: c.Supplementary, Scheme: c.Type, MaskedPAN: c.Masked, Holder: c.Holder,
		Status: c.Shown(s.Clock.Now()), Contactless: c.Contactless, Currency: c.Currency, PINBlocked: c.PINBlocked,
		PINPending: c.PINPending, Expires: c.Expires, Replaces: c.Replaces, ReplacedBy: c.ReplacedBy,
		StatusAt: c.StatusAt.UTC(), Controls: cardControlsJSON{Online: k.Online, Contactless: k.Contactless, ATM: k.ATM,
			Magstripe: k.Magstripe, Abroad: k.Abroad, DailyPurchaseLimit: decimal(k.DailyPurchaseLimit, c.Currency),
			DailyATMLimit: decimal(k.DailyATMLimit, c.Currency), MaxPurchaseLimit: decimal(m.Purchase, c.Currency),
			MaxATMLimit: decimal(m.ATM, c.Currency)}, Accounts: []cardAccountJSON{}}
	add := func(id string, primary bool, at *time.Time) {
		if a, ok := accounts[id]; ok {
			out.Accounts = append(out.Accounts, cardAccountJSON{accountSummary: s.summary(r, a), Primary: primary, LinkedAt: at})
		}
	}
	add(c.AccountID, true, nil)
	for _, l := range links {
		at := l.LinkedAt.UTC()
		add(l.AccountID, false, &at)
	}
	return out, nil
}

// ownAccounts are the customer's accounts by id.
func (s *Server) ownAccounts(r *http.Request) (map[string]ledger.Account, error) {
	list, err := s.Ledger.ListByCustomer(r.Context(), sessionOf(r).CustomerID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]ledger.Account, len(list))
	for _, a := range list {
		out[a.ID] = a
	}
	return out, nil
}

func (s *Server) listCards(w http.ResponseWriter, r *http.Request) {
	cards, err := s.Cards.List(r.Context(), sessionOf(r).CustomerID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	accounts, err := s.ownAccounts(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := make([]cardJSON, 0, len(cards))
	for _, c := range cards {
		j, err := s.cardOut(r, c, accounts)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		out = append(out, j)
	}
	s.JSON(w, r, http.StatusOK, map[string]any{"cards": out})
}

// answerCard answers the card c after a change, or err.
func (s *Server) answerCard(w http.ResponseWriter, r *http.Request, status int, c card.Card, err error) {
	if err != nil {
		s.Error(w, r, err)
		return
	}
	accounts, err := s.ownAccounts(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	j, err := s.cardOut(r, c, accounts)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, status, j)
}

func (s *Server) getCard(w http.ResponseWriter, r *http.Request) {
	c, err := s.Cards.Get(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"))
	s.answerCard(w, r, http.StatusOK, c, err)
}

type cardEventJSON struct {
	At        time.Time `json:"at"`
	Event     string    `json:"event"`
	Title     string    `json:"title"` // the event in the request's language
	ActorKind string    `json:"actor_kind"`
	Detail    string    `json:"detail"`
}

// cardHistory lists the card's events, newest first. Staff are named by their kind only: the holder reads that
// the bank acted, not which member.
func (s *Server) cardHistory(w http.ResponseWriter, r *http.Request) {
	h, err := s.Cards.History(r.Context(), card.Holder(sessionOf(r).CustomerID), r.PathValue("id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	lang := langOf(r)
	out := make([]cardEventJSON, 0, len(h))
	for _, e := range h {
		out = append(out, cardEventJSON{At: e.At.UTC(), Event: e.Event,
			Title: s.Catalogue.Message(lang, "audit_card_"+e.Event, nil), ActorKind: e.ActorKind, Detail: e.Detail})
	}
	s.JSON(w, r, http.StatusOK, map[string]any{"events": out})
}

type blockRequest struct {
	Reason string `json:"reason"`
}

func (s *Server) blockCard(w http.ResponseWriter, r *http.Request) {
	var req blockRequest
	if err := httpx.DecodeJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	c, err := s.Cards.Block(r.Context(), card.Holder(sessionOf(r).CustomerID), r.PathValue("id"), card.BlockReason(req.Reason))
	s.answerCard(w, r, http.StatusOK, c, err)
}

// cardPasswordRequest is the password a card action that widens what the card can do carries again.
type cardPasswordRequest struct {
	Password string `json:"password"`
}

func (s *Server) unblockCard(w http.ResponseWriter, r *http.Request) {
	var req cardPasswordRequest
	if err := httpx.DecodeJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	c, err := s.Cards.Unblock(r.Context(), card.Holder(sessionOf(r).CustomerID), r.PathValue("id"), req.Password)
	s.answerCard(w, r, http.StatusOK, c, err)
}

// reprintCard answers the new card (201), ordered for the branch; the old one is replaced.
func (s *Server) reprintCard(w http.ResponseWriter, r *http.Request) {
	var req cardPasswordRequest
	if err := httpx.DecodeJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	c, err := s.Cards.Reprint(r.Context(), card.Holder(sessionOf(r).CustomerID), r.PathValue("id"), req.Password)
	s.answerCard(w, r, http.StatusCreated, c, err)
}

type pinRequest struct {
	PIN      string `json:"pin"`
	Password string `json:"password"`
}

func (s *Server) cardPIN(w http.ResponseWriter, r *http.Request) {
	var req pinRequest
	if err := httpx.DecodeJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	c, err := s.Cards.SetPIN(r.Context(), card.Holder(sessionOf(r).CustomerID), r.PathValue("id"), req.PIN, req.Password)
	s.answerCard(w, r, http.StatusOK, c, err)
}

// controlsRequest changes the controls it names. The limits are decimal amounts in the card's currency; "0" is
// the bank's maximum.
type controlsRequest struct {
	Online             *bool   `json:"online"`
	Contactless        *bool   `json:"contactless"`
	ATM                *bool   `json:"atm"`
	Magstripe          *bool   `json:"magstripe"`
	Abroad             *bool   `json:"abroad"`
	DailyPurchaseLimit *string `json:"daily_purchase_limit"`
	DailyATMLimit      *string `json:"daily_atm_limit"`
	Password           string  `json:"password"`
}

func (s *Server) cardControls(w http.ResponseWriter, r *http.Request) {
	var req controlsRequest
	if err := httpx.DecodeJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	who := card.Holder(sessionOf(r).CustomerID)
	c, err := s.Cards.Get(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	ch := card.ControlsChange{Online: req.Online, Contactless: req.Contactless, ATM: req.ATM, Magstripe: req.Magstripe,
		Abroad: req.Abroad}
	var fields []kumbara.FieldError
	limit := func(v *string, field string) *int64 {
		if v == nil {
			return nil
		}
		a, err := money.ParseDecimal(strings.TrimSpace(*v), c.Currency)
		if err != nil {
			fields = append(fields, kumbara.ErrInvalid.At(field))
			return nil
		}
		return &a.Minor
	}
	ch.DailyPurchaseLimit = limit(req.DailyPurchaseLimit, "daily_purchase_limit")
	ch.DailyATMLimit = limit(req.DailyATMLimit, "daily_atm_limit")
	if len(fields) > 0 {
		s.Error(w, r, kumbara.ErrValidationFailed.WithFields(fields...))
		return
	}
	c, err = s.Cards.SetControls(r.Context(), who, c.ID, ch, req.Password)
	s.answerCard(w, r, http.StatusOK, c, err)
}

func (s *Server) linkCardAccount(w http.ResponseWriter, r *http.Request) {
	var req cardPasswordRequest
	if err := httpx.DecodeJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	c, err := s.Cards.Link(r.Context(), card.Holder(sessionOf(r).CustomerID), r.PathValue("id"),
		r.PathValue("account_id"), req.Password)
	s.answerCard(w, r, http.StatusOK, c, err)
}

func (s *Server) unlinkCardAccount(w http.ResponseWriter, r *http.Request) {
	c, err := s.Cards.Unlink(r.Context(), card.Holder(sessionOf(r).CustomerID), r.PathValue("id"), r.PathValue("account_id"))
	s.answerCard(w, r, http.StatusOK, c, err)
}
