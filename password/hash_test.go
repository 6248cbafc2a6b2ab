package password

import (
	"errors"
	"strings"
	"testing"
)

func TestHashThenVerifyAcceptsTheSamePasswordAndRefusesAnother(t *testing.T) {
	for _, h := range []struct {
		name string
		h    Hasher
	}{{"tests", ForTests}, {"default", Default}} {
		t.Run(h.name, func(t *testing.T) {
			encoded, err := h.h.Hash("Kumbara2026")
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				pw   string
				want bool
			}{
				{"Kumbara2026", true},
				{"kumbara2026", false},
				{"Kumbara2026 ", false},
				{"", false},
			} {
				ok, err := h.h.Verify(encoded, c.pw)
				if err != nil || ok != c.want {
					t.Errorf("Verify(%q) = %v, %v; want %v, nil", c.pw, ok, err, c.want)
				}
			}
		})
	}
}

func TestHashWritesThePHCStringOfItsParameters(t *testing.T) {
	encoded, err := Hash("Kumbara2026")
	if err != nil {
		t.Fatal(err)
	}
	const prefix = "$argon2id$v=19$m=19456,t=1,p=1$"
	if !strings.HasPrefix(encoded, prefix) {
		t.Fatalf("Hash = %q, want prefix %q", encoded, prefix)
	}
	salt, key, _ := strings.Cut(strings.TrimPrefix(encoded, prefix), "$")
	// 16 and 32 bytes in unpadded base64.
	if len(salt) != 22 || len(key) != 43 {
		t.Errorf("salt %q and hash %q, want 22 and 43 characters", salt, key)
	}
}

func TestHashUsesAFreshSaltEachTime(t *testing.T) {
	a, _ := ForTests.Hash("Kumbara2026")
	b, _ := ForTests.Hash("Kumbara2026")
	if a == b {
		t.Fatalf("two hashes of one password are equal: %s", a)
	}
}

func TestHashRefusesUnusableParameters(t *testing.T) {
	for _, c := range []struct {
		name string
		p    Params
	}{
		{"zero", Params{}},
		{"no threads", Params{Memory: 64, Time: 1, KeyLen: 32, SaltLen: 16}},
		{"less memory than 8 KiB a lane", Params{Memory: 15, Time: 1, Threads: 2, KeyLen: 32, SaltLen: 16}},
		{"short key", Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 8, SaltLen: 16}},
		{"short salt", Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 4}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := (Hasher{Params: c.p}).Hash("Kumbara2026"); err == nil {
				t.Error("Hash succeeded")
			}
		})
	}
}

// These were made by the reference implementation (Debian's argon2 command, e.g.
// echo -n Kumbara2026 | argon2 somesalt12345678 -id -t 2 -k 65536 -p 4 -l 32), so they prove we read other
// parameters, salt and key lengths the way the rest of the world writes them.
func TestVerifyReadsParametersFromReferenceHashes(t *testing.T) {
	for _, c := range []struct {
		name, encoded, pw string
		want              Params
	}{
		{
			"64 MiB, two passes, four lanes",
			"$argon2id$v=19$m=65536,t=2,p=4$c29tZXNhbHQxMjM0NTY3OA$bz/KmttCtDcdSp4yYG9IhOV2ziL+z735JRbGAXAT8rk",
			"Kumbara2026",
			Params{Memory: 65536, Time: 2, Threads: 4, KeyLen: 32, SaltLen: 16},
		},
		{
			"12-byte salt and 24-byte key",
			"$argon2id$v=19$m=4096,t=3,p=2$c2FsdHNhbHRzYWx0$sLiW4hwi9LG03zYof6tcc2UK6FZDGAbP",
			"password",
			Params{Memory: 4096, Time: 3, Threads: 2, KeyLen: 24, SaltLen: 12},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, _, _, err := decode(c.encoded)
			if err != nil || p != c.want {
				t.Fatalf("decode = %+v, %v; want %+v", p, err, c.want)
			}
			if ok, err := Verify(c.encoded, c.pw); !ok || err != nil {
				t.Errorf("Verify right password = %v, %v", ok, err)
			}
			if ok, err := Verify(c.encoded, c.pw+"x"); ok || err != nil {
				t.Errorf("Verify wrong password = %v, %v", ok, err)
			}
			if !NeedsRehash(c.encoded) {
				t.Error("NeedsRehash = false for non-default parameters")
			}
		})
	}
}

func TestVerifyRefusesMalformedHashes(t *testing.T) {
	good, err := ForTests.Hash("Kumbara2026")
	if err != nil {
		t.Fatal(err)
	}
	salt, key := strings.Split(good, "$")[4], strings.Split(good, "$")[5]
	tail := "$" + salt + "$" + key
	for _, c := range []struct{ name, encoded string }{
		{"empty", ""},
		{"plain text", "Kumbara2026"},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"argon2i", "$argon2i$v=19$m=64,t=1,p=1" + tail},
		{"old version", "$argon2id$v=16$m=64,t=1,p=1" + tail},
		{"no version", "$argon2id$m=64,t=1,p=1" + tail},
		{"parameters out of order", "$argon2id$v=19$t=1,m=64,p=1" + tail},
		{"missing parameter", "$argon2id$v=19$m=64,t=1" + tail},
		{"extra parameter", "$argon2id$v=19$m=64,t=1,p=1,k=1" + tail},
		{"signed number", "$argon2id$v=19$m=+64,t=1,p=1" + tail},
		{"leading zero", "$argon2id$v=19$m=064,t=1,p=1" + tail},
		{"zero time", "$argon2id$v=19$m=64,t=0,p=1" + tail},
		{"zero lanes", "$argon2id$v=19$m=64,t=1,p=0" + tail},
		{"memory over a GiB", "$argon2id$v=19$m=2000000,t=1,p=1" + tail},
		{"memory overflowing 32 bits", "$argon2id$v=19$m=4294967360,t=1,p=1" + tail},
		{"lanes over 255", "$argon2id$v=19$m=4096,t=1,p=256" + tail},
		{"too many passes", "$argon2id$v=19$m=64,t=1000,p=1" + tail},
		{"padded salt", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "==$" + key},
		{"salt not base64", "$argon2id$v=19$m=64,t=1,p=1$%%%%$" + key},
		{"empty salt", "$argon2id$v=19$m=64,t=1,p=1$$" + key},
		{"short key", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$AAAAAAAA"},
		{"trailing field", good + "$"},
		{"missing key", "$argon2id$v=19$m=64,t=1,p=1$" + salt},
	} {
		t.Run(c.name, func(t *testing.T) {
			ok, err := Verify(c.encoded, "Kumbara2026")
			if ok || !errors.Is(err, ErrMalformedHash) {
				t.Errorf("Verify = %v, %v; want false, ErrMalformedHash", ok, err)
			}
			if !NeedsRehash(c.encoded) {
				t.Error("NeedsRehash = false for a malformed hash")
			}
		})
	}
}

func TestNeedsRehashOnlyWhenParametersDifferFromTheHasher(t *testing.T) {
	def, _ := Default.Hash("Kumbara2026")
	cheap, _ := ForTests.Hash("Kumbara2026")
	longerKey, _ := Hasher{Params: Params{Memory: 19456, Time: 1, Threads: 1, KeyLen: 64, SaltLen: 16}}.Hash("Kumbara2026")
	for _, c := range []struct {
		name    string
		h       Hasher
		encoded string
		want    bool
	}{
		{"default hash, default hasher", Default, def, false},
		{"test hash, test hasher", ForTests, cheap, false},
		{"test hash, default hasher", Default, cheap, true},
		{"default hash, stronger hasher", Hasher{Params: Params{Memory: 47104, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}}, def, true},
		{"longer key, default hasher", Default, longerKey, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := c.h.NeedsRehash(c.encoded); got != c.want {
				t.Errorf("NeedsRehash = %v, want %v", got, c.want)
			}
		})
	}
	if NeedsRehash(def) {
		t.Error("package NeedsRehash = true for a Default hash")
	}
}

func BenchmarkHashDefault(b *testing.B) {
	for b.Loop() {
		if _, err := Hash("Kumbara2026"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyDefault(b *testing.B) {
	encoded, err := Hash("Kumbara2026")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if ok, err := Verify(encoded, "Kumbara2026"); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}
