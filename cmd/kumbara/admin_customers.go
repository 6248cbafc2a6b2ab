package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/staff"
)

// customerCommands open customers: individuals and businesses, as the branch does after its KYC checks.
func customerCommands() []adminCommand {
	return []adminCommand{
		{name: "create-customer", permission: staff.CustomerCreate, summary: "create an individual customer", flags: createCustomer},
		{name: "create-business", permission: staff.CustomerCreate, summary: "create a business customer, optionally with a representative", flags: createBusiness},
		{name: "edit-contact", permission: staff.ContactEdit,
			summary: "change a customer's mobile, email or address (a second member approves a new mobile or email)", flags: editContact},
	}
}

// customerFlags are the contact flags individuals and businesses share.
type customerFlags struct{ clientNumber, mobile, email, address, branch *string }

func newCustomerFlags(fs *flag.FlagSet) customerFlags {
	return customerFlags{
		clientNumber: fs.String("client-number", "", "the client number to give; empty: one is drawn"),
		mobile:       fs.String("mobile", "", "mobile number, e.g. 069 555 1234 (required)"),
		email:        fs.String("email", "", "email address"),
		address:      fs.String("address", "", "postal address"),
		branch:       fs.String("home-branch", "", "name of the customer's home branch"),
	}
}

func createCustomer(fs *flag.FlagSet) adminRun {
	common := newCustomerFlags(fs)
	first := fs.String("first", "", "first name (required)")
	last := fs.String("last", "", "last name (required)")
	nid := fs.String("national-id", "", "national ID number (required)")
	birth := fs.String("birth", "", "birth date, YYYY-MM-DD")
	contract := fs.String("contract", "002", "version of the contract signed")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		var born time.Time
		if v := trimmed(birth); v != "" {
			var err error
			if born, err = time.Parse(time.DateOnly, v); err != nil {
				return fmt.Errorf("--birth: %w", err)
			}
		}
		version := trimmed(contract)
		if version == "" {
			version = "002"
		}
		cu, err := b.Operations.CreateIndividual(ctx, op.Member, customer.NewIndividual{ClientNumber: trimmed(common.clientNumber),
			NationalID: trimmed(nid), FirstName: trimmed(first), LastName: trimmed(last), BirthDate: born,
			Mobile: trimmed(common.mobile), Email: trimmed(common.email), Address: trimmed(common.address),
			ContractVersion: version, Branch: trimmed(common.branch)})
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "created customer %s\t%s\tclient number %s\n", cu.ID, cu.Name(), cu.ClientNumber)
		return nil
	}
}

func createBusiness(fs *flag.FlagSet) adminRun {
	common := newCustomerFlags(fs)
	name := fs.String("name", "", "the company's registered name (required)")
	nipt := fs.String("nipt", "", "the company's NIPT (required)")
	rep := fs.String("representative", "", "client number of an individual customer who acts for the business")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		var reps []string
		if v := trimmed(rep); v != "" {
			r, err := b.Customers.ByClientNumber(ctx, v)
			if err != nil {
				return explain(err)
			}
			reps = append(reps, r.ID)
		}
		cu, err := b.Operations.CreateBusiness(ctx, op.Member, customer.NewBusiness{ClientNumber: trimmed(common.clientNumber),
			NIPT: trimmed(nipt), CompanyName: trimmed(name), Mobile: trimmed(common.mobile), Email: trimmed(common.email),
			Address: trimmed(common.address), ContractVersion: "002", Branch: trimmed(common.branch), Representatives: reps})
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(out, "created business %s\t%s\tclient number %s\n", cu.ID, cu.Name(), cu.ClientNumber)
		return nil
	}
}

func editContact(fs *flag.FlagSet) adminRun {
	client := newClientFlag(fs)
	mobile := fs.String("mobile", "", "the new mobile number (empty: unchanged)")
	email := fs.String("email", "", "the new email address (empty: unchanged; \"-\" removes it)")
	address := fs.String("address", "", "the new postal address (empty: unchanged; \"-\" removes it)")
	return func(ctx context.Context, b *app.Bank, op operator, out io.Writer) error {
		cu, err := client.customer(ctx, b)
		if err != nil {
			return err
		}
		n := customer.ContactOf(cu)
		for _, f := range []struct {
			flag *string
			into *string
		}{{mobile, &n.Mobile}, {email, &n.Email}, {address, &n.Address}} {
			switch v := trimmed(f.flag); v {
			case "":
			case "-":
				*f.into = ""
			default:
				*f.into = v
			}
		}
		o, err := b.Operations.ChangeContact(ctx, op.Member, cu.ID, n)
		return outcome(out, o, err, "contact details of "+cu.ClientNumber+" changed")
	}
}
