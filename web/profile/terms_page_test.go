package profile_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/web/webtest"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/terms"
)

// apiTerms is GET /api/v1/terms with a session's bearer token.
func apiTerms(t *testing.T, b *bank, token string) (version, doc, url, text string) {
	t.Helper()
	req, _ := http.NewRequest("GET", b.URL+"/api/v1/terms", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct{ Version, Document, URL, Text string }
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/terms: %d %v", resp.StatusCode, err)
	}
	return got.Version, got.Document, got.URL, got.Text
}

// firstHeading is the text of a terms document's first h2, enough to tell one document from another.
func firstHeading(t *testing.T, html string) string {
	t.Helper()
	i := strings.Index(html, "<h2>")
	j := strings.Index(html, "</h2>")
	if i < 0 || j < i {
		t.Fatalf("document without a heading: %.80q", html)
	}
	return html[i+len("<h2>") : j]
}

// The app opens the url GET /api/v1/terms gives it in a browser: the internet branch must serve it, to anyone,
// with the same version's text, for an individual's terms and a business's.
func TestTheTermsAddressTheAPIGivesIsAPageOfTheWebApp(t *testing.T) {
	b := newBank(t)
	bg := context.Background()
	individual := webtest.Token(t, b.Bank, "100000001", demo.Password, "+355691000001")
	ch, err := b.Auth.LoginBusiness(bg, "100000004", demo.BusinessNIPT, demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	msgs, _ := b.Inbox.InboxFor(bg, "+355694000004", 1)
	business, _, err := b.Auth.VerifyOTP(bg, ch.ID, webtest.CodeRe.FindString(msgs[0].Body))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, token string
		doc         terms.Doc
	}{{"individual", individual, terms.Individual}, {"business", business, terms.Business}} {
		t.Run(tt.name, func(t *testing.T) {
			version, doc, url, text := apiTerms(t, b, tt.token)
			if doc != string(tt.doc) || version != terms.Current || url != terms.Page(tt.doc) {
				t.Fatalf("API gives %s %s at %q", doc, version, url)
			}
			// Opened as a browser would: no session, asking for HTML.
			req, _ := http.NewRequest("GET", b.URL+url, nil)
			req.Header.Set("Accept", "text/html")
			resp, err := webtest.NoRedirect().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			page, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: %d", url, resp.StatusCode)
			}
			if !strings.Contains(string(page), firstHeading(t, text)) || !strings.Contains(string(page), version) ||
				!strings.Contains(string(page), `data-doc="`+doc+`"`) {
				t.Errorf("%s does not show the %s terms of version %s", url, doc, version)
			}
		})
	}
}
