package api

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/bulk"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/iso20022"
	"github.com/kumbara/kumbara/sca"
)

// bulkRoutes are the bulk payment files of business customers (pain.001 in, pain.002 back). Uploading sends the
// confirmation's SMS, so it spends the payment codes' budget; its body is the file, with a limit of its own.
func (s *Server) bulkRoutes(full httpx.Policy) []Route {
	upload := limited(full, httpx.PaymentCode)
	upload.MaxBody = int64(s.bulkConfig().MaxFile)
	return []Route{
		{"POST", "/api/v1/bulk-payments", upload, s.uploadBulk},
		{"GET", "/api/v1/bulk-payments", full, s.listBulk},
		{"GET", "/api/v1/bulk-payments/{id}", full, s.getBulk},
		{"POST", "/api/v1/bulk-payments/{id}/confirm", limited(full, httpx.PaymentConfirmation), s.confirmBulk},
		{"POST", "/api/v1/bulk-payments/{id}/challenge", limited(full, httpx.PaymentConfirmation), s.bulkChallenge},
		{"GET", "/api/v1/bulk-payments/{id}/status-report", full, s.bulkStatusReport},
	}
}

func (s *Server) bulkConfig() bulk.Config {
	if s.Bulk != nil && s.Bulk.Config.MaxFile > 0 {
		return s.Bulk.Config
	}
	return bulk.DefaultConfig()
}

type bulkProblemJSON struct {
	Field   string `json:"field,omitempty"`
	Code    string `json:"code"`
	Reason  string `json:"reason"`
	Message string `json:"message"`
}

type bulkCreditorJSON struct {
	Name    string `json:"name"`
	Account string `json:"account"`
}

type bulkLineJSON struct {
	Line          int               `json:"line"`
	Status        string            `json:"status"`
	PaymentInfoID string            `json:"payment_info_id"`
	InstructionID string            `json:"instruction_id,omitempty"`
	EndToEndID    string            `json:"end_to_end_id"`
	Type          string            `json:"type,omitempty"`
	Scheme        string            `json:"scheme,omitempty"`
	Amount        string            `json:"amount"`
	Currency      string            `json:"currency"`
	Fee           *moneyJSON        `json:"fee,omitempty"`
	Debited       *moneyJSON        `json:"debited,omitempty"`
	ValueDate     string            `json:"value_date,omitempty"`
	Creditor      bulkCreditorJSON  `json:"creditor"`
	Description   string            `json:"description,omitempty"`
	PaymentID     string            `json:"payment_id,omitempty"`
	Problems      []bulkProblemJSON `json:"problems"`
}

type bulkJSON struct {
	ID           string         `json:"id"`
	Status       string         `json:"status"`
	MessageID    string         `json:"message_id"`
	LineCount    int            `json:"line_count"`
	Count        int            `json:"count"`
	Accepted     int            `json:"accepted"`
	Rejected     int            `json:"rejected"`
	Total        moneyJSON      `json:"total"`
	Fees         moneyJSON      `json:"fees"`
	Debited      moneyJSON      `json:"debited"`
	FromIBANs    []string       `json:"from_ibans"`
	CreatedAt    string         `json:"created_at"`
	ExpiresAt    string         `json:"expires_at,omitempty"`
	Confirmation *confirmation  `json:"confirmation,omitempty"`
	Lines        []bulkLineJSON `json:"lines,omitempty"`
}

func (s *Server) bulkJSON(r *http.Request, b bulk.Batch) bulkJSON {
	cur := string(b.Total.Currency)
	out := bulkJSON{ID: b.ID, Status: b.Status, MessageID: b.MessageID, LineCount: b.Lines, Count: b.Count,
		Accepted: b.Accepted, Rejected: b.RejectedLines, Total: moneyJSON{b.Total.Decimal(), cur},
		Fees: moneyJSON{b.Fees.Decimal(), cur}, Debited: moneyJSON{b.Debited.Decimal(), cur},
		FromIBANs: append([]string{}, b.FromIBANs...), CreatedAt: b.CreatedAt.Format(time.RFC3339)}
	if b.Status == bulk.PendingConfirmation {
		out.ExpiresAt = b.ExpiresAt.Format(time.RFC3339)
	}
	if c := b.Challenge; c != nil {
		// A passkey confirms in the web app only.
		methods := slices.DeleteFunc(slices.Clone(c.Methods), func(m string) bool { return m == sca.MethodPasskey })
		out.Confirmation = &confirmation{ChallengeID: c.ID, Methods: methods, MaskedPhone: c.MaskedPhone,
			ExpiresIn: int(c.ExpiresIn / time.Second), Message: c.Message, Question: c.Question}
	}
	lang := langOf(r)
	for _, l := range b.Items {
		out.Lines = append(out.Lines, s.bulkLineJSON(lang, l))
	}
	return out
}

func (s *Server) bulkLineJSON(lang i18n.Lang, l bulk.Line) bulkLineJSON {
	out := bulkLineJSON{Line: l.Number, Status: l.Status, PaymentInfoID: l.PaymentInfoID, InstructionID: l.InstructionID,
		EndToEndID: l.EndToEndID, Type: l.Type, Scheme: l.Scheme, Amount: l.Amount.Decimal(),
		Currency: string(l.Amount.Currency), Creditor: bulkCreditorJSON{Name: l.CreditorName, Account: l.CreditorAcct},
		Description: l.Description, PaymentID: l.PaymentID, Problems: []bulkProblemJSON{}}
	if l.Scheme != "" {
		out.Fee = &moneyJSON{l.Fee.Decimal(), string(l.Fee.Currency)}
		out.Debited = &moneyJSON{l.Debited.Decimal(), string(l.Debited.Currency)}
		out.ValueDate = l.ValueDate.String()
	}
	for _, p := range l.Problems {
		params := map[string]string{"element": p.Field}
		for k, v := range p.Params {
			params[k] = v
		}
		out.Problems = append(out.Problems, bulkProblemJSON{Field: p.Field, Code: p.Code, Reason: p.Reason,
			Message: s.Catalogue.Message(lang, p.Code, params)})
	}
	return out
}

// readXML reads an ISO 20022 file sent as the request's body: application/xml or text/xml in UTF-8, within the
// route's body limit (413 body_too_large beyond it).
func readXML(r *http.Request, limit int64) ([]byte, error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (mt != "application/xml" && mt != "text/xml") ||
		(params["charset"] != "" && !strings.EqualFold(params["charset"], "utf-8")) {
		return nil, kumbara.ErrUnsupportedMediaType.With("content type %q", r.Header.Get("Content-Type"))
	}
	tooLarge := kumbara.ErrBodyTooLarge.With("body over %d bytes", limit).WithParam("max_bytes", strconv.FormatInt(limit, 10))
	if r.ContentLength > limit {
		return nil, tooLarge
	}
	doc, err := io.ReadAll(r.Body)
	var big *http.MaxBytesError
	if errors.As(err, &big) {
		return nil, tooLarge
	}
	if err != nil {
		return nil, iso20022.ErrMalformed.Wrap(err)
	}
	return doc, nil
}

// uploadBulk reads a pain.001 file: 202 with the batch waiting for its one confirmation (or rejected when none of
// its lines can be paid), its lines and their problems.
func (s *Server) uploadBulk(w http.ResponseWriter, r *http.Request) {
	if s.Bulk == nil {
		s.Error(w, r, kumbara.ErrNotFound)
		return
	}
	doc, err := readXML(r, int64(s.bulkConfig().MaxFile))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	b, err := s.Bulk.Upload(r.Context(), sessionOf(r).CustomerID, doc)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/bulk-payments/"+b.ID)
	s.JSON(w, r, http.StatusAccepted, s.bulkJSON(r, b))
}

// listBulk lists the customer's batches, newest first, without their lines.
func (s *Server) listBulk(w http.ResponseWriter, r *http.Request) {
	if s.Bulk == nil {
		s.Error(w, r, kumbara.ErrNotFound)
		return
	}
	list, err := s.Bulk.List(r.Context(), sessionOf(r).CustomerID, bulk.Filter{})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := []bulkJSON{}
	for _, b := range list {
		out = append(out, s.bulkJSON(r, b))
	}
	s.JSON(w, r, http.StatusOK, map[string]any{"bulk_payments": out})
}

func (s *Server) getBulk(w http.ResponseWriter, r *http.Request) {
	if s.Bulk == nil {
		s.Error(w, r, bulk.ErrNotFound)
		return
	}
	b, err := s.Bulk.Get(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusOK, s.bulkJSON(r, b))
}

// confirmBulk answers the batch's challenge with the SMS code, a trusted device's signature or its Soft PIN
// response, as a transfer's confirmation does; the answer is the batch with its lines made payments.
func (s *Server) confirmBulk(w http.ResponseWriter, r *http.Request) {
	if s.Bulk == nil {
		s.Error(w, r, bulk.ErrNotFound)
		return
	}
	proof, err := proofOf(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	b, err := s.Bulk.Confirm(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"), proof)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusOK, s.bulkJSON(r, b))
}

// bulkChallenge sends a new code for a batch that waits for its confirmation.
func (s *Server) bulkChallenge(w http.ResponseWriter, r *http.Request) {
	if s.Bulk == nil {
		s.Error(w, r, bulk.ErrNotFound)
		return
	}
	b, err := s.Bulk.Challenge(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusCreated, s.bulkJSON(r, b))
}

// bulkStatusReport is the batch's pain.002.001.10.
func (s *Server) bulkStatusReport(w http.ResponseWriter, r *http.Request) {
	if s.Bulk == nil {
		s.Error(w, r, bulk.ErrNotFound)
		return
	}
	id := r.PathValue("id")
	doc, err := s.Bulk.StatusReport(r.Context(), sessionOf(r).CustomerID, id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeXML(w, bulk.ReportFileName(id), doc)
}
