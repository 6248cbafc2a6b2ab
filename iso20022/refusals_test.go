package iso20022

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/money"
)

func sessionDoc(t *testing.T) string {
	t.Helper()
	doc, err := creditTransfers(t)["a clearing session of five"].Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return string(doc)
}

// replaceOnce replaces the first old in s, failing the test when s does not have it.
func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("the document has no %q", old)
	}
	return strings.Replace(s, old, new, 1)
}

func TestParseRefusesUnsafeDocuments(t *testing.T) {
	doc := sessionDoc(t)
	body := strings.TrimPrefix(doc, `<?xml version="1.0" encoding="UTF-8"?>`+"\n")
	laughs := `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
` + replaceOnce(t, body, "<MsgId>KUM20260309AECH0002</MsgId>", "<MsgId>&lol3;</MsgId>")
	for name, tc := range map[string]struct {
		doc  string
		want error
	}{
		"a DTD": {`<?xml version="1.0"?>` + "\n<!DOCTYPE Document>\n" + body, ErrUnsafe},
		"an external entity": {`<?xml version="1.0"?>` + "\n" + `<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>` + "\n" +
			replaceOnce(t, body, "<MsgId>KUM20260309AECH0002</MsgId>", "<MsgId>&xxe;</MsgId>"), ErrUnsafe},
		"the billion laughs":                 {laughs, ErrUnsafe},
		"an entity without a DTD":            {replaceOnce(t, doc, "<MsgId>KUM20260309AECH0002</MsgId>", "<MsgId>&xxe;</MsgId>"), ErrMalformed},
		"a directive inside the message":     {replaceOnce(t, doc, "<GrpHdr>", "<GrpHdr><!ENTITY x 'y'>"), ErrUnsafe},
		"a processing instruction":           {replaceOnce(t, doc, "<GrpHdr>", "<?php echo 1 ?><GrpHdr>"), ErrUnsafe},
		"a second XML declaration":           {replaceOnce(t, doc, "<GrpHdr>", `<?xml version="1.0"?><GrpHdr>`), ErrUnsafe},
		"another encoding":                   {strings.Replace(doc, "UTF-8", "ISO-8859-1", 1), ErrMalformed},
		"bytes that are not UTF-8":           {replaceOnce(t, doc, "Dritë", "Drit\xeb"), ErrMalformed},
		"the wrong namespace":                {strings.ReplaceAll(doc, "pacs.008.001.08", "pacs.008.001.02"), ErrWrongMessage},
		"no namespace":                       {strings.Replace(doc, ` xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"`, "", 1), ErrWrongMessage},
		"another message":                    {string(mustMarshal(t, statusReports(t)["the whole message rejected"])), ErrWrongMessage},
		"the wrong root":                     {strings.ReplaceAll(doc, "Document", "Dokument"), ErrWrongMessage},
		"the wrong element under Document":   {strings.ReplaceAll(doc, "FIToFICstmrCdtTrf", "FIToFIPmtStsRpt"), ErrWrongMessage},
		"two messages under Document":        {replaceOnce(t, doc, "</Document>", "<FIToFICstmrCdtTrf/></Document>"), ErrWrongMessage},
		"truncated":                          {doc[:len(doc)/2], ErrMalformed},
		"truncated at the end":               {strings.TrimSuffix(doc, "</Document>"), ErrMalformed},
		"content after the root":             {doc + "<Document/>", ErrMalformed},
		"text after the root":                {doc + "x", ErrMalformed},
		"mismatched tags":                    {replaceOnce(t, doc, "</MsgId>", "</MsgID>"), ErrMalformed},
		"empty":                              {"", ErrMalformed},
		"too many decimals":                  {replaceOnce(t, doc, ">1000.00<", ">1000.001<"), money.ErrTooManyDecimals},
		"a negative amount":                  {replaceOnce(t, doc, ">1000.00<", ">-1000.00<"), money.ErrInvalidAmount},
		"an exponent":                        {replaceOnce(t, doc, ">1000.00<", ">1E3<"), money.ErrInvalidAmount},
		"a zero amount":                      {replaceOnce(t, doc, ">1000.00<", ">0.00<"), money.ErrAmountNotPositive},
		"a currency the bank does not offer": {strings.ReplaceAll(doc, `Ccy="ALL"`, `Ccy="JPY"`), money.ErrUnknownCurrency},
		"NbOfTxs not the count":              {replaceOnce(t, doc, "<NbOfTxs>5</NbOfTxs>", "<NbOfTxs>4</NbOfTxs>"), ErrCountMismatch},
		"NbOfTxs not a number":               {replaceOnce(t, doc, "<NbOfTxs>5</NbOfTxs>", "<NbOfTxs>five</NbOfTxs>"), ErrInvalid},
		"the total not the sum":              {replaceOnce(t, doc, ">15000.00<", ">15000.01<"), ErrControlSumMismatch},
		"an invalid IBAN":                    {replaceOnce(t, doc, "AL26999000160000000001234567", "AL27999000160000000001234567"), iban.ErrIBANInvalid},
		"an invalid BIC":                     {replaceOnce(t, doc, "<BICFI>NCBAALTX</BICFI>", "<BICFI>NCBA</BICFI>"), iban.ErrBICInvalid},
		"an unknown charge bearer":           {replaceOnce(t, doc, "<ChrgBr>SLEV</ChrgBr>", "<ChrgBr>OUR</ChrgBr>"), ErrInvalid},
		"no end-to-end id":                   {replaceOnce(t, doc, "<EndToEndId>E2E-B-A</EndToEndId>", ""), ErrInvalid},
		"an end-to-end id too long":          {replaceOnce(t, doc, "E2E-B-A", strings.Repeat("Ç", 36)), ErrInvalid},
		"no creditor name":                   {replaceOnce(t, doc, "<Nm>Dritë Shehu</Nm>", ""), ErrInvalid},
		"no transaction":                     {regexpCut(replaceOnce(t, doc, "<NbOfTxs>5<", "<NbOfTxs>0<"), "<CdtTrfTxInf>", "</CdtTrfTxInf>"), ErrInvalid},
		"a bad date":                         {replaceOnce(t, doc, "2026-03-10", "2026-02-30"), ErrInvalid},
		"two remittance lines":               {replaceOnce(t, doc, "<ChrgBr>", "<RmtInf><Ustrd>a</Ustrd><Ustrd>b</Ustrd></RmtInf><ChrgBr>"), ErrInvalid},
	} {
		t.Run(name, func(t *testing.T) {
			m, err := ParseCreditTransfer([]byte(tc.doc))
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if m.MessageID != "" || m.Transactions != nil {
				t.Errorf("returned %+v with the error", m)
			}
			if k := kumbara.KindOf(err); k != kumbara.KindInvalid {
				t.Errorf("kind %v, want invalid (a 400)", k)
			}
		})
	}
}

// regexpCut removes every element from start to end.
func regexpCut(s, start, end string) string {
	for {
		i := strings.Index(s, start)
		if i < 0 {
			return s
		}
		j := strings.Index(s[i:], end)
		s = s[:i] + s[i+j+len(end):]
	}
}

func mustMarshal(t *testing.T, m message) []byte {
	t.Helper()
	doc, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestParseRefusesADocumentLargerThanMaxDocument(t *testing.T) {
	doc := sessionDoc(t)
	big := []byte(replaceOnce(t, doc, "</Document>", "<!--"+strings.Repeat("x", MaxDocument)+"--></Document>"))
	for name, parse := range map[string]func([]byte) error{
		"pacs.008":    func(b []byte) error { _, err := ParseCreditTransfer(b); return err },
		"pacs.002":    func(b []byte) error { _, err := ParseStatusReport(b); return err },
		"pacs.004":    func(b []byte) error { _, err := ParsePaymentReturn(b); return err },
		"MessageName": func(b []byte) error { _, err := MessageName(b); return err },
	} {
		if err := parse(big); !errors.Is(err, ErrTooLarge) || kumbara.KindOf(err) != kumbara.KindTooLarge {
			t.Errorf("%s: %v, want %v (a 413)", name, err, ErrTooLarge)
		}
	}
}

func TestParseAcceptsAByteOrderMarkCommentsAndCDATA(t *testing.T) {
	doc := "\xef\xbb\xbf" + replaceOnce(t, sessionDoc(t), "<Document", "<!-- session 2, no <!DOCTYPE> or <?pi?> here -->\n<Document") +
		"\n<!-- end -->\n"
	doc = replaceOnce(t, doc, "<Nm>Dritë Shehu</Nm>", "<Nm><![CDATA[Dritë <!Shehu> <?x?>]]></Nm>")
	m, err := ParseCreditTransfer([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Transactions[1].Creditor.Name; got != "Dritë <!Shehu> <?x?>" {
		t.Errorf("name %q", got)
	}
}

func TestMarshalRefusesWhatTheSchemaOrTheBankWouldNot(t *testing.T) {
	base := creditTransfers(t)["a clearing session of five"]
	for name, change := range map[string]func(m *CreditTransfer){
		"no transaction":             func(m *CreditTransfer) { m.Transactions = nil },
		"two currencies":             func(m *CreditTransfer) { m.Transactions[1].Amount = eur(1) },
		"a negative amount":          func(m *CreditTransfer) { m.Transactions[0].Amount = all(-1) },
		"an amount too large":        func(m *CreditTransfer) { m.Transactions[0].Amount = all(1 << 62) },
		"a total too large":          func(m *CreditTransfer) { m.Transactions[0].Amount = all(9e17); m.Transactions[1].Amount = all(9e17) },
		"no message id":              func(m *CreditTransfer) { m.MessageID = "" },
		"a message id too long":      func(m *CreditTransfer) { m.MessageID = strings.Repeat("1", 36) },
		"no creation time":           func(m *CreditTransfer) { m.CreatedAt = time.Time{} },
		"a creation before year 1":   func(m *CreditTransfer) { m.CreatedAt = created.AddDate(-2030, 0, 0) },
		"a creation after 9999":      func(m *CreditTransfer) { m.CreatedAt = created.AddDate(8000, 0, 0) },
		"a date that does not exist": func(m *CreditTransfer) { m.SettlementDate.Day = 31; m.SettlementDate.Month = 2 },
		"a date after 9999":          func(m *CreditTransfer) { m.SettlementDate.Year = 10000 },
		"an unknown method":          func(m *CreditTransfer) { m.SettlementMethod = "CASH" },
		"an IBAN with spaces":        func(m *CreditTransfer) { m.Transactions[0].DebtorAccount.IBAN = "AL47 2121 1009 0000 0002 3569 8741" },
		"both IBAN and Othr":         func(m *CreditTransfer) { m.Transactions[0].DebtorAccount.Other = "1" },
		"a lower-case BIC":           func(m *CreditTransfer) { m.Transactions[0].CreditorAgent = Agent{BIC: "ncbaaltx"} },
		"an agent with nothing":      func(m *CreditTransfer) { m.Transactions[0].CreditorAgent = Agent{Address: Address{Country: "AL"}} },
		"an address no country":      func(m *CreditTransfer) { m.Transactions[0].Debtor.Address.Country = "" },
		"three address lines":        func(m *CreditTransfer) { m.Transactions[0].Debtor.Address.Lines = []string{"a", "b", "c"} },
		"a control character":        func(m *CreditTransfer) { m.Transactions[0].Debtor.Name = "Ana\x00" },
		"a bad UETR":                 func(m *CreditTransfer) { m.Transactions[0].UETR = "8A562C67-CA16-48BA-B074-65581BE6F011" },
		"no settlement date":         func(m *CreditTransfer) { m.SettlementDate = m.Transactions[0].SettlementDate },
		"a remittance too long":      func(m *CreditTransfer) { m.Transactions[0].Remittance = strings.Repeat("ë", 141) },
		"both clearing system":       func(m *CreditTransfer) { m.ClearingSystemCode = "ACH" },
		"an empty intermediary":      func(m *CreditTransfer) { m.Transactions[0].IntermediaryAgent = &Agent{} },
		"an unknown currency":        func(m *CreditTransfer) { m.Transactions[0].Amount.Currency = "XAU" },
		"a purpose too long":         func(m *CreditTransfer) { m.Transactions[0].Purpose = "SALARY" },
		"a clearing system without a member id": func(m *CreditTransfer) {
			m.Transactions[1].CreditorAgent = Agent{Name: "Banka", ClearingSystem: "ALBCS"}
		},
	} {
		t.Run(name, func(t *testing.T) {
			m := base
			m.Transactions = append([]Transaction(nil), base.Transactions...)
			change(&m)
			if doc, err := m.Marshal(); err == nil || doc != nil {
				t.Fatalf("Marshal wrote\n%s", doc)
			}
		})
	}
}

func TestParseAcceptsWhatItWrites(t *testing.T) {
	// One check that the refusals above are not the reader's fault: the unchanged document parses.
	doc := sessionDoc(t)
	if _, err := ParseCreditTransfer([]byte(doc)); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix([]byte(doc), []byte(`<?xml version="1.0" encoding="UTF-8"?>`)) {
		t.Errorf("no XML declaration: %.60s", doc)
	}
}

func TestParseRefusesMoreTransactionsThanMaxTransactions(t *testing.T) {
	empty := strings.Repeat("<CdtTrfTxInf/>", MaxTransactions+1)
	doc := replaceOnce(t, sessionDoc(t), "</FIToFICstmrCdtTrf>", empty+"</FIToFICstmrCdtTrf>")
	if _, err := ParseCreditTransfer([]byte(doc)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v", err)
	}
	prefixed := strings.Repeat("<p:Bal xmlns:p='x'/>", MaxTransactions+1)
	doc = replaceOnce(t, statementDoc(t), "</Stmt>", prefixed+"</Stmt>")
	if _, err := ParseStatement([]byte(doc)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v", err)
	}
}
