package payments

import (
	"net/url"
	"strings"

	"github.com/kumbara/kumbara/beneficiary"
	"github.com/kumbara/kumbara/payment"
)

// input is a payment as its form has it, each field under the form's name for it. What it may be is the payment
// service's to judge: the pages pass it through and show the answer beside each field.
type input struct {
	Type                                     string
	From, Amount, Description, Charges       string
	Instant, Urgent, Today                   bool
	Name, IBAN, AccountNumber, BIC, BankName string
	BankAddress, Street, City, PostalCode    string
	Country, Phone                           string
	PurposeCategory, Purpose, BeneficiaryCat string
	Terms, Save                              bool
	// Currency is the currency an international payment is in, chosen on its form ("" for the account's own).
	Currency string
}

// inputNames are the form's names of input's fields, in the order list gives them.
var inputNames = []string{"type", "from", "amount", "description", "charges", "instant", "urgent", "today", "name",
	"iban", "account_number", "bic", "bank_name", "bank_address", "street", "city", "postal_code", "country", "phone",
	"purpose_category", "purpose", "beneficiary_category", "terms", "save", "currency"}

func flag(b bool) string {
	if b {
		return "1"
	}
	return ""
}

// list is every field of in as text, in inputNames' order: what a seal signs.
func (in input) list() []string {
	return []string{in.Type, in.From, in.Amount, in.Description, in.Charges, flag(in.Instant), flag(in.Urgent),
		flag(in.Today), in.Name, in.IBAN, in.AccountNumber, in.BIC, in.BankName, in.BankAddress, in.Street, in.City,
		in.PostalCode, in.Country, in.Phone, in.PurposeCategory, in.Purpose, in.BeneficiaryCat, flag(in.Terms),
		flag(in.Save), in.Currency}
}

// values is in as form values, for an address (the review, "change the details").
func (in input) values() url.Values {
	v := url.Values{}
	for i, x := range in.list() {
		v.Set(inputNames[i], x)
	}
	return v
}

// inputFrom reads what a form (or an address) holds. Only the text is trimmed; a ticked box is any value.
func inputFrom(v url.Values) input {
	g := func(name string) string { return strings.TrimSpace(v.Get(name)) }
	on := func(name string) bool { return v.Get(name) != "" }
	return input{Type: g("type"), From: g("from"), Amount: g("amount"), Description: g("description"),
		Charges: g("charges"), Instant: on("instant"), Urgent: on("urgent"), Today: on("today"), Name: g("name"),
		IBAN: g("iban"), AccountNumber: g("account_number"), BIC: g("bic"), BankName: g("bank_name"),
		BankAddress: g("bank_address"), Street: g("street"), City: g("city"), PostalCode: g("postal_code"),
		Country: g("country"), Phone: g("phone"), PurposeCategory: g("purpose_category"), Purpose: g("purpose"),
		BeneficiaryCat: g("beneficiary_category"), Terms: on("terms"), Save: on("save"),
		Currency: strings.ToUpper(g("currency"))}
}

// request is in as the payment service takes it, the amount already read in the page's language and currency the
// account's (or the type's).
func (in input) request(amount, currency string) payment.Request {
	return payment.Request{Type: in.Type, FromAccountID: in.From, Amount: amount, Currency: currency,
		Description: in.Description, Charges: in.Charges, Instant: in.Instant, Urgent: in.Urgent,
		RequireToday: in.Today, PurposeCategory: in.PurposeCategory, Purpose: in.Purpose,
		BeneficiaryCategory: in.BeneficiaryCat, TermsAccepted: in.Terms, SaveBeneficiary: in.Save,
		Beneficiary: beneficiary.Input{Name: in.Name, IBAN: in.IBAN, AccountNumber: in.AccountNumber, BIC: in.BIC,
			BankName: in.BankName, BankAddress: in.BankAddress, Phone: in.Phone, Address: beneficiary.Address{
				Street: in.Street, City: in.City, PostalCode: in.PostalCode, Country: in.Country}}}
}

// withBeneficiary is in with a saved beneficiary's details in place of the beneficiary's fields.
func (in input) withBeneficiary(b beneficiary.Beneficiary) input {
	in.Name, in.IBAN, in.AccountNumber, in.BIC = b.Name, b.Printable(), b.AccountNumber, b.BIC
	if b.IBAN == "" {
		in.IBAN = ""
	}
	in.BankName, in.BankAddress, in.Phone = b.BankName, b.BankAddress, b.Phone
	in.Street, in.City, in.PostalCode, in.Country = b.Address.Street, b.Address.City, b.Address.PostalCode, b.Address.Country
	return in
}

// fromPayment is the input that makes p again: for "make it again" after a payment lapsed or failed.
func fromPayment(p payment.Payment) input {
	b := p.Beneficiary
	in := input{Type: p.Type, From: p.AccountID, Amount: p.Amount.Decimal(), Description: p.Description,
		Charges: p.Charges, Instant: p.Scheme == payment.Instant || p.Scheme == payment.SCTInst, Urgent: p.Urgent,
		Name: b.Name, IBAN: b.Account(), AccountNumber: b.AccountNumber, BIC: b.BIC, BankName: b.BankName,
		BankAddress: b.BankAddress, Street: b.Address.Street, City: b.Address.City, PostalCode: b.Address.PostalCode,
		Country: b.Address.Country, Phone: b.Phone, PurposeCategory: p.Purpose.Category, Purpose: p.Purpose.Purpose,
		BeneficiaryCat: p.Purpose.BeneficiaryCategory}
	if b.IBAN == "" {
		in.IBAN = ""
	}
	if p.Type == payment.International && p.Converted() {
		in.Currency = string(p.Amount.Currency)
	}
	if p.Type == payment.Domestic {
		// The directory names a domestic beneficiary's bank from the IBAN; what it wrote is not the customer's.
		in.BIC, in.BankName = "", ""
	}
	return in
}

// formField names the form field of each request field the payment service refuses (kumbara.FieldError), so the
// page shows the problem beside it: the beneficiary's fields and their address by their own names, the account
// (and the currency, which is the account's choice) as "from", the terms as "terms". "" is a field the form does
// not have: the problem stands at the top of the page alone.
func formField(requestField string) string {
	f := strings.TrimPrefix(strings.TrimPrefix(requestField, "beneficiary."), "address.")
	switch f {
	case "from_account_id", "currency":
		return "from"
	case "terms_accepted":
		return "terms"
	}
	for _, name := range inputNames[1:] {
		if name == f {
			return f
		}
	}
	return ""
}
