package device_test

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"strings"
	"sync"
	"testing"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/device"
)

// lockoutSetup is a customer with a trusted device that has a Soft PIN, and a session on it.
type lockoutSetup struct {
	f        *fixture
	c        string // customer id
	client   string // client number
	dev      device.Device
	key      phone
	stranger phone // signs nothing the bank knows
	soft     device.SoftPIN
	sess     auth.Session
}

// signed is sign for goroutines, which may not call t.Fatal: a failed signature is an empty one.
func (p phone) signed(msg []byte) []byte {
	h := sha256.Sum256(msg)
	sig, _ := ecdsa.SignASN1(rand.Reader, p.key, h[:])
	return sig
}

func TestConcurrentWrongDeviceFactorsNeverGetPastTheLockout(t *testing.T) {
	const wrong = 20
	question := strings.Repeat("5c", 32)
	for _, tc := range []struct {
		name      string
		wrongCode string
		// try makes an attempt at the factor (i: the first right one 0, the concurrent ones 1, the last one 2), right or wrong; it never calls t.Fatal (it runs in goroutines).
		try func(s *lockoutSetup, i int, right bool) error
	}{
		{"payment signature", "signature_invalid", func(s *lockoutSetup, _ int, right bool) error {
			msg := []byte("transfer 1250.00 ALL to AL47212110090000000235698741")
			key := s.stranger
			if right {
				key = s.key
			}
			return s.f.dev.VerifySignature(s.f.ctx, s.c, s.dev.ID, msg, key.signed(msg))
		}},
		{"Soft PIN payment response", "soft_pin_invalid", func(s *lockoutSetup, _ int, right bool) error {
			resp, err := device.SoftPINResponse(s.soft.Secret, question)
			if err != nil {
				return err
			}
			if !right {
				resp = "00000000"
				if want, _ := device.SoftPINResponse(s.soft.Secret, question); want == resp {
					resp = "00000001"
				}
			}
			return s.f.dev.VerifySoftPINResponse(s.f.ctx, s.c, s.dev.ID, question, resp)
		}},
		{"biometric login", "login_failed", func(s *lockoutSetup, _ int, right bool) error {
			ch, err := s.f.dev.LoginChallenge(s.f.ctx, s.client, s.dev.ID)
			if err != nil {
				return err
			}
			key := s.stranger
			if right {
				key = s.key
			}
			_, err = s.f.dev.Login(s.f.ctx, ch.ID, key.signed(ch.Challenge), device.Seen{DeviceID: s.dev.ID})
			return err
		}},
		{"Soft PIN set-up signature", "signature_invalid", func(s *lockoutSetup, _ int, right bool) error {
			seen := device.Seen{DeviceID: s.dev.ID}
			ch, err := s.f.dev.SoftPINChallenge(s.f.ctx, s.c, s.dev.ID, seen)
			if err != nil {
				return err
			}
			key := s.stranger
			if right {
				key = s.key
			}
			_, err = s.f.dev.ProvisionSoftPIN(s.f.ctx, s.c, s.dev.ID, device.SoftPINProof{ChallengeID: ch.ID,
				Signature: key.signed(ch.Challenge), Password: pw}, seen)
			return err
		}},
		{"password change on the trusted device", "signature_invalid", func(s *lockoutSetup, i int, right bool) error {
			seen := device.Seen{DeviceID: s.dev.ID}
			ch, err := s.f.dev.PasswordChallenge(s.f.ctx, s.c, s.dev.ID, seen)
			if err != nil {
				return err
			}
			key, next := s.stranger, "Vjeshta#4826"
			if right {
				key, next = s.key, []string{"Pranvera#4826", "Dimri#Vere48", "Vera-Ime#48"}[i]
			}
			return s.f.dev.ChangePassword(s.f.ctx, s.sess, device.PasswordChange{DeviceID: s.dev.ID, ChallengeID: ch.ID,
				Signature: key.signed(ch.Challenge), New: next, Repeat: next}, seen)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, d *db.DB) {
				f := newFixture(t, d)
				c := f.person(t)
				s := &lockoutSetup{f: f, c: c.ID, client: c.ClientNumber, key: newPhone(t), stranger: newPhone(t)}
				s.dev = f.trust(t, c, f.register(t, c, s.key, true))
				var err error
				if s.soft, err = f.provision(t, c, s.dev, s.key); err != nil {
					t.Fatal(err)
				}
				if _, s.sess, err = f.auth.OpenSession(f.ctx, c.ID, auth.Full); err != nil {
					t.Fatal(err)
				}
				// The right factor works, and gives its place back.
				if err := tc.try(s, 0, true); err != nil {
					t.Fatalf("right factor: %v", err)
				}
				failures := func() int {
					t.Helper()
					var n int
					if err := d.QueryRow(f.ctx, "SELECT failed_attempts FROM credentials WHERE customer_id = ?", c.ID).Scan(&n); err != nil {
						t.Fatal(err)
					}
					return n
				}
				if n := failures(); n != 0 {
					t.Fatalf("a right factor left %d failures", n)
				}
				var wg sync.WaitGroup
				errs := make([]error, wrong+1)
				for i := range wrong + 1 {
					wg.Go(func() { errs[i] = tc.try(s, 1, i == wrong/2) })
				}
				wg.Wait()
				// Each wrong factor checked stays counted, so the count says how many were checked.
				if n := failures(); n > 5 {
					t.Errorf("%d failures counted: more than 5 wrong factors were checked", n)
				}
				if blocked, err := f.auth.Blocked(f.ctx, c.ID); err != nil || !blocked {
					t.Errorf("Blocked = %v, %v; want the channel blocked", blocked, err)
				}
				for i, err := range errs {
					code := kumbara.CodeOf(err)
					switch {
					case i == wrong/2:
						if err != nil && code != "channel_blocked" {
							t.Errorf("the right factor: %v, want accepted or channel_blocked", err)
						}
					case code != tc.wrongCode && code != "channel_blocked":
						t.Errorf("wrong factor %d: %v, want %s or channel_blocked", i, err, tc.wrongCode)
					}
				}
				// Now the right factor is refused before it is checked.
				wantCode(t, tc.try(s, 2, true), "channel_blocked")
				if n := failures(); n > 5 {
					t.Errorf("%d failures counted after the block", n)
				}
			})
		})
	}
}
