package web_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/web/webtest"
)

// get fetches path with the given Accept-Encoding (set, so Go's client does not decompress on its own).
func get(t *testing.T, url, encoding string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Accept-Encoding", encoding)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := webtest.NoRedirect().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gzip: %v", err)
	}
	return out
}

var stylesheet = regexp.MustCompile(`href="(/static/app\.[0-9a-f]{16}\.css)"`)

func TestPagesNameStaticFilesByTheirContentHashAndBrowsersKeepThemAYear(t *testing.T) {
	b := webtest.NewBank(t)
	_, page := get(t, b.URL+"/login", "identity")
	m := stylesheet.FindSubmatch(page)
	if m == nil {
		t.Fatalf("the login page names no hashed app.css:\n%s", page)
	}
	resp, css := get(t, b.URL+string(m[1]), "identity")
	if resp.StatusCode != http.StatusOK || !bytes.Contains(css, []byte("--pico-primary")) {
		t.Fatalf("%s: %d %q", m[1], resp.StatusCode, css)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
		t.Errorf("hashed name: Cache-Control %q", cc)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("Content-Type %q", ct)
	}
	// The plain name still answers (an old page, the manifest's icon), revalidated each time.
	resp, plain := get(t, b.URL+"/static/app.css", "identity")
	if !bytes.Equal(plain, css) || resp.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("plain name: %q, Cache-Control %q", resp.Status, resp.Header.Get("Cache-Control"))
	}
	etag := resp.Header.Get("ETag")
	if resp, _ := get(t, b.URL+"/static/app.css", "identity", "If-None-Match", etag); resp.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation with %s: %d, want 304", etag, resp.StatusCode)
	}
	for _, missing := range []string{"/static/nothing.css", "/static/app.0000000000000000.css", "/static/"} {
		if resp, _ := get(t, b.URL+missing, "identity"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", missing, resp.StatusCode)
		}
	}
}

func TestPagesStylesAndScriptsAreGzippedForBrowsersThatAcceptIt(t *testing.T) {
	b := webtest.NewBank(t)
	_, page := get(t, b.URL+"/login", "identity")
	css := stylesheet.FindSubmatch(page)
	if css == nil {
		t.Fatal("no stylesheet")
	}
	for _, path := range []string{"/login", string(css[1]), "/static/htmx-2.0.11.min.js", "/static/pico-2.1.1.min.css"} {
		t.Run(path, func(t *testing.T) {
			_, want := get(t, b.URL+path, "identity")
			resp, body := get(t, b.URL+path, "gzip, deflate, br")
			if resp.Header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("Content-Encoding %q", resp.Header.Get("Content-Encoding"))
			}
			if !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
				t.Errorf("Vary %q", resp.Header.Get("Vary"))
			}
			got := gunzip(t, body)
			if len(body) >= len(want) {
				t.Errorf("gzip saved nothing: %d of %d bytes", len(body), len(want))
			}
			if path == "/login" { // a page is rendered anew: compare its start, not byte for byte
				got, want = got[:200], want[:200]
			}
			if !bytes.Equal(got, want) {
				t.Errorf("gunzipped body differs:\n%q\n%q", got[:min(len(got), 120)], want[:min(len(want), 120)])
			}
			if resp, _ := get(t, b.URL+path, "gzip;q=0"); resp.Header.Get("Content-Encoding") != "" {
				t.Errorf("gzip;q=0 still got %q", resp.Header.Get("Content-Encoding"))
			}
		})
	}
}

func TestTheWebAppHasAManifestTheBrowserMayLoad(t *testing.T) {
	b := webtest.NewBank(t)
	_, page := get(t, b.URL+"/login", "identity")
	m := regexp.MustCompile(`<link rel="manifest" href="(/static/manifest\.[0-9a-f]{16}\.webmanifest)">`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("no manifest link:\n%s", page)
	}
	resp, body := get(t, b.URL+string(m[1]), "identity")
	if resp.Header.Get("Content-Type") != "application/manifest+json" || !bytes.Contains(body, []byte(`"start_url": "/summary"`)) {
		t.Errorf("manifest: %q %s", resp.Header.Get("Content-Type"), body)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "manifest-src 'self'") {
		t.Errorf("the CSP would block the manifest: %q", csp)
	}
}
