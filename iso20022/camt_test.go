package iso20022

import (
	"errors"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/money"
)

func statementDoc(t *testing.T) string {
	t.Helper()
	return string(mustMarshal(t, statements(t)["a day of a business account"]))
}

func TestParseStatementReadsWhatOtherBanksWrite(t *testing.T) {
	doc := statementDoc(t)
	for name, tc := range map[string]struct {
		doc   string
		check func(t *testing.T, m Statement)
	}{
		"PRCD as the opening balance": {
			replaceOnce(t, doc, "<Cd>OPBD</Cd>", "<Cd>PRCD</Cd>"),
			func(t *testing.T, m Statement) {
				if m.Opening != all(-10_000_00) {
					t.Errorf("opening %v", m.Opening)
				}
			},
		},
		"a booking date and time": {
			replaceOnce(t, doc, "<BookgDt><Dt>2026-03-09</Dt></BookgDt>", "<BookgDt><DtTm>2026-03-09T23:30:00Z</DtTm></BookgDt>"),
			func(t *testing.T, m Statement) {
				if got := m.Entries[0].BookingDate.String(); got != "2026-03-10" {
					t.Errorf("booking date %s, want the day in Tirane", got)
				}
			},
		},
		"an account without its currency": {
			replaceOnce(t, doc, "<Ccy>ALL</Ccy>", ""),
			func(t *testing.T, m Statement) {
				if m.Currency != money.ALL {
					t.Errorf("currency %q", m.Currency)
				}
			},
		},
		"a proprietary bank transaction code": {
			replaceOnce(t, doc, "<Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn>", "<Prtry><Cd>NTRF+166</Cd><Issr>DK</Issr></Prtry>"),
			func(t *testing.T, m Statement) {
				if m.Entries[0].BankTxCode != "NTRF+166" {
					t.Errorf("code %q", m.Entries[0].BankTxCode)
				}
			},
		},
	} {
		t.Run(name, func(t *testing.T) {
			m, err := ParseStatement([]byte(tc.doc))
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, m)
		})
	}
}

func TestParseStatementRefusesWhatDoesNotAddUp(t *testing.T) {
	doc := statementDoc(t)
	for name, tc := range map[string]struct {
		doc  string
		want error
	}{
		"a closing balance that is not opening plus entries": {replaceOnce(t, doc, ">110500.00<", ">110500.01<"), ErrControlSumMismatch},
		"a debit read as a credit":                           {replaceOnce(t, doc, "<CdtDbtInd>DBIT</CdtDbtInd><Sts>", "<CdtDbtInd>CRDT</CdtDbtInd><Sts>"), ErrControlSumMismatch},
		"an entry in another currency":                       {replaceOnce(t, doc, `<Amt Ccy="ALL">4500.00`, `<Amt Ccy="EUR">4500.00`), ErrInvalid},
		"no closing balance":                                 {replaceOnce(t, doc, "<Cd>CLBD</Cd>", "<Cd>ITBD</Cd>"), ErrInvalid},
		"neither credit nor debit":                           {replaceOnce(t, doc, "<CdtDbtInd>DBIT</CdtDbtInd>", "<CdtDbtInd>D</CdtDbtInd>"), ErrInvalid},
		"two statements":                                     {replaceOnce(t, doc, "</BkToCstmrStmt>", "<Stmt><Id>2</Id></Stmt></BkToCstmrStmt>"), ErrInvalid},
		"a batch entry of two transactions":                  {replaceOnce(t, doc, "</TxDtls>", "</TxDtls><TxDtls/>"), ErrInvalid},
		"an unknown entry status":                            {replaceOnce(t, doc, "<Cd>PDNG</Cd>", "<Cd>FUTR</Cd>"), ErrInvalid},
		"too many decimals":                                  {replaceOnce(t, doc, ">4500.00<", ">4500.005<"), money.ErrTooManyDecimals},
		"a notification":                                     {string(mustMarshal(t, notifications(t)["a euro credit"])), ErrWrongMessage},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := ParseStatement([]byte(tc.doc)); !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestStatementMarshalRefusesBalancesThatDoNotAddUp(t *testing.T) {
	m := statements(t)["a day of a business account"]
	m.Closing.Minor++
	if _, err := m.Marshal(); !errors.Is(err, ErrControlSumMismatch) {
		t.Fatalf("err = %v", err)
	}
	m = statements(t)["a day of a business account"]
	m.To = m.From.Add(-1)
	if _, err := m.Marshal(); !errors.Is(err, ErrInvalid) {
		t.Fatalf("a period that ends before it starts: %v", err)
	}
}

// A notification of a period in which nothing was booked is one the schema allows: it names the account and the
// period, and has no entry; a period that ends before it starts is refused.
func TestANotificationWithoutEntriesIsValidButNotABackwardsPeriod(t *testing.T) {
	m := notifications(t)["a period without entries"]
	doc, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(doc), "<Ntry>") || !strings.Contains(string(doc), "<FrToDt>") {
		t.Errorf("an empty period's notification:\n%s", doc)
	}
	m.To = m.From.Add(-1)
	if _, err := m.Marshal(); !errors.Is(err, ErrInvalid) {
		t.Fatalf("a period that ends before it starts: %v", err)
	}
}

func TestNotificationRefusals(t *testing.T) {
	doc := string(mustMarshal(t, notifications(t)["a debit and a pending entry"]))
	for name, tc := range map[string]struct {
		doc  string
		want error
	}{
		"no entry and no currency": {replaceOnce(t, regexpCut(doc, "<Ntry>", "</Ntry>"), "<Ccy>ALL</Ccy>", ""), ErrInvalid},
		"a negative amount":        {replaceOnce(t, doc, ">4500.00<", ">-4500.00<"), money.ErrInvalidAmount},
		"an invalid account":       {replaceOnce(t, doc, "<Othr><Id>000123</Id></Othr>", "<IBAN>AL00</IBAN>"), ErrInvalid},
		"a statement":              {statementDoc(t), ErrWrongMessage},
		"no message id":            {replaceOnce(t, doc, "<MsgId>KUM-NTF-0002</MsgId>", ""), ErrInvalid},
		"a code too long":          {strings.Replace(doc, "KUM-FEE", strings.Repeat("X", 36), 1), ErrInvalid},
		"no entry status":          {replaceOnce(t, doc, "<Sts><Cd>BOOK</Cd></Sts>", "<Sts></Sts>"), ErrInvalid},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := ParseNotification([]byte(tc.doc)); !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}
