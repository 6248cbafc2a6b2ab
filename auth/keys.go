package auth

import "github.com/kumbara/kumbara/sealed"

// DeriveKey derives the key one-time codes are HMAC'd with from the bank's secret, with its own HKDF label, so
// this key reveals nothing about the secret or about the other keys made from it (cards, devices, codes).
func DeriveKey(secret []byte) []byte {
	return sealed.Key(secret, "kumbara one-time codes v1")
}
