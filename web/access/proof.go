package access

import (
	"net/http"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/identity"
)

// proofForm is the first step of registration and of password recovery alike: who the customer is, and the card
// or branch code that proves it (package identity; the ID document needs the app's NFC). Both forms name their
// fields as the API does. It keeps what the customer typed, except the PIN, which is never sent back.
type proofForm struct {
	// Kind is "reg" (registration) or "rec" (recovery): the fields' ids and the words for the branch's code, in
	// the core's proof partial the two pages share.
	Kind       string
	Username   string
	Method     string
	CardType   string
	CardLast6  string
	UniqueCode string
}

// newProofForm is the empty form of kind ("reg" or "rec"), the card chosen.
func newProofForm(kind string) proofForm { return proofForm{Kind: kind, Method: identity.MethodCard} }

// readProof reads the form of a registration or a recovery: what to show again, and the proof. A form without a
// username is refused before anything is checked.
func readProof(r *http.Request, kind string) (proofForm, identity.Proof, error) {
	f := proofForm{
		Kind:       kind,
		Username:   strings.TrimSpace(r.PostForm.Get("username")),
		Method:     r.PostForm.Get(identity.FieldMethod),
		CardType:   r.PostForm.Get(identity.FieldCardType),
		CardLast6:  strings.TrimSpace(r.PostForm.Get(identity.FieldCardLast6)),
		UniqueCode: strings.TrimSpace(r.PostForm.Get(identity.FieldUniqueCode)),
	}
	if f.Username == "" {
		return f, identity.Proof{}, kumbara.ErrValidationFailed.WithFields(kumbara.ErrFieldRequired.At("username"))
	}
	return f, identity.Proof{Method: f.Method, CardType: f.CardType, CardLast6: f.CardLast6,
		CardPIN: r.PostForm.Get(identity.FieldCardPIN), UniqueCode: f.UniqueCode}, nil
}

// readCompletion reads the second step of a registration or a recovery: the SMS code, and the new password typed
// twice. It reports whether the two match.
func readCompletion(r *http.Request) (code, newPassword string, match bool) {
	pw := r.PostForm.Get(identity.FieldNewPassword)
	return strings.TrimSpace(r.PostForm.Get(identity.FieldCode)), pw, pw == r.PostForm.Get("confirm_password")
}

// continueToCode remembers a started registration or recovery (its id and the masked phone) in cookies that last
// as long as its SMS code, and goes on to the page that takes the code.
func (s *area) continueToCode(w http.ResponseWriter, r *http.Request, idCookie, phoneCookie, id, phone string,
	life time.Duration, next string) {
	if life <= 0 {
		life = 10 * time.Minute
	}
	s.SetCookie(w, idCookie, id, life)
	s.SetCookie(w, phoneCookie, phone, life)
	http.Redirect(w, r, next, http.StatusSeeOther)
}
