package ledger

import (
	"encoding/json"

	"github.com/kumbara/kumbara/i18n"
)

// Text is a text the bank writes for a customer — a posting's description, an account's type — kept as a catalogue
// key and its parameters, so that each reader sees it in their own language rather than in the language of the
// day it was written. Parameters are strings the catalogue's message fills in as they are (a branch's note, the
// description being reversed); they are never translated.
type Text struct {
	Key    string
	Params map[string]string
}

// Keys of the texts the ledger writes. Their messages are in i18n/locales/texts.*.toml.
const (
	TextCashDeposit    = "tx_cash_deposit"    // {note}: the cashier's note, if any
	TextCashWithdrawal = "tx_cash_withdrawal" // {note}
	TextReversal       = "tx_reversal"        // {of}: the reversed posting's description, rendered in turn
	textAccountType    = "acct_"              // + the type: current, savings
	textAccountUnnamed = "acct_unnamed"       // {type} and {currency}: an account the customer has not named
)

// paramOf is the parameter of TextReversal that holds the reversed posting's own key, so that the reversal of a
// text the bank wrote reads in the reader's language all the way down.
const paramOf = "of"

// Texts lists every key the ledger writes, for the catalogue's tests.
func Texts() []string {
	return []string{TextCashDeposit, TextCashWithdrawal, TextReversal, textAccountType + TypeCurrent,
		textAccountType + TypeSavings, textAccountUnnamed}
}

// albanian is the description column's text for a key the ledger writes: the catalogue's Albanian message,
// written out here because the ledger posts without a catalogue (the tests hold the two equal). The column keeps
// serving search, the staff tools and older readers.
func albanian(t Text) string {
	var s string
	switch t.Key {
	case TextCashDeposit:
		s = "Depozitë cash në degë"
	case TextCashWithdrawal:
		s = "Tërheqje cash në degë"
	case TextReversal:
		return "Kthim: " + t.Params[paramOf]
	}
	if note := t.Params["note"]; note != "" {
		s += " - " + note
	}
	return s
}

// encodeParams is the text_params column: a JSON object, or empty for none.
func encodeParams(p map[string]string) string {
	if len(p) == 0 {
		return ""
	}
	b, err := json.Marshal(p) // a map of strings always marshals
	if err != nil {
		return ""
	}
	return string(b)
}

// decodeParams reads the text_params column; a value that does not parse gives no parameters, and the line falls
// back to its description (see Describe).
func decodeParams(s string) (map[string]string, bool) {
	if s == "" {
		return nil, true
	}
	var p map[string]string
	if err := json.Unmarshal([]byte(s), &p); err != nil {
		return nil, false
	}
	return p, true
}

// Describe is a line's description in lang: the text the bank wrote, in the reader's language, or what was typed
// (by the customer, or on rows older than keys) as it was typed. Every face shows a line through it: the API's and
// the web's history, the summary, the statement page and its PDF.
func (l Line) Describe(c *i18n.Catalogue, lang i18n.Lang) string {
	if l.Text.Key == "" || !c.Has(l.Text.Key) {
		return l.Description
	}
	params := l.Text.Params
	if of, ok := params[paramOf+"_key"]; ok {
		// A reversal of a keyed text: render the inner text first, with the parameters it was written with.
		inner := Line{Description: params[paramOf], Text: Text{Key: of, Params: innerParams(params)}}
		params = map[string]string{paramOf: inner.Describe(c, lang)}
	}
	return c.Message(lang, l.Text.Key, params)
}

// innerParams are a reversal's parameters that belong to the reversed text ("of.note" → "note").
func innerParams(p map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range p {
		if len(k) > len(paramOf)+1 && k[:len(paramOf)+1] == paramOf+"." {
			out[k[len(paramOf)+1:]] = v
		}
	}
	return out
}

// reversalText is the text of a leg that reverses one described by desc and t.
func reversalText(desc string, t Text) Text {
	p := map[string]string{paramOf: desc}
	if t.Key != "" {
		p[paramOf+"_key"] = t.Key
		for k, v := range t.Params {
			p[paramOf+"."+k] = v
		}
	}
	return Text{Key: TextReversal, Params: p}
}

// english is what a posting described by t adds to its search text: the text in English, led by a space, or
// nothing for a text a person typed (searched as typed) or a ledger without a catalogue.
func (b *Batch) english(t Text) string {
	if t.Key == "" || b.texts == nil {
		return ""
	}
	return " " + Line{Text: t}.Describe(b.texts, i18n.EN)
}

// TypeName is an account type in lang ("Llogari rrjedhëse", "Current account"); a type without a message is
// shown as it is.
func TypeName(c *i18n.Catalogue, lang i18n.Lang, typ string) string {
	if key := textAccountType + typ; c.Has(key) {
		return c.Message(lang, key, nil)
	}
	return typ
}

// Title is what an account is called in lang: the name its holder gave it, as typed, or else its type and
// currency ("Llogari rrjedhëse (EUR)", "Current account (EUR)").
func (a Account) Title(c *i18n.Catalogue, lang i18n.Lang) string {
	if a.Name != "" {
		return a.Name
	}
	return c.Message(lang, textAccountUnnamed, map[string]string{"type": TypeName(c, lang, a.Type),
		"currency": string(a.Currency)})
}
