package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/staff"
)

// cardCommands issue and look after cards, as the back office's card pages do. Only masked numbers are ever printed: the full number and the
// PIN must not end up in terminals, scrollback or logs.
func cardCommands() []adminCommand {
	return []adminCommand{
		{name: "issue-card", permission: staff.CardIssue, summary: "issue a debit card on an account (prints only the masked number)", flags: issueCard},
		{name: "cards", permission: staff.CustomerRead, summary: "list a customer's cards (masked)", flags: listCards},
		{name: "unblock-pin", permission: staff.CardBlock, summary: "let a card's PIN be used again after 3 wrong tries", flags: unblockPIN},
		{name: "cards search", permission: staff.CustomerRead, summary: "find cards by client number and/or last four digits (masked)", flags: searchCards},
		{name: "cards show", permission: staff.CustomerRead, summary: "a card: its status, accounts, controls and history", flags: showCard, arg: "card"},
		{name: "cards block", permission: staff.CardBlock, summary: "block a card now: --reason temporary (default) or lost", flags: blockCard, arg: "card"},
		{name: "cards unblock", permission: staff.CardBlock, summary: "reactivate a card blocked for a while", flags: cardAction("reactivated", unblockCard), arg: "card"},
		{name: "cards reactivate-lost", permission: staff.CardBlock, summary: "reactivate a card reported lost (a second member approves)", flags: reactivateLost, arg: "card"},
		{name: "cards reprint", permission: staff.CardBlock, summary: "block a card for good and order a new one with a new number", flags: cardAction("ordered, replacing the card", reprintCard), arg: "card"},
		{name: "cards ready", permission: staff.CardBlock, summary: "a reprinted card is at the branch: the customer is told by SMS", flags: cardAction("ready at the branch", readyCard), arg: "card"},
		{name: "cards hand-over", permission: staff.CardBlock, summary: "a reprinted card was given to its customer: it works from now", flags: cardAction("handed over", handOverCard), arg: "card"},
		{name: "cards open-credit", permission: staff.CardIssue, summary: "open a credit card with its limits (a second member approves)", flags: openCredit},
		{name: "cards supplementary", permission: staff.CardIssue, summary: "issue a supplementary card on a credit card for another holder", flags: issueSupplementary, arg: "card"},
	}
}

// cardFlag is the --card flag of the card commands (or their one argument).
func cardFlag(fs *flag.FlagSet) func() (string, error) {
	id := fs.String("card", "", "the card's id, as cards lists it (required)")
	return func() (string, error) {
		v := trimmed(id)
		if v == "" {
			return "", usageError{errors.New("--card is required")}
		}
		return v, nil
	}
}

type cardOp func(ctx context.Context, b *app.Bank, m staff.Member, id string) (card.Card, error)

func unblockCard(ctx context.Context, b *app.Bank, m staff.Member, id string) (card.Card, error) {
	return b.Operations.UnblockCard(ctx, m, id)
}

func reprintCard(ctx context.Context, b *app.Bank, m staff.Member, id string) (card.Card, error) {
	return b.Operations.ReprintCard(ctx, m, id)
}

func readyCard(ctx context.Context, b *app.Bank, m staff.Member, id string) (card.Card, error) {
	return b.Operations.MarkCardReady(ctx, m, id)
}

func handOverCard(ctx context.Context, b *app.Bank, m staff.Member, id string) (card.Card, error) {
	return b.Operations.HandOverCard(ctx, m, id)
}

// cardAction runs op on the card and prints the card it leaves (the new one after a reprint) with done.
func cardAction(done string, op cardOp) func(fs *flag.FlagSet) adminRun {
	return func(fs *flag.FlagSet) adminRun {
		id := cardFlag(fs)
		return func(ctx context.Context, b *app.Bank, o operator, out io.Writer) error {
			v, err := id()
			if err != nil {
				return err
			}
			c, err := op(ctx, b, o.Member, v)
			if err != nil {
				return explain(err)
			}
			fmt.Fprintf(out, "card %s\t%s\t%s: %s\n", c.ID, c.Masked, c.Status, done)
			return nil
		}
	}
}

func blockCard(fs *flag.FlagSet) adminRun {
	reason := fs.String("reason", string(card.Temporary), "temporary (the customer may reactivate it) or lost")
	return cardAction("blocked", func(ctx context.Context, b *app.Bank, m staff.Member, id string) (card.Card, error) {
		return b.Operations.BlockCard(ctx, m, id, card.BlockReason(trimmed(reason)))
	})(fs)
}

func reactivateLost(fs *flag.FlagSet) adminRun {
	id := cardFlag(fs)
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		v, err := id()
		if err != nil {
			return err
		}
		o, err := b.Operations.ReactivateLostCard(ctx, op.Member, v)
		return outcome(out, o, err, "card %s reactivated")
	}
}

func searchCards(fs *flag.FlagSet) adminRun {
	client := fs.String("client", "", "the customer's client number")
	last4 := fs.String("last4", "", "the last four digits of the card's number")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		var customerID string
		if v := trimmed(client); v != "" {
			cu, err := b.Customers.ByClientNumber(ctx, v)
			if err != nil {
				return explain(err)
			}
			customerID = cu.ID
		}
		cards, err := b.Cards.Search(ctx, customerID, trimmed(last4))
		if err != nil {
			return explain(err)
		}
		fmt.Fprintln(out, "ID\tKIND\tNUMBER\tHOLDER\tEXPIRES\tSTATUS")
		now := b.Clock.Now()
		for _, c := range cards {
			kind := string(c.Kind)
			if c.Supplementary {
				kind += " (supplementary)"
			}
			fmt.Fprintf(out, "%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, kind, c.Masked, c.Holder, c.Expires, c.Shown(now))
		}
		return nil
	}
}

func showCard(fs *flag.FlagSet) adminRun {
	id := cardFlag(fs)
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		v, err := id()
		if err != nil {
			return err
		}
		c, err := b.Cards.Find(ctx, v)
		if err != nil {
			return explain(err)
		}
		links, err := b.Cards.Linked(ctx, card.Staff(), c.ID)
		if err != nil {
			return explain(err)
		}
		history, err := b.Cards.History(ctx, card.Staff(), c.ID)
		if err != nil {
			return explain(err)
		}
		k := c.Controls
		fmt.Fprintf(out, "card %s\t%s %s\t%s\t%s\texpires %s\n", c.ID, c.Kind, c.Type, c.Masked, c.Shown(b.Clock.Now()), c.Expires)
		fmt.Fprintf(out, "holder\t%s\n", c.Holder)
		if c.Supplementary {
			fmt.Fprintln(out, "supplementary\tyes: spends the credit card's account within its share of the limit")
		}
		accounts := []string{c.AccountID + " (primary)"}
		for _, l := range links {
			accounts = append(accounts, l.AccountID)
		}
		fmt.Fprintf(out, "accounts\t%s\n", strings.Join(accounts, ", "))
		fmt.Fprintf(out, "controls\tonline %s, contactless %s, atm %s, magstripe %s, abroad %s\n", yesNo(k.Online),
			yesNo(k.Contactless), yesNo(k.ATM), yesNo(k.Magstripe), yesNo(k.Abroad))
		fmt.Fprintf(out, "daily limits\tpurchases %s, ATM %s\n", money.New(k.DailyPurchaseLimit, c.Currency),
			money.New(k.DailyATMLimit, c.Currency))
		for _, e := range history {
			fmt.Fprintf(out, "%s\t%s\t%s %s\t%s\n", e.At.In(clock.Tirane).Format("2006-01-02 15:04"), e.Event,
				e.ActorKind, e.Actor, e.Detail)
		}
		return nil
	}
}

func issueCard(fs *flag.FlagSet) adminRun {
	client := newClientFlag(fs)
	iban := newIBANFlag(fs)
	typ := fs.String("card-type", "", "visa or mastercard (required)")
	contactless := fs.Bool("contactless", false, "the card pays contactless")
	pin := fs.String("pin", "", "the card's PIN, 4 digits not easy to guess (required)")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		cu, err := client.customer(ctx, b)
		if err != nil {
			return err
		}
		a, err := iban.account(ctx, b)
		if err != nil {
			return err
		}
		// The PIN is read from the flag as given (not trimmed): a PIN with a stray space is refused, not changed.
		c, err := b.Operations.IssueCard(ctx, op.Member, card.IssueRequest{CustomerID: cu.ID, AccountID: a.ID,
			Type: card.Type(strings.ToLower(trimmed(typ))), Contactless: *contactless, PIN: *pin})
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "issued %s card %s\t%s\texpires %s\tcontactless %s\n", c.Type, c.ID, c.Masked, c.Expires,
			yesNo(c.Contactless))
		return nil
	}
}

func listCards(fs *flag.FlagSet) adminRun {
	client := newClientFlag(fs)
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		cu, err := client.customer(ctx, b)
		if err != nil {
			return err
		}
		cards, err := b.Cards.List(ctx, cu.ID)
		if err != nil {
			return err
		}
		accounts, err := b.Ledger.ListByCustomer(ctx, cu.ID)
		if err != nil {
			return err
		}
		ibans := map[string]string{}
		for _, a := range accounts {
			ibans[a.ID] = a.IBAN
		}
		fmt.Fprintln(out, "ID\tTYPE\tNUMBER\tEXPIRES\tSTATUS\tCONTACTLESS\tPIN\tIBAN")
		for _, c := range cards {
			pinState := "ok"
			if c.PINBlocked {
				pinState = "blocked"
			}
			fmt.Fprintf(out, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.Type, c.Masked, c.Expires, c.Status,
				yesNo(c.Contactless), pinState, ibans[c.AccountID])
		}
		return nil
	}
}

func unblockPIN(fs *flag.FlagSet) adminRun {
	id := fs.String("card", "", "the card's id, as cards lists it (required)")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		v := trimmed(id)
		if v == "" {
			return usageError{errors.New("--card is required")}
		}
		if err := b.Operations.UnblockPIN(ctx, op.Member, v); err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "PIN use unblocked for card %s\n", v)
		return nil
	}
}
