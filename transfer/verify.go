package transfer

import (
	"context"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/vop"
)

// Verifier checks the name the payer typed against the account about to be paid (Verification of Payee, package
// vop): the same check payments to other banks run, answered for this bank's IBANs from its own accounts. An
// interface so that tests may stand in for the scheme; vop.Service is the one `serve` uses.
type Verifier interface {
	Check(ctx context.Context, customerID string, ib iban.IBAN, name string) (vop.Outcome, error)
}

// named reports whether r names its payee, which asks for a name check: a name of spaces only names no one.
func named(r Request) bool { return strings.TrimSpace(r.PayeeName) != "" }

// verify checks r's payee name against the beneficiary account toIBAN. Whatever the answer, the transfer may go
// on (no result blocks it): only a name the check does not take (validation_failed, about payee_name) and a
// customer without checks left (rate_limited, with retry_after) refuse it, as the check itself does. Without a
// Verifier no check can be made: NotPossible.
func (s *Service) verify(ctx context.Context, customerID string, r Request, toIBAN string) (vop.Outcome, error) {
	if s.Payees == nil {
		return vop.Outcome{Result: vop.NotPossible, CheckedAt: s.Ledger.Clock.Now()}, nil
	}
	o, err := s.Payees.Check(ctx, customerID, iban.IBAN(toIBAN), r.PayeeName)
	if err != nil {
		return vop.Outcome{}, aboutPayeeName(err)
	}
	if o.Result != vop.CloseMatch {
		o.Name = "" // the scheme gives the account's name on a close match only
	}
	return o, nil
}

// aboutPayeeName names the check's field problems after the request's fields: the check's name is the request's
// payee_name. Its IBAN is the beneficiary account's, found already, so the check never refuses it.
func aboutPayeeName(err error) error {
	e, ok := kumbara.As(err)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	fields := make([]kumbara.FieldError, 0, len(e.Fields))
	for _, f := range e.Fields {
		if f.Field == "name" {
			f.Field = "payee_name"
		}
		fields = append(fields, f)
	}
	c := e.WithFields() // a copy, whose fields are replaced
	c.Fields = fields
	return c
}

// checkedAt is when the check of v was answered, as a column keeps it: NULL when no check ran.
func checkedAt(v vop.Outcome) any {
	if v.Result == "" {
		return nil
	}
	return db.Micros(v.CheckedAt)
}

// verification is a stored check (result, the close match's name, when it was answered in micros; 0 for none).
func verification(result, name string, checked int64) vop.Outcome {
	if result == "" {
		return vop.Outcome{}
	}
	var at time.Time
	if checked != 0 {
		at = db.FromMicros(checked)
	}
	return vop.Outcome{Result: vop.Result(result), Name: name, CheckedAt: at}
}
