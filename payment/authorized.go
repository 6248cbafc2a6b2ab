package payment

import (
	"context"

	"github.com/kumbara/kumbara/idempotency"
)

// Payments the customer has already authorised as part of something larger: the lines of a bulk file (package
// bulk), confirmed once with dynamic linking over the file's count and total. Such a payment goes through every
// check and the pricing of Create, but asks for no confirmation of its own and makes no name check (the customer
// confirmed the payees in the file, and the name checks' allowance is for the payments a person types).
// International payments are refused: they are confirmed one by one from a trusted device or with a passkey (T6).

// PreviewAuthorized runs Preview's checks and pricing without the name check: the shape of the request, the account
// it is paid from, the beneficiary, the scheme and value date, the fee and the funds as they are now. Nothing of
// the customer's allowance of name checks is spent, and Quote.Verification is empty.
func (s *Service) PreviewAuthorized(ctx context.Context, customerID string, r Request) (Quote, error) {
	if r.Type == International {
		return Quote{}, ErrStrongDeviceRequired
	}
	q, _, err := s.quote(ctx, customerID, r, false)
	if err == nil && q.Exchange.Rate != "" {
		return Quote{}, noExchange(q)
	}
	return q, err
}

// noExchange refuses a payment authorised elsewhere (a bulk file's line) in another currency than its account's:
// the batch is confirmed over one total in the account's currency, which a rate changing between the upload and
// the confirmation would change under the customer's signature.
func noExchange(q Quote) error {
	return ErrCurrencyConversion.WithParam("currency", string(q.Exchange.Charged.Currency))
}

// CreateAuthorized makes a payment the customer authorised elsewhere (PreviewAuthorized's checks and Create's
// pricing) and holds its money at once: it is accepted, or waiting for its clearing session or value date, and the
// dispatcher sends it with the others due (so a batch's payments leave together, one message per scheme). key
// makes it idempotent as Create's does: a repeat with the same content answers the first payment (replay = true);
// with other content it is idempotency_key_reused. A payment the ledger refuses (funds, a blocked or closed
// account) is not made at all: the error says why.
func (s *Service) CreateAuthorized(ctx context.Context, customerID, key string, r Request) (Payment, bool, error) {
	scope, hash := customerID+"/payment/"+key, r.hash(customerID)
	if id, found, err := idempotency.Find(ctx, s.Ledger.DB, scope, hash); err != nil {
		return Payment{}, false, err
	} else if found {
		p, err := s.Get(ctx, customerID, id)
		return p, true, err
	}
	if r.Type == International {
		return Payment{}, false, ErrStrongDeviceRequired
	}
	q, o, err := s.quote(ctx, customerID, r, false)
	if err != nil {
		return Payment{}, false, err
	}
	if q.Exchange.Rate != "" {
		return Payment{}, false, noExchange(q)
	}
	return s.accept(ctx, s.newPayment(customerID, o, q), scope, hash, true)
}
