package device

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"testing"
)

// FuzzParsePublicKey feeds the public-key parser (outside input from the app): it never panics, and whatever it
// accepts is an ECDSA key on P-256.
func FuzzParsePublicKey(f *testing.F) {
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	f.Add(base64.StdEncoding.EncodeToString(der))
	f.Add("")
	f.Add("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE")
	f.Fuzz(func(t *testing.T, s string) {
		pub, err := ParsePublicKey(s)
		if err == nil && (pub == nil || pub.Curve != elliptic.P256()) {
			t.Fatalf("accepted %q as %v", s, pub)
		}
	})
}
