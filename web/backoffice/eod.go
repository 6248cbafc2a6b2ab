package backoffice

import (
	"net/http"
	"time"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/eod"
	"github.com/kumbara/kumbara/staff"
)

const eodPath = Prefix + "/eod"

// The close of business: the bank's business date, when it closes, the registered end-of-day steps, and each
// recent day's steps with their results (calendar.read, as `kumbara admin eod`).
func (s *Server) eodRoutes() []Route {
	return []Route{{Method: "GET", Path: eodPath, Policy: Staffed(""), Permission: staff.CalendarRead, Handler: s.eodPage}}
}

// DaysShown is how many of the latest closes the page shows.
const DaysShown = 10

// eodData is the close of business as the page shows it.
type eodData struct {
	BusinessDate calendar.Date
	CloseAt      time.Time
	Steps        []string
	Days         []eodDay
}

// eodDay is one business date's close: its steps in order.
type eodDay struct {
	Date  calendar.Date
	Steps []eod.StepRun
}

func (s *Server) eodPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	date, err := s.EOD.BusinessDate(ctx)
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	runs, err := s.EOD.History(ctx, DaysShown)
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	d := eodData{BusinessDate: date, CloseAt: s.EOD.CloseAt(date), Steps: s.EOD.Steps()}
	for _, run := range runs {
		// History lists the newest date first and each date's steps in order: a new date starts a new day.
		if n := len(d.Days); n == 0 || d.Days[n-1].Date != run.Date {
			d.Days = append(d.Days, eodDay{Date: run.Date})
		}
		last := &d.Days[len(d.Days)-1]
		last.Steps = append(last.Steps, run)
	}
	s.render(w, r, http.StatusOK, "eod", View{Title: "web_bo_eod_title", Data: d})
}
