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
	"github.com/kumbara/kumbara/creditcard"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/operation"
)

// openCredit asks for a credit card with its limits: a second member approves it (`kumbara admin approve`), and
// the card is opened then, with a PIN no one sees (the holder chooses theirs in the app).
func openCredit(fs *flag.FlagSet) adminRun {
	client := fs.String("customer", "", "the customer's client number (required)")
	limit := fs.String("limit", "", "the credit limit in ALL, e.g. 100000.00 (required)")
	cash := fs.String("cash-limit", "0", "the cash limit in ALL, at most the limit")
	cycle := fs.String("cycle", string(creditcard.CycleEnd), "where the statement cycle is cut: start or end (of the month)")
	scheme := fs.String("scheme", string(card.Visa), "visa or mastercard")
	contactless := fs.Bool("contactless", true, "the card pays contactless")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		n := trimmed(client)
		if n == "" {
			return usageError{errors.New("--customer is required")}
		}
		cu, err := b.Customers.ByClientNumber(ctx, n)
		if err != nil {
			return explain(err)
		}
		l, err := amountFlag("--limit", trimmed(limit))
		if err != nil {
			return err
		}
		c, err := amountFlag("--cash-limit", trimmed(cash))
		if err != nil {
			return err
		}
		o, err := b.Operations.OpenCreditCard(ctx, op.Member, operation.CreditOpening{CustomerID: cu.ID,
			Currency: money.ALL, Limit: l, CashLimit: c, Cycle: strings.ToLower(trimmed(cycle)),
			Type: strings.ToLower(trimmed(scheme)), Contactless: *contactless})
		return outcome(out, o, err, "credit card %s opened")
	}
}

// amountFlag reads an amount in ALL; its sign and size are the domain's to judge (credit_limit_invalid).
func amountFlag(name, v string) (int64, error) {
	if v == "" {
		return 0, usageError{fmt.Errorf("%s is required", name)}
	}
	a, err := money.ParseDecimal(v, money.ALL)
	if err != nil {
		return 0, usageError{fmt.Errorf("%s: %w", name, err)}
	}
	return a.Minor, nil
}

// issueSupplementary issues a supplementary card on a credit card at once; only the masked number is printed.
func issueSupplementary(fs *flag.FlagSet) adminRun {
	id := cardFlag(fs)
	holder := fs.String("holder", "", "the name to print on the card (required)")
	scheme := fs.String("scheme", "", "visa or mastercard; empty: the credit card's")
	contactless := fs.Bool("contactless", true, "the card pays contactless")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		v, err := id()
		if err != nil {
			return err
		}
		c, err := b.Operations.IssueSupplementaryCard(ctx, op.Member, creditcard.SupplementaryRequest{CardID: v,
			Holder: trimmed(holder), Type: card.Type(strings.ToLower(trimmed(scheme))), Contactless: *contactless})
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "issued supplementary %s card %s\t%s\t%s\texpires %s\n", c.Type, c.ID, c.Masked, c.Holder,
			c.Expires)
		return nil
	}
}
