package passkeys_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/web/webtest"
)

func TestPasskeyStepsAnswerBadInputWithAStableCodeAndNever500(t *testing.T) {
	b := newBank(t)
	token := webtest.Token(t, b.Bank, "100000001", demo.Password, "+355691000001")
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
			a := webtest.PostJSON(t, b.Bank, tc.path, tc.token, tc.contentType, tc.body)
			if a.Status != tc.status || a.JSON["code"] != tc.code || a.JSON["error"] == "" {
				t.Fatalf("answer %d %v, want %d %s", a.Status, a.JSON, tc.status, tc.code)
			}
		})
	}
	if n := b.Failures(t, "100000001"); n != 0 {
		t.Fatalf("bad input counted %d failures", n)
	}
}

func TestPasskeyPagesNeedASessionAndHideOtherCustomersPasskeys(t *testing.T) {
	b := newBank(t)
	if a := webtest.PostJSON(t, b.Bank, "/profile/passkeys/begin", "", "application/json", `{"password":"x"}`); a.Status != http.StatusSeeOther ||
		!strings.HasPrefix(a.Location, "/login") {
		t.Fatalf("begin without a session: %d %s", a.Status, a.Location)
	}
	token := webtest.Token(t, b.Bank, "100000001", demo.Password, "+355691000001")
	if a := webtest.PostJSON(t, b.Bank, "/profile/passkeys/0192f0c0-0000-7000-8000-000000000000/remove", token,
		"application/x-www-form-urlencoded", ""); a.Status != http.StatusNotFound {
		t.Fatalf("removing an unknown passkey: %d", a.Status)
	}
	a := webtest.PostJSON(t, b.Bank, "/login/passkey/begin", "", "application/json", "")
	opts, _ := a.JSON["options"].(map[string]any)
	if a.Status != http.StatusOK || a.JSON["ceremony"] == "" || opts["rpId"] != "localhost" ||
		opts["userVerification"] != "required" || opts["challenge"] == "" {
		t.Fatalf("login begin: %d %v", a.Status, a.JSON)
	}
}
