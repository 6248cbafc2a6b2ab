package ocra

import (
	"crypto/sha1"
	"encoding/hex"
	"strings"
	"testing"
)

// The keys and PIN of RFC 6287 Appendix C.
var (
	key20 = mustHex("3132333435363738393031323334353637383930")
	key32 = mustHex("3132333435363738393031323334353637383930313233343536373839303132")
	key64 = mustHex("31323334353637383930313233343536373839303132333435363738393031323334353637383930" +
		"313233343536373839303132333435363738393031323334")
	pin1234 = func() []byte { h := sha1.Sum([]byte("1234")); return h[:] }()
)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// TestRFC6287AppendixCVectors checks every test vector of RFC 6287 Appendix C: one-way, mutual and signature
// suites with SHA-1, SHA-256 and SHA-512, counters, hashed PINs and time steps.
func TestRFC6287AppendixCVectors(t *testing.T) {
	const t1m = 0x132d0b6 // "132d0b6": the RFC's time in minutes
	tests := []struct {
		suite string
		key   []byte
		in    Input
		want  string
	}{
		{"OCRA-1:HOTP-SHA1-6:QN08", key20, Input{Question: "00000000"}, "237653"},
		{"OCRA-1:HOTP-SHA1-6:QN08", key20, Input{Question: "11111111"}, "243178"},
		{"OCRA-1:HOTP-SHA1-6:QN08", key20, Input{Question: "22222222"}, "653583"},
		{"OCRA-1:HOTP-SHA1-6:QN08", key20, Input{Question: "33333333"}, "740991"},
		{"OCRA-1:HOTP-SHA1-6:QN08", key20, Input{Question: "44444444"}, "608993"},
		{"OCRA-1:HOTP-SHA1-6:QN08", key20, Input{Question: "55555555"}, "388898"},
		{"OCRA-1:HOTP-SHA1-6:QN08", key20, Input{Question: "66666666"}, "816933"},
		{"OCRA-1:HOTP-SHA1-6:QN08", key20, Input{Question: "77777777"}, "224598"},
		{"OCRA-1:HOTP-SHA1-6:QN08", key20, Input{Question: "88888888"}, "750600"},
		{"OCRA-1:HOTP-SHA1-6:QN08", key20, Input{Question: "99999999"}, "294470"},
		{"OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1", key32, Input{Counter: 0, Question: "12345678", PINHash: pin1234}, "65347737"},
		{"OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1", key32, Input{Counter: 1, Question: "12345678", PINHash: pin1234}, "86775851"},
		{"OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1", key32, Input{Counter: 2, Question: "12345678", PINHash: pin1234}, "78192410"},
		{"OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1", key32, Input{Counter: 3, Question: "12345678", PINHash: pin1234}, "71565254"},
		{"OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1", key32, Input{Counter: 4, Question: "12345678", PINHash: pin1234}, "10104329"},
		{"OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1", key32, Input{Counter: 5, Question: "12345678", PINHash: pin1234}, "65983500"},
		{"OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1", key32, Input{Counter: 6, Question: "12345678", PINHash: pin1234}, "70069104"},
		{"OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1", key32, Input{Counter: 7, Question: "12345678", PINHash: pin1234}, "91771096"},
		{"OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1", key32, Input{Counter: 8, Question: "12345678", PINHash: pin1234}, "75011558"},
		{"OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1", key32, Input{Counter: 9, Question: "12345678", PINHash: pin1234}, "08522129"},
		{"OCRA-1:HOTP-SHA256-8:QN08-PSHA1", key32, Input{Question: "00000000", PINHash: pin1234}, "83238735"},
		{"OCRA-1:HOTP-SHA256-8:QN08-PSHA1", key32, Input{Question: "11111111", PINHash: pin1234}, "01501458"},
		{"OCRA-1:HOTP-SHA256-8:QN08-PSHA1", key32, Input{Question: "22222222", PINHash: pin1234}, "17957585"},
		{"OCRA-1:HOTP-SHA256-8:QN08-PSHA1", key32, Input{Question: "33333333", PINHash: pin1234}, "86776967"},
		{"OCRA-1:HOTP-SHA256-8:QN08-PSHA1", key32, Input{Question: "44444444", PINHash: pin1234}, "86807031"},
		{"OCRA-1:HOTP-SHA512-8:C-QN08", key64, Input{Counter: 0, Question: "00000000"}, "07016083"},
		{"OCRA-1:HOTP-SHA512-8:C-QN08", key64, Input{Counter: 1, Question: "11111111"}, "63947962"},
		{"OCRA-1:HOTP-SHA512-8:C-QN08", key64, Input{Counter: 2, Question: "22222222"}, "70123924"},
		{"OCRA-1:HOTP-SHA512-8:C-QN08", key64, Input{Counter: 3, Question: "33333333"}, "25341727"},
		{"OCRA-1:HOTP-SHA512-8:C-QN08", key64, Input{Counter: 4, Question: "44444444"}, "33203315"},
		{"OCRA-1:HOTP-SHA512-8:C-QN08", key64, Input{Counter: 5, Question: "55555555"}, "34205738"},
		{"OCRA-1:HOTP-SHA512-8:C-QN08", key64, Input{Counter: 6, Question: "66666666"}, "44343969"},
		{"OCRA-1:HOTP-SHA512-8:C-QN08", key64, Input{Counter: 7, Question: "77777777"}, "51946085"},
		{"OCRA-1:HOTP-SHA512-8:C-QN08", key64, Input{Counter: 8, Question: "88888888"}, "20403879"},
		{"OCRA-1:HOTP-SHA512-8:C-QN08", key64, Input{Counter: 9, Question: "99999999"}, "31409299"},
		{"OCRA-1:HOTP-SHA512-8:QN08-T1M", key64, Input{Question: "00000000", Time: t1m}, "95209754"},
		{"OCRA-1:HOTP-SHA512-8:QN08-T1M", key64, Input{Question: "11111111", Time: t1m}, "55907591"},
		{"OCRA-1:HOTP-SHA512-8:QN08-T1M", key64, Input{Question: "22222222", Time: t1m}, "22048402"},
		{"OCRA-1:HOTP-SHA512-8:QN08-T1M", key64, Input{Question: "33333333", Time: t1m}, "24218844"},
		{"OCRA-1:HOTP-SHA512-8:QN08-T1M", key64, Input{Question: "44444444", Time: t1m}, "36209546"},
		// Mutual challenge-response: server and client computations.
		{"OCRA-1:HOTP-SHA256-8:QA08", key32, Input{Question: "CLI22220SRV11110"[:16]}, "28247970"},
		{"OCRA-1:HOTP-SHA256-8:QA08", key32, Input{Question: "CLI22221SRV11111"}, "01984843"},
		{"OCRA-1:HOTP-SHA256-8:QA08", key32, Input{Question: "CLI22222SRV11112"}, "65387857"},
		{"OCRA-1:HOTP-SHA256-8:QA08", key32, Input{Question: "CLI22223SRV11113"}, "03351211"},
		{"OCRA-1:HOTP-SHA256-8:QA08", key32, Input{Question: "CLI22224SRV11114"}, "83412541"},
		{"OCRA-1:HOTP-SHA256-8:QA08", key32, Input{Question: "SRV11110CLI22220"}, "15510767"},
		{"OCRA-1:HOTP-SHA256-8:QA08", key32, Input{Question: "SRV11111CLI22221"}, "90175646"},
		{"OCRA-1:HOTP-SHA256-8:QA08", key32, Input{Question: "SRV11112CLI22222"}, "33777207"},
		{"OCRA-1:HOTP-SHA256-8:QA08", key32, Input{Question: "SRV11113CLI22223"}, "95285278"},
		{"OCRA-1:HOTP-SHA256-8:QA08", key32, Input{Question: "SRV11114CLI22224"}, "28934924"},
		{"OCRA-1:HOTP-SHA512-8:QA08", key64, Input{Question: "CLI22220SRV11110"}, "79496648"},
		{"OCRA-1:HOTP-SHA512-8:QA08", key64, Input{Question: "CLI22221SRV11111"}, "76831980"},
		{"OCRA-1:HOTP-SHA512-8:QA08", key64, Input{Question: "CLI22222SRV11112"}, "12250499"},
		{"OCRA-1:HOTP-SHA512-8:QA08", key64, Input{Question: "CLI22223SRV11113"}, "90856481"},
		{"OCRA-1:HOTP-SHA512-8:QA08", key64, Input{Question: "CLI22224SRV11114"}, "12761449"},
		{"OCRA-1:HOTP-SHA512-8:QA08-PSHA1", key64, Input{Question: "SRV11110CLI22220", PINHash: pin1234}, "18806276"},
		{"OCRA-1:HOTP-SHA512-8:QA08-PSHA1", key64, Input{Question: "SRV11111CLI22221", PINHash: pin1234}, "70020315"},
		{"OCRA-1:HOTP-SHA512-8:QA08-PSHA1", key64, Input{Question: "SRV11112CLI22222", PINHash: pin1234}, "01600026"},
		{"OCRA-1:HOTP-SHA512-8:QA08-PSHA1", key64, Input{Question: "SRV11113CLI22223", PINHash: pin1234}, "18951020"},
		{"OCRA-1:HOTP-SHA512-8:QA08-PSHA1", key64, Input{Question: "SRV11114CLI22224", PINHash: pin1234}, "32528969"},
		// Plain signature.
		{"OCRA-1:HOTP-SHA256-8:QA08", key32, Input{Question: "SIG10000"}, "53095496"},
		{"OCRA-1:HOTP-SHA256-8:QA08", key32, Input{Question: "SIG11000"}, "04110475"},
		{"OCRA-1:HOTP-SHA256-8:QA08", key32, Input{Question: "SIG12000"}, "31331128"},
		{"OCRA-1:HOTP-SHA256-8:QA08", key32, Input{Question: "SIG13000"}, "76028668"},
		{"OCRA-1:HOTP-SHA256-8:QA08", key32, Input{Question: "SIG14000"}, "46554205"},
		{"OCRA-1:HOTP-SHA512-8:QA10-T1M", key64, Input{Question: "SIG1000000", Time: t1m}, "77537423"},
		{"OCRA-1:HOTP-SHA512-8:QA10-T1M", key64, Input{Question: "SIG1100000", Time: t1m}, "31970405"},
		{"OCRA-1:HOTP-SHA512-8:QA10-T1M", key64, Input{Question: "SIG1200000", Time: t1m}, "10235557"},
		{"OCRA-1:HOTP-SHA512-8:QA10-T1M", key64, Input{Question: "SIG1300000", Time: t1m}, "95213541"},
		{"OCRA-1:HOTP-SHA512-8:QA10-T1M", key64, Input{Question: "SIG1400000", Time: t1m}, "65360607"},
	}
	for _, tc := range tests {
		s, err := Parse(tc.suite)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tc.suite, err)
		}
		s.qMax = 64 // the RFC's mutual vectors use 16-character questions with a QA08 suite string
		got, err := s.Compute(tc.key, tc.in)
		if err != nil {
			t.Fatalf("%s %+v: %v", tc.suite, tc.in, err)
		}
		if got != tc.want {
			t.Errorf("%s Q=%s C=%d: %s, want %s", tc.suite, tc.in.Question, tc.in.Counter, got, tc.want)
		}
	}
}

// TestPaymentSuiteReadsHexadecimalQuestions checks the bank's suite encodes a hexadecimal question as the RFC
// encodes a numeric one (QN "12345678" is the hexadecimal question "BC614E") and refuses what does not fit.
func TestPaymentSuiteReadsHexadecimalQuestions(t *testing.T) {
	qn, _ := Parse("OCRA-1:HOTP-SHA256-8:QN08-PSHA1")
	qh, _ := Parse("OCRA-1:HOTP-SHA256-8:QH08-PSHA1")
	a, err := qn.questionBytes("12345678")
	if err != nil {
		t.Fatal(err)
	}
	b, err := qh.questionBytes("BC614E")
	if err != nil || hex.EncodeToString(a) != hex.EncodeToString(b) || len(a) != 128 {
		t.Fatalf("QH %x (%v), QN %x", b, err, a)
	}
	p, err := Parse(PaymentSuite)
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("ab", 32)
	if _, err := p.Compute(key32, Input{Question: long}); err != nil {
		t.Fatalf("64 hex characters: %v", err)
	}
	for _, q := range []string{long + "a", "abc", "xyz1234", ""} {
		if _, err := p.Compute(key32, Input{Question: q}); err == nil {
			t.Errorf("question %q accepted", q)
		}
	}
}

func TestParseRefusesMalformedSuites(t *testing.T) {
	for _, s := range []string{"", "OCRA-2:HOTP-SHA1-6:QN08", "OCRA-1:HOTP-MD5-6:QN08", "OCRA-1:HOTP-SHA1-3:QN08",
		"OCRA-1:HOTP-SHA1-6:QX08", "OCRA-1:HOTP-SHA1-6:QN99", "OCRA-1:HOTP-SHA1-6:C", "OCRA-1:HOTP-SHA1-6:QN08-T1X",
		"OCRA-1:HOTP-SHA1-6:QN08-PMD5", "OCRA-1:HOTP-SHA1-6:QN08-extra"} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) accepted", s)
		}
	}
}

func FuzzCompute(f *testing.F) {
	f.Add(PaymentSuite, "00ff")
	f.Add("OCRA-1:HOTP-SHA1-6:QN08", "12345678")
	f.Fuzz(func(t *testing.T, suite, q string) {
		s, err := Parse(suite)
		if err != nil {
			return
		}
		_, _ = s.Compute(key32, Input{Question: q, PINHash: make([]byte, s.pinSize), Session: make([]byte, s.session)})
	})
}
