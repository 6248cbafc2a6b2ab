// Package sealed is how the bank derives its keys from its one configured secret and keeps the secrets it must
// read back (card numbers, Soft PIN and staff TOTP secrets) encrypted at rest.
//
// Every key is HKDF-SHA256 of the bank's secret with a label of its own, so no key says anything about another or
// about the secret; the labels are part of what is stored and never change. A sealed value is AES-256-GCM with a
// random nonce, written base64(nonce ‖ ciphertext), bound to the id of the row it belongs to (the additional
// data): a value copied onto another row does not open there.
package sealed

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"golang.org/x/crypto/hkdf"
)

// KeySize is the size of every derived key: 32 bytes, AES-256 and HMAC-SHA256 alike.
const KeySize = 32

// Key derives the key named label from the bank's secret.
func Key(secret []byte, label string) []byte {
	k := make([]byte, KeySize)
	if _, err := io.ReadFull(hkdf.New(sha256.New, secret, nil, []byte(label)), k); err != nil {
		panic(fmt.Sprintf("sealed: hkdf: %v", err)) // HKDF-SHA256 gives up to 8160 bytes: 32 cannot fail
	}
	return k
}

// Errors of opening a sealed value. Neither is the customer's doing: a value that does not open is the bank's
// fault (a changed secret, a damaged row).
var (
	// ErrMalformed is a stored value that is not base64 of a nonce and a ciphertext.
	ErrMalformed = errors.New("sealed: stored value is malformed")
	// ErrWrongKey is a value that does not open with this key for this row.
	ErrWrongKey = errors.New("sealed: stored value does not open with this key")
)

// Box seals and opens values with one key.
type Box struct{ aead cipher.AEAD }

// NewBox is a Box for key, which must be KeySize bytes (from Key).
func NewBox(key []byte) (Box, error) {
	if len(key) != KeySize {
		return Box{}, fmt.Errorf("sealed: key of %d bytes, want %d (derive it with sealed.Key)", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return Box{}, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return Box{}, err
	}
	return Box{aead: aead}, nil
}

// Seal encrypts plain for the row rowID.
func (b Box) Seal(rowID string, plain []byte) (string, error) {
	nonce := make([]byte, b.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(b.aead.Seal(nonce, nonce, plain, []byte(rowID))), nil
}

// Open decrypts what Seal made for the row rowID.
func (b Box) Open(rowID, value string) ([]byte, error) {
	raw, err := base64.StdEncoding.DecodeString(value)
	n := b.aead.NonceSize()
	if err != nil || len(raw) < n {
		return nil, ErrMalformed
	}
	plain, err := b.aead.Open(nil, raw[:n], raw[n:], []byte(rowID))
	if err != nil {
		return nil, ErrWrongKey
	}
	return plain, nil
}

// NewToken makes a bearer token (32 random bytes, base64url) and the hash it is stored as (TokenHash): the
// database never holds a token a thief could present.
func NewToken() (token, hash string, err error) {
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", "", err
	}
	token = base64.RawURLEncoding.EncodeToString(raw[:])
	return token, TokenHash(token), nil
}

// TokenHash is how a bearer token is stored and looked up: its SHA-256, in hex.
func TokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}
