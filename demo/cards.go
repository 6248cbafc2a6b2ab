package demo

import (
	"context"
	"fmt"
	"slices"

	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// CardPIN is the PIN of every demo customer's debit card: what they type to register with their card, and what a
// card terminal of the demo asks.
const CardPIN = "4739"

// seedCards gives every demo individual who has no debit card yet an active Visa debit card, contactless, on their
// first ALL current account, issued by the bank as a branch issues one (package card, through its rules). It runs on
// every seed, so a demo bank seeded before cards existed gets them too.
func seedCards(ctx context.Context, d Deps) error {
	if d.Cards == nil {
		return nil
	}
	for _, p := range people {
		c, err := d.Customers.ByClientNumber(ctx, p.client)
		if err != nil {
			return fmt.Errorf("demo card of %s: %w", p.client, err)
		}
		have, err := d.Cards.List(ctx, c.ID)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(have, func(k card.Card) bool { return k.Kind == card.Debit }) {
			continue
		}
		accounts, err := d.Ledger.ListByCustomer(ctx, c.ID)
		if err != nil {
			return err
		}
		for _, a := range accounts {
			if a.Currency != money.ALL || a.Type != ledger.TypeCurrent {
				continue
			}
			if _, err := d.Cards.Issue(ctx, card.IssueRequest{CustomerID: c.ID, AccountID: a.ID, Type: card.Visa,
				Contactless: true, PIN: CardPIN}); err != nil {
				return fmt.Errorf("demo card of %s: %w", p.client, err)
			}
			break
		}
	}
	return nil
}
