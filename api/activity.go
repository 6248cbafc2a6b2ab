package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/i18n"
)

// activityJSON is one entry of the customer's security activity: what happened, when, from where, and how it
// ended. The state before and after stays in the log: it is for the bank's review, not the customer's list.
type activityJSON struct {
	ID        string    `json:"id"`
	At        time.Time `json:"at"`
	Action    string    `json:"action"`
	Label     string    `json:"label"`
	Result    string    `json:"result"`
	Client    string    `json:"client"`
	ActorKind string    `json:"actor_kind"`
	AccountID string    `json:"account_id,omitempty"`
}

// activity answers GET /api/v1/me/activity: the customer's own audit entries, newest first, a page at a time.
func (s *Server) activity(w http.ResponseWriter, r *http.Request) {
	q, err := audit.ParseQuery(r.URL.Query())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	page, err := s.Audit.Activity(r.Context(), sessionOf(r).CustomerID, q)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	lang := i18n.FromAcceptLanguage(r.Header.Get("Accept-Language"))
	out := make([]activityJSON, 0, len(page.Entries))
	for _, e := range page.Entries {
		out = append(out, activityJSON{ID: strconv.FormatInt(e.Seq, 10), At: e.At.UTC(), Action: e.Action,
			Label: s.Catalogue.Message(lang, audit.TextKey(e.Action), nil), Result: e.Result, Client: e.Client,
			ActorKind: e.Actor.Kind, AccountID: e.AccountID})
	}
	var next any
	if page.Next != 0 {
		next = strconv.FormatInt(page.Next, 10)
	}
	s.JSON(w, r, http.StatusOK, map[string]any{"activity": out, "next_cursor": next})
}
