package sealed_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/kumbara/kumbara/sealed"
)

// What the bank's stored values depend on: the same secret and label give the same key, another label or secret
// another key, and the key of a given secret and label never changes.
func TestKeysDependOnTheSecretAndTheLabelOnly(t *testing.T) {
	secret := bytes.Repeat([]byte{0x0b}, 32)
	a, b := sealed.Key(secret, "kumbara card pin v1"), sealed.Key(secret, "kumbara card pin v1")
	if !bytes.Equal(a, b) || len(a) != sealed.KeySize {
		t.Fatalf("the same label gave %x and %x", a, b)
	}
	if bytes.Equal(a, sealed.Key(secret, "kumbara card pin v2")) || bytes.Equal(a, sealed.Key(bytes.Repeat([]byte{0x0c}, 32), "kumbara card pin v1")) {
		t.Fatal("another label or secret gave the same key")
	}
	// HKDF-SHA256(IKM=0x0b×32, salt=none, info="kumbara card pin v1"), computed once and kept: a change here would
	// make every stored card number, PIN and secret unreadable.
	if got := hex.EncodeToString(a); got != pinned {
		t.Errorf("key %s, want %s", got, pinned)
	}
}

const pinned = "3bcc29748abb8012b14feeacf17c0aae5fc8b7832048c6b3a716a4b75e163d1b"

func TestASealedValueOpensOnlyForItsRowWithItsKey(t *testing.T) {
	box, err := sealed.NewBox(sealed.Key([]byte("secret"), "label"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := box.Seal("row-1", []byte("4000001234567899"))
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := box.Seal("row-1", []byte("4000001234567899")); again == v {
		t.Error("two seals of the same value are equal: the nonce is not random")
	}
	if got, err := box.Open("row-1", v); err != nil || string(got) != "4000001234567899" {
		t.Fatalf("open: %q %v", got, err)
	}
	if _, err := box.Open("row-2", v); !errors.Is(err, sealed.ErrWrongKey) {
		t.Errorf("another row: %v", err)
	}
	other, _ := sealed.NewBox(sealed.Key([]byte("secret"), "other label"))
	if _, err := other.Open("row-1", v); !errors.Is(err, sealed.ErrWrongKey) {
		t.Errorf("another key: %v", err)
	}
	for _, bad := range []string{"", "!!", "AAAA"} {
		if _, err := box.Open("row-1", bad); !errors.Is(err, sealed.ErrMalformed) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if _, err := sealed.NewBox([]byte("short")); err == nil {
		t.Error("a short key was taken")
	}
}

func TestATokenIsStoredOnlyAsItsHash(t *testing.T) {
	a, hash, err := sealed.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	b, _, _ := sealed.NewToken()
	if len(a) != 43 || a == b || hash != sealed.TokenHash(a) || len(hash) != 64 || hash == a {
		t.Errorf("token %q (then %q), hash %q", a, b, hash)
	}
}
