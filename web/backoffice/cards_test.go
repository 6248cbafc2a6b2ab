package backoffice_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/approval"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/web/webtest"
)

func getIn(t *testing.T, b *webtest.Bank, path, token string) webtest.Answer {
	t.Helper()
	return webtest.Send(t, b, "GET", path, webtest.Request{Cookies: staffCookies(token, i18n.EN)})
}

// TestStaffFindACardAndBlockReprintAndHandItOver: customer service finds Dritan's card by its last four digits,
// blocks it, reprints it, marks the new card ready (the customer is told by SMS) and hands it over; reactivating
// a card reported lost waits for a manager's approval.
func TestStaffFindACardAndBlockReprintAndHandItOver(t *testing.T) {
	b := webtest.NewBank(t)
	c, acc := dritan(t, b)
	ctx := context.Background()
	k, err := b.Cards.Issue(ctx, card.IssueRequest{CustomerID: c.ID, AccountID: acc.ID, Type: card.Visa, PIN: "4739"})
	if err != nil {
		t.Fatal(err)
	}
	service, manager := webtest.StaffToken(t, b, "service"), webtest.StaffToken(t, b, "manager")
	last4 := k.Masked[len(k.Masked)-4:]
	page := getIn(t, b, "/backoffice/cards?last4="+last4, service)
	if page.Status != http.StatusOK || !strings.Contains(page.Body, "/backoffice/cards/"+k.ID) {
		t.Fatalf("search: %d %s", page.Status, page.Body)
	}
	if page := getIn(t, b, "/backoffice/cards?last4=12", service); page.Status != http.StatusBadRequest {
		t.Fatalf("a bad search: %d", page.Status)
	}
	page = getIn(t, b, "/backoffice/cards/"+k.ID, service)
	if page.Status != http.StatusOK || !strings.Contains(page.Body, k.Masked) || !strings.Contains(page.Body, `id="card-block"`) {
		t.Fatalf("card page: %d", page.Status)
	}
	path := "/backoffice/cards/" + k.ID
	a := postIn(t, b, path+"/block", service, i18n.EN, url.Values{"reason": {"temporary"}})
	if a.Status != http.StatusSeeOther || a.Location != path+"?m=card_blocked" || status(t, b, k.ID) != card.Blocked {
		t.Fatalf("block: %d %q", a.Status, a.Location)
	}
	a = postIn(t, b, path+"/reprint", service, i18n.EN, nil)
	fresh, err := b.Cards.Find(ctx, k.ID)
	if err != nil || a.Status != http.StatusSeeOther || fresh.Status != card.Replaced ||
		a.Location != "/backoffice/cards/"+fresh.ReplacedBy+"?m=card_reprinted" {
		t.Fatalf("reprint: %d %q %+v", a.Status, a.Location, fresh)
	}
	// Nothing more can be done to the replaced card: the page says why.
	if a := postIn(t, b, path+"/block", service, i18n.EN, url.Values{"reason": {"lost"}}); a.Status != http.StatusConflict ||
		!strings.Contains(a.Body, b.Catalogue.Message(i18n.EN, "card_final", nil)) {
		t.Fatalf("block a replaced card: %d", a.Status)
	}
	newPath := "/backoffice/cards/" + fresh.ReplacedBy
	if a := postIn(t, b, newPath+"/ready", service, i18n.EN, nil); a.Status != http.StatusSeeOther ||
		status(t, b, fresh.ReplacedBy) != card.Ready {
		t.Fatalf("ready: %d", a.Status)
	}
	var sms string
	if err := b.DB.QueryRow(ctx, "SELECT body FROM outbox WHERE recipient = ? ORDER BY created_at DESC", c.Mobile).Scan(&sms); err != nil ||
		!strings.Contains(sms, "karta juaj e re") {
		t.Fatalf("SMS %q, %v", sms, err)
	}
	if a := postIn(t, b, newPath+"/hand-over", service, i18n.EN, nil); a.Status != http.StatusSeeOther ||
		status(t, b, fresh.ReplacedBy) != card.Active {
		t.Fatalf("hand over: %d", a.Status)
	}

	// Lost: the reactivation waits for the manager.
	if a := postIn(t, b, newPath+"/block", service, i18n.EN, url.Values{"reason": {"lost"}}); a.Status != http.StatusSeeOther {
		t.Fatalf("lost: %d", a.Status)
	}
	if a := postIn(t, b, newPath+"/unblock", service, i18n.EN, nil); a.Status != http.StatusForbidden {
		t.Fatalf("unblocking a lost card at once: %d", a.Status)
	}
	a = postIn(t, b, newPath+"/reactivate-lost", service, i18n.EN, nil)
	req := requestOf(t, b, a, "service")
	if req.Status != approval.Pending || status(t, b, fresh.ReplacedBy) != card.Lost {
		t.Fatalf("request %+v", req)
	}
	a = postIn(t, b, "/backoffice/approvals/"+req.ID+"/approve", manager, i18n.EN, url.Values{"hash": {req.Hash}})
	if a.Status != http.StatusSeeOther || status(t, b, fresh.ReplacedBy) != card.Active {
		t.Fatalf("approve: %d %q", a.Status, a.Location)
	}
	page = getIn(t, b, newPath, service)
	if !strings.Contains(page.Body, b.Catalogue.Message(i18n.EN, "audit_card_lost_reactivated", nil)) {
		t.Fatal("the history does not show the reactivation")
	}
}

func status(t *testing.T, b *webtest.Bank, id string) card.Status {
	t.Helper()
	c, err := b.Cards.Find(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c.Status
}
