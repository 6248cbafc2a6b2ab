package auth_test

import (
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
)

// Two services on one database stand for two instances of the bank behind a load balancer.
func TestLogoutOnOneInstanceReachesAnotherWithinTheSessionCacheTime(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		cfg := auth.DefaultConfig()
		f := newFixture(t, d, cfg)
		otherInstance := &auth.Service{Texts: f.auth.Texts, DB: d, Clock: f.clk, Customers: f.cs, Hasher: f.auth.Hasher, Config: cfg, Key: f.auth.Key}
		c := f.person(t, "Arta", "Leka")
		token, _ := f.login(t, c, pw1)
		if _, err := otherInstance.Authenticate(f.ctx, token); err != nil {
			t.Fatalf("other instance: %v", err)
		}
		if err := f.auth.Logout(f.ctx, token); err != nil {
			t.Fatal(err)
		}
		_, err := f.auth.Authenticate(f.ctx, token)
		wantCode(t, err, kumbara.KindUnauthorized, "session_expired")
		f.clk.Advance(cfg.SessionCacheFor)
		_, err = otherInstance.Authenticate(f.ctx, token)
		wantCode(t, err, kumbara.KindUnauthorized, "session_expired")
	})
}

func TestRememberedSessionStillExpiresWhenIdle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		cfg := auth.DefaultConfig()
		cfg.SessionCacheFor = time.Hour // longer than the idle timeout: expiry must not depend on the cache
		f := newFixture(t, d, cfg)
		c := f.person(t, "Ilir", "Meta")
		token, _ := f.login(t, c, pw1)
		if _, err := f.auth.Authenticate(f.ctx, token); err != nil {
			t.Fatal(err)
		}
		f.clk.Advance(cfg.IdleTimeout + time.Second)
		_, err := f.auth.Authenticate(f.ctx, token)
		wantCode(t, err, kumbara.KindUnauthorized, "session_expired")
	})
}
