package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/demo"
)

type pkAnswer struct {
	status   int
	location string
	json     map[string]any
}

// pkPost posts a body to a passkey step as passkeys.js does (same origin, JSON unless told otherwise).
func pkPost(t *testing.T, b *bank, path, token, contentType, body string) pkAnswer {
	t.Helper()
	req, _ := http.NewRequest("POST", b.url+path, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if token != "" {
		req.AddCookie(&http.Cookie{Name: "kumbara_session", Value: token})
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := pkAnswer{status: resp.StatusCode, location: resp.Header.Get("Location")}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &a.json); err != nil {
			t.Fatalf("%s answered %q: %v", path, raw, err)
		}
	}
	return a
}

func TestPasskeyStepsAnswerBadInputWithAStableCodeAndNever500(t *testing.T) {
	b := newBank(t)
	token := prToken(t, b, "100000001", demo.Password, "+355691000001")
	const js = "application/json"
	for _, tc := range []struct {
		name, path, token, contentType, body string
		status                               int
		code                                 string
	}{
		{"a form instead of JSON", "/login/passkey/finish", "", "application/x-www-form-urlencoded", "ceremony=x", 400, "unsupported_media_type"},
		{"not JSON", "/login/passkey/finish", "", js, "{", 400, "malformed_json"},
		{"an unknown field", "/login/passkey/finish", "", js, `{"ceremony":"x","user":"100000001"}`, 400, "unknown_field"},
		{"an unknown ceremony", "/login/passkey/finish", "", js, `{"ceremony":"x","credential":{}}`, 401, "passkey_invalid"},
		{"a ceremony id with NUL", "/login/passkey/finish", "", js, `{"ceremony":"a\u0000b","credential":{}}`, 401, "passkey_invalid"},
		{"too large", "/login/passkey/finish", "", js, `{"ceremony":"` + strings.Repeat("a", 80<<10) + `"}`, 413, "body_too_large"},
		{"no password", "/profile/passkeys/begin", token, js, `{"name":"x","password":""}`, 400, "field_required"},
		{"a control character in the name", "/profile/passkeys/begin", token, js, `{"name":"a\tb","password":"x"}`, 400, "passkey_name_invalid"},
		{"a registration that was never begun", "/profile/passkeys/finish", token, js, `{"ceremony":"x","name":"n","credential":{}}`, 400, "passkey_registration_failed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := pkPost(t, b, tc.path, tc.token, tc.contentType, tc.body)
			if a.status != tc.status || a.json["code"] != tc.code || a.json["error"] == "" {
				t.Fatalf("answer %d %v, want %d %s", a.status, a.json, tc.status, tc.code)
			}
		})
	}
	if n := b.failures(t, "100000001"); n != 0 {
		t.Fatalf("bad input counted %d failures", n)
	}
}

func TestPasskeyPagesNeedASessionAndHideOtherCustomersPasskeys(t *testing.T) {
	b := newBank(t)
	if a := pkPost(t, b, "/profile/passkeys/begin", "", "application/json", `{"password":"x"}`); a.status != http.StatusSeeOther ||
		!strings.HasPrefix(a.location, "/login") {
		t.Fatalf("begin without a session: %d %s", a.status, a.location)
	}
	token := prToken(t, b, "100000001", demo.Password, "+355691000001")
	if a := pkPost(t, b, "/profile/passkeys/0192f0c0-0000-7000-8000-000000000000/remove", token,
		"application/x-www-form-urlencoded", ""); a.status != http.StatusNotFound {
		t.Fatalf("removing an unknown passkey: %d", a.status)
	}
	a := pkPost(t, b, "/login/passkey/begin", "", "application/json", "")
	opts, _ := a.json["options"].(map[string]any)
	if a.status != http.StatusOK || a.json["ceremony"] == "" || opts["rpId"] != "localhost" ||
		opts["userVerification"] != "required" || opts["challenge"] == "" {
		t.Fatalf("login begin: %d %v", a.status, a.json)
	}
}
