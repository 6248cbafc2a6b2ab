package access_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/web/webtest"
)

func TestWebBusinessUserMayNotManagePasskeysOrDevices(t *testing.T) {
	b := newBank(t)
	bg := context.Background()
	arben, _ := b.Customers.ByClientNumber(bg, arbenClient)
	if err := b.Auth.SetPassword(bg, arben.ID, arbenOwnPW, false); err != nil {
		t.Fatal(err)
	}
	ch, err := b.Auth.LoginBusiness(bg, arbenClient, demo.BusinessNIPT, arbenOwnPW)
	if err != nil {
		t.Fatal(err)
	}
	msgs, _ := b.Inbox.InboxFor(bg, arben.Mobile, 1)
	token, sess, err := b.Auth.VerifyOTP(bg, ch.ID, webtest.CodeRe.FindString(msgs[0].Body))
	if err != nil {
		t.Fatal(err)
	}
	if sess.UserID != arben.ID {
		t.Fatalf("session %+v is not Arben's for the business", sess)
	}
	want := b.Catalogue.Message("sq", "business_user_not_allowed", nil)
	for _, path := range []string{"/profile/passkeys", "/profile/devices"} {
		if a := webtest.Do(t, b.Bank, "GET", path, token, false, nil); a.Status != http.StatusForbidden || !strings.Contains(a.Body, want) {
			t.Errorf("%s in a business user's session: %d, want 403 saying %q", path, a.Status, want)
		}
	}
	if a := webtest.Do(t, b.Bank, "GET", "/summary", token, false, nil); a.Status != http.StatusOK {
		t.Errorf("/summary in a business user's session: %d", a.Status)
	}
	// Nor confirm a payment with the business's passkeys: no person holds them; the code to their phone does.
	for _, path := range []string{"/transfers/any/confirm/passkey/options", "/transfers/any/confirm/passkey"} {
		req, _ := http.NewRequest("POST", b.URL+path, strings.NewReader(`{}`))
		req.Header.Set("Content-Type", "application/json")
		req.AddCookie(&http.Cookie{Name: "kumbara_session", Value: token})
		resp, err := webtest.NoRedirect().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s in a business user's session: %d, want 403", path, resp.StatusCode)
		}
	}
	// Arben's own session still manages them.
	own := webtest.Token(t, b.Bank, arbenClient, arbenOwnPW, arben.Mobile)
	if a := webtest.Do(t, b.Bank, "GET", "/profile/passkeys", own, false, nil); a.Status != http.StatusOK {
		t.Errorf("Arben's own session: /profile/passkeys %d", a.Status)
	}
}

func TestWebPasswordChangeOfABusinessUserIsTheirOwn(t *testing.T) {
	b := newBank(t)
	bg := context.Background()
	arben, _ := b.Customers.ByClientNumber(bg, arbenClient)
	if err := b.Auth.SetPassword(bg, arben.ID, arbenOwnPW, false); err != nil {
		t.Fatal(err)
	}
	ch, err := b.Auth.LoginBusiness(bg, arbenClient, demo.BusinessNIPT, arbenOwnPW)
	if err != nil {
		t.Fatal(err)
	}
	msgs, _ := b.Inbox.InboxFor(bg, arben.Mobile, 1)
	token, _, err := b.Auth.VerifyOTP(bg, ch.ID, webtest.CodeRe.FindString(msgs[0].Body))
	if err != nil {
		t.Fatal(err)
	}
	// Arben holds a demo debit card, so the change asks for it too (A12): its last six digits and its PIN.
	cards, err := b.Cards.List(bg, arben.ID)
	if err != nil || len(cards) == 0 {
		t.Fatalf("Arben's cards: %v %v", cards, err)
	}
	pan, err := b.Cards.Reveal(bg, cards[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	const newPW = "Deti.Jon48"
	form := map[string][]string{"old_password": {arbenOwnPW}, "new_password": {newPW}, "confirm_password": {newPW},
		"card_last6": {pan[len(pan)-6:]}, "card_pin": {demo.CardPIN}}
	if a := webtest.Do(t, b.Bank, "POST", "/profile/password", token, false, form); a.Status != http.StatusSeeOther ||
		a.Location != "/profile/password?m=changed" {
		t.Fatalf("password change in a business user's session: %d %s %s", a.Status, a.Location, a.Body)
	}
	if _, err := b.Auth.LoginBusiness(bg, arbenClient, demo.BusinessNIPT, newPW); err != nil {
		t.Errorf("Arben's new password does not log him in to the business: %v", err)
	}
	if _, err := b.Auth.LoginBusiness(bg, "100000004", demo.BusinessNIPT, demo.Password); err != nil {
		t.Errorf("the business's own password changed: %v", err)
	}
}
