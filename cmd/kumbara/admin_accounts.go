package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/operation"
	"github.com/kumbara/kumbara/staff"
)

// accountCommands open and look after customer accounts and post the branch's cash and corrections.
func accountCommands() []adminCommand {
	return []adminCommand{
		{name: "open-account", permission: staff.AccountManage, summary: "open an account for a customer", flags: openAccount},
		{name: "accounts", permission: staff.CustomerRead, summary: "list a customer's accounts with their balances", flags: listAccounts},
		{name: "deposit", permission: staff.CashBranch, summary: "post a branch cash deposit (against the vault)",
			flags: deposit},
		{name: "withdraw", permission: staff.CashBranch,
			summary: "post a branch cash withdrawal (a second member approves a large one)", flags: withdraw},
		{name: "block-account", permission: staff.AccountManage, summary: "block an account: nothing posts to it", flags: accountStatus(ledger.Blocked)},
		{name: "unblock-account", permission: staff.AccountManage, summary: "make a blocked account active again", flags: accountStatus(ledger.Active)},
		{name: "close-account", permission: staff.AccountManage, summary: "close an empty account for good", flags: accountStatus(ledger.Closed)},
		{name: "set-overdraft", permission: staff.OverdraftSet, summary: "set an account's approved overdraft limit (a second member approves)", flags: setOverdraft},
		{name: "reverse", permission: staff.EntryReverse, summary: "reverse a journal entry by posting its mirror (a second member approves)", flags: reverse},
		{name: "gl", permission: staff.LedgerRead, summary: "list the bank's GL accounts with their balances", flags: listGL},
	}
}

func openAccount(fs *flag.FlagSet) adminRun {
	client := newClientFlag(fs)
	currency := fs.String("currency", "", "ISO 4217 code, e.g. ALL or EUR (required)")
	typ := fs.String("type", ledger.TypeCurrent, "current or savings")
	name := fs.String("name", "", "the account's display name")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		cu, err := client.customer(ctx, b)
		if err != nil {
			return err
		}
		t := trimmed(typ)
		if t == "" {
			t = ledger.TypeCurrent
		}
		a, err := b.Operations.OpenAccount(ctx, op.Member, cu.ID, money.Currency(strings.ToUpper(trimmed(currency))), t,
			trimmed(name))
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "opened %s account %s\tIBAN %s\t%s\n", a.Currency, a.ID, a.IBAN, a.Type)
		return nil
	}
}

func listAccounts(fs *flag.FlagSet) adminRun {
	client := newClientFlag(fs)
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		cu, err := client.customer(ctx, b)
		if err != nil {
			return err
		}
		accounts, err := b.Ledger.ListByCustomer(ctx, cu.ID)
		if err != nil {
			return err
		}
		fmt.Fprintln(out, "ID\tIBAN\tTYPE\tSTATUS\tBALANCE\tHELD\tAVAILABLE")
		for _, a := range accounts {
			fmt.Fprintf(out, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.ID, a.IBAN, a.Type, a.Status,
				money.New(a.Balance, a.Currency), money.New(a.Held, a.Currency), money.New(a.Available(), a.Currency))
		}
		return nil
	}
}

func deposit(fs *flag.FlagSet) adminRun {
	iban := newIBANFlag(fs)
	amount := fs.String("amount", "", "amount in the account's currency, e.g. 1000.00 (required)")
	reason := fs.String("reason", "", "a note on the entry")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		a, err := iban.account(ctx, b)
		if err != nil {
			return err
		}
		id, err := b.Operations.Deposit(ctx, op.Member, a.ID, trimmed(amount), trimmed(reason))
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "deposit of %s %s posted as entry %s\n", trimmed(amount), a.Currency, id)
		return nil
	}
}

func withdraw(fs *flag.FlagSet) adminRun {
	iban := newIBANFlag(fs)
	amount := fs.String("amount", "", "amount in the account's currency, e.g. 1000.00 (required)")
	reason := fs.String("reason", "", "a note on the entry (required above the amount a second member approves)")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		a, err := iban.account(ctx, b)
		if err != nil {
			return err
		}
		o, err := b.Operations.Withdraw(ctx, op.Member, a.ID, trimmed(amount), trimmed(reason))
		return outcome(out, o, err, fmt.Sprintf("withdrawal of %s %s posted as entry %%s", trimmed(amount), a.Currency))
	}
}

// accountStatus blocks, unblocks or closes an account.
func accountStatus(to ledger.Status) func(*flag.FlagSet) adminRun {
	return func(fs *flag.FlagSet) adminRun {
		iban := newIBANFlag(fs)
		return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
			a, err := iban.account(ctx, b)
			if err != nil {
				return err
			}
			if err := b.Operations.ChangeAccountStatus(ctx, op.Member, a.ID, to); err != nil {
				return explain(err)
			}
			fmt.Fprintf(out, "account %s is now %s\n", a.IBAN, to)
			return nil
		}
	}
}

func setOverdraft(fs *flag.FlagSet) adminRun {
	iban := newIBANFlag(fs)
	limit := fs.String("limit", "", "the approved limit in the account's currency, e.g. 5000.00 (required)")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		a, err := iban.account(ctx, b)
		if err != nil {
			return err
		}
		o, err := b.Operations.SetOverdraft(ctx, op.Member, a.ID, trimmed(limit))
		return outcome(out, o, err, fmt.Sprintf("overdraft limit of %s set to %s", a.IBAN, trimmed(limit)))
	}
}

func reverse(fs *flag.FlagSet) adminRun {
	entry := fs.String("entry", "", "the journal entry's id (required)")
	reason := fs.String("reason", "", "why it is reversed (required)")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		o, err := b.Operations.Reverse(ctx, op.Member, operation.Reversal{EntryID: trimmed(entry), Reason: trimmed(reason)})
		return outcome(out, o, err, "entry "+trimmed(entry)+" reversed by %s")
	}
}

func listGL(*flag.FlagSet) adminRun {
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		accounts, err := b.Ledger.ListGL(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(out, "CODE\tBALANCE")
		for _, a := range accounts {
			fmt.Fprintf(out, "%s\t%s\n", a.GLCode, money.New(a.Balance, a.Currency))
		}
		return nil
	}
}
