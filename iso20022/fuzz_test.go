package iso20022

import (
	"reflect"
	"testing"
)

// fuzzParse checks a parser on any input: it never panics, and what it reads it writes again in a document that
// reads back the same.
func fuzzParse[M message](f *testing.F, parse func([]byte) (M, error), seeds ...[]byte) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Add([]byte(`<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "a">]><Document/>`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, doc []byte) {
		m, err := parse(doc)
		if err != nil {
			return
		}
		again, err := m.Marshal()
		if err != nil {
			t.Fatalf("parsed %+v but Marshal refuses it: %v", m, err)
		}
		back, err := parse(again)
		if err != nil {
			t.Fatalf("Marshal wrote a document its parser refuses: %v\n%s", err, again)
		}
		if !reflect.DeepEqual(back, m) {
			t.Fatalf("re-read\n%+v\nwant\n%+v", back, m)
		}
	})
}

func seeds[M message](f *testing.F, cases map[string]M) [][]byte {
	var out [][]byte
	for _, m := range cases {
		doc, err := m.Marshal()
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, doc)
	}
	return out
}

func FuzzParseCreditTransfer(f *testing.F) {
	s := seeds(f, creditTransfers(f))
	for _, name := range []string{"ext_fedwire_pacs.008.001.08_Scenario1_Step1.xml", "ext_fedwire_pacs.008.001.08_Scenario2_Step1.xml"} {
		s = append(s, readSampleTB(f, name))
	}
	fuzzParse(f, ParseCreditTransfer, s...)
}

func FuzzParseStatusReport(f *testing.F) {
	fuzzParse(f, ParseStatusReport, seeds(f, statusReports(f))...)
}

func FuzzParsePaymentReturn(f *testing.F) {
	fuzzParse(f, ParsePaymentReturn, seeds(f, paymentReturns(f))...)
}

func FuzzMessageName(f *testing.F) {
	for _, s := range [][][]byte{seeds(f, creditTransfers(f)), seeds(f, statusReports(f)), seeds(f, paymentReturns(f)),
		seeds(f, statements(f)), seeds(f, notifications(f)), seeds(f, initiations(f)), seeds(f, customerStatusReports(f))} {
		for _, doc := range s {
			f.Add(doc)
		}
	}
	f.Add([]byte(`<!DOCTYPE x><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"/>`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		name, err := MessageName(doc)
		if err != nil {
			if name != "" {
				t.Fatalf("answered %q with %v", name, err)
			}
			return
		}
		if known[name] == "" {
			t.Fatalf("answered an unknown message %q", name)
		}
	})
}

func FuzzParseStatement(f *testing.F) {
	fuzzParse(f, ParseStatement, seeds(f, statements(f))...)
}

func FuzzParseNotification(f *testing.F) {
	fuzzParse(f, ParseNotification, seeds(f, notifications(f))...)
}

func FuzzParseInitiation(f *testing.F) {
	s := seeds(f, initiations(f))
	s = append(s, readSampleTB(f, "ext_sepaxml_pain.001.001.09.xml"))
	fuzzParse(f, parseInitiation, s...)
}

func FuzzParseCustomerStatusReport(f *testing.F) {
	fuzzParse(f, ParseCustomerStatusReport, seeds(f, customerStatusReports(f))...)
}
