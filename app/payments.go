package app

import (
	"context"
	"time"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/clearinghouse"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/jobs"
	"github.com/kumbara/kumbara/payment"
	"github.com/kumbara/kumbara/vop"
	"github.com/kumbara/kumbara/vop/vopsandbox"
)

// buildPayments makes the name checks, which in-bank transfers run too, and the payment service, with the
// partners' sandboxes when the configuration asks for them.
func (b *Bank) buildPayments(cfg Config) {
	d, clk := b.DB, b.Clock
	b.VoP = &vop.Service{DB: d, Clock: clk, Own: cfg.Bank, Accounts: &b.Ledger.Store, Customers: b.Customers,
		Directory: bicOf{b}}
	b.Transfers.Payees = b.VoP
	pc := payment.DefaultConfig()
	if cfg.Payments != nil {
		pc = *cfg.Payments
	}
	b.Payments = &payment.Service{Ledger: b.Ledger, Customers: b.Customers, Calendar: b.Calendar, SCA: b.SCA,
		Banks: b.Directory, Tariff: b.Tariff, Payees: b.VoP, Beneficiaries: b.Beneficiaries, FX: b.FX, Own: cfg.Bank,
		Texts: b.Catalogue, Config: pc, Log: b.logger, Kick: b.Dispatcher.Kick}
	if !cfg.PaymentSandbox {
		return
	}
	b.VoPSandbox = &vopsandbox.Sandbox{}
	b.VoP.Other = b.VoPSandbox
	b.ClearingHouse = &clearinghouse.Sandbox{DB: d, Clock: clk, Bank: b.Payments.Receive, BankBIC: cfg.Bank.BIC}
	b.Payments.Clearing = b.ClearingHouse
}

// bicOf finds the BIC of an Albanian bank's IBAN in the directory, for the name check of its accounts.
type bicOf struct{ b *Bank }

func (o bicOf) BICOf(ctx context.Context, ib iban.IBAN) (string, error) {
	bank, err := o.b.Directory.ForIBAN(ctx, ib)
	return bank.BIC, err
}

// registerPaymentJobs: the dispatcher every five seconds (sends what may leave, delivers what waits, expires
// unconfirmed payments); the clearing house's sessions at their times on working days; and, with the sandbox,
// the clearing house answering what it took, every two seconds.
func (b *Bank) registerPaymentJobs() {
	jobs.Handle(b.Jobs, func(ctx context.Context, _ dispatchPaymentsArgs) error { return b.Payments.Dispatch(ctx) })
	b.Jobs.AddPeriodic(jobs.Periodic{Name: "dispatch_payments", Schedule: jobs.Every(5 * time.Second),
		Args: func(due time.Time) jobs.Args { return dispatchPaymentsArgs{Due: due} }})
	jobs.Handle(b.Jobs, func(ctx context.Context, args clearingSessionArgs) error {
		working, err := b.Calendar.IsWorkingDay(ctx, calendar.DateOf(args.Due))
		if err != nil || !working {
			return err
		}
		_, err = b.Payments.RunSession(ctx)
		return err
	})
	b.Jobs.AddPeriodic(jobs.Periodic{Name: "clearing_session", Schedule: sessions(b.Payments.Config.Sessions),
		Args: func(due time.Time) jobs.Args { return clearingSessionArgs{Due: due} }})
	if b.ClearingHouse == nil {
		return
	}
	jobs.Handle(b.Jobs, func(ctx context.Context, _ clearingHouseArgs) error {
		_, err := b.ClearingHouse.Work(ctx)
		return err
	})
	b.Jobs.AddPeriodic(jobs.Periodic{Name: "clearing_house_sandbox", Schedule: jobs.Every(2 * time.Second),
		Args: func(due time.Time) jobs.Args { return clearingHouseArgs{Due: due} }})
}

// sessions is due at each session time of every day, the latest at or before now; the job skips days the bank
// is closed.
func sessions(times []time.Duration) jobs.Schedule {
	if len(times) == 0 {
		return func(time.Time) time.Time { return time.Time{} } // never due: no sessions configured
	}
	return func(now time.Time) time.Time {
		day := calendar.DateOf(now)
		for {
			var latest time.Time
			for _, at := range times {
				if t := day.Start().Add(at); !t.After(now) && t.After(latest) {
					latest = t
				}
			}
			if !latest.IsZero() {
				return latest.UTC()
			}
			day = day.AddDays(-1)
		}
	}
}

type dispatchPaymentsArgs struct {
	Due time.Time `json:"due"`
}

func (dispatchPaymentsArgs) Kind() string { return "dispatch_payments" }

type clearingSessionArgs struct {
	Due time.Time `json:"due"`
}

func (clearingSessionArgs) Kind() string { return "clearing_session" }

type clearingHouseArgs struct {
	Due time.Time `json:"due"`
}

func (clearingHouseArgs) Kind() string { return "clearing_house_sandbox" }
