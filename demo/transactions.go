package demo

import (
	"context"
	"fmt"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/money"
)

// demoPurchase is a purchase the demo makes through the card network's issuer side: authorised, and when cleared
// presented in the demo's clearing file.
type demoPurchase struct {
	id       string
	credit   bool // on the credit card, else the debit card
	merchant string
	mcc      string
	minor    int64
	cleared  bool
}

// demoPurchases give 100000001's cards some completed (authorised and cleared) and pending (authorised, not
// cleared) purchases, as /cards/{id}/transactions shows them.
var demoPurchases = []demoPurchase{
	{"demo-auth-1", true, "Spar Blloku", "5411", 345000, true},
	{"demo-auth-2", true, "Restorant Oda", "5812", 280000, true},
	{"demo-auth-3", true, "Sport Vision TEG", "5651", 1190000, false},
	{"demo-auth-4", true, "Kafe Komiteti", "5814", 45000, false},
	{"demo-auth-5", false, "Conad Tirana", "5411", 189000, true},
	{"demo-auth-6", false, "Farmacia Tirana", "5912", 76000, false},
}

// demoClearingFile is the id of the demo's clearing file: the same file each seed, so it posts once.
const demoClearingFile = "demo-clearing"

// seedCardTransactions authorises the demo purchases on the customer's credit and debit cards and clears the ones
// that are completed, through the issuer's own Authorise and Clear: a repeat answers as the first time and posts
// nothing again, so every seed may run it.
func seedCardTransactions(ctx context.Context, d Deps) error {
	if d.Issuing == nil || d.Cards == nil {
		return nil
	}
	cu, err := d.Customers.ByClientNumber(ctx, people[0].client)
	if err != nil {
		return fmt.Errorf("demo card transactions: %w", err)
	}
	cards, err := d.Cards.List(ctx, cu.ID)
	if err != nil {
		return err
	}
	var credit, debit string
	for _, c := range cards {
		switch {
		case c.Status != card.Active || c.Supplementary:
		case c.Kind == card.Credit && credit == "":
			credit = c.ID
		case c.Kind == card.Debit && debit == "":
			debit = c.ID
		}
	}
	var file issuing.File
	for _, p := range demoPurchases {
		id := debit
		if p.credit {
			id = credit
		}
		if id == "" {
			continue
		}
		amt := money.New(p.minor, money.ALL)
		a, err := d.Issuing.Authorise(ctx, issuing.Request{ID: p.id, CardID: id, Amount: amt, Merchant: p.merchant,
			MCC: p.mcc, Country: "AL", CardPresent: true})
		if err != nil {
			return fmt.Errorf("demo authorisation %s: %w", p.id, err)
		}
		if a.Approved && p.cleared {
			file.Presentments = append(file.Presentments, issuing.Presentment{ID: p.id + "-p", AuthorisationID: p.id,
				CardID: id, Kind: issuing.KindPurchase, Amount: amt, MCC: p.mcc, Merchant: p.merchant})
		}
	}
	if len(file.Presentments) == 0 {
		return nil
	}
	file.ID, file.BusinessDate = demoClearingFile, calendar.DateOf(d.Customers.Clock.Now())
	if _, err := d.Issuing.Clear(ctx, issuing.Format(file)); err != nil {
		return fmt.Errorf("demo clearing: %w", err)
	}
	return nil
}
