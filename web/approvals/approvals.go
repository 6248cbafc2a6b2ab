// Package approvals is the internet branch's page of 3-D Secure approvals (FEATURES S9; the manual's
// "Aprovimet"): the online card purchases waiting for the customer, each with its merchant, amount, currency and
// the time left, approved with the SMS code that names them or a passkey, or rejected; and the history of
// approvals. The rules are package threeds's: these pages pass what was typed through and show its answer.
package approvals

import (
	"embed"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/sca"
	"github.com/kumbara/kumbara/threeds"
	"github.com/kumbara/kumbara/web/core"
)

//go:embed templates/*.html
var templates embed.FS

// Area is "Aprovimet": its pages and routes.
func Area() core.Area {
	return core.Area{Name: "approvals", Templates: core.Dir(templates, "templates"), Routes: func(site *core.Site) []core.Route {
		return (&area{site}).routes()
	}}
}

type area struct{ *core.Site }

// routes: the list, one approval's page, and its decisions. Approving checks a code (or a passkey) and sending a
// new code sends an SMS: both spend the payment confirmations' budget, as a payment's confirmation does.
func (s *area) routes() []core.Route {
	rt := []core.Route{
		{Method: "GET", Path: "/approvals", Policy: core.Private(""), Handler: s.listPage},
		{Method: "GET", Path: "/approvals/{id}", Policy: core.Private(""), Handler: s.approvalPage},
		{Method: "POST", Path: "/approvals/{id}/approve", Policy: core.Private(httpx.PaymentConfirmation),
			Handler: s.approve, Refused: s.refused},
		{Method: "POST", Path: "/approvals/{id}/code", Policy: core.Private(httpx.PaymentConfirmation),
			Handler: s.resend, Refused: s.refused},
		{Method: "POST", Path: "/approvals/{id}/reject", Policy: core.Private(httpx.PaymentConfirmation),
			Handler: s.reject, Refused: s.refused},
	}
	rt = append(rt, s.passkeyRoutes()...)
	for i := range rt {
		rt[i].Handler = s.available(rt[i].Handler)
	}
	return rt
}

// available answers every page as not found when the bank has no 3-D Secure service (a site built without one, as
// some tests build it): the pages are there, the approvals are not.
func (s *area) available(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.ThreeDS == nil {
			s.ErrorPage(w, r, http.StatusNotFound, threeds.ErrNotFound.Code)
			return
		}
		h(w, r)
	}
}

// row is an approval as the pages show it.
type row struct {
	ID, Merchant, Card, Currency, Status, StatusLabel, Badge, Method string
	Amount                                                           int64
	When                                                             time.Time
	Time, Expires                                                    string
	MinutesLeft                                                      int
}

func (s *area) row(a threeds.Approval) row {
	now := s.Now()
	left := a.TimeLeft(now)
	r := row{ID: a.ID, Merchant: a.Merchant, Card: a.Masked, Currency: string(a.Amount.Currency), Amount: a.Amount.Minor,
		Status: string(a.Status), StatusLabel: "web_3ds_status_" + string(a.Status), Badge: badge(a.Status),
		When: a.CreatedAt, Time: a.CreatedAt.In(clock.Tirane).Format("15:04"),
		Expires: a.ExpiresAt.In(clock.Tirane).Format("15:04"), MinutesLeft: int((left + time.Minute - 1) / time.Minute)}
	if a.Method != "" {
		r.Method = "web_3ds_method_" + a.Method
	}
	return r
}

// badge is the design system's badge of a status: approved (ok), waiting (warn), rejected or expired (bad).
func badge(st threeds.Status) string {
	switch st {
	case threeds.Approved:
		return "badge-ok"
	case threeds.Pending:
		return "badge-warn"
	}
	return "badge-bad"
}

type listData struct {
	Pending, History []row
}

// notices are what the list may say after a decision (?m=).
var notices = map[string]string{"approved": "web_3ds_done_approved", "rejected": "web_3ds_done_rejected"}

func (s *area) listPage(w http.ResponseWriter, r *http.Request) {
	ctx, cust := r.Context(), core.SessionOf(r).CustomerID
	all, err := s.ThreeDS.List(ctx, cust, threeds.FilterAll)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var d listData
	for _, a := range all {
		if a.Status == threeds.Pending {
			d.Pending = append(d.Pending, s.row(a))
		} else {
			d.History = append(d.History, s.row(a))
		}
	}
	v := core.View{Title: "web_3ds_title", Data: d}
	if key, ok := notices[r.URL.Query().Get("m")]; ok {
		v.Notice = s.Message(r, key, nil)
	}
	w.Header().Set("Cache-Control", "no-store")
	s.Render(w, r, http.StatusOK, "approvals", v)
}

// approvalData is one approval's page: what is approved, where the code went, whether the code still works
// (Spent: a new one must be sent) and whether a passkey may approve it.
type approvalData struct {
	row
	Phone   string
	Spent   bool
	Passkey bool
}

func (s *area) approvalPage(w http.ResponseWriter, r *http.Request) { s.show(w, r, nil) }

// show renders the approval of the path with problem when set; one no longer waiting sends the browser to the
// list, which shows it in the history.
func (s *area) show(w http.ResponseWriter, r *http.Request, problem error) {
	ctx, cust := r.Context(), core.SessionOf(r).CustomerID
	a, err := s.ThreeDS.Get(ctx, cust, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if a.Status != threeds.Pending {
		http.Redirect(w, r, "/approvals", http.StatusSeeOther)
		return
	}
	d := approvalData{row: s.row(a), Passkey: s.PasskeyOffered(ctx, cust)}
	if _, err := s.ThreeDS.Challenge(ctx, cust, a.ID, false); err != nil {
		d.Spent = spent(err)
	}
	if who, err := s.Customers.Get(ctx, auth.Actor(ctx, cust)); err == nil {
		d.Phone = kyc.MaskPhone(who.Mobile)
	}
	v := core.View{Title: "web_3ds_approve_title", Data: d}
	if problem != nil {
		s.Problem(w, r, "approval", v, problem)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.Render(w, r, http.StatusOK, "approval", v)
}

// spent reports whether err says the code no longer works (lapsed, used, tried too often): the page offers a new one.
func spent(err error) bool {
	return errors.Is(err, auth.ErrOTPExpired) || errors.Is(err, auth.ErrOTPUsed) ||
		errors.Is(err, auth.ErrOTPTooManyAttempts) || errors.Is(err, auth.ErrChallengeNotFound)
}

// final are the refusals that leave nothing to decide: the list says what became of the approval.
func final(err error) bool {
	return errors.Is(err, threeds.ErrExpired) || errors.Is(err, threeds.ErrNotPending)
}

func (s *area) approve(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	proof := sca.Proof{Method: sca.MethodSMS, Code: r.PostForm.Get("code")}
	_, err := s.ThreeDS.Approve(r.Context(), core.SessionOf(r).CustomerID, r.PathValue("id"), proof)
	s.decided(w, r, "approved", err)
}

func (s *area) reject(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	_, err := s.ThreeDS.Reject(r.Context(), core.SessionOf(r).CustomerID, r.PathValue("id"))
	s.decided(w, r, "rejected", err)
}

// decided answers a decision: to the list with what was done, or the refusal on the approval's page.
func (s *area) decided(w http.ResponseWriter, r *http.Request, done string, err error) {
	switch {
	case err == nil:
		http.Redirect(w, r, "/approvals?m="+url.QueryEscape(done), http.StatusSeeOther)
	case errors.Is(err, auth.ErrChannelBlocked):
		s.ClearCookie(w, s.SessionCookieName()) // the block ended the session; the browser forgets it too
		s.ErrorPage(w, r, http.StatusForbidden, "channel_blocked")
	case kumbara.KindOf(err) == kumbara.KindNotFound && !errors.Is(err, auth.ErrChallengeNotFound):
		s.fail(w, r, err)
	case final(err):
		s.listWith(w, r, err)
	default:
		s.show(w, r, err)
	}
}

// listWith shows the list with a refusal that left nothing to decide (expired, already decided).
func (s *area) listWith(w http.ResponseWriter, r *http.Request, err error) {
	all, lerr := s.ThreeDS.List(r.Context(), core.SessionOf(r).CustomerID, threeds.FilterAll)
	if lerr != nil {
		s.fail(w, r, lerr)
		return
	}
	var d listData
	for _, a := range all {
		if a.Status == threeds.Pending {
			d.Pending = append(d.Pending, s.row(a))
		} else {
			d.History = append(d.History, s.row(a))
		}
	}
	s.Problem(w, r, "approvals", core.View{Title: "web_3ds_title", Data: d}, err)
}

// resend sends a new code for the approval (the old one stops working) and shows its page again.
func (s *area) resend(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	id := r.PathValue("id")
	if _, err := s.ThreeDS.Challenge(r.Context(), core.SessionOf(r).CustomerID, id, true); err != nil {
		s.decided(w, r, "", err)
		return
	}
	http.Redirect(w, r, "/approvals/"+url.PathEscape(id), http.StatusSeeOther)
}

// refused shows a refusal of the budget on the approval's page.
func (s *area) refused(w http.ResponseWriter, r *http.Request, err error) { s.show(w, r, err) }

// fail answers an approval that is not the customer's, or not there, with the not-found page; anything else is
// our fault, logged and shown as such.
func (s *area) fail(w http.ResponseWriter, r *http.Request, err error) {
	if kumbara.KindOf(err) == kumbara.KindNotFound {
		s.ErrorPage(w, r, http.StatusNotFound, threeds.ErrNotFound.Code)
		return
	}
	s.Log().Error("3-D Secure approval", slog.String("path", httpx.LogPath(r.URL.Path)), slog.String("error", err.Error()))
	s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
}

// passkeyRoutes approve with a passkey through the confirmation pages' shared passkey steps: the WebAuthn
// challenge is the digest of the approval's live challenge (merchant, amount, currency and the approval).
func (s *area) passkeyRoutes() []core.Route {
	return s.PasskeyRoutes(core.PasskeyConfirmation{Path: "/approvals/{id}/approve",
		Live: func(r *http.Request) (sca.Challenge, error) {
			a, err := s.ThreeDS.Challenge(r.Context(), core.SessionOf(r).CustomerID, r.PathValue("id"), false)
			if err != nil {
				return sca.Challenge{}, err
			}
			return *a.Challenge, nil
		},
		Confirm: func(r *http.Request, proof sca.Proof) (string, error) {
			_, err := s.ThreeDS.Approve(r.Context(), core.SessionOf(r).CustomerID, r.PathValue("id"), proof)
			if err != nil {
				return "", err
			}
			return "/approvals?m=approved", nil
		},
		Refused: func(r *http.Request, err error) (core.PasskeyProblem, bool) {
			if final(err) {
				return core.PasskeyProblem{Error: s.Message(r, kumbara.CodeOf(err), nil), Redirect: "/approvals"}, true
			}
			if spent(err) {
				// The SMS code's two minutes passed: the passkey is bound to the same challenge, so a new one is sent
				// from the page first.
				return core.PasskeyProblem{Error: s.Message(r, "web_3ds_code_spent", nil),
					Redirect: "/approvals/" + url.PathEscape(r.PathValue("id"))}, true
			}
			return core.PasskeyProblem{}, false
		}})
}
