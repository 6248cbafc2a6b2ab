package statement

import (
	"errors"
	"strconv"
	"strings"

	"github.com/kumbara/kumbara/i18n"
)

// errNoTexts is a caller's mistake, not a customer's: a document built without the catalogue has no words.
var errNoTexts = errors.New("statement: no catalogue to take the labels from")

// labels holds every fixed text of the documents in one language. The words come from the catalogue, under the
// keys the internet branch's pages use for the same things (web_fin_… on the statement page, web_tr_… on the
// transfer pages, web_doc_… for what only a document prints), so the page and its PDF say the same thing.
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

	receiptTitle string
	transferID   string
	status       string
	createdAt    string
	valueDate    string
	payer        string
	beneficiary  string
	payeePhone   string
	electronic   string

	c    *i18n.Catalogue
	lang i18n.Lang
}

// labelKeys are the catalogue keys of the labels, for the tests that check each one exists.
var labelKeys = []string{"web_fin_statement_title", "web_fin_holder", "web_doc_address", "web_doc_client_number",
	"web_iban", "web_doc_account_number", "web_fin_currency", "web_fin_type", "web_fin_period", "web_fin_opening",
	"web_fin_closing", "web_fin_credits", "web_fin_debits", "web_doc_date", "web_doc_description", "web_doc_amount",
	"web_doc_balance", "web_doc_reference", "web_doc_no_lines", "web_doc_page_of", "web_doc_generated_at",
	"web_doc_receipt_title", "web_doc_transfer_id", "web_tr_status", "web_doc_created_at", "web_doc_value_date", "web_doc_payer",
	"web_tr_beneficiary", "web_tr_phone_short", "web_doc_electronic"}

func labelsFor(c *i18n.Catalogue, lang Lang) *labels {
	l := i18n.Lang(lang)
	m := func(key string) string { return c.Message(l, key, nil) }
	return &labels{
		statementTitle: m("web_fin_statement_title"),
		holder:         m("web_fin_holder"),
		address:        m("web_doc_address"),
		clientNumber:   m("web_doc_client_number"),
		iban:           m("web_iban"),
		accountNumber:  m("web_doc_account_number"),
		currency:       m("web_fin_currency"),
		accountType:    m("web_fin_type"),
		period:         m("web_fin_period"),
		opening:        m("web_fin_opening"),
		closing:        m("web_fin_closing"),
		credits:        m("web_fin_credits"),
		debits:         m("web_fin_debits"),
		date:           m("web_doc_date"),
		description:    m("web_doc_description"),
		amount:         m("web_doc_amount"),
		balance:        m("web_doc_balance"),
		reference:      m("web_doc_reference"),
		noLines:        m("web_doc_no_lines"),

		receiptTitle: m("web_doc_receipt_title"),
		transferID:   m("web_doc_transfer_id"),
		status:       m("web_tr_status"),
		createdAt:    m("web_doc_created_at"),
		valueDate:    m("web_doc_value_date"),
		payer:        m("web_doc_payer"),
		beneficiary:  m("web_tr_beneficiary"),
		payeePhone:   m("web_tr_phone_short"),
		electronic:   m("web_doc_electronic"),

		c: c, lang: l,
	}
}

// pageOf is "page X of Y" in the document's language.
func (l *labels) pageOf(page, pages int) string {
	return l.c.Message(l.lang, "web_doc_page_of", map[string]string{"page": strconv.Itoa(page), "pages": strconv.Itoa(pages)})
}

// generated is the footer's "generated on …".
func (l *labels) generated(at string) string {
	return l.c.Message(l.lang, "web_doc_generated_at", map[string]string{"at": at})
}

// statusText names a transfer's state as the transfer pages do (web_tr_status_…); an unknown one is printed as
// given, because a receipt that shows a raw state is better than one that refuses to render.
func (l *labels) statusText(status string) string {
	key := "web_tr_status_" + strings.ToLower(strings.TrimSpace(status))
	if l.c.Has(key) {
		return l.c.Message(l.lang, key, nil)
	}
	return status
}
