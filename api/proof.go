package api

import (
	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/identity"
)

// proofRequest is the proof of identity that registration and password recovery both start with
// (identity.Proof), under the same names in both.
type proofRequest struct {
	Username   string `json:"username"`
	Method     string `json:"method"`
	CardType   string `json:"card_type"`
	CardLast6  string `json:"card_last6"`
	CardPIN    string `json:"card_pin"`
	UniqueCode string `json:"unique_code"`
}

// proof is the request's proof; a request without a username is refused before anything is checked.
func (p proofRequest) proof() (identity.Proof, error) {
	if p.Username == "" {
		return identity.Proof{}, kumbara.ErrValidationFailed.WithFields(kumbara.ErrFieldRequired.At("username"))
	}
	return identity.Proof{Method: p.Method, CardType: p.CardType, CardLast6: p.CardLast6, CardPIN: p.CardPIN,
		UniqueCode: p.UniqueCode}, nil
}

// completionRequest is the second step of registration and recovery alike: the code sent by SMS and the password
// it sets.
type completionRequest struct {
	Code        string `json:"code"`
	NewPassword string `json:"new_password"`
}

// renamed is a request field that an earlier version of the API named otherwise. Apps in the field still send the
// old name, so a request may give either (the document marks the old one deprecated).
type renamed struct {
	name, old string
	value     *string // the field under its current name, where a value sent under the old name goes
	oldValue  *string // the field under its old name; nil when the request did not have it
}

// takeRenamed moves the values sent under old names to their fields. A field sent under both names with different
// values is refused (validation_failed, invalid on the current name): which one the client meant cannot be told.
// It returns, for namedAsSent, the old names to answer with: those the request used, and, when it used any, those
// of the fields it left out, since such a request comes from an app that knows only the old names.
func takeRenamed(fields ...renamed) (map[string]string, error) {
	sent := map[string]string{}
	var conflicts []kumbara.FieldError
	var missing []renamed
	for _, f := range fields {
		switch {
		case f.oldValue == nil && *f.value == "":
			missing = append(missing, f)
		case f.oldValue == nil:
		case *f.value == "":
			*f.value = *f.oldValue
			sent[f.name] = f.old
		case *f.oldValue != "" && *f.oldValue != *f.value:
			conflicts = append(conflicts, kumbara.ErrInvalid.At(f.name))
		}
	}
	if len(conflicts) > 0 {
		return nil, kumbara.ErrValidationFailed.WithFields(conflicts...)
	}
	if len(sent) > 0 {
		for _, f := range missing {
			sent[f.name] = f.old
		}
	}
	return sent, nil
}

// namedAsSent returns err with its field errors naming the fields as the request named them (takeRenamed's
// answer), so an app that sent an old name finds its field in the answer. err itself is not changed: it may be a
// package's sentinel.
func namedAsSent(err error, sent map[string]string) error {
	e, ok := kumbara.As(err)
	if !ok || len(sent) == 0 || len(e.Fields) == 0 {
		return err
	}
	c := *e
	c.Fields = make([]kumbara.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		if old, ok := sent[f.Field]; ok {
			f.Field = old
		}
		c.Fields[i] = f
	}
	return &c
}
