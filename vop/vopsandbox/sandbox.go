// Package vopsandbox is the other banks of the Verification of Payee scheme, for the demo and the tests: a
// vop.Responder that holds the names on other banks' accounts (filled by the clearing-house sandbox and the demo's
// seed with Add), answers as a responding bank does — vop.Compare, the account's name on a close match only, "not
// possible" for an account it does not hold — and can be made slow or unreachable, as a real bank sometimes is.
package vopsandbox

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/text"
	"github.com/kumbara/kumbara/vop"
)

// The sandbox's refusals, as a requesting bank meets them: no answer at all, or a request the responder rejects
// (the scheme's FORMAT_ERROR). Either makes the check not possible for the payer.
var (
	ErrDown    = errors.New("vopsandbox: the responding bank does not answer")
	ErrRequest = errors.New("vopsandbox: the responding bank rejects the request's format")
)

// Sandbox is the other banks' accounts and how they answer. Its zero value holds no account and answers at once.
type Sandbox struct {
	mu      sync.Mutex
	holders map[iban.IBAN]holder
	delay   time.Duration
	down    bool
}

type holder struct {
	name     string
	business bool
}

// Add gives another bank's account ib its holder, an individual named name (a later Add replaces it).
func (s *Sandbox) Add(ib iban.IBAN, name string) { s.add(ib, name, false) }

// AddBusiness gives another bank's account ib its holder, a business named name (its legal form included, as
// banks keep it).
func (s *Sandbox) AddBusiness(ib iban.IBAN, name string) { s.add(ib, name, true) }

func (s *Sandbox) add(ib iban.IBAN, name string, business bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.holders == nil {
		s.holders = map[iban.IBAN]holder{}
	}
	s.holders[key(ib)] = holder{name: text.Clean(name), business: business}
}

// SetDelay makes every answer take d (zero: at once), or as long as its caller waits if that is shorter.
func (s *Sandbox) SetDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// SetDown makes the other banks unreachable (ErrDown) or reachable again.
func (s *Sandbox) SetDown(down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = down
}

// Verify answers a name check about ib as its bank would. A request a real responder would reject (an IBAN or
// BIC that does not parse, an empty name or one longer than the scheme's 140 characters) is ErrRequest; an account
// it does not hold is vop.NotPossible, as the rulebook has it for an unknown account. The time of the answer is the
// requesting bank's to stamp.
func (s *Sandbox) Verify(ctx context.Context, bic string, ib iban.IBAN, name string) (vop.Outcome, error) {
	s.mu.Lock()
	delay, down := s.delay, s.down
	h, known := s.holders[key(ib)]
	s.mu.Unlock()
	if down {
		return vop.Outcome{}, ErrDown
	}
	if delay > 0 {
		t := time.NewTimer(delay)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return vop.Outcome{}, ctx.Err()
		case <-t.C:
		}
	}
	name = text.Clean(name)
	if _, err := iban.Parse(string(ib)); err != nil || name == "" || !text.Valid(name, vop.MaxName) {
		return vop.Outcome{}, ErrRequest
	}
	if bic != "" {
		if _, err := iban.ParseBIC(bic); err != nil {
			return vop.Outcome{}, ErrRequest
		}
	}
	if !known {
		return vop.Outcome{Result: vop.NotPossible}, nil
	}
	r, shown := vop.Compare(h.name, name, h.business)
	return vop.Outcome{Result: r, Name: shown}, nil
}

// key is ib in its electronic form, however it was written.
func key(ib iban.IBAN) iban.IBAN {
	if c, ok := iban.Compact(string(ib)); ok {
		return iban.IBAN(c)
	}
	return ib
}
