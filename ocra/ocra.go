// Package ocra computes OATH challenge-response codes (RFC 6287, OCRA): a Soft PIN answers a payment's question
// with them. It implements the suites of RFC 6287 with a counter (C), a numeric, alphanumeric or hexadecimal
// question (QN, QA, QH), a hashed PIN (PSHA1, PSHA256, PSHA512), session information (Snnn) and a time step
// (T); the bank uses OCRA-1:HOTP-SHA256-8:QH64.
package ocra

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"math/big"
	"strconv"
	"strings"
)

// PaymentSuite is the suite Soft PIN answers payment challenges with: HMAC-SHA256, 8 digits, a hexadecimal
// question of up to 64 characters (a hash of the payment the customer confirms).
const PaymentSuite = "OCRA-1:HOTP-SHA256-8:QH64"

// Suite is a parsed OCRA suite.
type Suite struct {
	raw       string
	hash      func() hash.Hash
	digits    int
	counter   bool
	qFormat   byte // 'N', 'A' or 'H'
	qMax      int
	pinHash   func() hash.Hash
	pinSize   int
	session   int // bytes of session information, 0 if none
	timeStep  uint64
	timeGiven bool
}

// Input is the data a code is computed over; which parts are used is the suite's choice.
type Input struct {
	Counter  uint64
	Question string // as the suite's format: decimal digits (N), text (A) or hexadecimal (H)
	PINHash  []byte // the hash of the PIN with the suite's P function
	Session  []byte
	Time     uint64 // time steps since the epoch in the suite's unit
}

var errSuite = errors.New("ocra: unsupported suite")

// Parse reads a suite string such as "OCRA-1:HOTP-SHA256-8:QH64".
func Parse(suite string) (Suite, error) {
	parts := strings.Split(suite, ":")
	if len(parts) != 3 || parts[0] != "OCRA-1" {
		return Suite{}, errSuite
	}
	s := Suite{raw: suite}
	cf := strings.Split(parts[1], "-")
	if len(cf) != 3 || cf[0] != "HOTP" {
		return Suite{}, errSuite
	}
	var ok bool
	if s.hash, _, ok = hashOf(cf[1]); !ok {
		return Suite{}, errSuite
	}
	d, err := strconv.Atoi(cf[2])
	if err != nil || (d != 0 && (d < 4 || d > 10)) {
		return Suite{}, errSuite
	}
	s.digits = d
	items := strings.Split(parts[2], "-")
	i := 0
	if i < len(items) && items[i] == "C" {
		s.counter = true
		i++
	}
	if i >= len(items) || len(items[i]) != 4 || items[i][0] != 'Q' {
		return Suite{}, errSuite
	}
	s.qFormat = items[i][1]
	if s.qMax, err = strconv.Atoi(items[i][2:]); err != nil || s.qMax < 4 || s.qMax > 64 ||
		!strings.ContainsRune("ANH", rune(s.qFormat)) {
		return Suite{}, errSuite
	}
	i++
	if i < len(items) && strings.HasPrefix(items[i], "P") {
		if s.pinHash, s.pinSize, ok = hashOf(items[i][1:]); !ok {
			return Suite{}, errSuite
		}
		i++
	}
	if i < len(items) && strings.HasPrefix(items[i], "S") {
		if s.session, err = strconv.Atoi(items[i][1:]); err != nil || len(items[i]) != 4 || s.session <= 0 {
			return Suite{}, errSuite
		}
		i++
	}
	if i < len(items) && strings.HasPrefix(items[i], "T") && len(items[i]) >= 3 {
		n, err := strconv.Atoi(items[i][1 : len(items[i])-1])
		if err != nil || n <= 0 {
			return Suite{}, errSuite
		}
		switch items[i][len(items[i])-1] {
		case 'S':
			s.timeStep = uint64(n)
		case 'M':
			s.timeStep = uint64(n) * 60
		case 'H':
			s.timeStep = uint64(n) * 3600
		default:
			return Suite{}, errSuite
		}
		s.timeGiven = true
		i++
	}
	if i != len(items) {
		return Suite{}, errSuite
	}
	return s, nil
}

func hashOf(name string) (func() hash.Hash, int, bool) {
	switch name {
	case "SHA1":
		return sha1.New, sha1.Size, true
	case "SHA256":
		return sha256.New, sha256.Size, true
	case "SHA512":
		return sha512.New, sha512.Size, true
	}
	return nil, 0, false
}

// ErrQuestion is a question that does not fit the suite's format or length.
var ErrQuestion = errors.New("ocra: question does not fit the suite")

// questionBytes is the question as RFC 6287 section 5.1 encodes it: its hexadecimal form, left-justified and
// padded with zeros to 128 bytes.
func (s Suite) questionBytes(q string) ([]byte, error) {
	if len(q) < 4 || len(q) > s.qMax {
		return nil, ErrQuestion
	}
	var hx string
	switch s.qFormat {
	case 'N':
		for _, r := range q {
			if r < '0' || r > '9' {
				return nil, ErrQuestion
			}
		}
		n, _ := new(big.Int).SetString(q, 10)
		hx = n.Text(16)
	case 'A':
		for _, r := range q {
			if r < 0x21 || r > 0x7e {
				return nil, ErrQuestion
			}
		}
		hx = hex.EncodeToString([]byte(q))
	case 'H':
		if _, err := hex.DecodeString(padEven(q)); err != nil {
			return nil, ErrQuestion
		}
		hx = q
	}
	hx += strings.Repeat("0", 256-len(hx))
	return hex.DecodeString(hx)
}

func padEven(s string) string {
	if len(s)%2 == 1 {
		return s + "0"
	}
	return s
}

// Compute returns the OCRA response of the suite for the key and input.
func (s Suite) Compute(key []byte, in Input) (string, error) {
	msg := append([]byte(s.raw), 0)
	if s.counter {
		msg = binary.BigEndian.AppendUint64(msg, in.Counter)
	}
	q, err := s.questionBytes(in.Question)
	if err != nil {
		return "", err
	}
	msg = append(msg, q...)
	if s.pinHash != nil {
		if len(in.PINHash) != s.pinSize {
			return "", errors.New("ocra: PIN hash of the wrong size")
		}
		msg = append(msg, in.PINHash...)
	}
	if s.session > 0 {
		if len(in.Session) != s.session {
			return "", errors.New("ocra: session information of the wrong size")
		}
		msg = append(msg, in.Session...)
	}
	if s.timeGiven {
		msg = binary.BigEndian.AppendUint64(msg, in.Time)
	}
	m := hmac.New(s.hash, key)
	m.Write(msg)
	sum := m.Sum(nil)
	if s.digits == 0 {
		return hex.EncodeToString(sum), nil
	}
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint64(1)
	for range s.digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", s.digits, uint64(bin)%mod), nil
}

// TimeStep is the suite's time step in seconds (0 if the suite has no time input).
func (s Suite) TimeStep() uint64 { return s.timeStep }
