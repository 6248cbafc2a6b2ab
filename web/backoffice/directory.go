package backoffice

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/kumbara/kumbara"
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
		{Method: "GET", Path: banksPath + "/{code}", Policy: Staffed(""), Permission: staff.PaymentsRead,
			Handler: s.bankPage},
		{Method: "POST", Path: banksPath + "/{code}/credentials", Policy: Staffed(""),
			Permission: staff.DirectoryManage, Handler: s.issueCredential},
		{Method: "POST", Path: banksPath + "/{code}/credentials/{id}/revoke", Policy: Staffed(""),
			Permission: staff.DirectoryManage, Handler: s.revokeCredential},
	}
}

// bankPath is the page of the bank with the code.
func bankPath(code string) string { return banksPath + "/" + url.PathEscape(code) }

// bankNotices are a bank's page's notices by its m parameter.
var bankNotices = map[string]string{"revoked": "web_bo_credential_revoked_notice"}

// bankData is a bank's page: the bank and its VoP credentials, with which it asks this bank's name checks.
type bankData struct {
	Bank        bankdir.Bank
	Credentials []bankdir.Credential
}

// bankPage is a bank of the directory with its VoP credentials (payments.read), and for a member who keeps the
// directory a button that issues one and, on each live one, a button that revokes it.
func (s *Server) bankPage(w http.ResponseWriter, r *http.Request) {
	v := View{Title: "web_bo_bank_title"}
	if key, ok := bankNotices[r.URL.Query().Get("m")]; ok {
		v.Notice = s.message(r, key, nil)
	}
	s.showBank(w, r, http.StatusOK, v)
}

// showBank renders the page of the bank the path names as it is now, with v's notice or problem; a bank the
// directory lacks is the not-found page.
func (s *Server) showBank(w http.ResponseWriter, r *http.Request, status int, v View) {
	code := r.PathValue("code")
	b, err := s.Directory.ByCode(r.Context(), code)
	if err != nil {
		s.refused(w, r, notFound(err), func(w http.ResponseWriter, r *http.Request, status int, v View) {
			s.showBanks(w, r, status, v, bankForm{})
		})
		return
	}
	list, err := s.Directory.Credentials(r.Context(), b.Code)
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	v.Title, v.Data = "web_bo_bank_title", bankData{Bank: b, Credentials: list}
	s.render(w, r, status, "bank", v)
}

// notFound is a lookup's refusal of the bank a page's path names, which is a page that does not exist.
func notFound(err error) error {
	if errors.Is(err, bankdir.ErrUnknown) || errors.Is(err, bankdir.ErrOwnBank) {
		return kumbara.ErrNotFound
	}
	return err
}

// credentialIssuedData is the page of a credential just issued, the one time its token is shown.
type credentialIssuedData struct {
	Bank       bankdir.Bank
	Credential bankdir.Credential
	Token      string
}

// issueCredential issues the bank a VoP credential and shows its token this once, for the member to hand to the
// bank: the answer is never stored by the browser (no-store) and the token never logged.
func (s *Server) issueCredential(w http.ResponseWriter, r *http.Request) {
	c, token, err := s.Operations.IssueBankCredential(r.Context(), MemberOf(r), r.PathValue("code"))
	if err != nil {
		s.refused(w, r, notFound(err), s.showBank)
		return
	}
	b, err := s.Directory.ByCode(r.Context(), c.BankCode)
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusCreated, "credential_issued", View{Title: "web_bo_credential_issued_title",
		Data: credentialIssuedData{Bank: b, Credential: c, Token: token}})
}

// revokeCredential revokes the credential the path names and says so on its bank's page.
func (s *Server) revokeCredential(w http.ResponseWriter, r *http.Request) {
	c, err := s.Operations.RevokeBankCredential(r.Context(), MemberOf(r), r.PathValue("id"))
	if err != nil {
		s.refused(w, r, err, s.showBank)
		return
	}
	http.Redirect(w, r, withNotice(bankPath(c.BankCode), "revoked")+"#credential-"+url.QueryEscape(c.ID),
		http.StatusSeeOther)
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
