package bulk

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/bankdir"
	"github.com/kumbara/kumbara/beneficiary"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/iso20022"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/payment"
)

// request is the payment a line of the file asks for, paid from accountID, or the problem that keeps it from being
// one: the line's currency chooses its type (EUR: SEPA, ALL: domestic), and its batch gives the charges, the
// instant or urgent service and the requested date. A line in another currency is an international payment, which
// a file does not make (bulk_line_international).
func request(b iso20022.PaymentInfo, tx iso20022.InitiationTx, accountID string) (payment.Request, *Problem) {
	r := payment.Request{FromAccountID: accountID, Amount: tx.Amount.Decimal(), Currency: string(tx.Amount.Currency),
		Description: tx.Remittance}
	switch tx.Amount.Currency {
	case money.EUR:
		r.Type = payment.SEPA
	case money.ALL:
		r.Type = payment.Domestic
		r.Urgent = b.ServiceLevel == "URGP"
	default:
		return payment.Request{}, &Problem{Field: "Amt/InstdAmt", Code: ErrLineInternational.Code, Reason: "AG03",
			Params: map[string]string{"currency": string(tx.Amount.Currency)}}
	}
	r.Instant = b.LocalInstrument == "INST"
	bearer := tx.ChargeBearer
	if bearer == "" {
		bearer = b.ChargeBearer
	}
	r.Charges = charges[bearer]
	street := strings.TrimSpace(strings.TrimSpace(tx.Creditor.Address.Street) + " " +
		strings.TrimSpace(tx.Creditor.Address.BuildingNumber))
	r.Beneficiary = beneficiary.Input{Name: tx.Creditor.Name, IBAN: tx.CreditorAccount.IBAN,
		AccountNumber: tx.CreditorAccount.Other, BIC: tx.CreditorAgent.BIC, BankName: tx.CreditorAgent.Name,
		Address: beneficiary.Address{Street: street, City: tx.Creditor.Address.City,
			PostalCode: tx.Creditor.Address.PostalCode, Country: tx.Creditor.Address.Country}}
	return r, nil
}

// charges maps a ChargeBearer to who pays the charges: shared for SLEV and SHAR, the payer for DEBT, the
// beneficiary for CRED; none given is the payment's default (shared).
var charges = map[string]string{"SLEV": payment.ChargesSHA, "SHAR": payment.ChargesSHA, "DEBT": payment.ChargesOUR,
	"CRED": payment.ChargesBEN}

// elements names, for each field of a payment request, the element of a pain.001 transaction it came from, so a
// line's problem points into the customer's own file.
var elements = map[string]string{
	"amount":                          "Amt/InstdAmt",
	"currency":                        "Amt/InstdAmt",
	"description":                     "RmtInf/Ustrd",
	"charges":                         "ChrgBr",
	"instant":                         "PmtTpInf/LclInstrm/Cd",
	"urgent":                          "PmtTpInf/SvcLvl/Cd",
	"from_account_id":                 "DbtrAcct",
	"beneficiary.name":                "Cdtr/Nm",
	"beneficiary.iban":                "CdtrAcct/Id/IBAN",
	"beneficiary.account_number":      "CdtrAcct/Id/Othr/Id",
	"beneficiary.bic":                 "CdtrAgt/FinInstnId/BICFI",
	"beneficiary.bank_name":           "CdtrAgt/FinInstnId/Nm",
	"beneficiary.bank_address":        "CdtrAgt/FinInstnId/PstlAdr",
	"beneficiary.address.street":      "Cdtr/PstlAdr/StrtNm",
	"beneficiary.address.city":        "Cdtr/PstlAdr/TwnNm",
	"beneficiary.address.postal_code": "Cdtr/PstlAdr/PstCd",
	"beneficiary.address.country":     "Cdtr/PstlAdr/Ctry",
	"beneficiary.phone":               "Cdtr/CtctDtls",
	"iban":                            "CdtrAcct/Id/IBAN",
}

func element(field string) string {
	if e, ok := elements[field]; ok {
		return e
	}
	return field
}

// problems turns a refusal of a line's payment into the line's problems: each field of a validation_failed, or the
// refusal itself at its field. ok is false for an error that is no refusal of the line (the database failing, a
// service down), which the caller returns as it is.
func problems(err error) ([]Problem, bool) {
	e, ok := kumbara.As(err)
	if !ok {
		return nil, false
	}
	switch e.Kind {
	case kumbara.KindInvalid, kumbara.KindUnprocessable, kumbara.KindNotFound, kumbara.KindForbidden,
		kumbara.KindConflict, kumbara.KindGone:
	default:
		return nil, false
	}
	if errors.Is(err, kumbara.ErrValidationFailed) && len(e.Fields) > 0 {
		out := make([]Problem, 0, len(e.Fields))
		for _, f := range e.Fields {
			at := element(f.Field)
			out = append(out, Problem{Field: at, Code: f.Code, Reason: reasonAt(at)})
		}
		return out, true
	}
	p := Problem{Code: e.Code, Params: e.Params}
	if len(e.Fields) == 1 {
		p.Field = element(e.Fields[0].Field)
	}
	if at := e.Params["element"]; at != "" {
		p.Field = at
	}
	p.Reason = reason(err, p.Field)
	return []Problem{p}, true
}

// lineProblems are the reader's problems of one line (iso20022.LineError).
func lineProblems(list []iso20022.LineError) []Problem {
	out := make([]Problem, 0, len(list))
	for _, l := range list {
		p := Problem{Field: shown(l.Field, 70), Code: kumbara.CodeOf(l.Err), Reason: reason(l.Err, l.Field)}
		if e, ok := kumbara.As(l.Err); ok && len(e.Params) > 0 {
			p.Params = map[string]string{}
			for k, v := range e.Params {
				p.Params[k] = shown(v, 70)
			}
		}
		out = append(out, p)
	}
	return out
}

// shown is a text of the file as the bank keeps it beside a line: valid UTF-8 without NUL, at most max characters.
func shown(s string, max int) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max])
	}
	return s
}

// reason is the ISO 20022 status reason (ExternalStatusReason1Code) a pain.002 gives a line refused with err at the
// element field: the funds (AM04), the account paid from (AC04 closed, AC06 blocked), the amount (AM01 zero, AM02
// too large) or its currency (AM03), the creditor's bank (CNOR when the directory does not take payments to it, RC04
// for its BIC), a future date (DT04), a payment the channel does not make (AG03: another currency, an IBAN of this
// bank), and otherwise by the element (reasonAt: an IBAN outside Albania or SEPA is the creditor's account, AC03).
func reason(err error, field string) string {
	switch {
	case errors.Is(err, ledger.ErrInsufficientFunds):
		return "AM04"
	case errors.Is(err, ledger.ErrAccountBlocked):
		return "AC06"
	case errors.Is(err, ledger.ErrAccountClosed):
		return "AC04"
	case errors.Is(err, money.ErrAmountNotPositive):
		return "AM01"
	case errors.Is(err, money.ErrAmountOutOfRange):
		return "AM02"
	case errors.Is(err, money.ErrUnknownCurrency), errors.Is(err, payment.ErrCurrencyUnsupported),
		errors.Is(err, payment.ErrCurrencyConversion):
		return "AM03"
	case errors.Is(err, bankdir.ErrUnknown), errors.Is(err, bankdir.ErrInactive):
		return "CNOR"
	case errors.Is(err, iban.ErrBICInvalid):
		return "RC04"
	case errors.Is(err, ErrFutureDate):
		return "DT04"
	case errors.Is(err, ErrLineInternational), errors.Is(err, payment.ErrOwnBank), errors.Is(err, bankdir.ErrOwnBank):
		return "AG03"
	}
	return reasonAt(field)
}

// reasonAt is the status reason of a problem of the element field: the creditor's account (AC03,
// InvalidCreditorAccountNumber: the line names the creditor's account, of which AC01 is the generic form), its bank
// (RC04), its name (RR03) or address (BE04), the amount (AM12), and NARR, with the code as additional information,
// for the rest.
func reasonAt(field string) string {
	switch {
	case strings.HasPrefix(field, "CdtrAcct"):
		return "AC03"
	case strings.HasPrefix(field, "CdtrAgt"):
		return "RC04"
	case strings.HasPrefix(field, "Cdtr/Nm"):
		return "RR03"
	case strings.HasPrefix(field, "Cdtr/PstlAdr"):
		return "BE04"
	case strings.HasPrefix(field, "Amt"):
		return "AM12"
	}
	return "NARR"
}
