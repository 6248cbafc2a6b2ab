// Package demo seeds a demo bank once: customers with the published client numbers and password, funded accounts
// and some history — a few months of it for serve --demo — so a newcomer can log in and move money at once, and
// filters, search, paging and the dashboard show something real.
package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kumbara/kumbara/approval"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/bankdir"
	"github.com/kumbara/kumbara/beneficiary"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/creditcard"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/operation"
	"github.com/kumbara/kumbara/staff"
	"github.com/kumbara/kumbara/terms"
)

// Password is every demo customer's password.
const Password = "Kumbara2026"

// Login is one demo login printed at start.
type Login struct {
	ClientNumber string
	Name         string
	NIPT         string // a business's users give it with the client number (A20)
}

type person struct {
	client, first, last, mobile, email, address string
	birth                                       time.Time
	female                                      bool
}

var people = []person{
	{"100000001", "Arben", "Hoxha", "+355691000001", "arben.hoxha@example.al", "Rruga e Durrësit 12, Tiranë",
		time.Date(1985, 3, 14, 0, 0, 0, 0, time.UTC), false},
	{"100000002", "Elira", "Shehu", "+355682000002", "elira.shehu@example.al", "Bulevardi Zogu I 5, Tiranë",
		time.Date(1992, 11, 2, 0, 0, 0, 0, time.UTC), true},
	{"100000003", "Dritan", "Çela", "+355673000003", "dritan.cela@example.al", "Lagjja Çlirimi, Rruga Kavajës 8, Durrës",
		time.Date(1978, 7, 21, 0, 0, 0, 0, time.UTC), false},
}

const businessClient = "100000004"

// BusinessNIPT is the demo business's NIPT, which its users give at login with its client number and password.
var BusinessNIPT = string(kyc.NewNIPT('L', 12345678))

// Logins are the demo customers, as the start banner prints them.
var Logins = []Login{
	{"100000001", "Arben Hoxha", ""},
	{"100000002", "Elira Shehu", ""},
	{"100000003", "Dritan Çela", ""},
	{businessClient, "Ëmbëlsira Tirana Shpk (business)", BusinessNIPT},
}

// StaffLogin is one demo member of staff: their username, role and TOTP secret, printed at start and listed in the
// README. The secrets are published, so they are for the demo only: a real bank's members get random secrets from
// `kumbara admin staff create`, shown once.
type StaffLogin struct {
	Username   string
	Name       string
	Branch     string
	Role       staff.Role
	TOTPSecret string // base32, for an authenticator app
}

// Staff are the demo's members of staff, one per role and a second branch manager (for a second person's
// approval), all with the password Password. The administrator comes first: it creates the others.
var Staff = []StaffLogin{
	{"admin", "Ardian Basha", "Drejtoria e Përgjithshme", staff.Admin, "KUMBARADEMOADMINAAAAAAAAAAAAAAAA"},
	{"teller", "Teuta Hoxhaj", "Tiranë Qendër", staff.Teller, "KUMBARADEMOTELLERAAAAAAAAAAAAAAA"},
	{"service", "Sara Marku", "Tiranë Qendër", staff.CustomerService, "KUMBARADEMOSERVICEAAAAAAAAAAAAAA"},
	{"backoffice", "Besnik Lika", "Drejtoria e Përgjithshme", staff.BackOffice, "KUMBARADEMOBACKOFFICEAAAAAAAAAAA"},
	{"manager", "Mira Dervishi", "Tiranë Qendër", staff.Manager, "KUMBARADEMOMANAGERAAAAAAAAAAAAAA"},
	{"manager2", "Gent Bregu", "Durrës", staff.Manager, "KUMBARADEMOMANAGER2AAAAAAAAAAAAA"},
	{"compliance", "Klea Prifti", "Drejtoria e Përgjithshme", staff.Compliance, "KUMBARADEMOCOMPLIANCEAAAAAAAAAAA"},
}

// Deps are the services seeding goes through — the same ones staff use, so demo data obeys every rule. Without
// Staff no demo staff are made (the customer-facing tests need none).
type Deps struct {
	Customers *customer.Service
	Auth      *auth.Service
	Ledger    *ledger.Ledger
	Terms     *terms.Service
	Staff     *staff.Service
	// Operations are the staff's operations: with Staff, the demo's back-office member asks through them for an
	// overdraft that waits for a manager, so the approvals inbox has something in it.
	Operations *operation.Service
	// Beneficiaries, when set, gives each demo customer a saved beneficiary or two at other banks.
	Beneficiaries *beneficiary.Service
	// Directory, when set, holds a handful of Albanian banks (DemoBanks), some with instant payments.
	Directory *bankdir.Service
	// Cards, when set, gives every demo individual an active debit card on their first ALL account (CardPIN).
	Cards *card.Service
	// Credit, when set, gives the first demo customer (100000001) a credit card with purchases and a past
	// statement (demo/credit.go).
	Credit *creditcard.Service
	// Issuing, with Cards, gives 100000001's credit and debit cards completed and pending purchases through the
	// issuer's authorisations and a clearing file (demo/transactions.go).
	Issuing *issuing.Service
	// History gives the demo customers a few months of varied history booked in the past (serve --demo): their
	// accounts open historyMonths ago and every movement since is a ledger entry at its own past time. Without it
	// the accounts open now with their first deposits and three transfers, which the tests build on.
	History bool
}

const marker = "demo_seeded"

// Seed creates the demo bank unless it was created before, and its staff unless the bank has some.
func Seed(ctx context.Context, d Deps) error {
	if d.Staff != nil {
		if err := seedStaff(ctx, d.Staff); err != nil {
			return fmt.Errorf("demo staff: %w", err)
		}
	}
	if err := seedRates(ctx, d); err != nil {
		return fmt.Errorf("demo rates: %w", err)
	}
	var n int
	if err := d.Customers.DB.QueryRow(ctx, "SELECT COUNT(*) FROM settings WHERE name = ?", marker).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		if err := seedCards(ctx, d); err != nil {
			return err
		}
		return seedCardTransactions(ctx, d)
	}
	// With a history, the accounts are opened and funded on a clock set back to its start (bank, ledger and the
	// customer service alike), and the history moves that clock forward: the ledger books each entry at the time
	// its clock says, and never any other way.
	cs, l := d.Customers, d.Ledger
	var past *clock.Fake
	if d.History {
		past = clock.NewFake(historyStart(d.Customers.Clock.Now()))
		cs = &customer.Service{DB: d.Customers.DB, Clock: past, Bank: d.Customers.Bank}
		l = ledger.New(d.Ledger.DB, past)
		if cal := d.Ledger.Calendar; cal != nil {
			// The past is valued like the present: a movement booked after the close counts from the next working day.
			l.Calendar = &calendar.Service{DB: cal.DB, Clock: past, CloseOfBusiness: cal.CloseOfBusiness}
		}
	}
	var ids []string
	var firstAccounts []ledger.Account
	homes := households()
	for i, p := range people {
		homes[i].name = p.first + " " + p.last
		c, err := cs.CreateIndividual(ctx, customer.NewIndividual{ClientNumber: p.client,
			NationalID: kyc.NewNationalID(p.birth, p.female, 100+i).String(), FirstName: p.first, LastName: p.last,
			BirthDate: p.birth, Mobile: p.mobile, Email: p.email, Address: p.address, ContractVersion: "002",
			Branch: "Tiranë Qendër"})
		if err != nil {
			return fmt.Errorf("demo customer %s: %w", p.client, err)
		}
		ids = append(ids, c.ID)
		if err := d.Auth.SetPassword(ctx, c.ID, Password, false); err != nil {
			return fmt.Errorf("demo password: %w", err)
		}
		// The bank opens the current accounts without a name (each shows its type in the reader's language); the
		// savings account has the name its holder gave it.
		accounts := []struct {
			cur         money.Currency
			typ, name   string
			minorAmount int64
		}{
			{money.ALL, ledger.TypeCurrent, "", 15000000 + int64(i)*2500000},
			{money.ALL, ledger.TypeSavings, "Kursimet", 25000000},
			{money.EUR, ledger.TypeCurrent, "", 250000 + int64(i)*10000},
		}
		for j, a := range accounts {
			acc, err := cs.OpenAccount(ctx, c.ID, a.cur, a.typ, a.name)
			if err != nil {
				return fmt.Errorf("demo account: %w", err)
			}
			if j == 0 {
				firstAccounts = append(firstAccounts, acc)
			}
			switch j {
			case 0:
				homes[i].current = acc
			case 1:
				homes[i].savings = acc
			case 2:
				homes[i].euro = acc
			}
			if _, err := l.CashDeposit(ctx, acc.ID, money.New(a.minorAmount, a.cur), "Depozitë fillestare"); err != nil {
				return fmt.Errorf("demo deposit: %w", err)
			}
		}
	}
	biz, err := cs.CreateBusiness(ctx, customer.NewBusiness{ClientNumber: businessClient,
		NIPT: BusinessNIPT, CompanyName: "Ëmbëlsira Tirana Shpk", Mobile: "+355694000004",
		Email: "financa@embelsira.example.al", Address: "Rruga Myslym Shyri 40, Tiranë", ContractVersion: "002",
		Branch: "Tiranë Qendër", Representatives: ids[:1]})
	if err != nil {
		return fmt.Errorf("demo business: %w", err)
	}
	if err := d.Auth.SetPassword(ctx, biz.ID, Password, false); err != nil {
		return fmt.Errorf("demo business password: %w", err)
	}
	bizAcc, err := cs.OpenAccount(ctx, biz.ID, money.ALL, ledger.TypeCurrent, "Llogaria e biznesit")
	if err != nil {
		return err
	}
	if _, err := l.CashDeposit(ctx, bizAcc.ID, money.New(100000000, money.ALL), "Kapitali fillestar"); err != nil {
		return err
	}
	if d.History {
		if err := seedHistory(ctx, l, past, past.Now(), d.Customers.Clock.Now(), homes, bizAcc, biz.Name()); err != nil {
			return err
		}
	}
	if d.Credit != nil {
		if err := seedCredit(ctx, d, ids[0]); err != nil {
			return fmt.Errorf("demo credit card: %w", err)
		}
	}
	if err := seedRequest(ctx, d, firstAccounts[1]); err != nil {
		return fmt.Errorf("demo request: %w", err)
	}
	if err := seedFXRequest(ctx, d, homes[2].current, homes[2].euro); err != nil {
		return fmt.Errorf("demo preferential rate request: %w", err)
	}
	// The demo customers have read the current terms already, so a newcomer's first login shows the accounts;
	// a customer created later (by staff or a test) is asked to accept them at first login (P1).
	for _, id := range append(ids, biz.ID) {
		if err := d.Terms.Accept(ctx, id, terms.Current, d.Customers.Clock.Now()); err != nil {
			return fmt.Errorf("demo terms: %w", err)
		}
	}
	if d.Beneficiaries != nil {
		if err := seedBeneficiaries(ctx, d.Beneficiaries, append(ids, biz.ID)); err != nil {
			return fmt.Errorf("demo beneficiaries: %w", err)
		}
	}
	if d.Directory != nil {
		if err := seedDirectory(ctx, d.Directory); err != nil {
			return fmt.Errorf("demo banks: %w", err)
		}
	}
	// A little history, so the first look at an account is not empty.
	history := []struct {
		from, to int
		amount   int64
		desc     string
	}{
		{0, 1, 350000, "Qira për muajin tetor"},
		{1, 2, 120000, "Darka e së shtunës"},
		{2, 0, 45000, "Bileta për koncertin"},
	}
	if d.History {
		history = nil // the months of history have transfers among them already
	}
	for _, h := range history {
		from, to := firstAccounts[h.from], firstAccounts[h.to]
		payer, _ := d.Customers.Get(ctx, from.CustomerID)
		payee, _ := d.Customers.Get(ctx, to.CustomerID)
		if _, err := d.Ledger.Post(ctx, ledger.Entry{Kind: "transfer", Description: h.desc, Legs: []ledger.Leg{
			{AccountID: from.ID, Amount: -h.amount, Description: h.desc, Counterparty: payee.Name(), CounterpartyIBAN: to.IBAN},
			{AccountID: to.ID, Amount: h.amount, Description: h.desc, Counterparty: payer.Name(), CounterpartyIBAN: from.IBAN},
		}}); err != nil {
			return fmt.Errorf("demo history: %w", err)
		}
	}
	if err := seedCards(ctx, d); err != nil {
		return err
	}
	if err := seedCardTransactions(ctx, d); err != nil {
		return err
	}
	return d.Customers.DB.InTx(ctx, func(tx *db.Tx) error {
		_, err := tx.Exec(ctx, "INSERT INTO settings (name, value) VALUES (?, ?)", marker, time.Now().UTC().Format(time.RFC3339))
		return err
	})
}

// seedStaff creates the demo's members of staff that do not exist yet: the administrator as the bank's first
// member, then the others by them. A bank whose staff someone else created (kumbara admin staff create before the
// first serve --demo) is left as it is.
func seedStaff(ctx context.Context, s *staff.Service) error {
	admin, err := s.ByUsername(ctx, Staff[0].Username)
	if errors.Is(err, staff.ErrNotFound) {
		var c staff.Created
		c, err = s.Create(ctx, nil, newMember(Staff[0]))
		if errors.Is(err, staff.ErrBootstrapClosed) {
			return nil
		}
		admin = c.Member
	}
	if err != nil {
		return err
	}
	for _, l := range Staff[1:] {
		if _, err := s.ByUsername(ctx, l.Username); !errors.Is(err, staff.ErrNotFound) {
			continue
		}
		if _, err := s.Create(ctx, &admin, newMember(l)); err != nil {
			return fmt.Errorf("%s: %w", l.Username, err)
		}
	}
	return nil
}

func newMember(l StaffLogin) staff.NewMember {
	return staff.NewMember{Username: l.Username, FullName: l.Name, Branch: l.Branch, Roles: []staff.Role{l.Role},
		Password: Password, TOTPSecret: l.TOTPSecret}
}

// RequestedOverdraft is the overdraft limit the demo's back-office member asks for on Elira Shehu's current account,
// a request that waits in the approvals inbox for a manager.
const RequestedOverdraft = "50000.00"

// seedRequest leaves one request waiting for a second member: the demo's back-office member asking, through the
// staff's operations like anyone at the bank, for an overdraft on account a. A bank without the demo's staff, or
// seeded without the operations, gets none.
func seedRequest(ctx context.Context, d Deps, a ledger.Account) error {
	if d.Staff == nil || d.Operations == nil {
		return nil
	}
	maker, err := d.Staff.ByUsername(ctx, "backoffice")
	if errors.Is(err, staff.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = d.Operations.SetOverdraft(ctx, maker, a.ID, RequestedOverdraft)
	return err
}

// FXRequestAmount is what the demo's request for a preferential rate buys: Dritan Çela asks to buy these euros with
// lek from his current account, and the request waits for the bank's rate (the back office's preferential rates).
const FXRequestAmount = "12000.00"

// seedFXRequest leaves one request for a preferential rate waiting for staff: the customer of from asks, as the
// internet branch would, to buy FXRequestAmount euros into to. A bank without the demo's staff, or without rates
// to value the request at, gets none.
func seedFXRequest(ctx context.Context, d Deps, from, to ledger.Account) error {
	if d.Staff == nil || d.Operations == nil || d.Operations.FX == nil {
		return nil
	}
	if rates, err := d.Operations.FX.Current(ctx); err != nil || len(rates) == 0 {
		return err
	}
	_, err := d.Operations.FX.Ask(ctx, from.CustomerID, fx.RequestInput{FromAccountID: from.ID, ToAccountID: to.ID,
		BuyAmount: FXRequestAmount})
	return err
}

// DemoRates are the demo's exchange rates against ALL (buy, sell), plausible for the lek.
var DemoRates = map[money.Currency][2]string{
	money.EUR: {"97.80", "99.40"},
	money.USD: {"90.20", "92.10"},
	money.GBP: {"114.50", "117.30"},
	money.CHF: {"102.40", "104.90"},
	money.AUD: {"58.60", "60.40"},
	money.CAD: {"65.90", "67.80"},
}

// seedRates publishes DemoRates for every currency the bank offers that has no current rate, the way staff do:
// the demo's back-office member asks, a manager approves. It runs at every start of the demo, so the rates answer
// at once even after a day's validity has passed. A bank without the demo's staff gets none.
func seedRates(ctx context.Context, d Deps) error {
	if d.Staff == nil || d.Operations == nil || d.Operations.FX == nil {
		return nil
	}
	maker, err := d.Staff.ByUsername(ctx, "backoffice")
	if errors.Is(err, staff.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	checker, err := d.Staff.ByUsername(ctx, "manager")
	if err != nil {
		return err
	}
	current, err := d.Operations.FX.Current(ctx)
	if err != nil {
		return err
	}
	have := map[money.Currency]bool{}
	for _, r := range current {
		have[r.Currency] = true
	}
	for _, c := range money.Currencies() {
		figures, ok := DemoRates[c]
		if !ok || have[c] {
			continue
		}
		o, err := d.Operations.PublishRate(ctx, maker, fx.Rate{Currency: c, Buy: figures[0], Sell: figures[1]})
		if err != nil {
			return err
		}
		if o.Pending == nil {
			continue
		}
		r, err := d.Operations.Approve(ctx, checker, o.Pending.ID, o.Pending.Hash)
		if err != nil {
			return err
		}
		if r.Status != approval.Executed {
			return fmt.Errorf("rate %s: %s %s", c, r.Status, r.Result)
		}
	}
	return nil
}

// seedBeneficiaries saves beneficiaries at other banks for the demo customers (ids in people's order, then the
// business): everyone has the IBAN registry's Albanian example, at bank code 212, and a second one abroad.
func seedBeneficiaries(ctx context.Context, s *beneficiary.Service, ids []string) error {
	tirana := beneficiary.Address{Street: "Rruga e Kavajës 27", City: "Tiranë", PostalCode: "1001", Country: "AL"}
	albanian := beneficiary.Input{Name: "Blerina Kasa", IBAN: "AL47212110090000000235698741", Address: tirana}
	abroad := []beneficiary.Input{
		{Name: "Luan Berisha", Nickname: "Kushëriri", IBAN: "DE89370400440532013000", Phone: "+49 30 1234567",
			Address: beneficiary.Address{Street: "Karl-Marx-Straße 12", City: "Berlin", PostalCode: "12043", Country: "DE"}},
		{Name: "Giulia Rossi", IBAN: "IT60X0542811101000000123456",
			Address: beneficiary.Address{Street: "Via Roma 5", City: "Bari", PostalCode: "70121", Country: "IT"}},
		{Name: "Arta Gashi", AccountNumber: "000123456789", BIC: "CHASUS33", BankName: "JPMorgan Chase Bank",
			BankAddress: "383 Madison Avenue, New York, NY 10179",
			Address:     beneficiary.Address{Street: "Arthur Avenue 600", City: "New York", PostalCode: "10458", Country: "US"}},
		{Name: "Furra Çela Shpk", Nickname: "Furnitori i miellit", IBAN: "AL35202111090000000001234567",
			Address: beneficiary.Address{City: "Durrës", Country: "AL"}},
	}
	for i, id := range ids {
		for _, in := range []beneficiary.Input{albanian, abroad[i%len(abroad)]} {
			if _, err := s.Add(ctx, id, in); err != nil {
				return err
			}
		}
	}
	return nil
}

// DemoBank is a bank of the demo's directory.
type DemoBank struct {
	BankCode, BIC, Name string
	Instant             bool
}

// DemoBanks are the Albanian banks of the demo's directory, with their bank codes and BICs: Credins Bank's 212 is
// the IBAN registry's Albanian example (AL47 2121 1009 …), which every demo customer has saved. Which of them take
// instant payments is the demo's choice.
var DemoBanks = []DemoBank{
	{"202", "SGSBALTX", "Raiffeisen Bank", true},
	{"203", "AAISALTR", "Banka e Bashkuar e Shqipërisë", false},
	{"205", "NCBAALTX", "Banka Kombëtare Tregtare", true},
	{"208", "USALALTR", "Intesa Sanpaolo Bank Albania", false},
	{"212", "CDISALTR", "Credins Bank", true},
}

// seedDirectory puts DemoBanks in the directory, but a bank with the demo bank's own code.
func seedDirectory(ctx context.Context, s *bankdir.Service) error {
	own := s.Own.Code
	for _, b := range DemoBanks {
		if b.BankCode == own {
			continue
		}
		if _, err := s.Put(ctx, bankdir.Bank{Code: b.BankCode, BIC: b.BIC, Name: b.Name, Instant: b.Instant}); err != nil {
			return fmt.Errorf("%s: %w", b.BankCode, err)
		}
	}
	return nil
}

// OtherBankHolder is an account at another bank as that bank's name check knows it.
type OtherBankHolder struct {
	IBAN, Name string
	Business   bool
}

// OtherBankHolders are the holders of the demo beneficiaries' accounts at other banks, so that the name check
// before a payment to them answers as their banks would (the sandbox of the other banks is filled with them at
// every start of the demo: it keeps nothing).
var OtherBankHolders = []OtherBankHolder{
	{IBAN: "AL47212110090000000235698741", Name: "Blerina Kasa"},
	{IBAN: "AL35202111090000000001234567", Name: "Furra Çela Shpk", Business: true},
	{IBAN: "DE89370400440532013000", Name: "Luan Berisha"},
	{IBAN: "IT60X0542811101000000123456", Name: "Giulia Rossi"},
}
