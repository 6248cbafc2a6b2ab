// Package passkeytest is a software passkey for the tests of the customers' and the staff's passkeys: an ECDSA
// P-256 key of one relying party, speaking WebAuthn's JSON the way a browser relays it. Only tests import it.
package passkeytest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"testing"
)

// Authenticator is a software passkey: attestation "none", user verification done. Its signature counter goes up
// by one per assertion unless a test sets it.
type Authenticator struct {
	Key        *ecdsa.PrivateKey
	CredID     []byte
	UserHandle []byte
	Count      uint32
	RPID       string
	Origin     string
	Flags      byte // of assertions; user present and verified by default
}

// The authenticator data's flags.
const (
	FlagUP = 0x01 // user present
	FlagUV = 0x04 // user verified
	flagAT = 0x40 // attested credential data included
)

// New makes a passkey of relying party rpID used from origin.
func New(t testing.TB, rpID, origin string) *Authenticator {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id := make([]byte, 16)
	_, _ = rand.Read(id)
	return &Authenticator{Key: k, CredID: id, RPID: rpID, Origin: origin, Flags: FlagUP | FlagUV}
}

var b64 = base64.RawURLEncoding

// cbor encoders for the few shapes WebAuthn needs.
func cborHead(major byte, n int) []byte {
	switch {
	case n < 24:
		return []byte{major<<5 | byte(n)}
	case n < 256:
		return []byte{major<<5 | 24, byte(n)}
	default:
		return []byte{major<<5 | 25, byte(n >> 8), byte(n)}
	}
}

func cborBytes(b []byte) []byte { return append(cborHead(2, len(b)), b...) }
func cborText(s string) []byte  { return append(cborHead(3, len(s)), s...) }

func (a *Authenticator) coseKey() []byte {
	x, y := make([]byte, 32), make([]byte, 32)
	a.Key.X.FillBytes(x)
	a.Key.Y.FillBytes(y)
	out := []byte{0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21}
	out = append(out, cborBytes(x)...)
	out = append(out, 0x22)
	return append(out, cborBytes(y)...)
}

func (a *Authenticator) authData(flags byte, attested bool) []byte {
	h := sha256.Sum256([]byte(a.RPID))
	out := append(h[:], flags)
	out = binary.BigEndian.AppendUint32(out, a.Count)
	if attested {
		out = append(out, make([]byte, 16)...) // AAGUID: none
		out = binary.BigEndian.AppendUint16(out, uint16(len(a.CredID)))
		out = append(out, a.CredID...)
		out = append(out, a.coseKey()...)
	}
	return out
}

func (a *Authenticator) clientData(typ, challenge string) []byte {
	b, _ := json.Marshal(map[string]any{"type": typ, "challenge": challenge, "origin": a.Origin, "crossOrigin": false})
	return b
}

// Create answers creation options (PublicKeyCredentialCreationOptionsJSON).
func (a *Authenticator) Create(t testing.TB, options []byte) []byte {
	t.Helper()
	var o struct {
		Challenge string `json:"challenge"`
		User      struct {
			ID string `json:"id"`
		} `json:"user"`
	}
	if err := json.Unmarshal(options, &o); err != nil {
		t.Fatalf("creation options: %v", err)
	}
	uh, err := b64.DecodeString(o.User.ID)
	if err != nil {
		t.Fatalf("user id: %v", err)
	}
	a.UserHandle = uh
	att := []byte{0xa3}
	att = append(att, cborText("fmt")...)
	att = append(att, cborText("none")...)
	att = append(att, cborText("attStmt")...)
	att = append(att, 0xa0)
	att = append(att, cborText("authData")...)
	att = append(att, cborBytes(a.authData(FlagUP|FlagUV|flagAT, true))...)
	resp, _ := json.Marshal(map[string]any{
		"id": b64.EncodeToString(a.CredID), "rawId": b64.EncodeToString(a.CredID), "type": "public-key",
		"response": map[string]any{
			"clientDataJSON":    b64.EncodeToString(a.clientData("webauthn.create", o.Challenge)),
			"attestationObject": b64.EncodeToString(att),
			"transports":        []string{"internal"},
		},
		"clientExtensionResults": map[string]any{},
	})
	return resp
}

// Get answers request options (PublicKeyCredentialRequestOptionsJSON).
func (a *Authenticator) Get(t testing.TB, options []byte) []byte {
	t.Helper()
	var o struct {
		Challenge string `json:"challenge"`
	}
	if err := json.Unmarshal(options, &o); err != nil {
		t.Fatalf("request options: %v", err)
	}
	return a.Sign(t, o.Challenge)
}

// Sign answers a challenge (base64url) with an assertion.
func (a *Authenticator) Sign(t testing.TB, challenge string) []byte {
	t.Helper()
	a.Count++
	ad := a.authData(a.Flags, false)
	cd := a.clientData("webauthn.get", challenge)
	h := sha256.Sum256(cd)
	digest := sha256.Sum256(append(append([]byte{}, ad...), h[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, a.Key, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	resp, _ := json.Marshal(map[string]any{
		"id": b64.EncodeToString(a.CredID), "rawId": b64.EncodeToString(a.CredID), "type": "public-key",
		"response": map[string]any{
			"clientDataJSON":    b64.EncodeToString(cd),
			"authenticatorData": b64.EncodeToString(ad),
			"signature":         b64.EncodeToString(sig),
			"userHandle":        b64.EncodeToString(a.UserHandle),
		},
		"clientExtensionResults": map[string]any{},
	})
	return resp
}
