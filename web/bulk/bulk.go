// Package bulk is the internet branch's page for the bulk payment files business customers upload (pain.001): the
// upload, the review of the file line by line with each line's problems, the one confirmation of its payments with
// the SMS code or a passkey, and the result with its pain.002 status report to download. The rules are package
// bulk's; these pages pass the file and the proof through and show the answers.
package bulk

import (
	"embed"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/bulk"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/iso20022"
	"github.com/kumbara/kumbara/sca"
	"github.com/kumbara/kumbara/web/core"
)

//go:embed templates/*.html
var templates embed.FS

// Area is the bulk payments pages: its pages and routes.
func Area() core.Area {
	return core.Area{Name: "bulk", Templates: core.Dir(templates, "templates"),
		Routes: func(site *core.Site) []core.Route { return (&area{site}).routes() }}
}

// area is the bulk payments pages' handlers, on the site.
type area struct{ *core.Site }

// formOverhead is what a multipart form adds to the file it carries: the part's headers and boundaries.
const formOverhead = 64 << 10

// routes are the bulk payments pages. Uploading sends the confirmation's SMS, confirming checks its code or a
// passkey's assertion (passkey.go).
func (s *area) routes() []core.Route {
	upload := core.Private(httpx.PaymentCode)
	upload.MaxBody = int64(s.maxFile()) + formOverhead
	return append([]core.Route{
		{Method: "GET", Path: "/bulk", Policy: core.Private(""), Handler: s.uploadPage},
		{Method: "POST", Path: "/bulk", Policy: upload, Handler: s.upload, Refused: s.RefusedOn("bulk", s.uploadView)},
		{Method: "GET", Path: "/bulk/{id}", Policy: core.Private(""), Handler: s.batchPage},
		{Method: "POST", Path: "/bulk/{id}/confirm", Policy: core.Private(httpx.PaymentConfirmation), Handler: s.confirm,
			Refused: s.refusedOnBatch},
		{Method: "POST", Path: "/bulk/{id}/resend", Policy: core.Private(httpx.PaymentConfirmation), Handler: s.resend,
			Refused: s.refusedOnBatch},
		{Method: "GET", Path: "/bulk/{id}/pain002", Policy: core.Private(""), Handler: s.report},
	}, s.passkeyRoutes()...)
}

func (s *area) maxFile() int {
	if s.Bulk != nil && s.Bulk.Config.MaxFile > 0 {
		return s.Bulk.Config.MaxFile
	}
	return bulk.DefaultConfig().MaxFile
}

// summary is a batch as the pages show it.
type summary struct {
	ID, MessageID, Status, StatusClass string
	Created                            string
	Counts                             string // "2 payments of 3 lines"
	Lines, Count, Accepted, Rejected   int
	Total, Fees, Debited               int64
	Currency                           string
	FromIBANs                          []string
}

type line struct {
	Number              int
	Status, StatusClass string
	Name, Account       string
	EndToEndID          string
	Amount, Fee         int64
	Currency            string
	Scheme, ValueDate   string
	Problems            []string
	PaymentID           string
}

type uploadData struct {
	MaxMiB  int
	Batches []summary
}

type batchData struct {
	summary
	Pending bool
	Expires string
	Phone   string
	HasCode bool // the live code has not expired
	// Passkey offers "Konfirmo me passkey" beside the code: the customer has a passkey and may use it here (not a
	// business's user), and the batch's challenge is live for it to sign.
	Passkey  bool
	Items    []line
	Problems int
}

// statusClass is the badge of a batch's or a line's status (a rejected line is badged as a rejected batch).
var statusClass = map[string]string{
	bulk.PendingConfirmation: "badge-warn", bulk.Confirmed: "badge-info", bulk.Completed: "badge-ok",
	bulk.Rejected: "badge-bad", bulk.Expired: "badge-bad",
	bulk.LineValid: "badge-info", bulk.LineInvalid: "badge-bad", bulk.LineAccepted: "badge-ok",
}

func (s *area) summaryOf(lang i18n.Lang, b bulk.Batch) summary {
	out := summary{ID: b.ID, MessageID: b.MessageID, Status: b.Status, StatusClass: statusClass[b.Status],
		Created: i18n.FormatDateTime(b.CreatedAt, lang), Lines: b.Lines, Count: b.Count, Accepted: b.Accepted,
		Rejected: b.RejectedLines, Total: b.Total.Minor, Fees: b.Fees.Minor, Debited: b.Debited.Minor,
		Currency: string(b.Total.Currency)}
	out.Counts = s.Catalogue.Message(lang, "web_bk_lines_of", map[string]string{"count": strconv.Itoa(b.Count),
		"lines": strconv.Itoa(b.Lines)})
	for _, ib := range b.FromIBANs {
		out.FromIBANs = append(out.FromIBANs, iban.IBAN(ib).Printable())
	}
	return out
}

func (s *area) uploadView(r *http.Request) core.View {
	d := uploadData{MaxMiB: s.maxFile() >> 20}
	if s.Bulk != nil {
		if list, err := s.Bulk.List(r.Context(), core.SessionOf(r).CustomerID, bulk.Filter{Limit: 10}); err == nil {
			for _, b := range list {
				d.Batches = append(d.Batches, s.summaryOf(core.Lang(r), b))
			}
		}
	}
	return core.View{Title: "web_bk_title", Data: d}
}

// uploadPage offers the file input and lists the latest files.
func (s *area) uploadPage(w http.ResponseWriter, r *http.Request) {
	if s.Bulk == nil {
		s.ErrorPage(w, r, http.StatusNotFound, kumbara.ErrNotFound.Code)
		return
	}
	s.Render(w, r, http.StatusOK, "bulk", s.uploadView(r))
}

// upload reads the file of the form and hands it to the bank: the batch's page shows what became of each line.
func (s *area) upload(w http.ResponseWriter, r *http.Request) {
	if s.Bulk == nil {
		s.ErrorPage(w, r, http.StatusNotFound, kumbara.ErrNotFound.Code)
		return
	}
	doc, err := s.file(r)
	if err == nil {
		var b bulk.Batch
		if b, err = s.Bulk.Upload(r.Context(), core.SessionOf(r).CustomerID, doc); err == nil {
			http.Redirect(w, r, "/bulk/"+url.PathEscape(b.ID), http.StatusSeeOther)
			return
		}
	}
	s.Problem(w, r, "bulk", s.uploadView(r), err)
}

// file reads the form's one file, within the file's limit: body_too_large beyond it (the route's limit holds the
// whole form), an empty file when none was chosen (which the bank refuses as a file it cannot read).
func (s *area) file(r *http.Request) ([]byte, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return nil, kumbara.ErrUnsupportedMediaType.With("content type %q", r.Header.Get("Content-Type"))
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, kumbara.ErrUnsupportedMediaType.Wrap(err)
	}
	max := s.maxFile()
	tooLarge := kumbara.ErrBodyTooLarge.WithParam("max_bytes", strconv.Itoa(max))
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		var big *http.MaxBytesError
		if errors.As(err, &big) {
			return nil, tooLarge
		}
		if err != nil {
			return nil, iso20022.ErrMalformed.Wrap(err)
		}
		if part.FormName() != "file" {
			continue
		}
		doc, err := io.ReadAll(io.LimitReader(part, int64(max)+1))
		if errors.As(err, &big) || len(doc) > max {
			return nil, tooLarge
		}
		return doc, err
	}
}

// batchPage is a file's review while it waits for its confirmation, and its result afterwards.
func (s *area) batchPage(w http.ResponseWriter, r *http.Request) {
	v, ok := s.batchView(w, r)
	if !ok {
		return
	}
	switch r.URL.Query().Get("m") {
	case "resent":
		v.Notice = s.Message(r, "web_bk_code_resent", nil)
	case "confirmed":
		v.Notice = s.Message(r, "web_bk_confirmed", nil)
	}
	s.Render(w, r, http.StatusOK, "bulk_batch", v)
}

// batchView reads the customer's batch for its page; another customer's, or none, is the not-found page.
func (s *area) batchView(w http.ResponseWriter, r *http.Request) (core.View, bool) {
	if s.Bulk == nil {
		s.ErrorPage(w, r, http.StatusNotFound, bulk.ErrNotFound.Code)
		return core.View{}, false
	}
	b, err := s.Bulk.Get(r.Context(), core.SessionOf(r).CustomerID, r.PathValue("id"))
	if errors.Is(err, bulk.ErrNotFound) {
		s.ErrorPage(w, r, http.StatusNotFound, bulk.ErrNotFound.Code)
		return core.View{}, false
	}
	if err != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return core.View{}, false
	}
	lang := core.Lang(r)
	d := batchData{summary: s.summaryOf(lang, b), Pending: b.Status == bulk.PendingConfirmation,
		Expires: b.ExpiresAt.In(clock.Tirane).Format("15:04")}
	if c := b.Challenge; c != nil {
		d.HasCode, d.Phone = true, c.MaskedPhone
		d.Passkey = slices.Contains(c.Methods, sca.MethodPasskey) && s.PasskeyOffered(r.Context(), core.SessionOf(r).CustomerID)
	}
	for _, l := range b.Items {
		it := line{Number: l.Number, Status: l.Status, StatusClass: statusClass[l.Status], Name: l.CreditorName,
			Account: l.CreditorAcct, EndToEndID: l.EndToEndID, Amount: l.Amount.Minor, Fee: l.Fee.Minor,
			Currency: string(l.Amount.Currency), Scheme: l.Scheme, PaymentID: l.PaymentID}
		if ib, err := iban.Parse(it.Account); err == nil {
			it.Account = ib.Printable()
		}
		if !l.ValueDate.IsZero() {
			it.ValueDate = i18n.FormatDate(l.ValueDate.Start(), lang)
		}
		for _, p := range l.Problems {
			params := map[string]string{"element": p.Field}
			for k, v := range p.Params {
				params[k] = v
			}
			msg := s.Catalogue.Message(lang, p.Code, params)
			if p.Field != "" {
				msg += " (" + p.Field + ")"
			}
			it.Problems = append(it.Problems, msg)
			d.Problems++
		}
		d.Items = append(d.Items, it)
	}
	return core.View{Title: "web_bk_batch_title", Data: d}, true
}

// confirm checks the SMS code against the batch's challenge: its valid lines become payments, and the page shows
// what became of each.
func (s *area) confirm(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	if s.Bulk == nil {
		s.ErrorPage(w, r, http.StatusNotFound, bulk.ErrNotFound.Code)
		return
	}
	id := r.PathValue("id")
	_, err := s.Bulk.Confirm(r.Context(), core.SessionOf(r).CustomerID, id,
		sca.Proof{Method: sca.MethodSMS, Code: r.PostForm.Get("code")})
	switch {
	case err == nil:
		http.Redirect(w, r, "/bulk/"+url.PathEscape(id)+"?m=confirmed", http.StatusSeeOther)
	case errors.Is(err, auth.ErrChannelBlocked):
		// The block ended the session; the browser forgets it too.
		s.ClearCookie(w, s.SessionCookieName())
		s.ErrorPage(w, r, http.StatusForbidden, "channel_blocked")
	default:
		s.refusedOnBatch(w, r, err)
	}
}

// resend sends a new code for the batch (the old one stops working), within the SMS limits.
func (s *area) resend(w http.ResponseWriter, r *http.Request) {
	if s.Bulk == nil {
		s.ErrorPage(w, r, http.StatusNotFound, bulk.ErrNotFound.Code)
		return
	}
	id := r.PathValue("id")
	if _, err := s.Bulk.Challenge(r.Context(), core.SessionOf(r).CustomerID, id); err != nil {
		s.refusedOnBatch(w, r, err)
		return
	}
	http.Redirect(w, r, "/bulk/"+url.PathEscape(id)+"?m=resent", http.StatusSeeOther)
}

// refusedOnBatch shows a refusal (a wrong code, a limit) on the batch's page.
func (s *area) refusedOnBatch(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, bulk.ErrNotFound) {
		s.ErrorPage(w, r, http.StatusNotFound, bulk.ErrNotFound.Code)
		return
	}
	v, ok := s.batchView(w, r)
	if !ok {
		return
	}
	s.Problem(w, r, "bulk_batch", v, err)
}

// report downloads the batch's pain.002.
func (s *area) report(w http.ResponseWriter, r *http.Request) {
	if s.Bulk == nil {
		s.ErrorPage(w, r, http.StatusNotFound, bulk.ErrNotFound.Code)
		return
	}
	id := r.PathValue("id")
	doc, err := s.Bulk.StatusReport(r.Context(), core.SessionOf(r).CustomerID, id)
	if errors.Is(err, bulk.ErrNotFound) {
		s.ErrorPage(w, r, http.StatusNotFound, bulk.ErrNotFound.Code)
		return
	}
	if err != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Disposition", `attachment; filename="`+bulk.ReportFileName(id)+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(doc)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(doc)
}
