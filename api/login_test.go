package api_test

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/i18n"
)

// unblock lifts a customer's channel and clears their failure count, as staff do.
func (b *bank) unblock(t *testing.T, clientNumber string) {
	t.Helper()
	if err := b.auth.Unblock(context.Background(), b.customer(t, clientNumber).ID); err != nil {
		t.Fatalf("unblock: %v", err)
	}
}

func loginBody(username, pw string) map[string]string {
	return map[string]string{"username": username, "password": pw}
}

func TestLogin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tests := []struct {
			name string
			run  func(t *testing.T)
		}{
			{"client number, password and SMS code give a full session", func(t *testing.T) {
				r := b.do(t, "POST", "/api/v1/auth/login", "", loginBody(arben, demo.Password))
				wantStatus(t, r, http.StatusOK)
				if r.str("masked_phone") == "" || r.str("masked_phone") == b.customer(t, arben).Mobile {
					t.Errorf("masked_phone %q", r.str("masked_phone"))
				}
				if got, _ := r.json["expires_in"].(float64); got != 120 {
					t.Errorf("expires_in %v, want 120", r.json["expires_in"])
				}
				tok := b.finishLogin(t, r.str("challenge_id"), b.otp(t, arben))
				wantStatus(t, tok, http.StatusOK)
				if got, _ := tok.json["expires_in"].(float64); got != 300 || tok.json["password_change_required"] != false {
					t.Errorf("token answer %s", tok.body)
				}
				me := b.do(t, "GET", "/api/v1/me", tok.str("access_token"), nil)
				wantStatus(t, me, http.StatusOK)
				if me.str("client_number") != arben || me.str("name") != "Arben Hoxha" || me.str("assurance") != "full" {
					t.Errorf("me %s", me.body)
				}
			}},
			{"the national ID works as the username", func(t *testing.T) {
				nid := b.customer(t, elira).NationalID
				ch := b.startLogin(t, nid, demo.Password)
				r := b.finishLogin(t, ch, b.otp(t, elira))
				wantStatus(t, r, http.StatusOK)
				me := b.do(t, "GET", "/api/v1/me", r.str("access_token"), nil)
				if me.str("client_number") != elira {
					t.Errorf("logged in as %s, want %s", me.str("client_number"), elira)
				}
			}},
			{"a business logs in with its client number and NIPT", func(t *testing.T) {
				me := b.do(t, "GET", "/api/v1/me", b.login(t, business), nil)
				if me.str("kind") != "business" || me.str("name") != "Ëmbëlsira Tirana Shpk" {
					t.Errorf("me %s", me.body)
				}
			}},
			{"a wrong password and an unknown user get the same answer", func(t *testing.T) {
				wrong := b.expectProblem(t, "POST", "/api/v1/auth/login", "", loginBody(dritan, "Kumbara2027"),
					http.StatusUnauthorized, "login_failed")
				unknown := b.expectProblem(t, "POST", "/api/v1/auth/login", "", loginBody("999999999", "Kumbara2027"),
					http.StatusUnauthorized, "login_failed")
				notAUsername := b.expectProblem(t, "POST", "/api/v1/auth/login", "", loginBody("arben", "Kumbara2027"),
					http.StatusUnauthorized, "login_failed")
				strip := func(m map[string]any) map[string]any {
					m = maps.Clone(m)
					delete(m, "request_id")
					return m
				}
				for _, other := range []reply{unknown, notAUsername} {
					if !maps.Equal(strip(wrong.json), strip(other.json)) {
						t.Errorf("answers differ:\n%s\n%s", wrong.body, other.body)
					}
					if !slices.Equal(slices.Sorted(maps.Keys(wrong.json)), slices.Sorted(maps.Keys(other.json))) {
						t.Errorf("body shapes differ")
					}
				}
				b.unblock(t, dritan)
			}},
		}
		for _, tt := range tests {
			t.Run(tt.name, tt.run)
		}
	})
}

func TestFiveFailuresBlockTheChannelUntilStaffUnblockIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		const login = "/api/v1/auth/login"
		fail := func(t *testing.T, step string, r reply, status int, code string) {
			t.Helper()
			if r.status != status || r.str("code") != code {
				t.Fatalf("%s: %d %q, want %d %q", step, r.status, r.str("code"), status, code)
			}
			b.checkProblem(t, r, status, code, i18n.SQ)
		}

		// Four failures, then a success: the count starts again.
		for range 4 {
			fail(t, "wrong password", b.do(t, "POST", login, "", loginBody(dritan, "Wrong2026")), 401, "login_failed")
		}
		b.login(t, dritan)

		// 1-2: wrong passwords. 3-4: right password, wrong codes. 5: a wrong password blocks.
		fail(t, "failure 1", b.do(t, "POST", login, "", loginBody(dritan, "Wrong2026")), 401, "login_failed")
		fail(t, "failure 2", b.do(t, "POST", login, "", loginBody(dritan, "Wrong2027")), 401, "login_failed")
		ch := b.startLogin(t, dritan, demo.Password)
		code := b.otp(t, dritan)
		wrongCode := "000000"
		if code == wrongCode {
			wrongCode = "111111"
		}
		fail(t, "failure 3", b.finishLogin(t, ch, wrongCode), 401, "otp_invalid")
		fail(t, "failure 4", b.finishLogin(t, ch, wrongCode), 401, "otp_invalid")
		// The fifth answers like the others: whoever types a password is told nothing of the block.
		fail(t, "failure 5", b.do(t, "POST", login, "", loginBody(dritan, "Wrong2028")), 401, "login_failed")

		// Blocked: the right password, and the right code of a challenge sent before, are refused too; only the
		// code step, which comes after the password, names the block.
		b.expectProblem(t, "POST", login, "", loginBody(dritan, demo.Password), http.StatusUnauthorized, "login_failed")
		b.expectProblem(t, "POST", "/api/v1/auth/login/otp", "", map[string]string{"challenge_id": ch, "otp": code},
			http.StatusForbidden, "channel_blocked")
		// Time does not lift the block.
		b.clock.Advance(48 * time.Hour)
		b.expectProblem(t, "POST", login, "", loginBody(dritan, demo.Password), http.StatusUnauthorized, "login_failed")
		if blocked, err := b.auth.Blocked(context.Background(), b.customer(t, dritan).ID); err != nil || !blocked {
			t.Fatalf("Blocked = %v, %v", blocked, err)
		}

		b.unblock(t, dritan)
		tok := b.login(t, dritan)
		wantStatus(t, b.do(t, "GET", "/api/v1/accounts", tok, nil), http.StatusOK)
	})
}

func TestOneTimeCodes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		const otp = "/api/v1/auth/login/otp"
		// challenge starts a login of Elira with a clean failure count and returns its id, its code and a wrong code.
		challenge := func(t *testing.T) (id, code, wrong string) {
			b.unblock(t, elira)
			id = b.startLogin(t, elira, demo.Password)
			code = b.otp(t, elira)
			wrong = "123456"
			if code == wrong {
				wrong = "654321"
			}
			return id, code, wrong
		}
		body := func(id, code string) map[string]string { return map[string]string{"challenge_id": id, "otp": code} }
		tests := []struct {
			name string
			run  func(t *testing.T)
		}{
			{"a wrong code is otp_invalid and the right one still works", func(t *testing.T) {
				id, code, wrong := challenge(t)
				b.expectProblem(t, "POST", otp, "", body(id, wrong), http.StatusUnauthorized, "otp_invalid")
				wantStatus(t, b.finishLogin(t, id, code), http.StatusOK)
			}},
			{"a code of another challenge is otp_invalid", func(t *testing.T) {
				first, firstCode, _ := challenge(t)
				second, secondCode, _ := challenge(t)
				if firstCode != secondCode {
					b.expectProblem(t, "POST", otp, "", body(second, firstCode), http.StatusUnauthorized, "otp_invalid")
				}
				wantStatus(t, b.finishLogin(t, first, firstCode), http.StatusOK)
			}},
			{"a code 2m1s old has expired", func(t *testing.T) {
				id, code, _ := challenge(t)
				b.clock.Advance(2*time.Minute + time.Second)
				b.expectProblem(t, "POST", otp, "", body(id, code), http.StatusUnauthorized, "otp_expired")
			}},
			{"a code at 2m is still valid", func(t *testing.T) {
				id, code, _ := challenge(t)
				b.clock.Advance(2 * time.Minute)
				wantStatus(t, b.finishLogin(t, id, code), http.StatusOK)
			}},
			{"a used code is otp_used", func(t *testing.T) {
				id, code, _ := challenge(t)
				wantStatus(t, b.finishLogin(t, id, code), http.StatusOK)
				b.expectProblem(t, "POST", otp, "", body(id, code), http.StatusUnauthorized, "otp_used")
			}},
			{"five wrong codes exhaust the challenge", func(t *testing.T) {
				id, code, wrong := challenge(t)
				for i := 1; i <= 4; i++ {
					r := b.finishLogin(t, id, wrong)
					b.checkProblem(t, r, http.StatusUnauthorized, "otp_invalid", i18n.SQ)
				}
				// The fifth wrong code is also the fifth failed login in a row, which blocks the channel.
				b.checkProblem(t, b.finishLogin(t, id, wrong), http.StatusForbidden, "channel_blocked", i18n.SQ)
				b.unblock(t, elira)
				b.expectProblem(t, "POST", otp, "", body(id, code), http.StatusUnauthorized, "otp_too_many_attempts")
				// A new challenge works.
				b.login(t, elira)
			}},
			{"an overlong code is otp_invalid", func(t *testing.T) {
				id, _, _ := challenge(t)
				b.expectProblem(t, "POST", otp, "", body(id, "12345678901234567890"), http.StatusUnauthorized, "otp_invalid")
			}},
		}
		for _, tt := range tests {
			b.clock.Advance(time.Hour) // each case may send codes: stay below the hourly limit
			t.Run(tt.name, tt.run)
		}
	})
}

func TestStaffSetPasswordMustBeChangedFirst(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		ctx := context.Background()
		const staffSet, chosen = "Filluese#48Kq", "Vjeshte@73Tx"
		other := b.login(t, arben) // a session from before, on another device

		if err := b.auth.SetPassword(ctx, b.customer(t, arben).ID, staffSet, true); err != nil {
			t.Fatalf("SetPassword: %v", err)
		}
		ch := b.startLogin(t, arben, staffSet)
		r := b.finishLogin(t, ch, b.otp(t, arben))
		wantStatus(t, r, http.StatusOK)
		if r.json["password_change_required"] != true {
			t.Errorf("password_change_required = %v", r.json["password_change_required"])
		}
		tok := r.str("access_token")

		// Until the password changes, the session may see who it is and change the password, nothing else.
		me := b.do(t, "GET", "/api/v1/me", tok, nil)
		wantStatus(t, me, http.StatusOK)
		if me.json["password_change_required"] != true {
			t.Errorf("me: password_change_required = %v", me.json["password_change_required"])
		}
		b.expectProblem(t, "GET", "/api/v1/accounts", tok, nil, http.StatusForbidden, "password_change_required")
		b.expectProblem(t, "POST", "/api/v1/transfers", tok, map[string]string{}, http.StatusForbidden,
			"password_change_required", "Idempotency-Key", "k", invalidOnPurpose, "refused before its body is read")

		change := func(old, new string) map[string]string {
			return map[string]string{"old_password": old, "new_password": new}
		}
		tests := []struct {
			name   string
			body   any
			status int
			code   string
			fields []string
		}{
			{"too short and too simple", change(staffSet, "abc"), 400, "password_policy",
				[]string{"password:password_length", "password:password_letters_and_digits", "password:password_upper_and_lower"}},
			{"a digit run", change(staffSet, "Vjeshte@123"), 400, "password_policy", []string{"password:password_digit_run"}},
			{"the first name in it", change(staffSet, "Arben#2468x"), 400, "password_policy",
				[]string{"password:password_personal_data"}},
			{"a password used before", change(staffSet, demo.Password), 400, "password_policy", []string{"password:password_reused"}},
			{"the wrong old password", change("Wrong#48Kq", chosen), 400, "password_wrong", []string{"old_password:password_wrong"}},
			{"no new password", change(staffSet, ""), 400, "validation_failed", []string{"new_password:field_required"}},
			{"an unknown field", map[string]string{"old_password": staffSet, "new_password": chosen, "confirm": chosen}, 400,
				"unknown_field", []string{"confirm:unknown_field"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var headers []string
				if tt.code == "unknown_field" {
					headers = []string{invalidOnPurpose, tt.name}
				}
				r := b.expectProblem(t, "POST", "/api/v1/me/password", tok, tt.body, tt.status, tt.code, headers...)
				if got := r.fieldCodes(); !slices.Equal(got, tt.fields) {
					t.Errorf("errors %v, want %v", got, tt.fields)
				}
			})
		}
		b.unblock(t, arben) // the wrong old passwords counted as failures

		wantStatus(t, b.do(t, "POST", "/api/v1/me/password", tok, change(staffSet, chosen)), http.StatusNoContent)
		wantStatus(t, b.do(t, "GET", "/api/v1/accounts", tok, nil), http.StatusOK)
		b.expectProblem(t, "GET", "/api/v1/accounts", other, nil, http.StatusUnauthorized, "session_expired")
		b.expectProblem(t, "POST", "/api/v1/auth/login", "", loginBody(arben, staffSet), http.StatusUnauthorized, "login_failed")
		b.loginWith(t, arben, chosen)
	})
}
