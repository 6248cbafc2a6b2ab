package devcards

import (
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/threeds"
)

// secure is the terminal's 3-D Secure step as the page shows it: the approval the network asked the bank for,
// where it stands, the time the holder has left, and the address the page asks again while it waits.
type secure struct {
	Ref, ApprovalID, CardID, Status, Merchant, Amount, Left, Poll string
	Seconds                                                       int
}

// askHolder is an online purchase with 3-D Secure: the network asks the bank to have the holder approve it
// (threeds.Service.Ask, which sends the SMS), and the terminal waits on the approval's page. The approval's
// reference is also the id of the authorisation sent once it is approved.
func (s *area) askHolder(w http.ResponseWriter, r *http.Request, req issuing.Request) {
	a, _, err := s.ThreeDS.Ask(r.Context(), threeds.Request{CardID: req.CardID, NetworkRef: req.ID,
		Merchant: req.Merchant, Amount: req.Amount})
	if err != nil {
		s.show(w, r, http.StatusUnprocessableEntity, "", nil, err)
		return
	}
	http.Redirect(w, r, securePath(a.NetworkRef, req.Country), http.StatusSeeOther)
}

func securePath(ref, country string) string {
	return "/dev/cards/3ds/" + url.PathEscape(ref) + "?country=" + url.QueryEscape(country)
}

// secure shows the 3-D Secure step: waiting while the holder decides; once approved, the authorisation is sent
// with the approval's reference and authentication value and its answer shown; rejected or expired, nothing is
// sent. Showing it again is safe: the authorisation's id is the reference, so the network replays its answer.
func (s *area) secure(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	ctx, ref, country := r.Context(), r.PathValue("ref"), r.URL.Query().Get("country")
	if s.ThreeDS == nil {
		s.show(w, r, http.StatusNotFound, "", nil, threeds.ErrNotFound)
		return
	}
	a, err := s.ThreeDS.ByReference(ctx, ref)
	if err != nil {
		s.show(w, r, http.StatusNotFound, "", nil, err)
		return
	}
	o, err := s.ThreeDS.Outcome(ctx, ref)
	if err != nil {
		s.show(w, r, http.StatusNotFound, "", nil, err)
		return
	}
	left := a.TimeLeft(s.Now())
	sec := &secure{Ref: a.NetworkRef, ApprovalID: a.ID, CardID: a.CardID, Status: string(o.Status), Merchant: a.Merchant,
		Amount: a.Amount.Decimal() + " " + string(a.Amount.Currency), Seconds: int(left / time.Second),
		Left: fmt.Sprintf("%d:%02d", int(left/time.Minute), int(left%time.Minute/time.Second))}
	var out *answer
	switch o.Status {
	case threeds.Pending:
		sec.Poll = securePath(a.NetworkRef, country)
	case threeds.Approved:
		res, err := s.CardNetwork.Authorise(ctx, issuing.Request{ID: a.NetworkRef, CardID: a.CardID, Amount: a.Amount,
			Merchant: a.Merchant, MCC: "5411", Country: country, EntryMode: issuing.EntryEcommerce,
			ThreeDSRef: a.NetworkRef, ThreeDSValue: o.Value})
		if err != nil {
			s.showSecure(w, r, http.StatusUnprocessableEntity, sec, nil, err)
			return
		}
		out = s.answerOf(r, res)
	}
	s.showSecure(w, r, http.StatusOK, sec, out, nil)
}

func (s *area) showSecure(w http.ResponseWriter, r *http.Request, status int, sec *secure, a *answer, problem error) {
	d, err := s.data(r)
	if err != nil && problem == nil {
		problem = err
	}
	d.Answer, d.Secure = a, sec
	d.Form["card"], d.Form["mode"] = sec.CardID, issuing.EntryEcommerce
	s.render(w, r, status, "", d, problem)
}
