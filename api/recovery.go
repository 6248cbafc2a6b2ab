package api

import (
	"net/http"
	"strconv"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/iddoc"
	"github.com/kumbara/kumbara/recovery"
)

type recoveryRequest struct {
	Username         string          `json:"username"`
	Method           string          `json:"method"`
	CardType         string          `json:"card_type"`
	CardLast6        string          `json:"card_last6"`
	CardPIN          string          `json:"card_pin"`
	UniqueCode       string          `json:"unique_code"`
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
			return iddoc.Chip{}, kumbara.Invalid("validation_failed",
				kumbara.FieldError{Field: "id_document.data_groups", Code: "invalid"})
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
	if req.Username == "" {
		s.Error(w, r, kumbara.Invalid("validation_failed", required(map[string]string{"username": req.Username})...))
		return
	}
	doc, err := req.IDDocument.chip()
	if err != nil {
		s.Error(w, r, err)
		return
	}
	st, err := s.Recovery.Start(r.Context(), req.Username, req.Method, recovery.Proof{
		CardType: req.CardType, Last6: req.CardLast6, PIN: req.CardPIN, Code: req.UniqueCode,
		Document: doc, PreviousPassword: req.PreviousPassword})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusCreated, recoveryResponse{RecoveryID: st.ID, OTPChannel: "sms",
		MaskedPhone: st.MaskedPhone, ExpiresIn: int(st.ExpiresIn.Seconds())})
}

type completeRecoveryRequest struct {
	Code        string `json:"code"`
	NewPassword string `json:"new_password"`
}

// completeRecovery checks the SMS code and sets the new password; every session of the customer ends and they
// log in as usual.
func (s *Server) completeRecovery(w http.ResponseWriter, r *http.Request) {
	var req completeRecoveryRequest
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
