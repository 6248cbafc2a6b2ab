package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/bankdir"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/staff"
	"github.com/kumbara/kumbara/tariff"
)

// paymentCommands keep what payments to other banks need: the directory of Albanian banks (changed at once) and
// the tariff (every new rate waits for a second member, who approves it with `kumbara admin approve`).
func paymentCommands() []adminCommand {
	return []adminCommand{
		{name: "banks", permission: staff.PaymentsRead, summary: "list the directory of banks customers pay", flags: listBanks},
		{name: "banks put", permission: staff.DirectoryManage,
			summary: "add a bank to the directory or change one: --code 212 --bic CDISALTR --name N [--instant]", flags: putBank},
		{name: "banks deactivate", permission: staff.DirectoryManage, summary: "stop payments to a bank: kumbara admin banks deactivate CODE",
			flags: bankActive(false), arg: "code"},
		{name: "banks activate", permission: staff.DirectoryManage, summary: "take payments to a deactivated bank again",
			flags: bankActive(true), arg: "code"},
		{name: "banks credential issue", permission: staff.DirectoryManage,
			summary: "issue a bank a credential for name checks (its token is shown once): kumbara admin banks credential issue CODE",
			flags:   issueCredential, arg: "code"},
		{name: "banks credential list", permission: staff.PaymentsRead,
			summary: "list a bank's credentials for name checks, without their tokens: kumbara admin banks credential list CODE",
			flags:   listCredentials, arg: "code"},
		{name: "banks credential revoke", permission: staff.DirectoryManage,
			summary: "revoke a bank's credential for name checks at once: kumbara admin banks credential revoke ID",
			flags:   revokeCredential, arg: "id"},
		{name: "tariff", permission: staff.PaymentsRead, summary: "list the payment tariff in force", flags: listTariff},
		{name: "tariff history", permission: staff.PaymentsRead, summary: "list the tariff's versions, the newest first",
			flags: tariffHistory},
		{name: "tariff set", permission: staff.TariffManage,
			summary: "ask for a new rate of the tariff (a second member approves it)", flags: setTariff},
	}
}

func listBanks(fs *flag.FlagSet) adminRun {
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		banks, err := b.Directory.List(ctx)
		if err != nil {
			return explain(err)
		}
		fmt.Fprintln(out, "CODE\tBIC\tNAME\tINSTANT\tACTIVE\tUPDATED")
		for _, k := range banks {
			fmt.Fprintf(out, "%s\t%s\t%s\t%s\t%s\t%s\n", k.Code, k.BIC, k.Name, yesNo(k.Instant), yesNo(k.Active),
				k.UpdatedAt.In(clock.Tirane).Format("2006-01-02 15:04"))
		}
		return nil
	}
}

func putBank(fs *flag.FlagSet) adminRun {
	code := fs.String("code", "", "the 3-digit bank code of its IBANs (required)")
	bic := fs.String("bic", "", "its BIC, 8 or 11 characters (required)")
	name := fs.String("name", "", "its name (required)")
	instant := fs.Bool("instant", false, "it takes instant payments in ALL")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		k, err := b.Operations.PutBank(ctx, op.Member, bankdir.Bank{Code: *code, BIC: *bic, Name: *name, Instant: *instant})
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "bank %s %s %s\tinstant %s\tactive %s\n", k.Code, k.BIC, k.Name, yesNo(k.Instant), yesNo(k.Active))
		return nil
	}
}

func bankActive(active bool) func(fs *flag.FlagSet) adminRun {
	return func(fs *flag.FlagSet) adminRun {
		code := fs.String("code", "", "the bank's 3-digit code (required)")
		return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
			if err := b.Operations.SetBankActive(ctx, op.Member, trimmed(code), active); err != nil {
				return explain(err)
			}
			state := "takes no payments now"
			if active {
				state = "takes payments again"
			}
			fmt.Fprintf(out, "bank %s %s\n", trimmed(code), state)
			return nil
		}
	}
}

// issueCredential issues a bank a VoP credential and prints its token, this once: whoever runs the command hands
// it to the bank. Only the token goes to the output, on a line of its own, so that a script can take it.
func issueCredential(fs *flag.FlagSet) adminRun {
	code := fs.String("code", "", "the bank's 3-digit code (required)")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		c, token, err := b.Operations.IssueBankCredential(ctx, op.Member, trimmed(code))
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "credential %s issued to bank %s; its token, shown this once (the bank sends it as "+
			"Authorization: Bearer to /interbank/v1/vop):\n%s\n", c.ID, c.BankCode, token)
		return nil
	}
}

func listCredentials(fs *flag.FlagSet) adminRun {
	code := fs.String("code", "", "the bank's 3-digit code (required)")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		list, err := b.Directory.Credentials(ctx, trimmed(code))
		if err != nil {
			return explain(err)
		}
		when := func(t time.Time) string {
			if t.IsZero() {
				return "-"
			}
			return t.In(clock.Tirane).Format("2006-01-02 15:04")
		}
		fmt.Fprintln(out, "ID\tISSUED\tBY\tREVOKED\tBY")
		for _, c := range list {
			fmt.Fprintf(out, "%s\t%s\t%s\t%s\t%s\n", c.ID, when(c.CreatedAt), c.CreatedBy, when(c.RevokedAt),
				dashed(c.RevokedBy))
		}
		return nil
	}
}

func revokeCredential(fs *flag.FlagSet) adminRun {
	id := fs.String("id", "", "the credential's id, as banks credential list shows it (required)")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		c, err := b.Operations.RevokeBankCredential(ctx, op.Member, trimmed(id))
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "credential %s of bank %s revoked\n", c.ID, c.BankCode)
		return nil
	}
}

// writeRates lists rates, amounts as decimals in their currency.
func writeRates(out io.Writer, rates []tariff.Rate) {
	fmt.Fprintln(out, "SCHEME\tCHARGES\tCURRENCY\tFIXED\tPERCENT\tMIN\tMAX\tCORRESPONDENT\tSINCE\tSET BY\tAPPROVED BY")
	dec := func(minor int64, c money.Currency) string { return money.New(minor, c).Decimal() }
	for _, r := range rates {
		pct, max := r.Percent, dec(r.Max, r.Currency)
		if pct == "" {
			pct = "-"
		}
		if r.Max == 0 {
			max = "-"
		}
		since := r.ValidFrom.In(clock.Tirane).Format("2006-01-02 15:04")
		if r.ValidFrom.UnixMicro() == 0 {
			since = "(default)"
		}
		fmt.Fprintf(out, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Scheme, r.Charges, r.Currency,
			dec(r.Fixed, r.Currency), pct, dec(r.Min, r.Currency), max, dec(r.Correspondent, r.Currency), since, r.SetBy,
			dashed(r.ApprovedBy))
	}
}

func dashed(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func listTariff(fs *flag.FlagSet) adminRun {
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		rates, err := b.Tariff.Current(ctx)
		if err != nil {
			return explain(err)
		}
		writeRates(out, rates)
		return nil
	}
}

func tariffHistory(fs *flag.FlagSet) adminRun {
	scheme := fs.String("scheme", "", "one scheme's versions: "+strings.Join(tariff.Schemes(), ", ")+" (default: every scheme's)")
	limit := fs.Int("limit", 20, "how many, the newest first (at most 100)")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		rates, err := b.Tariff.History(ctx, strings.ToLower(trimmed(scheme)), *limit)
		if err != nil {
			return explain(err)
		}
		writeRates(out, rates)
		return nil
	}
}

func setTariff(fs *flag.FlagSet) adminRun {
	scheme := fs.String("scheme", "", strings.Join(tariff.Schemes(), ", ")+" (required)")
	charges := fs.String("charges", "", "who pays the charges: OUR, SHA or BEN (required)")
	currency := fs.String("currency", "", "the payments' currency: ALL for aech, aips and instant, EUR for sct and sct_inst, any for swift (required)")
	fixed := fs.String("fixed", "0", "a fixed fee, in the currency (e.g. 100.00)")
	percent := fs.String("percent", "", "a percentage of the amount, an exact decimal from 0 to 10 with at most 4 decimals (e.g. 0.15 for 0.15 %)")
	minFee := fs.String("min", "0", "the lowest fee, in the currency")
	maxFee := fs.String("max", "0", "the highest fee, in the currency (0: no upper bound)")
	correspondent := fs.String("correspondent", "0", "for OUR on swift: the correspondents' charges added, in the currency")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		r := tariff.Rate{Scheme: *scheme, Charges: *charges, Currency: money.Currency(strings.ToUpper(trimmed(currency))),
			Percent: *percent}
		// The amounts are read in the currency once it is one; an unknown currency is the rate's own refusal.
		if r.Currency.Valid() {
			for _, a := range []struct {
				field string
				typed *string
				minor *int64
			}{{"fixed", fixed, &r.Fixed}, {"min", minFee, &r.Min}, {"max", maxFee, &r.Max},
				{"correspondent", correspondent, &r.Correspondent}} {
				amt, err := money.ParseDecimal(trimmed(a.typed), r.Currency)
				if err != nil {
					return explain(fieldOf(err, a.field))
				}
				*a.minor = amt.Minor
			}
		}
		o, err := b.Operations.SetTariff(ctx, op.Member, r)
		return outcome(out, o, err, "tariff set")
	}
}

// fieldOf is err about the command's flag field rather than the field its owner names (an amount's "amount").
func fieldOf(err error, field string) error {
	if e, ok := kumbara.As(err); ok {
		return e.Field(field)
	}
	return err
}
