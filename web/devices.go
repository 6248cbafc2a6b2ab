package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/device"
	"github.com/kumbara/kumbara/i18n"
)

// The devices page of the profile (A7): the customer's registered phones with name, type, trusted since and last
// action; each one's activity; deactivation with a confirmation. Devices are registered and trusted in the app.
func (s *Server) deviceRoutes() []Route {
	if s.Devices == nil {
		return nil
	}
	return []Route{
		{Method: "GET", Path: "/profile/devices", Policy: personalOnly(""), Handler: s.devicesPage},
		{Method: "GET", Path: "/profile/devices/{id}", Policy: personalOnly(""), Handler: s.devicePage},
		{Method: "GET", Path: "/profile/devices/{id}/deactivate", Policy: personalOnly(""), Handler: s.deactivateDevicePage},
		{Method: "POST", Path: "/profile/devices/{id}/deactivate", Policy: personalOnly(""), Handler: s.deactivateDevice},
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

// dvTime is a date and time in the bank's zone, as the page's language writes it.
func dvTime(t time.Time, l i18n.Lang) string {
	if t.IsZero() {
		return ""
	}
	if l == i18n.EN {
		return t.In(clock.Tirane).Format("2 Jan 2006 15:04")
	}
	return t.In(clock.Tirane).Format("02.01.2006 15:04")
}

func (s *Server) dvRow(d device.Device, l i18n.Lang) deviceRow {
	return deviceRow{ID: d.ID, Name: d.Name, Type: s.Catalogue.Message(l, "web_dv_type_"+d.Type, nil),
		Trusted: d.Trusted, TrustedSince: dvTime(d.TrustedAt, l), LastAction: dvTime(d.LastActionAt, l)}
}

func (s *Server) devicesPage(w http.ResponseWriter, r *http.Request) {
	list, err := s.Devices.List(r.Context(), sessionOf(r).CustomerID)
	if err != nil {
		s.problem(w, r, "error", view{Title: "web_error_title"}, err)
		return
	}
	l := lang(r)
	rows := []deviceRow{}
	for _, d := range list {
		rows = append(rows, s.dvRow(d, l))
	}
	v := view{Title: "web_dv_title", Data: rows}
	if r.URL.Query().Get("m") == "deactivated" {
		v.Notice = s.Catalogue.Message(l, "web_dv_deactivated", nil)
	}
	s.render(w, r, http.StatusOK, "devices", v)
}

// dvLoad returns one of the customer's devices; another customer's is the not-found page.
func (s *Server) dvLoad(w http.ResponseWriter, r *http.Request) (device.Device, bool) {
	d, err := s.Devices.Get(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"))
	if errors.Is(err, device.ErrNotFound) {
		s.errorPage(w, r, http.StatusNotFound, device.ErrNotFound.Code)
		return device.Device{}, false
	}
	if err != nil {
		s.problem(w, r, "error", view{Title: "web_error_title"}, err)
		return device.Device{}, false
	}
	return d, true
}

func (s *Server) devicePage(w http.ResponseWriter, r *http.Request) {
	d, ok := s.dvLoad(w, r)
	if !ok {
		return
	}
	history, err := s.Devices.History(r.Context(), d.CustomerID, d.ID)
	if err != nil {
		s.problem(w, r, "error", view{Title: "web_error_title"}, err)
		return
	}
	l := lang(r)
	data := devicePageData{Device: s.dvRow(d, l)}
	for _, a := range history {
		data.Activity = append(data.Activity, activityRow{Action: s.Catalogue.Message(l, "web_dv_action_"+a.Action, nil),
			At: dvTime(a.At, l), Location: a.Location})
	}
	s.render(w, r, http.StatusOK, "device", view{Title: "web_dv_activity_title", Data: data})
}

func (s *Server) deactivateDevicePage(w http.ResponseWriter, r *http.Request) {
	d, ok := s.dvLoad(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "device_deactivate", view{Title: "web_dv_deactivate_title",
		Data: s.dvRow(d, lang(r))})
}

func (s *Server) deactivateDevice(w http.ResponseWriter, r *http.Request) {
	err := s.Devices.Deactivate(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"), device.Seen{})
	if errors.Is(err, device.ErrNotFound) {
		s.errorPage(w, r, http.StatusNotFound, device.ErrNotFound.Code)
		return
	}
	if err != nil {
		s.problem(w, r, "error", view{Title: "web_error_title"}, err)
		return
	}
	http.Redirect(w, r, "/profile/devices?m=deactivated", http.StatusSeeOther)
}
