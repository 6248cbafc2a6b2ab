// Package activity is the internet branch's page of the customer's own security activity ("Aktiviteti"): logins
// and their failures, factors, sessions, password, device and passkey changes, terms, account settings and
// transfers, as the bank's audit log recorded them, newest first.
package activity

import (
	"embed"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/web/core"
)

//go:embed templates/*.html
var templates embed.FS

// Area is the activity page: its page and route.
func Area() core.Area {
	return core.Area{Name: "activity", Templates: core.Dir(templates, "templates"), Routes: func(site *core.Site) []core.Route {
		return (&area{site}).routes()
	}}
}

type area struct{ *core.Site }

// PageSize is how many entries one page shows.
const PageSize = 25

func (s *area) routes() []core.Route {
	if s.Audit == nil {
		return nil
	}
	return []core.Route{{Method: "GET", Path: "/profile/activity", Policy: core.Private(""), Handler: s.page}}
}

// row is one entry as the page shows it.
type row struct {
	At, What, Client, Refusal string
	OK                        bool
}

type pageData struct {
	Rows []row
	More string // the link to the older entries, if any
	// First says this is the newest page: its empty list means no activity at all.
	First bool
}

// shownTime is a date and time in the bank's zone, as the page's language writes it.
func shownTime(t time.Time, l i18n.Lang) string {
	if l == i18n.EN {
		return t.In(clock.Tirane).Format("2 Jan 2006 15:04")
	}
	return t.In(clock.Tirane).Format("02.01.2006 15:04")
}

func (s *area) page(w http.ResponseWriter, r *http.Request) {
	v := core.View{Title: "web_au_title"}
	q, err := audit.ParseQuery(r.URL.Query())
	if err != nil {
		s.Problem(w, r, "activity", v, err)
		return
	}
	if q.Limit == 0 {
		q.Limit = PageSize
	}
	p, err := s.Audit.Activity(r.Context(), core.SessionOf(r).CustomerID, q)
	if err != nil {
		s.Problem(w, r, "activity", v, err)
		return
	}
	l := core.Lang(r)
	data := pageData{First: q.Cursor == 0, Rows: []row{}}
	for _, e := range p.Entries {
		rw := row{At: shownTime(e.At, l), What: s.Catalogue.Message(l, audit.TextKey(e.Action), nil), Client: e.Client,
			OK: e.Result == audit.ResultOK}
		if !rw.OK {
			rw.Refusal = s.Catalogue.Message(l, e.Result, nil)
			if rw.Refusal == e.Result { // a code the catalogue does not know: say only that it was refused
				rw.Refusal = ""
			}
		}
		data.Rows = append(data.Rows, rw)
	}
	if p.Next != 0 {
		data.More = "/profile/activity?" + url.Values{"cursor": {strconv.FormatInt(p.Next, 10)}}.Encode()
	}
	v.Data = data
	s.Render(w, r, http.StatusOK, "activity", v)
}
