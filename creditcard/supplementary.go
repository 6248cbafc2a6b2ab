package creditcard

import (
	"context"
	"strings"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/db"
)

// Supplementary cards (F13). A supplementary card is a credit card on the same credit account as the main card,
// for another holder whose name is printed on it; the customer who owns the account holds it too (it is in their
// cards, marked supplementary) and owes what it spends. Its own purchases and cash in a cycle (approved or cleared)
// may not pass SupplementaryPercent of the limit (Allowance; declined limit_reached); the main card is not bound by
// that share. Each card has its own status: blocking, reporting lost or reprinting the main card leaves the
// supplementary card working, and the other way round; a reprint of the supplementary card stays supplementary.
// Closing the credit account stops both, since every authorisation needs the account usable.

// SupplementaryRequest is what staff give to issue a supplementary card on a credit card.
type SupplementaryRequest struct {
	CardID      string    // the credit card (any card of its credit account)
	Holder      string    // the name to print on the card (required)
	Type        card.Type // empty: the main card's scheme
	Contactless bool
}

// IssueSupplementary issues a supplementary card for another holder on a credit card, with a PIN no one sees (the
// holder chooses theirs with the card's new PIN). It needs no second member — it draws within a limit approved
// already — and is audited as the staff member the context carries (card.issued and credit.supplementary.issued).
func (s *Service) IssueSupplementary(ctx context.Context, r SupplementaryRequest) (card.Card, error) {
	cr, err := s.ByCard(ctx, r.CardID)
	if err != nil {
		return card.Card{}, err
	}
	if strings.TrimSpace(r.Holder) == "" {
		return card.Card{}, kumbara.ErrValidationFailed.WithFields(kumbara.ErrFieldRequired.At("holder"))
	}
	if r.Type == "" {
		main, err := s.Cards.Find(ctx, cr.CardID)
		if err != nil {
			return card.Card{}, err
		}
		r.Type = main.Type
	}
	pin, err := card.RandomPIN()
	if err != nil {
		return card.Card{}, refused("supplementary card", err)
	}
	c, err := s.Cards.Issue(ctx, card.IssueRequest{CustomerID: cr.CustomerID, AccountID: cr.AccountID,
		Kind: card.Credit, Type: r.Type, Holder: r.Holder, Contactless: r.Contactless, PIN: pin, Supplementary: true})
	if err != nil {
		return card.Card{}, err
	}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		return audit.Append(ctx, tx, s.Clock.Now(), audit.Stamp(ctx, audit.Entry{Actor: audit.Operator(ctx),
			Action: ActionSupplementary, CustomerID: cr.CustomerID, AccountID: cr.AccountID, Result: audit.ResultOK,
			After: audit.State(map[string]any{"card": c.ID, "main": cr.CardID, "holder": c.Holder,
				"percent": cr.SupplementaryPercent})}))
	})
	return c, refused("supplementary card", err)
}
