package payment

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/bankdir"
	"github.com/kumbara/kumbara/beneficiary"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/text"
	"github.com/kumbara/kumbara/transfer"
)

// Request is a payment as the customer asks for it, from any face.
type Request struct {
	Type          string // Domestic, SEPA or International
	FromAccountID string
	Amount        string // decimal string as sent
	Currency      string
	Description   string
	Charges       string // OUR, SHA or BEN; "" is SHA
	// Instant asks for the instant system (domestic) or SCT Inst (SEPA): settled within seconds, every day.
	Instant bool
	// Urgent sends a domestic payment by AIPS whatever its amount.
	Urgent bool
	// RequireToday refuses the payment rather than value-date it on the next working day (Z7/Z8: the business
	// channel's "today" after the cut-off).
	RequireToday bool
	Beneficiary  beneficiary.Input
	// International payments (T6) declare these.
	PurposeCategory, Purpose, BeneficiaryCategory string
	TermsAccepted                                 bool
	// SaveBeneficiary adds the beneficiary to the customer's address book once the payment is made.
	SaveBeneficiary bool
}

// hash identifies a request's content, so an idempotency key repeated with other content is refused.
func (r Request) hash(customerID string) string {
	h := sha256.New()
	b := r.Beneficiary
	for _, f := range []string{customerID, r.Type, r.FromAccountID, r.Amount, r.Currency, r.Description, r.Charges,
		strconv.FormatBool(r.Instant), strconv.FormatBool(r.Urgent), strconv.FormatBool(r.RequireToday),
		b.Name, strings.ToUpper(strings.ReplaceAll(b.IBAN, " ", "")), b.AccountNumber, b.BIC, b.BankName,
		b.BankAddress, b.Address.Street, b.Address.City, b.Address.PostalCode, b.Address.Country, b.Phone,
		r.PurposeCategory, r.Purpose, r.BeneficiaryCategory, strconv.FormatBool(r.TermsAccepted)} {
		h.Write([]byte(strconv.Itoa(len(f))))
		h.Write([]byte{':'})
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// MaxPurpose is the longest purpose text of an international payment.
const MaxPurpose = 140

// PurposeCategories are the purpose categories an international payment may declare (T6), as ISO 20022 category
// purpose codes: salaries, pensions, goods, services, family support, education, medical care, taxes, loans,
// rent, investment and other.
var PurposeCategories = []string{"SALA", "PENS", "GDDS", "SCVE", "FAMI", "EDUC", "MDCS", "TAXS", "LOAN", "RENT",
	"INVS", "OTHR"}

// BeneficiaryCategories: an individual, a business, a public institution, a non-profit, or a bank.
var BeneficiaryCategories = []string{"individual", "business", "public", "nonprofit", "bank"}

// sepaCountries are the countries and territories of the SEPA schemes' geographical scope (EPC409-09), Albania
// among them since 2025.
var sepaCountries = []string{"AD", "AL", "AT", "AX", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR",
	"GB", "GF", "GG", "GI", "GP", "GR", "HR", "HU", "IE", "IM", "IS", "IT", "JE", "LI", "LT", "LU", "LV", "MC", "MD",
	"ME", "MF", "MK", "MQ", "MT", "NL", "NO", "PL", "PM", "PT", "RE", "RO", "RS", "SE", "SI", "SK", "SM", "VA", "YT"}

// order is a request that passed every check that does not depend on the ledger's locked state.
type order struct {
	typ         string
	from        ledger.Account
	amount      money.Amount
	description string
	charges     string
	instant     bool
	urgent      bool
	today       bool
	party       Party
	bank        bankdir.Bank // the beneficiary's bank in the directory (domestic)
	purpose     Purpose
	save        bool
}

// check validates r for the customer: its shape, the account it is paid from, the beneficiary and what the type
// asks of it. Every field's problem is reported at once, inside validation_failed; a refusal of the whole
// payment (a currency the scheme does not carry) stands alone.
func (s *Service) check(ctx context.Context, customerID string, r Request) (order, error) {
	o := order{typ: r.Type, instant: r.Instant, urgent: r.Urgent, today: r.RequireToday, save: r.SaveBeneficiary}
	if !slices.Contains([]string{Domestic, SEPA, International}, r.Type) {
		return order{}, kumbara.ErrValidationFailed.WithFields(kumbara.ErrInvalid.At("type"))
	}
	var fields []kumbara.FieldError
	cur, err := money.ParseCurrency(r.Currency)
	if err != nil {
		return order{}, err
	}
	if o.amount, err = money.ParsePositive(r.Amount, cur); err != nil {
		return order{}, err
	}
	o.description = text.Clean(r.Description)
	if err := transfer.CheckDescription(o.description); err != nil {
		var ke *kumbara.Error
		if errors.As(err, &ke) {
			fields = append(fields, ke.At("description"))
		}
	}
	switch o.charges = strings.ToUpper(strings.TrimSpace(r.Charges)); o.charges {
	case "":
		o.charges = ChargesSHA
	case ChargesOUR, ChargesSHA, ChargesBEN:
	default:
		fields = append(fields, ErrChargesInvalid.At("charges"))
	}
	b, err := beneficiary.Validate(r.Beneficiary)
	var ke *kumbara.Error
	if errors.As(err, &ke) && errors.Is(err, kumbara.ErrValidationFailed) {
		for _, f := range ke.Fields {
			fields = append(fields, f.Under("beneficiary"))
		}
	} else if err != nil {
		return order{}, err
	}
	o.party = Party{Name: b.Name, IBAN: b.IBAN, AccountNumber: b.AccountNumber, BIC: b.BIC, BankName: b.BankName,
		BankAddress: b.BankAddress, Address: b.Address, Phone: b.Phone}
	fields = append(fields, s.checkType(&o, r)...)
	if len(fields) > 0 {
		return order{}, kumbara.ErrValidationFailed.WithFields(fields...)
	}
	if err := s.checkCurrency(o); err != nil {
		return order{}, err
	}
	if o.from, err = s.account(ctx, customerID, r.FromAccountID); err != nil {
		return order{}, err
	}
	if o.from.Currency != o.amount.Currency && s.FX == nil {
		// Changing currency is the FX service's: a bank without it pays only in the account's currency.
		return order{}, ErrCurrencyConversion.WithParam("currency", string(o.from.Currency))
	}
	if s.ours(iban.IBAN(o.party.IBAN)) {
		return order{}, ErrOwnBank
	}
	if o.typ == Domestic {
		if o.bank, err = s.Banks.ForIBAN(ctx, iban.IBAN(o.party.IBAN)); err != nil {
			return order{}, err
		}
		if o.party.BIC == "" {
			o.party.BIC = o.bank.BIC
		}
		o.party.BankName = o.bank.Name
	}
	return o, nil
}

// checkType applies what each type asks of the beneficiary beyond the address book's rules.
func (s *Service) checkType(o *order, r Request) []kumbara.FieldError {
	var fields []kumbara.FieldError
	p := o.party
	switch o.typ {
	case Domestic:
		// T5: to another Albanian bank by IBAN.
		switch {
		case p.IBAN == "" && strings.TrimSpace(r.Beneficiary.IBAN) == "":
			fields = append(fields, kumbara.ErrFieldRequired.At("beneficiary.iban"))
		case p.IBAN != "" && p.IBAN[:2] != "AL":
			fields = append(fields, ErrNotDomestic.At("beneficiary.iban"))
		}
	case SEPA:
		switch {
		case p.IBAN == "" && strings.TrimSpace(r.Beneficiary.IBAN) == "":
			fields = append(fields, kumbara.ErrFieldRequired.At("beneficiary.iban"))
		case p.IBAN != "" && !slices.Contains(sepaCountries, p.IBAN[:2]):
			fields = append(fields, ErrNotSEPA.At("beneficiary.iban"))
		}
		// SEPA's charges are always shared (SLEV).
		if o.charges != ChargesSHA {
			fields = append(fields, ErrChargesUnsupported.At("charges"))
		}
		// From November 2026 SEPA refuses an unstructured address: a town and a country at least, as their own
		// elements (the address book requires both; the street goes in its own element too).
	case International:
		if p.AccountNumber != "" && p.BIC == "" && p.BankName == "" {
			fields = append(fields, kumbara.ErrFieldRequired.At("beneficiary.bic"))
		}
		if p.Address.Street == "" {
			fields = append(fields, kumbara.ErrFieldRequired.At("beneficiary.address.street"))
		}
		o.purpose = Purpose{Category: strings.ToUpper(strings.TrimSpace(r.PurposeCategory)),
			Purpose: text.Clean(r.Purpose), BeneficiaryCategory: strings.ToLower(strings.TrimSpace(r.BeneficiaryCategory))}
		switch {
		case o.purpose.Category == "":
			fields = append(fields, kumbara.ErrFieldRequired.At("purpose_category"))
		case !slices.Contains(PurposeCategories, o.purpose.Category):
			fields = append(fields, ErrPurposeCategoryInvalid.At("purpose_category"))
		}
		switch {
		case o.purpose.Purpose == "":
			fields = append(fields, kumbara.ErrFieldRequired.At("purpose"))
		case utf8.RuneCountInString(o.purpose.Purpose) > MaxPurpose:
			fields = append(fields, text.ErrTooLong.At("purpose"))
		case !text.Plain(o.purpose.Purpose):
			fields = append(fields, text.ErrInvalidCharacters.At("purpose"))
		}
		switch {
		case o.purpose.BeneficiaryCategory == "":
			fields = append(fields, kumbara.ErrFieldRequired.At("beneficiary_category"))
		case !slices.Contains(BeneficiaryCategories, o.purpose.BeneficiaryCategory):
			fields = append(fields, ErrBeneficiaryCategoryInvalid.At("beneficiary_category"))
		}
		if !r.TermsAccepted {
			fields = append(fields, ErrTermsNotAccepted.At("terms_accepted"))
		}
	}
	if o.typ != International && (r.PurposeCategory != "" || r.Purpose != "" || r.BeneficiaryCategory != "") {
		fields = append(fields, kumbara.ErrUnsupported.At("purpose"))
	}
	if o.instant && o.typ == International {
		fields = append(fields, kumbara.ErrUnsupported.At("instant"))
	}
	if o.urgent && o.typ != Domestic {
		fields = append(fields, kumbara.ErrUnsupported.At("urgent"))
	}
	return fields
}

// checkCurrency refuses a currency the type's schemes do not carry: ALL at home, EUR in SEPA.
func (s *Service) checkCurrency(o order) error {
	switch {
	case o.typ == Domestic && o.amount.Currency != money.ALL:
		return ErrCurrencyUnsupported.WithParam("currency", "ALL")
	case o.typ == SEPA && o.amount.Currency != money.EUR:
		return ErrCurrencyUnsupported.WithParam("currency", "EUR")
	}
	return nil
}

// account finds the customer's account the payment is made from: another customer's, or none, is account_not_found
// about from_account_id.
func (s *Service) account(ctx context.Context, customerID, id string) (ledger.Account, error) {
	if id == "" || !text.Storable(id) || len(id) > 64 {
		return ledger.Account{}, ledger.ErrAccountNotFound.Field("from_account_id")
	}
	found, err := s.Ledger.Store.Resolve(ctx, []string{id}, nil)
	if err != nil {
		return ledger.Account{}, err
	}
	for _, a := range found {
		if a.CustomerID == customerID && !a.IsGL() {
			return a, nil
		}
	}
	return ledger.Account{}, ledger.ErrAccountNotFound.Field("from_account_id")
}

// ours reports whether ib is one of this bank's IBANs.
func (s *Service) ours(ib iban.IBAN) bool {
	own := s.Own.Code
	return ib != "" && ib.Country() == "AL" && ib.BankCode() == own
}
