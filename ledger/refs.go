package ledger

import (
	"context"
	"sync"

	"github.com/kumbara/kumbara/money"
)

// Ref is what never changes about a customer account once it is open: who holds it, its numbers and currency.
// Status and balances are deliberately absent: they change, and the batch checks them under lock.
type Ref struct {
	ID         string
	CustomerID string
	IBAN       string
	Number     string
	Currency   money.Currency
}

// Refs resolves accounts to their Refs, remembering them: the request path of a transfer needs only these facts
// before the batch, so most transfers read nothing from the database until they commit. It is safe for
// concurrent use and bounded in size.
type Refs struct {
	Store *Store

	mu       sync.RWMutex
	byID     map[string]Ref
	byIBAN   map[string]string
	byNumber map[string]string
}

const maxRefs = 200000

// Resolve returns the Refs of the customer accounts whose id or account number is among ids, or whose IBAN is
// among ibans.
func (r *Refs) Resolve(ctx context.Context, ids, ibans []string) ([]Ref, error) {
	var out []Ref
	var missIDs, missIBANs []string
	r.mu.RLock()
	for _, id := range ids {
		if ref, ok := r.byID[id]; ok {
			out = append(out, ref)
		} else if n, ok := r.byNumber[id]; ok {
			out = append(out, r.byID[n])
		} else {
			missIDs = append(missIDs, id)
		}
	}
	for _, ib := range ibans {
		if id, ok := r.byIBAN[ib]; ok {
			out = append(out, r.byID[id])
		} else {
			missIBANs = append(missIBANs, ib)
		}
	}
	r.mu.RUnlock()
	if len(missIDs) == 0 && len(missIBANs) == 0 {
		return out, nil
	}
	found, err := r.Store.Resolve(ctx, missIDs, missIBANs)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byID == nil || len(r.byID) >= maxRefs {
		r.byID, r.byIBAN, r.byNumber = map[string]Ref{}, map[string]string{}, map[string]string{}
	}
	for _, a := range found {
		ref := Ref{ID: a.ID, CustomerID: a.CustomerID, IBAN: a.IBAN, Number: a.Number, Currency: a.Currency}
		r.byID[a.ID] = ref
		if a.IBAN != "" {
			r.byIBAN[a.IBAN] = a.ID
		}
		r.byNumber[a.Number] = a.ID
		out = append(out, ref)
	}
	return out, nil
}
