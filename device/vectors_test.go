package device

import (
	"encoding/base32"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"
)

// TestRFC4226AppendixDVectors checks HOTP as Soft PIN computes it (pquerna/otp, SHA-1, 6 digits) against RFC 4226
// Appendix D.
func TestRFC4226AppendixDVectors(t *testing.T) {
	secret := base32.StdEncoding.EncodeToString([]byte("12345678901234567890"))
	want := []string{"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"}
	for counter, w := range want {
		got, err := hotp.GenerateCodeCustom(secret, uint64(counter), softPINOpts)
		if err != nil || got != w {
			t.Errorf("HOTP(%d) = %s (%v), want %s", counter, got, err, w)
		}
	}
}

// TestRFC6238AppendixBVectors checks TOTP with SHA-1, SHA-256 and SHA-512 against RFC 6238 Appendix B (8 digits),
// and that Soft PIN's parameters (6 digits, 30 s) give the same codes' last six digits.
func TestRFC6238AppendixBVectors(t *testing.T) {
	keys := map[otp.Algorithm]string{
		otp.AlgorithmSHA1:   "12345678901234567890",
		otp.AlgorithmSHA256: "12345678901234567890123456789012",
		otp.AlgorithmSHA512: "1234567890123456789012345678901234567890123456789012345678901234",
	}
	tests := []struct {
		unix               int64
		sha1, sha256, s512 string
	}{
		{59, "94287082", "46119246", "90693936"},
		{1111111109, "07081804", "68084774", "25091201"},
		{1111111111, "14050471", "67062674", "99943326"},
		{1234567890, "89005924", "91819424", "93441116"},
		{2000000000, "69279037", "90698825", "38618901"},
		{20000000000, "65353130", "77737706", "47863826"},
	}
	for _, tc := range tests {
		at := time.Unix(tc.unix, 0).UTC()
		for alg, want := range map[otp.Algorithm]string{otp.AlgorithmSHA1: tc.sha1, otp.AlgorithmSHA256: tc.sha256,
			otp.AlgorithmSHA512: tc.s512} {
			secret := base32.StdEncoding.EncodeToString([]byte(keys[alg]))
			got, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsEight, Algorithm: alg})
			if err != nil || got != want {
				t.Errorf("TOTP %s at %d = %s (%v), want %s", alg, tc.unix, got, err, want)
			}
			six, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: softPINPeriod,
				Digits: softPINOpts.Digits, Algorithm: alg})
			if err != nil || six != want[2:] {
				t.Errorf("6-digit TOTP %s at %d = %s (%v), want %s", alg, tc.unix, six, err, want[2:])
			}
		}
		if got, err := SoftPINCode(base32.StdEncoding.EncodeToString([]byte(keys[otp.AlgorithmSHA1])), at); err != nil || got != tc.sha1[2:] {
			t.Errorf("SoftPINCode at %d = %s (%v), want %s", tc.unix, got, err, tc.sha1[2:])
		}
	}
}
