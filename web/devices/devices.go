// Package devices is the devices pages of the internet branch's profile (A7): the customer's registered phones,
// each one's activity and its deactivation.
package devices

import (
	"embed"
	"errors"
	"net/http"
	"time"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/device"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/web/core"
)

//go:embed templates/*.html
var templates embed.FS

// Area is the devices pages: its pages and routes.
func Area() core.Area {
	return core.Area{Name: "devices", Templates: core.Dir(templates, "templates"), Routes: func(site *core.Site) []core.Route {
		return (&area{site}).routes()
	}}
}

// area is the devices pages' handlers, on the site.
type area struct{ *core.Site }

// routes are the devices page of the profile (A7): the customer's registered phones with name, type, trusted since and last
// action; each one's activity; deactivation with a confirmation. Devices are registered and trusted in the app.
func (s *area) routes() []core.Route {
	if s.Devices == nil {
		return nil
	}
	return []core.Route{
		{Method: "GET", Path: "/profile/devices", Policy: core.PersonalOnly(""), Handler: s.devicesPage},
		{Method: "GET", Path: "/profile/devices/{id}", Policy: core.PersonalOnly(""), Handler: s.devicePage},
		{Method: "GET", Path: "/profile/devices/{id}/deactivate", Policy: core.PersonalOnly(""), Handler: s.deactivateDevicePage},
		{Method: "POST", Path: "/profile/devices/{id}/deactivate", Policy: core.PersonalOnly(""), Handler: s.deactivateDevice},
	}
}

type deviceRow struct {
	ID, Name, Type, TrustedSince, LastAction string
	Trusted                                  bool
}

type activityRow struct {
	Action, At, Location string
}

type devicePageData struct {
	Device   deviceRow
	Activity []activityRow
}

// shownTime is a date and time in the bank's zone, as the page's language writes it.
func shownTime(t time.Time, l i18n.Lang) string {
	if t.IsZero() {
		return ""
	}
	if l == i18n.EN {
		return t.In(clock.Tirane).Format("2 Jan 2006 15:04")
	}
	return t.In(clock.Tirane).Format("02.01.2006 15:04")
}

func (s *area) row(d device.Device, l i18n.Lang) deviceRow {
	return deviceRow{ID: d.ID, Name: d.Name, Type: s.Catalogue.Message(l, "web_dv_type_"+d.Type, nil),
		Trusted: d.Trusted, TrustedSince: shownTime(d.TrustedAt, l), LastAction: shownTime(d.LastActionAt, l)}
}

func (s *area) devicesPage(w http.ResponseWriter, r *http.Request) {
	list, err := s.Devices.List(r.Context(), core.SessionOf(r).CustomerID)
	if err != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return
	}
	l := core.Lang(r)
	rows := []deviceRow{}
	for _, d := range list {
		rows = append(rows, s.row(d, l))
	}
	v := core.View{Title: "web_dv_title", Data: rows}
	if r.URL.Query().Get("m") == "deactivated" {
		v.Notice = s.Catalogue.Message(l, "web_dv_deactivated", nil)
	}
	s.Render(w, r, http.StatusOK, "devices", v)
}

// load returns one of the customer's devices; another customer's is the not-found page.
func (s *area) load(w http.ResponseWriter, r *http.Request) (device.Device, bool) {
	d, err := s.Devices.Get(r.Context(), core.SessionOf(r).CustomerID, r.PathValue("id"))
	if errors.Is(err, device.ErrNotFound) {
		s.ErrorPage(w, r, http.StatusNotFound, device.ErrNotFound.Code)
		return device.Device{}, false
	}
	if err != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return device.Device{}, false
	}
	return d, true
}

func (s *area) devicePage(w http.ResponseWriter, r *http.Request) {
	d, ok := s.load(w, r)
	if !ok {
		return
	}
	history, err := s.Devices.History(r.Context(), d.CustomerID, d.ID)
	if err != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return
	}
	l := core.Lang(r)
	data := devicePageData{Device: s.row(d, l)}
	for _, a := range history {
		data.Activity = append(data.Activity, activityRow{Action: s.Catalogue.Message(l, "web_dv_action_"+a.Action, nil),
			At: shownTime(a.At, l), Location: a.Location})
	}
	s.Render(w, r, http.StatusOK, "device", core.View{Title: "web_dv_activity_title", Data: data})
}

func (s *area) deactivateDevicePage(w http.ResponseWriter, r *http.Request) {
	d, ok := s.load(w, r)
	if !ok {
		return
	}
	s.Render(w, r, http.StatusOK, "device_deactivate", core.View{Title: "web_dv_deactivate_title",
		Data: s.row(d, core.Lang(r))})
}

func (s *area) deactivateDevice(w http.ResponseWriter, r *http.Request) {
	err := s.Devices.Deactivate(r.Context(), core.SessionOf(r).CustomerID, r.PathValue("id"), device.Seen{})
	if errors.Is(err, device.ErrNotFound) {
		s.ErrorPage(w, r, http.StatusNotFound, device.ErrNotFound.Code)
		return
	}
	if err != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return
	}
	http.Redirect(w, r, "/profile/devices?m=deactivated", http.StatusSeeOther)
}
