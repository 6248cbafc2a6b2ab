package api_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
)

type activityPage struct {
	Activity []struct {
		ID        string `json:"id"`
		Action    string `json:"action"`
		Label     string `json:"label"`
		Result    string `json:"result"`
		Client    string `json:"client"`
		ActorKind string `json:"actor_kind"`
	} `json:"activity"`
	NextCursor *string `json:"next_cursor"`
}

func (b *bank) activity(t *testing.T, token, query string, headers ...string) activityPage {
	t.Helper()
	r := b.do(t, "GET", "/api/v1/me/activity"+query, token, nil, headers...)
	wantStatus(t, r, http.StatusOK)
	var p activityPage
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestMyActivityListsTheCustomersOwnSecurityEvents: a wrong password, the logins and their codes show on the
// customer's activity, newest first, named in the reader's language and a page at a time; another customer's
// never do, and a bad page request is a 400 naming the parameter.
func TestMyActivityListsTheCustomersOwnSecurityEvents(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		r := b.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"username": arben, "password": "Gabim-2026x"})
		wantStatus(t, r, http.StatusUnauthorized)
		token := b.login(t, arben)
		theirs := b.login(t, elira)

		p := b.activity(t, token, "", "Accept-Language", "en")
		if len(p.Activity) < 4 || p.NextCursor != nil {
			t.Fatalf("activity %+v", p)
		}
		if p.Activity[0].Action != "login.succeeded" || p.Activity[0].Label != "Logged in" ||
			p.Activity[0].Result != "ok" || p.Activity[0].ActorKind != "customer" || p.Activity[0].Client == "" {
			t.Errorf("newest %+v", p.Activity[0])
		}
		found := false
		for _, e := range p.Activity {
			found = found || (e.Action == "login.password.failed" && e.Result == "login_failed")
		}
		if !found {
			t.Errorf("the wrong password is not on the activity: %+v", p.Activity)
		}
		if sq := b.activity(t, token, "?limit=1"); sq.Activity[0].Label != "Hyrje e suksesshme" || sq.NextCursor == nil {
			t.Errorf("first page of one, in Albanian: %+v", sq)
		} else if next := b.activity(t, token, "?limit=1&cursor="+*sq.NextCursor); len(next.Activity) != 1 ||
			next.Activity[0].ID == sq.Activity[0].ID {
			t.Errorf("second page %+v after %+v", next, sq)
		}
		mine := map[string]bool{}
		for _, e := range p.Activity {
			mine[e.ID] = true
		}
		for _, e := range b.activity(t, theirs, "").Activity {
			if mine[e.ID] {
				t.Errorf("entry %s shows to two customers", e.ID)
			}
		}
		b.expectProblem(t, "GET", "/api/v1/me/activity?limit=0", token, nil, http.StatusBadRequest, "invalid_query",
			"X-Test-Invalid-On-Purpose", "limit out of range")
		b.expectProblem(t, "GET", "/api/v1/me/activity?customer=x", token, nil, http.StatusBadRequest,
			"invalid_query", "X-Test-Invalid-On-Purpose", "unknown parameter")
		b.expectProblem(t, "GET", "/api/v1/me/activity", "", nil, http.StatusUnauthorized, "unauthenticated")
	})
}
