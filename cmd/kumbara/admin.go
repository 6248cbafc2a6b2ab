package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/uniquecode"
)

const adminUsage = `usage: kumbara admin <command> [flags]

staff commands (all take --db):
  create-customer  --first --last --national-id --mobile [--birth YYYY-MM-DD] [--email] [--address] [--client-number] [--contract 002] [--home-branch NAME]
  create-business  --name --nipt --mobile [--email] [--address] [--client-number] [--representative CLIENT_NUMBER]
  open-account     --client N --currency ALL [--type current|savings] [--name]
  accounts         --client N
  deposit          --iban IBAN --amount 1000.00     (branch cash deposit, against the vault)
  withdraw         --iban IBAN --amount 1000.00     (branch cash withdrawal)
  set-password     --client N --password P          (initial password; must be changed at first login)
  unblock          --client N                       (lift a blocked channel)
  close-channel    --client N                       (the bank closes the digital channel: sessions end, login refused)
  reactivate-channel --client N                     (reopen a closed channel; the same password works again)
  block-account    --iban IBAN | unblock-account --iban IBAN | close-account --iban IBAN
  set-overdraft    --iban IBAN --limit 5000.00
  reverse          --entry ENTRY_ID --reason TEXT
  issue-card       --client N --iban IBAN --card-type visa|mastercard [--contactless] --pin 4739
                                                    (debit card; prints only the masked number)
  cards            --client N                       (masked)
  unblock-pin      --card ID                        (after 3 wrong PINs)
  issue-code       --client N [--purpose registration|recovery]
                                                    (unique code for registration or password recovery; shown once)
  inbox            [--limit 20] [--to +3556…]       (sandbox SMS and email)
  gl                                                (the bank's GL accounts)
`

// admin runs one staff command. Every command goes through the same domain services as the API, so staff are
// held to the same rules (password policy, balanced postings, no posting to a blocked account).
func admin(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" {
		fmt.Fprint(stdout, adminUsage)
		if len(args) == 0 {
			return usageError{errors.New("no admin command")}
		}
		return nil
	}
	cmd := args[0]
	fs := flag.NewFlagSet("admin "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	c.register(fs, getenv)
	f := map[string]*string{}
	for _, name := range []string{"first", "last", "national-id", "mobile", "birth", "email", "address",
		"client-number", "contract", "home-branch", "name", "nipt", "representative", "client", "currency", "type",
		"iban", "amount", "password", "limit", "entry", "reason", "to", "card-type", "pin", "card", "purpose"} {
		f[name] = fs.String(name, "", "")
	}
	contactless := fs.Bool("contactless", false, "")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	b, err := openBank(ctx, &c, clock.Real{}, nil)
	if err != nil {
		return err
	}
	defer b.Close()
	v := func(name string) string { return strings.TrimSpace(*f[name]) }
	out := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	defer out.Flush()

	byClient := func() (customer.Customer, error) {
		if v("client") == "" {
			return customer.Customer{}, usageError{errors.New("--client is required")}
		}
		return b.Customers.ByClientNumber(ctx, v("client"))
	}
	byIBAN := func() (ledger.Account, error) {
		if v("iban") == "" {
			return ledger.Account{}, usageError{errors.New("--iban is required")}
		}
		return b.Ledger.ByIBAN(ctx, strings.ToUpper(strings.ReplaceAll(v("iban"), " ", "")))
	}

	switch cmd {
	case "create-customer":
		var birth time.Time
		if v("birth") != "" {
			if birth, err = time.Parse(time.DateOnly, v("birth")); err != nil {
				return fmt.Errorf("--birth: %w", err)
			}
		}
		contract := v("contract")
		if contract == "" {
			contract = "002"
		}
		cu, err := b.Customers.CreateIndividual(ctx, customer.NewIndividual{ClientNumber: v("client-number"),
			NationalID: v("national-id"), FirstName: v("first"), LastName: v("last"), BirthDate: birth,
			Mobile: v("mobile"), Email: v("email"), Address: v("address"), ContractVersion: contract, Branch: v("home-branch")})
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "created customer %s\t%s\tclient number %s\n", cu.ID, cu.Name(), cu.ClientNumber)
	case "create-business":
		var reps []string
		if v("representative") != "" {
			rep, err := b.Customers.ByClientNumber(ctx, v("representative"))
			if err != nil {
				return explain(err)
			}
			reps = append(reps, rep.ID)
		}
		cu, err := b.Customers.CreateBusiness(ctx, customer.NewBusiness{ClientNumber: v("client-number"), NIPT: v("nipt"),
			CompanyName: v("name"), Mobile: v("mobile"), Email: v("email"), Address: v("address"),
			ContractVersion: "002", Branch: v("home-branch"), Representatives: reps})
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "created business %s\t%s\tclient number %s\n", cu.ID, cu.Name(), cu.ClientNumber)
	case "open-account":
		cu, err := byClient()
		if err != nil {
			return explain(err)
		}
		typ := v("type")
		if typ == "" {
			typ = ledger.TypeCurrent
		}
		a, err := b.Customers.OpenAccount(ctx, cu.ID, money.Currency(strings.ToUpper(v("currency"))), typ, v("name"))
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "opened %s account %s\tIBAN %s\t%s\n", a.Currency, a.ID, a.IBAN, a.Type)
	case "accounts":
		cu, err := byClient()
		if err != nil {
			return explain(err)
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
	case "deposit", "withdraw":
		a, err := byIBAN()
		if err != nil {
			return explain(err)
		}
		amt, err := money.ParsePositive(v("amount"), a.Currency)
		if err != nil {
			return explain(err)
		}
		var id string
		if cmd == "deposit" {
			id, err = b.Ledger.CashDeposit(ctx, a.ID, amt, v("reason"))
		} else {
			id, err = b.Ledger.CashWithdrawal(ctx, a.ID, amt, v("reason"))
		}
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "%s of %s posted as entry %s\n", cmd, amt, id)
	case "set-password":
		cu, err := byClient()
		if err != nil {
			return explain(err)
		}
		if err := b.Auth.SetPassword(ctx, cu.ID, *f["password"], true); err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "initial password set for %s; it must be changed at first login\n", cu.ClientNumber)
	case "unblock":
		cu, err := byClient()
		if err != nil {
			return explain(err)
		}
		if err := b.Auth.Unblock(ctx, cu.ID); err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "channel unblocked for %s\n", cu.ClientNumber)
	case "close-channel", "reactivate-channel":
		cu, err := byClient()
		if err != nil {
			return explain(err)
		}
		change, done := b.Auth.CloseChannel, "closed"
		if cmd == "reactivate-channel" {
			change, done = b.Auth.ReactivateChannel, "reactivated"
		}
		if err := change(ctx, cu.ID); err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "digital channel %s for %s\n", done, cu.ClientNumber)
	case "block-account", "unblock-account", "close-account":
		a, err := byIBAN()
		if err != nil {
			return explain(err)
		}
		to := map[string]ledger.Status{"block-account": ledger.Blocked, "unblock-account": ledger.Active,
			"close-account": ledger.Closed}[cmd]
		if err := b.DB.InTx(ctx, func(tx *db.Tx) error { return ledger.SetStatus(ctx, tx, b.Clock.Now(), a.ID, to) }); err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "account %s is now %s\n", a.IBAN, to)
	case "set-overdraft":
		a, err := byIBAN()
		if err != nil {
			return explain(err)
		}
		amt, err := money.ParseDecimal(v("limit"), a.Currency)
		if err != nil {
			return explain(err)
		}
		if err := b.DB.InTx(ctx, func(tx *db.Tx) error { return ledger.SetOverdraft(ctx, tx, a.ID, amt.Minor) }); err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "overdraft limit of %s set to %s\n", a.IBAN, amt)
	case "reverse":
		id, err := b.Ledger.Reverse(ctx, v("entry"), v("reason"))
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "entry %s reversed by %s\n", v("entry"), id)
	case "issue-card":
		cu, err := byClient()
		if err != nil {
			return explain(err)
		}
		a, err := byIBAN()
		if err != nil {
			return explain(err)
		}
		// The PIN is read from the flag as given (not trimmed): a PIN with a stray space is refused, not changed.
		c, err := b.Cards.Issue(ctx, card.IssueRequest{CustomerID: cu.ID, AccountID: a.ID,
			Type: card.Type(strings.ToLower(v("card-type"))), Contactless: *contactless, PIN: *f["pin"]})
		if err != nil {
			return explain(err)
		}
		// Only the masked number: the full number and the PIN must not end up in terminals, scrollback or logs.
		fmt.Fprintf(out, "issued %s card %s\t%s\texpires %s\tcontactless %s\n", c.Type, c.ID, c.Masked, c.Expires,
			yesNo(c.Contactless))
	case "cards":
		cu, err := byClient()
		if err != nil {
			return explain(err)
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
			pin := "ok"
			if c.PINBlocked {
				pin = "blocked"
			}
			fmt.Fprintf(out, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.Type, c.Masked, c.Expires, c.Status,
				yesNo(c.Contactless), pin, ibans[c.AccountID])
		}
	case "unblock-pin":
		if v("card") == "" {
			return usageError{errors.New("--card is required")}
		}
		if err := b.Cards.UnblockPIN(ctx, v("card")); err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "PIN use unblocked for card %s\n", v("card"))
	case "issue-code":
		cu, err := byClient()
		if err != nil {
			return explain(err)
		}
		purpose := uniquecode.Registration
		if v("purpose") != "" {
			purpose = uniquecode.Purpose(strings.ToLower(v("purpose")))
		}
		code, expires, err := b.Codes.Issue(ctx, cu.ID, purpose, "cli")
		if err != nil {
			return explain(err)
		}
		// The one place the code exists in clear: staff hand it to the customer now, as only its hash is kept.
		fmt.Fprintf(out, "unique code for %s (%s): %s\n", cu.ClientNumber, purpose, uniquecode.Format(code))
		fmt.Fprintf(out, "valid until %s Tirana time; single use — issuing another code for %s revokes this one\n",
			expires.In(clock.Tirane).Format("2006-01-02 15:04"), purpose)
	case "inbox":
		limit := 20
		if v("limit") != "" {
			fmt.Sscanf(v("limit"), "%d", &limit)
		}
		msgs, err := b.Sandbox.Inbox(ctx, limit)
		if v("to") != "" {
			msgs, err = b.Sandbox.InboxFor(ctx, v("to"), limit)
		}
		if err != nil {
			return err
		}
		fmt.Fprintln(out, "TIME\tCHANNEL\tTO\tMESSAGE")
		for _, m := range msgs {
			fmt.Fprintf(out, "%s\t%s\t%s\t%s\n", m.CreatedAt.In(clock.Tirane).Format("2006-01-02 15:04:05"), m.Channel, m.Recipient, m.Body)
		}
	case "gl":
		accounts, err := b.Ledger.ListGL(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(out, "CODE\tBALANCE")
		for _, a := range accounts {
			fmt.Fprintf(out, "%s\t%s\n", a.GLCode, money.New(a.Balance, a.Currency))
		}
	default:
		fmt.Fprint(stderr, adminUsage)
		return usageError{fmt.Errorf("unknown admin command %q", cmd)}
	}
	return nil
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// explain turns a domain error into a sentence for staff: the code and the fields at fault.
func explain(err error) error {
	e, ok := kumbara.As(err)
	if !ok {
		return err
	}
	msg := e.Code
	for _, f := range e.Fields {
		msg += fmt.Sprintf("; %s: %s", f.Field, f.Code)
	}
	return errors.New(msg)
}
