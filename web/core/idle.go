package core

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
)

// The idle limit (A1, PSD2 RTS Art. 4: five minutes without activity) is the server's, checked at every request by
// the session gate. A person typing a long form makes no request, so the page (app.js, the "idle" partial) tells
// the server of the activity it sees — at most one light request a minute — and, a minute before the limit, asks
// in a dialog whether to stay signed in (WCAG 2.2.1 Timing Adjustable). Both are POST /session/extend.

// extendSession keeps the session: passing the session gate is what records its use (auth.Service.Admit), so there
// is nothing else to do. A page's script gets 204; the dialog's form, sent without a script, goes back to the page
// it was on.
func (s *Site) extendSession(w http.ResponseWriter, r *http.Request) {
	if strings.Contains(r.Header.Get("Accept"), "application/json") {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	http.Redirect(w, r, LocalPath(r.PostForm.Get("next")), http.StatusSeeOther)
}

// formOwner is a mark of whose session a page belongs to, for the values of a form kept in the browser when the
// session ends (app.js): they are given back only to the same customer, never to the next person who signs in on
// that browser tab. It names nobody by itself.
func formOwner(customerID string) string {
	if customerID == "" {
		return ""
	}
	sum := sha256.Sum256([]byte("kumbara-form-owner:" + customerID))
	return hex.EncodeToString(sum[:8])
}
