package api_test

import (
	"context"
	"maps"
	"net/http"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/demo"
)

// blockOver blocks a customer's channel with five wrong passwords over the API, as anyone who knows the client
// number can.
func (b *bank) blockOver(t *testing.T, clientNumber string) {
	t.Helper()
	for range 5 {
		wantStatus(t, b.do(t, "POST", "/api/v1/auth/login", "", loginBody(clientNumber, "Gabim#48Kq")), http.StatusUnauthorized)
	}
	if blocked, err := b.auth.Blocked(context.Background(), b.customer(t, clientNumber).ID); err != nil || !blocked {
		t.Fatalf("Blocked = %v, %v after five wrong passwords", blocked, err)
	}
}

// lastSMS delivers the outbox and returns the newest SMS on a customer's phone.
func (b *bank) lastSMS(t *testing.T, clientNumber string) string {
	t.Helper()
	ctx := context.Background()
	if _, err := b.dispatcher.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	msgs, err := b.sandbox.InboxFor(ctx, b.customer(t, clientNumber).Mobile, 1)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("no SMS for %s: %v", clientNumber, err)
	}
	return msgs[0].Body
}

func TestABlockedChannelGetsTheAnswerOfAWrongPassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		b.loginOnDevice(t, elira, "phone-1") // partial login would be allowed on this device
		b.blockOver(t, elira)
		for _, step := range []struct{ name, path string }{
			{"login", "/api/v1/auth/login"},
			{"partial login", "/api/v1/auth/login/partial"},
		} {
			t.Run(step.name, func(t *testing.T) {
				var first reply
				for i, tc := range []struct{ name, username, pw string }{
					{"a wrong password", dritan, "Gabim#48Kq"},
					{"an unknown user", "199999999", demo.Password},
					{"a blocked channel and the right password", elira, demo.Password},
					{"a blocked channel and a wrong password", elira, "Gabim#48Kq"},
				} {
					r := b.expectProblem(t, "POST", step.path, "", loginBody(tc.username, tc.pw), http.StatusUnauthorized,
						"login_failed", "X-Device-ID", "phone-1")
					got := maps.Clone(r.json)
					delete(got, "request_id")
					if i == 0 {
						first = reply{json: got, header: r.header}
						continue
					}
					if !maps.Equal(got, first.json) {
						t.Errorf("%s: %v, want the same as a wrong password's %v", tc.name, got, first.json)
					}
					if r.header.Get("WWW-Authenticate") != first.header.Get("WWW-Authenticate") {
						t.Errorf("%s: WWW-Authenticate %q", tc.name, r.header.Get("WWW-Authenticate"))
					}
				}
				b.unblock(t, dritan) // its failures start again
			})
		}
	})
}

func TestABlockedCustomerIsToldBySMSAndUnblocksWithACardRecovery(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		c := b.issueCard(t, elira)
		b.blockOver(t, elira)
		if sms := b.lastSMS(t, elira); !strings.Contains(sms, "u bllokua") || !strings.Contains(sms, "Keni harruar fjalëkalimin?") {
			t.Fatalf("the SMS after the block %q does not say what happened and what to do", sms)
		}
		r := b.do(t, "POST", "/api/v1/password-recovery", "", map[string]string{"username": elira, "method": "card",
			"card_type": "visa", "card_last6": c.Last6, "card_pin": "4739"})
		wantStatus(t, r, http.StatusCreated)
		wantStatus(t, b.do(t, "POST", "/api/v1/password-recovery/"+r.str("recovery_id")+"/complete", "",
			map[string]string{"code": b.otp(t, elira), "new_password": "Deti.Jon48"}), http.StatusNoContent)
		b.loginWith(t, elira, "Deti.Jon48")
	})
}

func TestAttemptsFromAnAddressTheCustomerNeverUsedAreThrottledAfterABlock(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		b.blockOver(t, arben) // from an address Arben never logged in from
		b.unblock(t, arben)
		r := b.expectProblem(t, "POST", "/api/v1/auth/login", "", loginBody(arben, "Gabim#48Kq"), http.StatusTooManyRequests,
			"login_throttled")
		if r.header.Get("Retry-After") != "86400" {
			t.Errorf("Retry-After %q, want a day's 86400", r.header.Get("Retry-After"))
		}
		b.expectProblem(t, "POST", "/api/v1/auth/login", "", loginBody(arben, demo.Password), http.StatusTooManyRequests,
			"login_throttled")
		var failures int
		if err := d.QueryRow(context.Background(), "SELECT failed_attempts FROM credentials WHERE customer_id = ?",
			b.customer(t, arben).ID).Scan(&failures); err != nil || failures != 0 {
			t.Fatalf("failures = %d, %v after throttled attempts, want 0", failures, err)
		}
		// An unknown user is throttled just the same.
		for range 5 {
			wantStatus(t, b.do(t, "POST", "/api/v1/auth/login", "", loginBody("199999999", "Gabim#48Kq")), http.StatusUnauthorized)
		}
		b.expectProblem(t, "POST", "/api/v1/auth/login", "", loginBody("199999999", "Gabim#48Kq"),
			http.StatusTooManyRequests, "login_throttled")
	})
}

func TestAPartialSessionCannotEndTheCustomersOtherSessions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		full := b.loginOnDevice(t, arben, "phone-1")
		r := b.do(t, "POST", "/api/v1/auth/login/partial", "", loginBody(arben, demo.Password), "X-Device-ID", "phone-1")
		wantStatus(t, r, http.StatusOK)
		partial := r.str("access_token")
		list := b.sessions(t, partial).Sessions
		var fullID, partialID string
		for _, s := range list {
			if s.Current {
				partialID = s.ID
			} else {
				fullID = s.ID
			}
		}
		if fullID == "" || partialID == "" {
			t.Fatalf("sessions %+v", list)
		}
		b.expectProblem(t, "DELETE", "/api/v1/sessions/"+fullID, partial, nil, http.StatusForbidden, "assurance_insufficient")
		b.expectProblem(t, "POST", "/api/v1/sessions/end-others", partial, nil, http.StatusForbidden, "assurance_insufficient")
		wantStatus(t, b.do(t, "GET", "/api/v1/accounts", full, nil), http.StatusOK)
		// The partial session may end itself.
		wantStatus(t, b.do(t, "DELETE", "/api/v1/sessions/"+partialID, partial, nil), http.StatusNoContent)
		b.expectProblem(t, "GET", "/api/v1/me", partial, nil, http.StatusUnauthorized, "session_expired")
	})
}
