package backoffice

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/kumbara/kumbara/bankdir"
	"github.com/kumbara/kumbara/staff"
)

const banksPath = Prefix + "/banks"

// The directory of banks customers pay: every bank with its code, BIC, instant payments and state (payments.read,
// every role), and for a member who keeps it (directory.manage) a form that adds a bank or changes one — its row's
// "change" fills the form — and a button that stops payments to a bank or takes them again, each done at once
// through the operations, as `kumbara admin banks put|deactivate|activate`.
func (s *Server) directoryRoutes() []Route {
	return []Route{
		{Method: "GET", Path: banksPath, Policy: Staffed(""), Permission: staff.PaymentsRead, Handler: s.banksPage},
		{Method: "POST", Path: banksPath, Policy: Staffed(""), Permission: staff.DirectoryManage, Handler: s.putBank},
		{Method: "POST", Path: banksPath + "/{code}/deactivate", Policy: Staffed(""), Permission: staff.DirectoryManage,
			Handler: s.bankActive(false)},
		{Method: "POST", Path: banksPath + "/{code}/activate", Policy: Staffed(""), Permission: staff.DirectoryManage,
			Handler: s.bankActive(true)},
	}
}

// banksNotices are the directory's notices by its m parameter: what was just done.
var banksNotices = map[string]string{"saved": "web_bo_bank_saved", "deactivated": "web_bo_bank_deactivated",
	"activated": "web_bo_bank_activated"}

// banksData is the directory's page: the banks, and the form as typed (or as the bank to change is).
type banksData struct {
	Banks []bankdir.Bank
	Form  bankForm
}

// bankForm is a bank as typed on the form; Change is set when it fills in a bank of the directory.
type bankForm struct {
	Code, BIC, Name string
	Instant, Change bool
}

func (s *Server) banksPage(w http.ResponseWriter, r *http.Request) {
	v := View{Title: "web_bo_banks_title"}
	if key, ok := banksNotices[r.URL.Query().Get("m")]; ok {
		v.Notice = s.message(r, key, nil)
	}
	var f bankForm
	// ?code= fills the form with a bank of the directory, to change it; a code it lacks leaves the form empty.
	if code := r.URL.Query().Get("code"); code != "" && MemberOf(r).Can(staff.DirectoryManage) {
		if b, err := s.Directory.ByCode(r.Context(), code); err == nil {
			f = bankForm{Code: b.Code, BIC: b.BIC, Name: b.Name, Instant: b.Instant, Change: true}
		}
	}
	s.showBanks(w, r, http.StatusOK, v, f)
}

// showBanks renders the directory as it is now, with v's notice or problem and the form f.
func (s *Server) showBanks(w http.ResponseWriter, r *http.Request, status int, v View, f bankForm) {
	banks, err := s.Directory.List(r.Context())
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	v.Title, v.Data = "web_bo_banks_title", banksData{Banks: banks, Form: f}
	s.render(w, r, status, "banks", v)
}

// putBank adds or changes the bank typed, and says so on the directory; a refusal is said on the form, each
// field's problem beside it, with what was typed kept.
func (s *Server) putBank(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := bankForm{Code: strings.TrimSpace(r.PostForm.Get("code")), BIC: r.PostForm.Get("bic"),
		Name: r.PostForm.Get("name"), Instant: r.PostForm.Get("instant") != ""}
	_, err := s.Operations.PutBank(r.Context(), MemberOf(r), bankdir.Bank{Code: f.Code, BIC: f.BIC, Name: f.Name,
		Instant: f.Instant})
	if err != nil {
		s.refused(w, r, err, func(w http.ResponseWriter, r *http.Request, status int, v View) {
			s.showBanks(w, r, status, v, f)
		})
		return
	}
	http.Redirect(w, r, withNotice(banksPath, "saved")+"#bank-"+url.QueryEscape(f.Code), http.StatusSeeOther)
}

// bankActive stops payments to the bank the path names, or takes them again, and says so on the directory.
func (s *Server) bankActive(active bool) http.HandlerFunc {
	done := map[bool]string{true: "activated", false: "deactivated"}[active]
	return func(w http.ResponseWriter, r *http.Request) {
		code := r.PathValue("code")
		if err := s.Operations.SetBankActive(r.Context(), MemberOf(r), code, active); err != nil {
			s.refused(w, r, err, func(w http.ResponseWriter, r *http.Request, status int, v View) {
				s.showBanks(w, r, status, v, bankForm{})
			})
			return
		}
		http.Redirect(w, r, withNotice(banksPath, done)+"#bank-"+url.QueryEscape(code), http.StatusSeeOther)
	}
}
