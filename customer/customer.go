// Package customer keeps the bank's customers — individuals and businesses — and opens their accounts with IBANs
// in the bank's code.
package customer

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/text"
)

// Kinds of customer.
const (
	Individual = "individual"
	Business   = "business"
)

// Customer is a client of the bank.
type Customer struct {
	ID              string
	ClientNumber    string
	Kind            string
	NationalID      string
	NIPT            string
	FirstName       string
	LastName        string
	CompanyName     string
	BirthDate       time.Time // zero for businesses
	Mobile          string    // E.164
	Email           string
	Address         string
	ContractVersion string
	Branch          string
	Status          string
	CreatedAt       time.Time
	// Language is what the bank writes to the customer in (SMS): Albanian unless they chose English (SetLanguage).
	Language i18n.Lang
}

// Name is how the customer is addressed: "First Last" or the company name.
func (c Customer) Name() string {
	if c.Kind == Business {
		return c.CompanyName
	}
	return strings.TrimSpace(c.FirstName + " " + c.LastName)
}

// Bank identifies this bank in IBANs and messages. The demo bank's code must not be a real bank's.
type Bank struct {
	Name   string
	Code   string // 3 digits
	Branch string // 4 digits, the head-office branch used for digital accounts
	BIC    string
}

// Service creates and finds customers and opens their accounts.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
	Bank  Bank

	mu    sync.Mutex
	names map[string]nameEntry
}

const columns = `id, client_number, kind, COALESCE(national_id, ''), COALESCE(nipt, ''), first_name, last_name,
	company_name, birth_date, mobile, email, address, contract_version, branch, status, created_at, language`

func scan(s db.Scanner) (Customer, error) {
	var c Customer
	var birth string
	var created int64
	var lang string
	err := s.Scan(&c.ID, &c.ClientNumber, &c.Kind, &c.NationalID, &c.NIPT, &c.FirstName, &c.LastName,
		&c.CompanyName, &birth, &c.Mobile, &c.Email, &c.Address, &c.ContractVersion, &c.Branch, &c.Status, &created,
		&lang)
	c.Language = language(lang)
	if birth != "" {
		c.BirthDate, _ = time.Parse(time.DateOnly, birth)
	}
	c.CreatedAt = db.FromMicros(created)
	return c, err
}

func (s *Service) one(ctx context.Context, where string, arg any) (Customer, error) {
	if v, ok := arg.(string); ok && !text.Storable(v) {
		// No customer has it, and PostgreSQL refuses to compare NUL bytes or invalid UTF-8 at all.
		return Customer{}, ErrNotFound
	}
	c, err := scan(s.DB.QueryRow(ctx, "SELECT "+columns+" FROM customers WHERE "+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return Customer{}, ErrNotFound
	}
	if err != nil {
		return Customer{}, fmt.Errorf("get customer: %w", err)
	}
	return c, nil
}

// Get returns a customer by id.
func (s *Service) Get(ctx context.Context, id string) (Customer, error) {
	return s.one(ctx, "id = ?", id)
}

// ByClientNumber returns a customer by 9-digit client number.
func (s *Service) ByClientNumber(ctx context.Context, n string) (Customer, error) {
	return s.one(ctx, "client_number = ?", n)
}

// ByNationalID returns an individual by national ID number.
func (s *Service) ByNationalID(ctx context.Context, id string) (Customer, error) {
	return s.one(ctx, "national_id = ?", strings.ToUpper(id))
}

// ByUsername finds the customer a login names: a client number or a national ID number.
func (s *Service) ByUsername(ctx context.Context, username string) (Customer, error) {
	u := strings.TrimSpace(username)
	if n, err := kyc.ParseClientNumber(u); err == nil {
		return s.ByClientNumber(ctx, string(n))
	}
	if id, err := kyc.ParseNationalID(u); err == nil {
		return s.ByNationalID(ctx, id.String())
	}
	return Customer{}, ErrNotFound
}

// NewIndividual describes an individual customer to create. ClientNumber may be empty: one is drawn.
type NewIndividual struct {
	ClientNumber    string
	NationalID      string
	FirstName       string
	LastName        string
	BirthDate       time.Time
	Mobile          string
	Email           string
	Address         string
	ContractVersion string
	Branch          string
}

// NewBusiness describes a business customer; Representatives are existing individuals' ids.
type NewBusiness struct {
	ClientNumber    string
	NIPT            string
	CompanyName     string
	Mobile          string
	Email           string
	Address         string
	ContractVersion string
	Branch          string
	Representatives []string
}

func required(field, v string) *kumbara.FieldError {
	if strings.TrimSpace(v) == "" {
		fe := kumbara.ErrFieldRequired.At(field)
		return &fe
	}
	return nil
}

// CreateIndividual validates and stores an individual customer.
func (s *Service) CreateIndividual(ctx context.Context, n NewIndividual) (Customer, error) {
	var fields []kumbara.FieldError
	for _, fe := range []*kumbara.FieldError{required("first_name", n.FirstName), required("last_name", n.LastName)} {
		if fe != nil {
			fields = append(fields, *fe)
		}
	}
	nid, err := kyc.ParseNationalID(n.NationalID)
	if err != nil {
		fields = append(fields, kyc.ErrNationalIDInvalid.At("national_id"))
	}
	mobile, err := kyc.ParseMobile(n.Mobile)
	if err != nil {
		fields = append(fields, kyc.ErrMobileInvalid.At("mobile"))
	}
	if n.BirthDate.IsZero() && err == nil {
		n.BirthDate = nid.BirthDate
	}
	if len(fields) > 0 {
		return Customer{}, kumbara.ErrValidationFailed.WithFields(fields...)
	}
	c := Customer{Kind: Individual, NationalID: nid.String(), FirstName: strings.TrimSpace(n.FirstName),
		LastName: strings.TrimSpace(n.LastName), BirthDate: n.BirthDate, Mobile: mobile.String(), Email: n.Email,
		Address: n.Address, ContractVersion: n.ContractVersion, Branch: n.Branch}
	return c, s.insert(ctx, &c, n.ClientNumber, nil)
}

// CreateBusiness validates and stores a business customer with its representatives.
func (s *Service) CreateBusiness(ctx context.Context, n NewBusiness) (Customer, error) {
	var fields []kumbara.FieldError
	if fe := required("company_name", n.CompanyName); fe != nil {
		fields = append(fields, *fe)
	}
	nipt, err := kyc.ParseNIPT(n.NIPT)
	if err != nil {
		fields = append(fields, kyc.ErrNIPTInvalid.At("nipt"))
	}
	mobile, err := kyc.ParseMobile(n.Mobile)
	if err != nil {
		fields = append(fields, kyc.ErrMobileInvalid.At("mobile"))
	}
	if len(fields) > 0 {
		return Customer{}, kumbara.ErrValidationFailed.WithFields(fields...)
	}
	c := Customer{Kind: Business, NIPT: nipt.String(), CompanyName: strings.TrimSpace(n.CompanyName),
		Mobile: mobile.String(), Email: n.Email, Address: n.Address, ContractVersion: n.ContractVersion, Branch: n.Branch}
	return c, s.insert(ctx, &c, n.ClientNumber, n.Representatives)
}

func (s *Service) insert(ctx context.Context, c *Customer, clientNumber string, reps []string) error {
	if clientNumber != "" {
		n, err := kyc.ParseClientNumber(clientNumber)
		if err != nil {
			return kumbara.ErrValidationFailed.WithFields(kyc.ErrClientNumberInvalid.At("client_number"))
		}
		clientNumber = string(n)
	}
	c.ID = uuid.Must(uuid.NewV7()).String()
	c.Status = "active"
	c.Language = i18n.SQ // the column's default: the bank's language until the customer chooses
	c.CreatedAt = s.Clock.Now()
	birth := ""
	if !c.BirthDate.IsZero() {
		birth = c.BirthDate.Format(time.DateOnly)
	}
	for attempt := 0; ; attempt++ {
		c.ClientNumber = clientNumber
		if c.ClientNumber == "" {
			c.ClientNumber = randomClientNumber()
		}
		err := s.DB.InTx(ctx, func(tx *db.Tx) error {
			if _, err := tx.Exec(ctx, `INSERT INTO customers (id, client_number, kind, national_id, nipt, first_name,
				last_name, company_name, birth_date, mobile, email, address, contract_version, branch, status, created_at,
				search_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				c.ID, c.ClientNumber, c.Kind, nullable(c.NationalID), nullable(c.NIPT), c.FirstName, c.LastName,
				c.CompanyName, birth, c.Mobile, c.Email, c.Address, c.ContractVersion, c.Branch, c.Status,
				db.Micros(c.CreatedAt), searchName(*c)); err != nil {
				return err
			}
			for _, rep := range reps {
				if _, err := tx.Exec(ctx, `INSERT INTO business_representatives (business_id, person_id, role)
					VALUES (?, ?, 'representative')`, c.ID, rep); err != nil {
					return ErrNotFound
				}
			}
			return audit.Append(ctx, tx, c.CreatedAt, audit.Stamp(ctx, audit.Entry{Actor: audit.Operator(ctx),
				Action: ActionCreated, CustomerID: c.ID, After: audit.State(createdState{ClientNumber: c.ClientNumber,
					Kind: c.Kind, Branch: c.Branch, ContractVersion: c.ContractVersion, Representatives: reps}),
				Result: audit.ResultOK}))
		})
		if err == nil {
			return nil
		}
		if !db.IsUniqueViolation(err) {
			return fmt.Errorf("create customer: %w", err)
		}
		if clientNumber != "" || attempt > 5 {
			return ErrExists.Wrap(err)
		}
		// A drawn client number collided; a national ID or NIPT collision repeats and ends the loop above.
		var taken int
		_ = s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM customers WHERE national_id = ? OR nipt = ?",
			nullable(c.NationalID), nullable(c.NIPT)).Scan(&taken)
		if taken > 0 {
			return ErrExists.Wrap(err)
		}
	}
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func randomClientNumber() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(900000000))
	return fmt.Sprintf("%09d", n.Int64()+100000000)
}

// Representatives returns the individuals who act for a business.
func (s *Service) Representatives(ctx context.Context, businessID string) ([]Customer, error) {
	// A subquery rather than a join keeps the column list unqualified: qualifying it by splitting on commas broke
	// the COALESCE(…, '') columns into invalid SQL.
	rows, err := s.DB.Query(ctx, "SELECT "+columns+` FROM customers WHERE id IN
		(SELECT person_id FROM business_representatives WHERE business_id = ?) ORDER BY client_number`, businessID)
	if err != nil {
		return nil, fmt.Errorf("representatives: %w", err)
	}
	return db.Collect(rows, scan)
}

// RepresentedBusiness returns the id of the business whose NIPT is nipt and which the individual personID
// represents; found is false when there is none.
func (s *Service) RepresentedBusiness(ctx context.Context, nipt, personID string) (id string, found bool, err error) {
	err = s.DB.QueryRow(ctx, `SELECT b.id FROM customers b JOIN business_representatives r ON r.business_id = b.id
		WHERE b.nipt = ? AND b.kind = ? AND r.person_id = ?`, nipt, Business, personID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("represented business: %w", err)
	}
	return id, true, nil
}

// Account products a customer may hold.
var accountTypes = map[string]byte{ledger.TypeCurrent: '1', ledger.TypeSavings: '2'}

// OpenAccount opens a current or savings account for a customer with a new IBAN in the bank's code. The account
// number (the IBAN's last 16 characters) is client number + product digit + 3-digit sequence + ISO numeric
// currency, so staff can read it.
func (s *Service) OpenAccount(ctx context.Context, customerID string, cur money.Currency, typ, name string) (ledger.Account, error) {
	product, ok := accountTypes[typ]
	if !ok {
		return ledger.Account{}, kumbara.ErrTypeInvalid.Field("type")
	}
	return s.openAccount(ctx, customerID, cur, typ, product, name, 0)
}

// openAccount opens an account of a product (its digit in the account number) with an approved overdraft.
func (s *Service) openAccount(ctx context.Context, customerID string, cur money.Currency, typ string, product byte,
	name string, overdraft int64) (ledger.Account, error) {
	if !cur.Valid() {
		return ledger.Account{}, money.ErrUnknownCurrency
	}
	c, err := s.Get(ctx, customerID)
	if err != nil {
		return ledger.Account{}, err
	}
	var a ledger.Account
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		n, err := ledger.CountOwned(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		if n >= 999 {
			return ErrTooManyAccounts
		}
		number := fmt.Sprintf("%s%c%03d%s", c.ClientNumber, product, n+1, cur.Numeric())
		ib, err := iban.NewAlbanian(s.Bank.Code, s.Bank.Branch, number)
		if err != nil {
			return fmt.Errorf("open account: %w", err)
		}
		now := s.Clock.Now()
		a, err = ledger.Open(ctx, tx, now, ledger.NewAccount{CustomerID: c.ID, IBAN: ib.String(),
			Number: number, Currency: cur, Type: typ, Name: name, OverdraftLimit: overdraft})
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, audit.Stamp(ctx, audit.Entry{Actor: audit.Operator(ctx),
			Action: ActionAccountOpened, CustomerID: c.ID, AccountID: a.ID, After: audit.State(openedState{
				IBAN: a.IBAN, Currency: string(a.Currency), Type: a.Type}), Result: audit.ResultOK}))
	})
	if err != nil {
		return ledger.Account{}, err
	}
	return a, nil
}

// Names returns the display names of customers by id (for transfer counterparties). Names are cached for a
// minute: a posting's counterparty is a label written once, and a rename showing a minute late is harmless.
func (s *Service) Names(ctx context.Context, ids ...string) (map[string]string, error) {
	found, err := s.cached(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(found))
	for id, e := range found {
		out[id] = e.name
	}
	return out, nil
}

// IsBusiness reports whether the customer id is a business (a customer's kind never changes). It is answered
// from the cache Names fills, so a transfer, which asks for its payer's name anyway, learns it without another
// read; an unknown id is ErrNotFound.
func (s *Service) IsBusiness(ctx context.Context, id string) (bool, error) {
	found, err := s.cached(ctx, []string{id})
	if err != nil {
		return false, err
	}
	e, ok := found[id]
	if !ok {
		return false, ErrNotFound
	}
	return e.kind == Business, nil
}

// cached returns what the cache knows of ids, reading the customers it lacks (or holds for over a minute).
func (s *Service) cached(ctx context.Context, ids []string) (map[string]nameEntry, error) {
	out := make(map[string]nameEntry, len(ids))
	var missing []any
	now := time.Now()
	s.mu.Lock()
	for _, id := range ids {
		if e, ok := s.names[id]; ok && now.Before(e.until) {
			out[id] = e
			continue
		}
		missing = append(missing, id)
	}
	s.mu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}
	rows, err := s.DB.Query(ctx, "SELECT id, kind, first_name, last_name, company_name FROM customers WHERE id IN ("+
		db.Placeholders(len(missing))+")", missing...)
	if err != nil {
		return nil, fmt.Errorf("customer names: %w", err)
	}
	found, err := db.Collect(rows, func(r db.Scanner) (Customer, error) {
		var c Customer
		err := r.Scan(&c.ID, &c.Kind, &c.FirstName, &c.LastName, &c.CompanyName)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("customer names: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range found {
		e := nameEntry{name: c.Name(), kind: c.Kind, until: now.Add(time.Minute)}
		out[c.ID] = e
		if s.names == nil || len(s.names) >= maxCachedNames {
			s.names = map[string]nameEntry{} // start over rather than grow without bound
		}
		s.names[c.ID] = e
	}
	return out, nil
}

type nameEntry struct {
	name, kind string
	until      time.Time
}

const maxCachedNames = 100000
