package app_test

import (
	"context"
	"regexp"
	"testing"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/staff"
)

// TestStaffAndCustomerSessionsNeverCross: a customer's session token is no staff session (staff_unauthenticated)
// and a staff session's token is no customer's (unauthenticated), although both are live.
func TestStaffAndCustomerSessionsNeverCross(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		cfg := config(d)
		cfg.DeliverAtOnce = true
		b := open(t, cfg)

		c, _ := person(t, b, 1)
		ch, err := b.Auth.Login(ctx, c.ClientNumber, "Fillim2026x")
		if err != nil {
			t.Fatal(err)
		}
		msgs, err := b.Sandbox.InboxFor(ctx, c.Mobile, 1)
		if err != nil || len(msgs) == 0 {
			t.Fatalf("no login code: %v", err)
		}
		customerToken, _, err := b.Auth.VerifyOTP(ctx, ch.ID, regexp.MustCompile(`\b\d{6}\b`).FindString(msgs[0].Body))
		if err != nil {
			t.Fatal(err)
		}

		created, err := b.Staff.Create(ctx, nil, staff.NewMember{Username: "admin", FullName: "Ana Administratore",
			Branch: "Drejtoria", Roles: []staff.Role{staff.Admin}, Password: "Sporteli#4826"})
		if err != nil {
			t.Fatal(err)
		}
		step, err := b.Staff.Login(ctx, "admin", "Sporteli#4826")
		if err != nil {
			t.Fatal(err)
		}
		code, _ := staff.Code(created.Enrolment.Secret, b.Clock.Now())
		sess, err := b.Staff.Verify(ctx, step.Token, code)
		if err != nil {
			t.Fatal(err)
		}

		if _, err := b.Auth.Authenticate(ctx, customerToken); err != nil {
			t.Fatalf("the customer's own session: %v", err)
		}
		if _, err := b.Staff.Admit(ctx, sess.Token); err != nil {
			t.Fatalf("the member's own session: %v", err)
		}
		if _, err := b.Staff.Admit(ctx, customerToken); kumbara.CodeOf(err) != "staff_unauthenticated" {
			t.Errorf("a customer's token as a staff session: %v", err)
		}
		if _, err := b.Auth.Authenticate(ctx, sess.Token); kumbara.CodeOf(err) != "unauthenticated" {
			t.Errorf("a staff token as a customer's session: %v", err)
		}
	})
}
