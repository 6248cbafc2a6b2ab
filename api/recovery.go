package api

import (
	"net/http"
	"strconv"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/iddoc"
	"github.com/kumbara/kumbara/identity"
)

// recoveryRequest is the proof of identity of a recovery: registration's, or the ID document with a previous
// password (A9).
type recoveryRequest struct {
	proofRequest
	IDDocument       *idDocumentJSON `json:"id_document"`
	PreviousPassword string          `json:"previous_password"`
}

// idDocumentJSON is the chip of an ID document as the app read it over NFC: EF.SOD and the data groups, keyed by
// their number ("1" is DG1, the MRZ), each base64 (standard alphabet, padded). EF.SOD and DG1 are all the check
// needs and fit the API's 16 KiB body; the face (DG2) need not be sent.
type idDocumentJSON struct {
	SOD        []byte            `json:"sod"`
	DataGroups map[string][]byte `json:"data_groups"`
}

// chip converts the document to iddoc's form. A data group key that is not a number from 1 to 16 is a field error.
func (d *idDocumentJSON) chip() (iddoc.Chip, error) {
	if d == nil {
		return iddoc.Chip{}, nil
	}
	c := iddoc.Chip{SOD: d.SOD, DataGroups: make(map[int][]byte, len(d.DataGroups))}
	for k, v := range d.DataGroups {
		n, err := strconv.Atoi(k)
		if err != nil || n < 1 || n > 16 || strconv.Itoa(n) != k {
			return iddoc.Chip{}, kumbara.ErrValidationFailed.WithFields(kumbara.ErrInvalid.At(identity.FieldDocumentDataGroups))
		}
		c.DataGroups[n] = v
	}
	return c, nil
}

type recoveryResponse struct {
	RecoveryID  string `json:"recovery_id"`
	OTPChannel  string `json:"otp_channel"`
	MaskedPhone string `json:"masked_phone"`
	ExpiresIn   int    `json:"expires_in"`
}

// startRecovery is the first step of a forgotten password (A8–A10): identity proof, then an SMS code.
func (s *Server) startRecovery(w http.ResponseWriter, r *http.Request) {
	var req recoveryRequest
	if err := httpx.DecodeJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	p, err := req.proof()
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if p.Document, err = req.IDDocument.chip(); err != nil {
		s.Error(w, r, err)
		return
	}
	p.PreviousPassword = req.PreviousPassword
	ch, err := s.Recovery.Start(r.Context(), req.Username, p)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusCreated, recoveryResponse{RecoveryID: ch.ID, OTPChannel: "sms",
		MaskedPhone: ch.MaskedPhone, ExpiresIn: int(ch.ExpiresIn.Seconds())})
}

// completeRecovery checks the SMS code and sets the new password; every session of the customer ends and they
// log in as usual.
func (s *Server) completeRecovery(w http.ResponseWriter, r *http.Request) {
	var req completionRequest
	if err := httpx.DecodeJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	r = withClient(r)
	if err := s.Recovery.Complete(r.Context(), r.PathValue("id"), req.Code, req.NewPassword); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
