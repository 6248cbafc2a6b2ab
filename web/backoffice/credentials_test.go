package backoffice_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/bankdir"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/web/webtest"
)

// tokenOnPage is the credential's token as the page shows it.
var tokenOnPage = regexp.MustCompile(`id="credential-token">(kvop_[A-Za-z0-9_-]+)<`)

// TestABanksCredentialIsIssuedShownOnceAndRevokedOnItsPage: the back office issues a bank a credential from the
// bank's page and is shown its token once (201, never stored by the browser), which authenticates the bank; the
// bank's page then lists it without the token, and revoking it there stops it at once. A teller reads the page
// without the buttons and their posts are the 403 page; a bank the directory lacks is the not-found page.
func TestABanksCredentialIsIssuedShownOnceAndRevokedOnItsPage(t *testing.T) {
	b := webtest.NewBank(t)
	credins(t, b)
	teller, keeper := webtest.StaffToken(t, b, "teller"), webtest.StaffToken(t, b, "backoffice")
	if a := staffGet(t, b, "/backoffice/banks", keeper, i18n.EN); !strings.Contains(a.Body, `href="/backoffice/banks/212"`) {
		t.Fatalf("the directory links no bank's page: %d", a.Status)
	}
	page := staffGet(t, b, "/backoffice/banks/212", keeper, i18n.EN)
	if page.Status != http.StatusOK || !strings.Contains(page.Body, `id="no-credentials"`) ||
		!strings.Contains(page.Body, `id="credential-issue-form"`) || !strings.Contains(page.Body, "CDISALTR") {
		t.Fatalf("the bank's page: %d", page.Status)
	}

	a := postIn(t, b, "/backoffice/banks/212/credentials", keeper, i18n.EN, nil)
	m := tokenOnPage.FindStringSubmatch(a.Body)
	if a.Status != http.StatusCreated || a.Header.Get("Cache-Control") != "no-store" || m == nil ||
		!strings.Contains(a.Body, htmlText(b.Catalogue.Message(i18n.EN, "web_bo_credential_once", nil))) ||
		!strings.Contains(a.Body, `data-copy="`+m[1]+`"`) {
		t.Fatalf("issuing: %d %q: %s", a.Status, a.Header.Get("Cache-Control"), a.Body)
	}
	token := m[1]
	bank, err := b.BackOffice.Directory.Authenticate(context.Background(), token)
	if err != nil || bank.Code != "212" {
		t.Fatalf("the token shown: %+v, %v", bank, err)
	}
	list, err := b.BackOffice.Directory.Credentials(context.Background(), "212")
	if err != nil || len(list) != 1 || list[0].CreatedBy != "backoffice" {
		t.Fatalf("credentials %+v, %v", list, err)
	}
	id := list[0].ID

	for _, lang := range []i18n.Lang{i18n.SQ, i18n.EN} {
		page = staffGet(t, b, "/backoffice/banks/212", teller, lang)
		if page.Status != http.StatusOK || !strings.Contains(page.Body, `id="credential-`+id+`"`) ||
			strings.Contains(page.Body, token) || strings.Contains(page.Body, `id="credential-issue-form"`) ||
			strings.Contains(page.Body, `id="revoke-`+id+`"`) ||
			!strings.Contains(page.Body, htmlText(b.Catalogue.Message(lang, "web_bo_credential_live", nil))) {
			t.Errorf("the teller's page (%s): %d", lang, page.Status)
		}
	}
	for _, path := range []string{"/backoffice/banks/212/credentials", "/backoffice/banks/212/credentials/" + id + "/revoke"} {
		if a := postIn(t, b, path, teller, i18n.EN, nil); a.Status != http.StatusForbidden {
			t.Errorf("the teller posting %s: %d", path, a.Status)
		}
	}
	for _, path := range []string{"/backoffice/banks/217", "/backoffice/banks/999"} {
		if a := staffGet(t, b, path, keeper, i18n.EN); a.Status != http.StatusNotFound {
			t.Errorf("%s: %d", path, a.Status)
		}
	}
	if a := postIn(t, b, "/backoffice/banks/217/credentials", keeper, i18n.EN, nil); a.Status != http.StatusNotFound {
		t.Errorf("issuing to a bank the directory lacks: %d", a.Status)
	}
	if a := postIn(t, b, "/backoffice/banks/212/credentials/0190a0c8-0000-7000-8000-000000000000/revoke", keeper,
		i18n.EN, nil); a.Status != http.StatusNotFound {
		t.Errorf("revoking an unknown credential: %d", a.Status)
	}

	a = postIn(t, b, "/backoffice/banks/212/credentials/"+id+"/revoke", keeper, i18n.EN, nil)
	if a.Status != http.StatusSeeOther || a.Location != "/backoffice/banks/212?m=revoked#credential-"+id {
		t.Fatalf("revoking: %d to %q", a.Status, a.Location)
	}
	if _, err := b.BackOffice.Directory.Authenticate(context.Background(), token); err != bankdir.ErrCredentialInvalid {
		t.Errorf("the revoked token: %v", err)
	}
	page = staffGet(t, b, "/backoffice/banks/212?m=revoked", keeper, i18n.EN)
	if !strings.Contains(page.Body, htmlText(b.Catalogue.Message(i18n.EN, "web_bo_credential_revoked_notice", nil))) ||
		strings.Contains(page.Body, `id="revoke-`+id+`"`) ||
		!strings.Contains(page.Body, htmlText(b.Catalogue.Message(i18n.EN, "web_bo_credential_revoked", nil))) {
		t.Errorf("the page after revoking: %d", page.Status)
	}
}
