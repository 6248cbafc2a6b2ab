package card

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/kumbara/kumbara/sealed"
)

// Keys are the card keys. Each has one purpose, so a leak or misuse of one (say, the lookup key, which must be at
// hand wherever a card number is looked up) tells nothing about the others.
type Keys struct {
	Encryption []byte // 32 bytes, AES-256-GCM key for the stored card number
	Lookup     []byte // HMAC-SHA256 key of the card number, for lookup and uniqueness without decrypting
	PIN        []byte // HMAC-SHA256 key of PINs
}

// HKDF labels. They are part of the stored data's format: changing one makes every stored number unreadable or
// every PIN wrong, so a new label means a new version and a migration of the rows.
const (
	labelEncryption = "kumbara card number encryption v1"
	labelLookup     = "kumbara card number lookup v1"
	labelPIN        = "kumbara card pin v1"
)

// DeriveKeys derives the card keys from the bank's one configured secret with HKDF-SHA256, one label per key. The
// same secret also keys one-time codes directly; HKDF with distinct labels keeps the card keys independent of
// that use and of each other.
func DeriveKeys(secret []byte) Keys {
	return Keys{Encryption: sealed.Key(secret, labelEncryption), Lookup: sealed.Key(secret, labelLookup),
		PIN: sealed.Key(secret, labelPIN)}
}

func (k Keys) check() error {
	if len(k.Encryption) != 32 || len(k.Lookup) < 32 || len(k.PIN) < 32 {
		return errors.New("card: keys missing or too short (use DeriveKeys)")
	}
	return nil
}

// seal encrypts the card number with AES-256-GCM. The card id is the additional data, so a ciphertext copied onto
// another card's row does not decrypt there.
func (k Keys) seal(cardID, pan string) (string, error) {
	box, err := sealed.NewBox(k.Encryption)
	if err != nil {
		return "", fmt.Errorf("card: %w", err)
	}
	return box.Seal(cardID, []byte(pan))
}

// open is the inverse of seal.
func (k Keys) open(cardID, value string) (string, error) {
	box, err := sealed.NewBox(k.Encryption)
	if err != nil {
		return "", fmt.Errorf("card: %w", err)
	}
	pan, err := box.Open(cardID, value)
	if err != nil {
		return "", fmt.Errorf("card: stored number: %w", err)
	}
	return string(pan), nil
}

// numberMAC is the card number's lookup hash.
func (k Keys) numberMAC(pan string) string { return mac(k.Lookup, pan) }

// last6MAC is how the last six digits are stored: searchable by someone who has the key (registration looks a card
// up by them), meaningless to someone who only has the table.
func (k Keys) last6MAC(last6 string) string { return mac(k.Lookup, "last6:"+last6) }

// pinMAC is the stored form of a PIN. The card id is mixed in so two cards with the same PIN have different
// hashes, and a hash copied to another card does not carry its PIN with it.
//
// Why a keyed hash and not argon2: there are only 10,000 four-digit PINs, so any hash, however slow, is reversed
// by trying them all — argon2 would cost an attacker who stole the table seconds, and cost us that work on every
// try. What protects a PIN is the key (kept out of the database, in the bank's configuration) together with the
// try counter: without the key the hash says nothing; with only the API, three guesses block the PIN.
func (k Keys) pinMAC(cardID, pin string) string { return mac(k.PIN, cardID+":"+pin) }

func mac(key []byte, msg string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}
