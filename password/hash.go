package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are the argon2id cost parameters of a hash.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes over the memory
	Threads uint8  // lanes
	KeyLen  uint32 // bytes of derived key
	SaltLen uint32 // bytes of random salt
}

// DefaultParams are OWASP's minimum for argon2id. They are kept this low on purpose: each login costs 19 MiB and
// one pass, which lets two cores serve about 30 logins a second. Raise them here; stored hashes keep working and
// are upgraded at the next login through NeedsRehash.
var DefaultParams = Params{Memory: 19 * 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

// TestParams are far too cheap for production; they exist so other packages' test suites can create and verify
// many passwords without spending seconds on key derivation.
var TestParams = Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

// Limits on parameters read back from a stored hash. They are far above anything we would choose, and exist so
// that a corrupted or tampered row cannot make a single login allocate gigabytes or spin for minutes.
const (
	maxMemory  = 1 << 20 // KiB, 1 GiB
	maxTime    = 64
	minKeyLen  = 16
	maxKeyLen  = 64
	minSaltLen = 8
	maxSaltLen = 64
)

// ErrMalformedHash is returned when a stored hash is not an argon2id PHC string we can verify. It is never the
// customer's fault, so callers should treat it as an internal error.
var ErrMalformedHash = errors.New("password: malformed hash")

// Hasher hashes passwords with its Params.
type Hasher struct {
	Params Params
}

var (
	// Default is the production hasher.
	Default = Hasher{Params: DefaultParams}
	// ForTests hashes with TestParams; never use it outside tests.
	ForTests = Hasher{Params: TestParams}
)

// Hash hashes pw with the Default hasher.
func Hash(pw string) (string, error) { return Default.Hash(pw) }

// Verify reports whether pw matches the encoded hash, whatever parameters it was made with.
func Verify(encoded, pw string) (bool, error) { return Default.Verify(encoded, pw) }

// NeedsRehash reports whether encoded was not made with the Default hasher's parameters.
func NeedsRehash(encoded string) bool { return Default.NeedsRehash(encoded) }

// Hash returns pw hashed with a fresh random salt, as a PHC string.
func (h Hasher) Hash(pw string) (string, error) {
	p := h.Params
	if err := p.validate(); err != nil {
		return "", fmt.Errorf("password: hasher parameters: %w", err)
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password: reading salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return encode(p, salt, key), nil
}

// Verify reports whether pw matches encoded. It ignores h.Params and uses the parameters written in encoded,
// because a stored hash must stay verifiable after the defaults change. A mismatch is (false, nil); an error
// means encoded itself is unusable and wraps ErrMalformedHash.
func (h Hasher) Verify(encoded, pw string) (bool, error) {
	p, salt, key, err := decode(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// NeedsRehash reports whether encoded differs from what h.Hash would produce today, so the login flow can
// re-hash the password it has just verified. A malformed hash also needs rehashing.
func (h Hasher) NeedsRehash(encoded string) bool {
	p, _, _, err := decode(encoded)
	return err != nil || p != h.Params
}

func (p Params) validate() error {
	switch {
	case p.Time < 1 || p.Time > maxTime:
		return fmt.Errorf("time %d outside 1..%d", p.Time, maxTime)
	case p.Threads < 1:
		return errors.New("threads must be at least 1")
	// argon2 silently raises memory below 8 KiB per lane, so the stored m would not be what was used.
	case p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory:
		return fmt.Errorf("memory %d KiB outside %d..%d", p.Memory, 8*uint32(p.Threads), maxMemory)
	case p.KeyLen < minKeyLen || p.KeyLen > maxKeyLen:
		return fmt.Errorf("key length %d outside %d..%d", p.KeyLen, minKeyLen, maxKeyLen)
	case p.SaltLen < minSaltLen || p.SaltLen > maxSaltLen:
		return fmt.Errorf("salt length %d outside %d..%d", p.SaltLen, minSaltLen, maxSaltLen)
	}
	return nil
}

var b64 = base64.RawStdEncoding

func encode(p Params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

func decode(encoded string) (Params, []byte, []byte, error) {
	fail := func(why string) (Params, []byte, []byte, error) {
		return Params{}, nil, nil, fmt.Errorf("%w: %s", ErrMalformedHash, why)
	}
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" {
		return fail("not a PHC string with five fields")
	}
	if parts[1] != "argon2id" {
		return fail("algorithm is not argon2id")
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return fail("unsupported argon2 version")
	}
	// PHC fixes the order of argon2's parameters as m, t, p; accepting any other order would let two different
	// strings stand for the same hash.
	kv := strings.Split(parts[3], ",")
	if len(kv) != 3 {
		return fail("want parameters m, t and p")
	}
	var nums [3]uint64
	for i, name := range []string{"m", "t", "p"} {
		v, ok := strings.CutPrefix(kv[i], name+"=")
		if !ok {
			return fail("want parameters m, t and p in that order")
		}
		n, err := parseDecimal(v)
		if err != nil {
			return fail("parameter " + name + " is not a decimal number")
		}
		nums[i] = n
	}
	if nums[0] > maxMemory || nums[1] > maxTime || nums[2] > 255 {
		return fail("parameters out of range")
	}
	// Strict decoding refuses stray low bits in the last character, so each hash has exactly one spelling.
	salt, err := b64.Strict().DecodeString(parts[4])
	if err != nil {
		return fail("salt is not unpadded base64")
	}
	key, err := b64.Strict().DecodeString(parts[5])
	if err != nil {
		return fail("hash is not unpadded base64")
	}
	p := Params{
		Memory:  uint32(nums[0]),
		Time:    uint32(nums[1]),
		Threads: uint8(nums[2]),
		KeyLen:  uint32(len(key)),
		SaltLen: uint32(len(salt)),
	}
	if err := p.validate(); err != nil {
		return fail(err.Error())
	}
	return p, salt, key, nil
}

// parseDecimal accepts only plain digits without sign or leading zeros, as the PHC format requires.
func parseDecimal(s string) (uint64, error) {
	if s == "" || (len(s) > 1 && s[0] == '0') || strings.TrimLeft(s, "0123456789") != "" {
		return 0, errors.New("not a canonical decimal")
	}
	return strconv.ParseUint(s, 10, 32)
}
