package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// historyMonths is how far back the demo's history goes.
const historyMonths = 4

// historyStart is when the demo bank opened its accounts, historyMonths before now: the first of that month, at
// nine in the morning in Tirana.
func historyStart(now time.Time) time.Time {
	t := now.In(clock.Tirane).AddDate(0, -historyMonths, 0)
	return time.Date(t.Year(), t.Month(), 1, 9, 0, 0, 0, clock.Tirane)
}

// holder is one demo customer's accounts, as the history moves money through them.
type holder struct {
	name                   string
	current, savings, euro ledger.Account
	salary, rent           int64    // ALL, whole units
	employer               *outside // nil: the demo business pays the salary
	landlord               *outside // nil: the rent goes to tenantOf's demo customer
	landlordDemo           int      // index of the demo customer who lets a flat to this one, when landlord is nil
}

// outside is a counterparty at another bank: a utility, an employer, a landlord. Money to and from it goes through
// the bank's clearing account, as a payment to another bank does.
type outside struct{ name, iban string }

// otherBank makes an IBAN at a bank other than the demo's (bank code 202), for the outside counterparties.
func otherBank(account string) string {
	ib, err := iban.NewAlbanian("202", "1109", account)
	if err != nil {
		panic(err) // constant, valid arguments
	}
	return ib.String()
}

var (
	oshee    = outside{"OSHEE sh.a.", otherBank("0000000000000101")}
	ukt      = outside{"UKT sh.a.", otherBank("0000000000000202")}
	ukDurres = outside{"UK Durrës sh.a.", otherBank("0000000000000203")}
	phone    = outside{"ONE Albania sh.a.", otherBank("0000000000000303")}
	miller   = outside{"Mulliri i Vjetër Shpk", otherBank("0000000000000404")}
	landlord = outside{"Agim Berisha", otherBank("0000000000000505")}
	uni      = outside{"Universiteti i Tiranës", otherBank("0000000000000606")}
	port     = outside{"Autoriteti Portual Durrës", otherBank("0000000000000707")}
)

// households are what the history does with each demo customer's money, in the order of people.
func households() []holder {
	return []holder{
		{salary: 110000, rent: 30000, landlord: &landlord},
		{salary: 110000, employer: &uni, rent: 35000, landlordDemo: 2},
		{salary: 85000, employer: &port},
	}
}

// albanianMonths names the months in the descriptions, as a customer would write them.
var albanianMonths = [...]string{"janar", "shkurt", "mars", "prill", "maj", "qershor", "korrik", "gusht", "shtator",
	"tetor", "nëntor", "dhjetor"}

// seeder posts the demo's history through a ledger whose clock it sets to each movement's time, so every line is a
// real balanced entry booked in the past, in the order of time (each account's lines are numbered in that order).
type seeder struct {
	ctx      context.Context
	l        *ledger.Ledger
	clk      *clock.Fake
	rnd      *rand.Rand
	clearing map[money.Currency]ledger.Account
}

func (s *seeder) at(t time.Time) { s.clk.Set(t) }

// between is a whole amount of ALL in [lo, hi], in minor units, rounded to ten lek as bills are.
func (s *seeder) between(lo, hi int64) int64 { return (lo + s.rnd.Int64N(hi-lo+1)) / 10 * 10 * 100 }

// pay moves money from one demo customer's account to another's (the other customer's, or the same one's).
func (s *seeder) pay(from, to ledger.Account, payer, payee string, minor int64, desc string) error {
	_, err := s.l.Post(s.ctx, ledger.Entry{Kind: ledger.KindTransfer, Description: desc, Legs: []ledger.Leg{
		{AccountID: from.ID, Amount: -minor, Description: desc, Counterparty: payee, CounterpartyIBAN: to.IBAN},
		{AccountID: to.ID, Amount: minor, Description: desc, Counterparty: payer, CounterpartyIBAN: from.IBAN},
	}})
	if err != nil {
		return fmt.Errorf("%s → %s, %q: %w", from.IBAN, to.IBAN, desc, err)
	}
	return nil
}

// external moves money between a demo account and a counterparty at another bank: minor > 0 comes in.
func (s *seeder) external(a ledger.Account, o outside, minor int64, desc string) error {
	_, err := s.l.Post(s.ctx, ledger.Entry{Kind: ledger.KindTransfer, Description: desc, Legs: []ledger.Leg{
		{AccountID: a.ID, Amount: minor, Description: desc, Counterparty: o.name, CounterpartyIBAN: o.iban},
		{AccountID: s.clearing[a.Currency].ID, Amount: -minor, Description: desc, Counterparty: a.IBAN},
	}})
	if err != nil {
		return fmt.Errorf("%s ↔ %s, %q: %w", a.IBAN, o.name, desc, err)
	}
	return nil
}

// seedHistory gives the demo customers history from start until a day before now: salaries, rent, the bills of
// electricity, water and the phone, cash at the branch, savings, and transfers among them. The sequence comes from a
// fixed seed, so every demo bank has the same history relative to the day it was seeded.
func seedHistory(ctx context.Context, l *ledger.Ledger, clk *clock.Fake, start, now time.Time, people []holder,
	business ledger.Account, businessName string) error {
	s := &seeder{ctx: ctx, l: l, clk: clk, rnd: rand.New(rand.NewPCG(2026, 9)), clearing: map[money.Currency]ledger.Account{}}
	for _, c := range []money.Currency{money.ALL, money.EUR} {
		a, err := l.GL(ctx, ledger.GLCode(ledger.TypeClearing, c))
		if err != nil {
			return fmt.Errorf("demo history: %w", err)
		}
		s.clearing[c] = a
	}
	end := now.Add(-24 * time.Hour)
	for day := start.AddDate(0, 0, 1); day.Before(end); day = day.AddDate(0, 0, 1) {
		if err := s.day(day, people, business, businessName); err != nil {
			return fmt.Errorf("demo history on %s: %w", day.Format(time.DateOnly), err)
		}
	}
	return nil
}

// day posts one day's movements, each at its own time of day in Tirana, in the order of those times: every
// account's lines are numbered in the order they were booked.
func (s *seeder) day(day time.Time, people []holder, business ledger.Account, businessName string) error {
	y, m, dom := day.Date()
	month := albanianMonths[m-1]
	prev := albanianMonths[(m+10)%12]
	type event struct {
		at  time.Time
		run func() error
	}
	var events []event
	var at time.Time
	when := func(hour, minute int) { at = time.Date(y, m, dom, hour, minute, 0, 0, clock.Tirane) }
	step := func(f func() error) { events = append(events, event{at, f}) }
	// The pastry shop banks its takings on Mondays, Wednesdays and Fridays.
	if wd := day.Weekday(); wd == time.Monday || wd == time.Wednesday || wd == time.Friday {
		when(8, 5)
		step(func() error {
			_, err := s.l.CashDeposit(s.ctx, business.ID, money.New(s.between(60000, 150000), money.ALL), "Xhiro e dyqanit")
			return err
		})
	}
	for i, p := range people {
		switch {
		case dom == 2 && p.rent > 0 && p.landlord != nil:
			when(10, 15+i)
			step(func() error { return s.external(p.current, *p.landlord, -p.rent*100, "Qira për muajin "+month) })
		case dom == 2 && p.rent > 0:
			when(10, 15+i)
			landlord := people[p.landlordDemo]
			step(func() error {
				return s.pay(p.current, landlord.current, p.name, landlord.name, p.rent*100, "Qira për muajin "+month)
			})
		case dom == 12:
			when(11, 30+i)
			step(func() error {
				return s.external(p.current, oshee, -s.between(2500, 6500), "Faturë energjie elektrike "+prev)
			})
		case dom == 15:
			water := ukt
			if i == 2 {
				water = ukDurres
			}
			when(12, 10+i)
			step(func() error { return s.external(p.current, water, -s.between(800, 1600), "Faturë uji "+prev) })
		case dom == 18:
			when(9, 40+i)
			step(func() error {
				return s.external(p.current, phone, -s.between(1500, 2500), "Abonimi i telefonit "+month)
			})
		case dom == 25 && p.employer == nil:
			when(9, 0)
			step(func() error {
				return s.pay(business, p.current, businessName, p.name, p.salary*100, "Paga e muajit "+month)
			})
		case dom == 25:
			when(9, 5+i)
			step(func() error {
				return s.external(p.current, *p.employer, p.salary*100, "Paga e muajit "+month)
			})
		case dom == 26:
			when(19, 20+i)
			step(func() error {
				return s.pay(p.current, p.savings, p.name, p.name, s.between(10000, 20000), "Kursime për "+month)
			})
		case dom == 5 && i == 2:
			when(16, 45)
			step(func() error {
				_, err := s.l.CashDeposit(s.ctx, p.current.ID, money.New(s.between(15000, 25000), money.ALL), "Qiraja e dyqanit")
				return err
			})
		case dom == 20:
			when(13, 0+i)
			step(func() error {
				_, err := s.l.CashDeposit(s.ctx, p.euro.ID, money.New(5000+int64(i)*2500, money.EUR), "Kursime në euro")
				return err
			})
		}
		// A visit to the branch for cash, on a different weekday for each of them.
		if int(day.Weekday()) == 3+i {
			when(17, 10+i)
			step(func() error {
				_, err := s.l.CashWithdrawal(s.ctx, p.current.ID, money.New(s.between(3000, 9000), money.ALL), "")
				return err
			})
		}
		// Now and then one of them pays the next one back for something shared.
		if s.rnd.IntN(9) == 0 {
			q := people[(i+1)%len(people)]
			when(20, 30+i)
			desc := sharedThings[s.rnd.IntN(len(sharedThings))]
			amount := s.between(1500, 8000)
			step(func() error { return s.pay(p.current, q.current, p.name, q.name, amount, desc) })
		}
	}
	switch dom {
	case 8:
		when(10, 0)
		step(func() error {
			return s.external(business, miller, -s.between(90000, 140000), "Furnizim me miell, "+month)
		})
	case 12:
		when(11, 0)
		step(func() error {
			return s.external(business, oshee, -s.between(18000, 26000), "Faturë energjie elektrike "+prev)
		})
	}
	slices.SortStableFunc(events, func(a, b event) int { return a.at.Compare(b.at) })
	for _, e := range events {
		s.at(e.at)
		if err := e.run(); err != nil {
			return fmt.Errorf("at %s: %w", e.at.Format("15:04"), err)
		}
	}
	return nil
}

// sharedThings are what the demo customers pay each other back for.
var sharedThings = []string{"Darka e së shtunës", "Bileta për koncertin", "Pjesa e benzinës", "Dhuratë për ditëlindjen",
	"Kafe dhe ëmbëlsira", "Libri që më more", "Pjesa e pushimeve në Sarandë", "Çaji me shokët"}
