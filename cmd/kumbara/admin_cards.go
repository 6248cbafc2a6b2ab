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
	"github.com/kumbara/kumbara/staff"
)

// cardCommands issue and look after debit cards. Only masked numbers are ever printed: the full number and the
// PIN must not end up in terminals, scrollback or logs.
func cardCommands() []adminCommand {
	return []adminCommand{
		{name: "issue-card", permission: staff.CardIssue, summary: "issue a debit card on an account (prints only the masked number)", flags: issueCard},
		{name: "cards", permission: staff.CustomerRead, summary: "list a customer's cards (masked)", flags: listCards},
		{name: "unblock-pin", permission: staff.CardBlock, summary: "let a card's PIN be used again after 3 wrong tries", flags: unblockPIN},
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
