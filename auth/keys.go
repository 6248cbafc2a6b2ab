package auth

import (
	"crypto/sha256"
	"io"

	"golang.org/x/crypto/hkdf"
)

// DeriveKey derives the key one-time codes are HMAC'd with from the bank's secret, with its own HKDF label, so
// this key reveals nothing about the secret or about the other keys made from it (cards, devices, codes).
func DeriveKey(secret []byte) []byte {
	k := make([]byte, 32)
	if _, err := io.ReadFull(hkdf.New(sha256.New, secret, nil, []byte("kumbara one-time codes v1")), k); err != nil {
		panic(err) // HKDF-SHA256 gives 32 bytes; failing to is a programming error
	}
	return k
}
