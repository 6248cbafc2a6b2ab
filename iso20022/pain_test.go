package iso20022

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/money"
)

// parseInitiation adapts ParseInitiation to roundTrip: a line's problem fails it too.
func parseInitiation(doc []byte) (Initiation, error) {
	m, lines, err := ParseInitiation(doc)
	if err == nil && len(lines) > 0 {
		return m, lines[0]
	}
	return m, err
}

func TestInitiationMarshalsToASchemaValidDocumentThatParsesBack(t *testing.T) {
	roundTrip(t, "pain.001.001.09.xsd", parseInitiation, initiations(t))
}

func TestCustomerStatusReportMarshalsToASchemaValidDocumentThatParsesBack(t *testing.T) {
	roundTrip(t, "pain.002.001.10.xsd", ParseCustomerStatusReport, customerStatusReports(t))
}

func TestTheSEPASampleInitiationParses(t *testing.T) {
	sample := readSample(t, "ext_sepaxml_pain.001.001.09.xml")
	validate(t, "pain.001.001.09.xsd", sample)
	// The sample's IBAN, NL50BANK1234567890, fails its check digits: the file reads, and the debtor's account and
	// both lines are reported.
	m, lines, err := ParseInitiation(sample)
	if err != nil {
		t.Fatal(err)
	}
	var where []string
	for _, l := range lines {
		if !errors.Is(l.Err, iban.ErrIBANInvalid) {
			t.Errorf("%v", l)
		}
		where = append(where, strconv.Itoa(l.Line)+":"+l.Field)
	}
	if got := strings.Join(where, " "); got != "0:PmtInf[1]/DbtrAcct/Id/IBAN 1:CdtrAcct/Id/IBAN 2:CdtrAcct/Id/IBAN" {
		t.Errorf("problems at %s", got)
	}
	if m.MessageID != "20180724040432-d24ce3b3e284" || m.NumberOfTransactions != 2 || m.ControlSum != "60.12" ||
		len(m.Batches) != 1 || len(m.Batches[0].Transactions) != 2 || m.Batches[0].ServiceLevel != "SEPA" ||
		m.Batches[0].Transactions[1].Amount != eur(50_00) || m.Batches[0].Transactions[1].Line != 2 ||
		m.Batches[0].Transactions[0].Remittance != "Test transaction1" || m.Batches[0].DebtorAgent.BIC != "BANKNL2A" {
		t.Errorf("read %+v", m)
	}
	if m.CreatedAt.Format(time.RFC3339) != "2018-07-24T14:04:32Z" {
		t.Errorf("created %v: a time without an offset is the bank's local time", m.CreatedAt)
	}
	// With a valid IBAN the same file has no problem, and what the bank read it writes again.
	fixed := []byte(strings.ReplaceAll(string(sample), "NL50BANK1234567890", "NL91ABNA0417164300"))
	m, lines, err = ParseInitiation(fixed)
	if err != nil || len(lines) > 0 {
		t.Fatalf("%v %v", err, lines)
	}
	again := mustMarshal(t, m)
	validate(t, "pain.001.001.09.xsd", again)
	if back, err := parseInitiation(again); err != nil || !reflect.DeepEqual(back, m) {
		t.Errorf("re-read %+v, %v", back, err)
	}
}

func initiationDoc(t *testing.T) string {
	t.Helper()
	return string(mustMarshal(t, initiations(t)["salaries and a supplier"]))
}

func TestParseInitiationReportsEachBadLineAndKeepsTheOthers(t *testing.T) {
	doc := initiationDoc(t)
	goodIBAN := albanianIBAN(t, "999", "0001", "7777")
	for name, tc := range map[string]struct {
		doc   string
		line  int
		field string
		want  error
	}{
		"an invalid IBAN": {replaceOnce(t, doc, goodIBAN, goodIBAN[:len(goodIBAN)-1]+"8"), 2, "CdtrAcct/Id/IBAN", iban.ErrIBANInvalid},
		"too many decimals": {strings.NewReplacer(">92500.50<", ">92500.505<", "238735.06", "238735.065", ">237500.50<", ">237500.505<").Replace(doc),
			2, "Amt/InstdAmt", money.ErrTooManyDecimals},
		"a currency the bank does not offer": {replaceOnce(t, doc, `Ccy="EUR">1234.56`, `Ccy="JPY">1234.56`), 4, "Amt/InstdAmt", money.ErrUnknownCurrency},
		"no creditor name":                   {replaceOnce(t, doc, "<Nm>Ëndrit Lleshi</Nm>", ""), 2, "Cdtr/Nm", ErrFieldMissing},
		"an invalid BIC":                     {replaceOnce(t, doc, "<BICFI>COBADEFFXXX</BICFI>", "<BICFI>COBA1EFF</BICFI>"), 4, "CdtrAgt/FinInstnId/BICFI", iban.ErrBICInvalid},
		"a remittance too long":              {replaceOnce(t, doc, "Paga e marsit 2026", strings.Repeat("ë", 141)), 1, "RmtInf/Ustrd", ErrFieldInvalid},
		"an unknown charge bearer":           {replaceOnce(t, doc, "<ChrgBr>SLEV</ChrgBr><CdtrAgt><FinInstnId><ClrSysMmbId>", "<ChrgBr>OUR</ChrgBr><CdtrAgt><FinInstnId><ClrSysMmbId>"), 3, "ChrgBr", ErrFieldInvalid},
		"no creditor account":                {regexpCut(replaceOnce(t, doc, "<Nm>Dritë Shehu</Nm></Cdtr>", "<Nm>Dritë Shehu</Nm></Cdtr><!--cut-->"), "<!--cut--><CdtrAcct>", "</CdtrAcct>"), 3, "CdtrAcct", ErrFieldMissing},
		"a zero amount":                      {strings.NewReplacer(">60000.00<", ">0.00<", "238735.06", "178735.06", ">237500.50<", ">177500.50<").Replace(doc), 3, "Amt/InstdAmt", money.ErrAmountNotPositive},
	} {
		t.Run(name, func(t *testing.T) {
			m, lines, err := ParseInitiation([]byte(tc.doc))
			if err != nil {
				t.Fatal(err)
			}
			if len(lines) != 1 {
				t.Fatalf("lines %v, want one problem", lines)
			}
			l := lines[0]
			if l.Line != tc.line || l.Field != tc.field || !errors.Is(l.Err, tc.want) {
				t.Errorf("got %v (line %d, %s), want line %d, %s, %v", l, l.Line, l.Field, tc.line, tc.field, tc.want)
			}
			if e, ok := kumbara.As(l.Err); !ok || e.Params["element"] != tc.field || e.Kind != kumbara.KindInvalid {
				t.Errorf("the error %#v does not name its element", l.Err)
			}
			if len(m.Batches) != 2 || len(m.Batches[0].Transactions)+len(m.Batches[1].Transactions) != 4 {
				t.Errorf("the other lines are not all there: %+v", m)
			}
			if got := m.Batches[0].Transactions[0]; got.Creditor.Name != "Blerina Çeliku" || got.Amount != all(85_000_00) {
				t.Errorf("line 1 read as %+v", got)
			}
		})
	}
}

func TestParseInitiationReportsGroupAndBatchProblemsOnLineZero(t *testing.T) {
	doc := initiationDoc(t)
	for name, tc := range map[string]struct {
		doc   string
		field string
		want  error
	}{
		"NbOfTxs not the count":       {replaceOnce(t, doc, "<NbOfTxs>4</NbOfTxs>", "<NbOfTxs>5</NbOfTxs>"), "GrpHdr/NbOfTxs", ErrCountMismatch},
		"CtrlSum not the sum":         {replaceOnce(t, doc, "<CtrlSum>238735.06</CtrlSum>", "<CtrlSum>238735.07</CtrlSum>"), "GrpHdr/CtrlSum", ErrControlSumMismatch},
		"a batch's NbOfTxs":           {replaceOnce(t, doc, "<NbOfTxs>3</NbOfTxs>", "<NbOfTxs>2</NbOfTxs>"), "PmtInf[1]/NbOfTxs", ErrCountMismatch},
		"a batch's CtrlSum":           {replaceOnce(t, doc, "<CtrlSum>1234.56</CtrlSum>", "<CtrlSum>1234.5</CtrlSum>"), "PmtInf[2]/CtrlSum", ErrControlSumMismatch},
		"an invalid debtor IBAN":      {replaceOnce(t, doc, "AL26999000160000000001234567", "AL26999000160000000001234568"), "PmtInf[1]/DbtrAcct/Id/IBAN", iban.ErrIBANInvalid},
		"a cheque":                    {replaceOnce(t, doc, "<PmtMtd>TRF</PmtMtd>", "<PmtMtd>CHK</PmtMtd>"), "PmtInf[1]/PmtMtd", ErrFieldInvalid},
		"no requested date":           {replaceOnce(t, doc, "<ReqdExctnDt><Dt>2026-03-25</Dt></ReqdExctnDt>", "<ReqdExctnDt></ReqdExctnDt>"), "PmtInf[1]/ReqdExctnDt/Dt", ErrFieldMissing},
		"a control sum with exponent": {replaceOnce(t, doc, "<CtrlSum>238735.06</CtrlSum>", "<CtrlSum>2.3873506E5</CtrlSum>"), "GrpHdr/CtrlSum", ErrFieldInvalid},
	} {
		t.Run(name, func(t *testing.T) {
			_, lines, err := ParseInitiation([]byte(tc.doc))
			if err != nil {
				t.Fatal(err)
			}
			if len(lines) == 0 || lines[0].Line != 0 || lines[0].Field != tc.field || !errors.Is(lines[0].Err, tc.want) {
				t.Fatalf("lines %v, want line 0 %s %v", lines, tc.field, tc.want)
			}
		})
	}
}

func TestParseInitiationAcceptsAnEquivalentControlSum(t *testing.T) {
	doc := replaceOnce(t, initiationDoc(t), "<CtrlSum>238735.06</CtrlSum>", "<CtrlSum>238735.0600</CtrlSum>")
	if _, lines, err := ParseInitiation([]byte(doc)); err != nil || len(lines) > 0 {
		t.Fatalf("%v %v", err, lines)
	}
}

func TestParseInitiationRefusesAMalformedDocumentAsAWhole(t *testing.T) {
	doc := initiationDoc(t)
	for name, tc := range map[string]struct {
		doc  string
		want error
	}{
		"truncated":             {doc[:len(doc)-30], ErrMalformed},
		"a DTD":                 {strings.Replace(doc, "?>", "?><!DOCTYPE Document>", 1), ErrUnsafe},
		"a pacs.008":            {sessionDoc(t), ErrWrongMessage},
		"no message id":         {replaceOnce(t, doc, "<MsgId>CAJUPI-2026-03-PAGA</MsgId>", ""), ErrInvalid},
		"NbOfTxs not a number":  {replaceOnce(t, doc, "<NbOfTxs>4</NbOfTxs>", "<NbOfTxs>four</NbOfTxs>"), ErrInvalid},
		"a creation time wrong": {replaceOnce(t, doc, "2026-03-09T13:45:07.25Z", "yesterday"), ErrInvalid},
	} {
		t.Run(name, func(t *testing.T) {
			m, lines, err := ParseInitiation([]byte(tc.doc))
			if !errors.Is(err, tc.want) || lines != nil || m.MessageID != "" {
				t.Fatalf("%+v %v %v, want %v", m, lines, err, tc.want)
			}
		})
	}
}

func TestInitiationMarshalRefusesWhatItsReaderWould(t *testing.T) {
	for name, change := range map[string]func(m *Initiation){
		"a wrong count":       func(m *Initiation) { m.NumberOfTransactions = 3 },
		"a wrong control sum": func(m *Initiation) { m.ControlSum = "1.00" },
		"an invalid IBAN":     func(m *Initiation) { m.Batches[1].Transactions[0].CreditorAccount.IBAN = "DE00370400440532013000" },
		"no batch":            func(m *Initiation) { m.Batches = nil },
	} {
		t.Run(name, func(t *testing.T) {
			m := initiations(t)["salaries and a supplier"]
			change(&m)
			if doc, err := m.Marshal(); err == nil {
				t.Fatalf("wrote %s", doc)
			}
		})
	}
}

func TestCustomerStatusReportRefusesATransactionID(t *testing.T) {
	m := customerStatusReports(t)["partly accepted"]
	m.Batches[0].Transactions[0].OriginalTxID = "X"
	if _, err := m.Marshal(); !errors.Is(err, ErrInvalid) {
		t.Fatalf("err = %v", err)
	}
}
