package iso20022

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

type message interface{ Marshal() ([]byte, error) }

// roundTrip marshals each message, validates the document against its schema and parses it back to the same value.
func roundTrip[M message](t *testing.T, xsd string, parse func([]byte) (M, error), cases map[string]M) {
	t.Helper()
	for name, m := range cases {
		t.Run(name, func(t *testing.T) {
			doc, err := m.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			validate(t, xsd, doc)
			back, err := parse(doc)
			if err != nil {
				t.Fatalf("%v\n%s", err, doc)
			}
			if !reflect.DeepEqual(back, m) {
				t.Errorf("round trip:\n got %+v\nwant %+v", back, m)
			}
			name, err := MessageName(doc)
			if err != nil || name+".xsd" != xsd {
				t.Errorf("MessageName = %q, %v; want the name of %s", name, err, xsd)
			}
		})
	}
}

func TestCreditTransferMarshalsToASchemaValidDocumentThatParsesBack(t *testing.T) {
	roundTrip(t, "pacs.008.001.08.xsd", ParseCreditTransfer, creditTransfers(t))
}

func TestStatusReportMarshalsToASchemaValidDocumentThatParsesBack(t *testing.T) {
	roundTrip(t, "pacs.002.001.10.xsd", ParseStatusReport, statusReports(t))
}

func TestPaymentReturnMarshalsToASchemaValidDocumentThatParsesBack(t *testing.T) {
	roundTrip(t, "pacs.004.001.09.xsd", ParsePaymentReturn, paymentReturns(t))
}

func TestStatementMarshalsToASchemaValidDocumentThatParsesBack(t *testing.T) {
	roundTrip(t, "camt.053.001.08.xsd", ParseStatement, statements(t))
}

func TestNotificationMarshalsToASchemaValidDocumentThatParsesBack(t *testing.T) {
	roundTrip(t, "camt.054.001.08.xsd", ParseNotification, notifications(t))
}

// The copies of the schemas in testdata are the ones of the shared standards folder, when it is there: beside the
// repository (../../shared), or beside the folder of its worktrees (../../../shared).
func TestSchemaCopiesAreIdenticalToTheStandards(t *testing.T) {
	var shared string
	for _, up := range []string{"../..", "../../.."} {
		dir := filepath.Join(filepath.FromSlash(up), "shared", "standards", "iso20022")
		if _, err := os.Stat(dir); err == nil {
			shared = dir
			break
		}
	}
	if shared == "" {
		t.Skip("the shared standards folder is not beside the repository")
	}
	copies, err := filepath.Glob(filepath.Join("testdata", "xsd", "*.xsd"))
	if err != nil || len(copies) != 7 {
		t.Fatalf("want 7 schemas in testdata/xsd, got %d (%v)", len(copies), err)
	}
	for _, c := range copies {
		ours, err := os.ReadFile(c)
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := os.ReadFile(filepath.Join(shared, filepath.Base(c)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(ours, theirs) {
			t.Errorf("%s differs from the shared standards' copy", c)
		}
	}
	samples, _ := filepath.Glob(filepath.Join(shared, "samples", "*.xml"))
	for _, s := range samples {
		ours, err := os.ReadFile(filepath.Join("testdata", "samples", filepath.Base(s)))
		theirs, _ := os.ReadFile(s)
		if err != nil || !bytes.Equal(ours, theirs) {
			t.Errorf("sample %s is missing from testdata or differs (%v)", filepath.Base(s), err)
		}
	}
}

func readSample(t *testing.T, name string) []byte { return readSampleTB(t, name) }

func readSampleTB(t testing.TB, name string) []byte {
	t.Helper()
	doc, err := os.ReadFile(filepath.Join("testdata", "samples", name))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestTheFedwireSamplesParse(t *testing.T) {
	for _, name := range []string{"ext_fedwire_pacs.008.001.08_Scenario1_Step1.xml", "ext_fedwire_pacs.008.001.08_Scenario2_Step1.xml"} {
		t.Run(name, func(t *testing.T) {
			doc := readSample(t, name)
			validate(t, "pacs.008.001.08.xsd", doc)
			if n, err := MessageName(doc); err != nil || n != NamePacs008 {
				t.Fatalf("MessageName = %q, %v", n, err)
			}
			m, err := ParseCreditTransfer(doc)
			if err != nil {
				t.Fatal(err)
			}
			tx := m.Transactions[0]
			if !strings.HasPrefix(m.MessageID, "20250310B1QDRCQR00000") || m.ClearingSystemCode != "FDW" || len(m.Transactions) != 1 ||
				tx.DebtorAgent.MemberID != "011104238" || tx.DebtorAgent.ClearingSystem != "USABA" ||
				tx.Debtor.Name != "Corporation A" || tx.CreditorAccount.Other == "" || tx.SettlementDate.String() != "2025-03-10" {
				t.Errorf("read %+v", m)
			}
			if got := m.CreatedAt.Format("2006-01-02T15:04:05Z07:00"); got != "2025-03-10T13:00:00Z" {
				t.Errorf("CreatedAt = %s, want 09:00 at -04:00 in UTC", got)
			}
			// what the bank read, it writes again in a document its schema accepts
			again, err := m.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			validate(t, "pacs.008.001.08.xsd", again)
			if back, err := ParseCreditTransfer(again); err != nil || !reflect.DeepEqual(back, m) {
				t.Errorf("re-read %+v, %v", back, err)
			}
		})
	}
}

func TestMessageNameAnswersTheMessageOfTheRootNamespace(t *testing.T) {
	for _, tc := range []struct {
		doc  string
		name string
		err  error
	}{
		{`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10"><FIToFIPmtStsRpt/></Document>`, NamePacs002, nil},
		{`<?xml version="1.0" encoding="UTF-8"?>` + "\n<!-- a comment -->\n" + `<p:Document xmlns:p="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"/>`, NamePain001, nil},
		{`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.02"/>`, "", ErrWrongMessage},
		{`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.056.001.08"/>`, "", ErrWrongMessage},
		{`<Document/>`, "", ErrWrongMessage},
		{`<AppHdr xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"/>`, "", ErrWrongMessage},
		{`<!DOCTYPE Document><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"/>`, "", ErrUnsafe},
		{`<?xml-stylesheet href="x"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"/>`, "", ErrUnsafe},
		{`<?xml version="1.0" encoding="ISO-8859-1"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"/>`, "", ErrMalformed},
		{``, "", ErrMalformed},
		{`not xml`, "", ErrMalformed},
	} {
		name, err := MessageName([]byte(tc.doc))
		if name != tc.name || !errors.Is(err, tc.err) || (tc.err == nil) != (err == nil) {
			t.Errorf("MessageName(%.60q) = %q, %v; want %q, %v", tc.doc, name, err, tc.name, tc.err)
		}
	}
}
