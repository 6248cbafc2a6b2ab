package statement

import "strings"

// labels holds every fixed text of the documents in one language, so that a
// translation is a single struct literal and a missing label is a compile
// error rather than an English word in an Albanian document.
type labels struct {
	statementTitle string
	holder         string
	address        string
	clientNumber   string
	iban           string
	accountNumber  string
	currency       string
	accountType    string
	period         string
	opening        string
	closing        string
	credits        string
	debits         string
	date           string
	description    string
	amount         string
	balance        string
	reference      string
	noLines        string
	pageOf         string // Sprintf format: page, total
	generatedAt    string // Sprintf format: date and time

	receiptTitle string
	transferID   string
	status       string
	createdAt    string
	payer        string
	beneficiary  string
	payeePhone   string
	name         string
	bank         string
	electronic   string
	statuses     map[string]string // lower-case status → display text
}

var albanianLabels = labels{
	statementTitle: "Pasqyra e llogarisë",
	holder:         "Mbajtësi",
	address:        "Adresa",
	clientNumber:   "Numri i klientit",
	iban:           "IBAN",
	accountNumber:  "Numri i llogarisë",
	currency:       "Monedha",
	accountType:    "Lloji i llogarisë",
	period:         "Periudha",
	opening:        "Gjendja fillestare",
	closing:        "Gjendja përfundimtare",
	credits:        "Kreditime",
	debits:         "Debitime",
	date:           "Data",
	description:    "Përshkrimi",
	amount:         "Shuma",
	balance:        "Gjendja",
	reference:      "Ref.",
	noLines:        "Nuk ka lëvizje në këtë periudhë",
	pageOf:         "Faqe %d nga %d",
	generatedAt:    "Gjeneruar më %s",

	receiptTitle: "Mandat transferte",
	transferID:   "ID e transfertës",
	status:       "Statusi",
	createdAt:    "Data dhe ora",
	payer:        "Urdhëruesi",
	beneficiary:  "Përfituesi",
	payeePhone:   "Telefoni i përfituesit",
	name:         "Emri",
	bank:         "Banka",
	electronic:   "Dokument i gjeneruar elektronikisht.",
	statuses: map[string]string{
		"pending":    "Në pritje",
		"processing": "Në përpunim",
		"completed":  "Kryer",
		"failed":     "Dështuar",
		"rejected":   "Refuzuar",
		"cancelled":  "Anuluar",
		"canceled":   "Anuluar",
		"reversed":   "Kthyer",
	},
}

var englishLabels = labels{
	statementTitle: "Account statement",
	holder:         "Holder",
	address:        "Address",
	clientNumber:   "Client number",
	iban:           "IBAN",
	accountNumber:  "Account number",
	currency:       "Currency",
	accountType:    "Account type",
	period:         "Period",
	opening:        "Opening balance",
	closing:        "Closing balance",
	credits:        "Credits",
	debits:         "Debits",
	date:           "Date",
	description:    "Description",
	amount:         "Amount",
	balance:        "Balance",
	reference:      "Ref.",
	noLines:        "No transactions in this period",
	pageOf:         "Page %d of %d",
	generatedAt:    "Generated on %s",

	receiptTitle: "Transfer receipt",
	transferID:   "Transfer ID",
	status:       "Status",
	createdAt:    "Date and time",
	payer:        "Payer",
	beneficiary:  "Beneficiary",
	payeePhone:   "Beneficiary's phone",
	name:         "Name",
	bank:         "Bank",
	electronic:   "Electronically generated document.",
	statuses: map[string]string{
		"pending":    "Pending",
		"processing": "Processing",
		"completed":  "Completed",
		"failed":     "Failed",
		"rejected":   "Rejected",
		"cancelled":  "Cancelled",
		"canceled":   "Cancelled",
		"reversed":   "Reversed",
	},
}

func labelsFor(lang Lang) *labels {
	if lang == English {
		return &englishLabels
	}
	return &albanianLabels
}

// statusText translates the transfer states we know of; an unknown one is
// printed as given, because a receipt that shows a raw state is better than
// one that refuses to render.
func (l *labels) statusText(status string) string {
	if s, ok := l.statuses[strings.ToLower(strings.TrimSpace(status))]; ok {
		return s
	}
	return status
}
