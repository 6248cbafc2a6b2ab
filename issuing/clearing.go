package issuing

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// Outcomes of a presentment.
const (
	// Posted: the card's account paid (or, for a refund, received) the presentment.
	Posted = "posted"
	// Exception: the account could not — an unknown card, a closed or blocked account, a presentment beyond what
	// the account has (over the amount authorised, or without an authorisation). The bank still owes the network:
	// the amount is booked between the card settlement account and suspense, for staff to recover.
	Exception = "exception"
)

// FileResult is what a clearing file did.
type FileResult struct {
	ID           string
	BusinessDate string
	Presentments int
	Posted       int
	Exceptions   int
	Repeated     int // posted before: the file delivered again
	// Settlement is what the file's settlement report did (Settle), when the network sent it with the file.
	Settlement SettlementResult
}

// clearingWorkers is how many presentments are in the ledger's queue at once: enough to fill its group commits.
const clearingWorkers = 256

// Clear posts a clearing file from the network (Parse reads it; a file out of the format is refused whole). Each
// presentment posts once, whatever the file's deliveries: one ledger op each, under the presentment's id. A
// purchase or cash presentment of an authorisation captures its hold — all of it or part (the rest released) —, or,
// over the amount held or with incremental holds, releases them and posts the amount; one without an
// authorisation (or whose holds expired) posts without a hold. A refund credits the card's account. Amounts in
// another currency than the account's are converted at the card network's rate. What an account cannot pay
// becomes an Exception.
func (s *Service) Clear(ctx context.Context, data []byte) (FileResult, error) {
	f, err := Parse(data)
	if err != nil {
		return FileResult{}, err
	}
	res := FileResult{ID: f.ID, BusinessDate: f.BusinessDate.String(), Presentments: len(f.Presentments)}
	now := s.Clock.Now()
	if _, err := s.DB.Exec(ctx, `INSERT INTO card_clearing_files (id, business_date, presentments, posted, exceptions,
		received_at) VALUES (?, ?, ?, 0, 0, ?) ON CONFLICT (id) DO NOTHING`, f.ID, res.BusinessDate, len(f.Presentments),
		db.Micros(now)); err != nil {
		return FileResult{}, fmt.Errorf("clearing file: %w", err)
	}
	chains, err := s.chains(ctx, f.Presentments)
	if err != nil {
		return FileResult{}, err
	}
	cards := &cardCache{s: s, m: map[string]*cardEntry{}}
	var mu sync.Mutex
	var errs []error
	work := make(chan Presentment)
	var wg sync.WaitGroup
	for range min(clearingWorkers, max(1, len(f.Presentments))) {
		wg.Go(func() {
			for p := range work {
				outcome, err := s.present(ctx, f.ID, p, chains[p.AuthorisationID], cards)
				mu.Lock()
				switch {
				case err != nil:
					errs = append(errs, fmt.Errorf("presentment %s: %w", p.ID, err))
				case outcome == "":
					res.Repeated++
				case outcome == Posted:
					res.Posted++
				default:
					res.Exceptions++
				}
				mu.Unlock()
			}
		})
	}
	for _, p := range f.Presentments {
		work <- p
	}
	close(work)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return res, err
	}
	_, err = s.DB.Exec(ctx, `UPDATE card_clearing_files SET posted = (SELECT COUNT(*) FROM card_clearings c
		WHERE c.file_id = card_clearing_files.id AND c.outcome = 'posted'), exceptions = (SELECT COUNT(*) FROM
		card_clearings c WHERE c.file_id = card_clearing_files.id AND c.outcome = 'exception') WHERE id = ?`, f.ID)
	if err != nil {
		return res, fmt.Errorf("clearing file: %w", err)
	}
	return res, nil
}

// chains reads the approved authorisations the presentments name, with their incremental ones, by original id.
func (s *Service) chains(ctx context.Context, ps []Presentment) (map[string][]authorisation, error) {
	var ids []string
	seen := map[string]bool{}
	for _, p := range ps {
		if p.AuthorisationID != "" && !seen[p.AuthorisationID] {
			seen[p.AuthorisationID] = true
			ids = append(ids, p.AuthorisationID)
		}
	}
	out := map[string][]authorisation{}
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(start+500, len(ids))]
		// By id, then by parent: one query with both conditions OR-ed would scan the table on either engine.
		for _, col := range []string{"id", "parent_id"} {
			in, args := s.DB.In(col, part)
			rows, err := s.DB.Query(ctx, "SELECT "+authColumns+" FROM card_authorisations WHERE "+in+
				" AND approved = 1 ORDER BY created_at, id", args...)
			if err != nil {
				return nil, fmt.Errorf("clearing authorisations: %w", err)
			}
			all, err := db.Collect(rows, scanAuthorisation)
			if err != nil {
				return nil, fmt.Errorf("clearing authorisations: %w", err)
			}
			for _, a := range all {
				if a.ParentID == "" {
					out[a.ID] = append([]authorisation{a}, out[a.ID]...)
				} else {
					out[a.ParentID] = append(out[a.ParentID], a)
				}
			}
		}
	}
	for id, c := range out {
		if c[0].ParentID != "" || c[0].ID != id {
			delete(out, id) // incremental ones whose original is not approved: nothing to clear against
		}
	}
	return out, nil
}

// cardCache reads each card of a file once.
type cardCache struct {
	s  *Service
	mu sync.Mutex
	m  map[string]*cardEntry
}

type cardEntry struct {
	once sync.Once
	c    card.Spendable
	curs map[string]money.Currency
	err  error
}

func (cc *cardCache) get(ctx context.Context, id string) (card.Spendable, map[string]money.Currency, error) {
	cc.mu.Lock()
	e := cc.m[id]
	if e == nil {
		e = &cardEntry{}
		cc.m[id] = e
	}
	cc.mu.Unlock()
	e.once.Do(func() {
		if e.c, e.err = cc.s.Cards.ForNetwork(ctx, id); e.err == nil {
			e.curs, e.err = cc.s.currencyOf(ctx, e.c.Accounts)
		}
	})
	return e.c, e.curs, e.err
}

// posting is what a presentment books: its account and the entry's legs.
type posting struct {
	accountID string
	amount    money.Amount // on the account: debited for a purchase or cash, credited for a refund
	legs      []ledger.Leg
	accounts  []string
	kind      string
}

// present posts one presentment and gives its outcome ("" when it was posted before).
func (s *Service) present(ctx context.Context, fileID string, p Presentment, chain []authorisation, cards *cardCache) (string, error) {
	if len(chain) > 0 && chain[0].CardID != p.CardID {
		chain = nil // an authorisation of another card is no authorisation of this one
	}
	accountID, cur, err := s.presentedAccount(ctx, p, chain, cards)
	if err != nil {
		return "", err
	}
	if accountID != "" {
		pst, err := s.booking(ctx, p, accountID, cur)
		if err != nil {
			return "", err
		}
		outcome, err := s.post(ctx, fileID, p, chain, pst)
		if err == nil || !refused(err) {
			return outcome, err
		}
	}
	pst, err := s.exceptionBooking(ctx, p)
	if err != nil {
		return "", err
	}
	return s.post(ctx, fileID, p, chain, pst)
}

// refused reports whether the account refused a posting (so it becomes an exception), as opposed to a failure.
func refused(err error) bool {
	return errors.Is(err, ledger.ErrInsufficientFunds) || errors.Is(err, ledger.ErrAccountBlocked) ||
		errors.Is(err, ledger.ErrAccountClosed) || errors.Is(err, ledger.ErrAccountNotFound)
}

// presentedAccount is the account a presentment posts to: its authorisation's, or the card's in its currency,
// else the card's primary; "" for a card the bank does not know.
func (s *Service) presentedAccount(ctx context.Context, p Presentment, chain []authorisation, cards *cardCache) (string, money.Currency, error) {
	if len(chain) > 0 {
		return chain[0].AccountID, chain[0].AccountAmount.Currency, nil
	}
	c, curs, err := cards.get(ctx, p.CardID)
	if errors.Is(err, card.ErrNotFound) || (err == nil && len(c.Accounts) == 0) {
		return "", "", nil
	}
	if err != nil {
		return "", "", err
	}
	for _, id := range c.Accounts {
		if curs[id] == p.Amount.Currency {
			return id, curs[id], nil
		}
	}
	return c.Accounts[0], curs[c.Accounts[0]], nil
}

// booking is the entry of a presentment on an account in cur: the account against the card settlement account in
// the presentment's currency, through the FX positions when the currencies differ.
func (s *Service) booking(ctx context.Context, p Presentment, accountID string, cur money.Currency) (posting, error) {
	settle, err := s.glAccount(ctx, ledger.TypeCardSettlement, p.Amount.Currency)
	if err != nil {
		return posting{}, err
	}
	pst := posting{accountID: accountID, kind: entryKind(p.Kind)}
	refund := p.Kind == KindRefund
	if cur == p.Amount.Currency {
		pst.amount = p.Amount
		sign := int64(-1)
		if refund {
			sign = 1
		}
		pst.legs = []ledger.Leg{{AccountID: accountID, Amount: sign * p.Amount.Minor},
			{AccountID: settle, Amount: -sign * p.Amount.Minor}}
	} else {
		var ex fx.Exchange
		if refund {
			price, err := s.FX.CardRefund(ctx, p.Amount, cur)
			if err != nil {
				return posting{}, err
			}
			ex, pst.amount = fx.ExchangeOf(price, settle, accountID), price.Buy
		} else {
			price, err := s.FX.CardPurchase(ctx, cur, p.Amount)
			if err != nil {
				return posting{}, err
			}
			ex, pst.amount = fx.ExchangeOf(price, accountID, settle), price.Sell
		}
		legs, err := s.FX.ExchangeLegs(ctx, ex)
		if err != nil {
			return posting{}, err
		}
		pst.legs, _ = fx.MergeLegs(legs)
	}
	for i := range pst.legs {
		pst.legs[i].Description = p.Merchant
		if pst.legs[i].AccountID == accountID {
			pst.legs[i].Counterparty = p.Merchant
		}
	}
	_, pst.accounts = fx.MergeLegs(pst.legs)
	return pst, nil
}

// exceptionBooking is a presentment no account pays: the card settlement account against suspense.
func (s *Service) exceptionBooking(ctx context.Context, p Presentment) (posting, error) {
	settle, err := s.glAccount(ctx, ledger.TypeCardSettlement, p.Amount.Currency)
	if err != nil {
		return posting{}, err
	}
	suspense, err := s.glAccount(ctx, ledger.TypeSuspense, p.Amount.Currency)
	if err != nil {
		return posting{}, err
	}
	sign := int64(-1)
	if p.Kind == KindRefund {
		sign = 1
	}
	return posting{kind: entryKind(p.Kind), amount: money.Amount{Currency: p.Amount.Currency},
		accounts: []string{suspense, settle}, legs: []ledger.Leg{
			{AccountID: suspense, Amount: sign * p.Amount.Minor, Description: p.Merchant},
			{AccountID: settle, Amount: -sign * p.Amount.Minor, Description: p.Merchant}}}, nil
}

// The ledger's entry kinds of card payments.
const (
	EntryPurchase       = "card_purchase"
	EntryCashWithdrawal = "card_cash_withdrawal"
	EntryRefund         = "card_refund"
	EntryChargeback     = "card_chargeback"
)

func entryKind(kind string) string {
	switch kind {
	case KindCash:
		return EntryCashWithdrawal
	case KindRefund:
		return EntryRefund
	}
	return EntryPurchase
}

// post books pst as one ledger op under the presentment's id: the authorisation's holds captured or released
// (purchase and cash only), the entry posted, the presentment recorded and its authorisations marked cleared.
func (s *Service) post(ctx context.Context, fileID string, p Presentment, chain []authorisation, pst posting) (string, error) {
	key := "card_clearing:" + p.ID
	hash := p.hash()
	var holds []string
	if p.Kind != KindRefund {
		for _, a := range chain {
			holds = append(holds, a.HoldID)
		}
	}
	outcome := Posted
	if pst.accountID == "" {
		outcome = Exception
	}
	accounts := pst.accounts
	if len(chain) > 0 && pst.accountID == "" && len(holds) > 0 {
		accounts = append(accounts, chain[0].AccountID) // its holds are released
	}
	var replayed bool
	err := s.Ledger.Submit(ctx, ledger.Op{Accounts: accounts, Holds: holds, IdempotencyKey: key, Run: func(b *ledger.Batch) error {
		if _, again, err := b.Idempotency(key, hash); err != nil || again {
			replayed = again
			return err
		}
		entryID, err := s.settle(b, pst, holds)
		if err != nil {
			return err
		}
		authID := ""
		if len(chain) > 0 {
			authID = chain[0].ID
			if p.Kind != KindRefund {
				for _, a := range chain {
					b.Update(ledger.Record{Table: "card_authorisations", Columns: []string{"id", "status"},
						Values: []any{a.ID, StatusCleared}})
				}
			}
		}
		b.Insert(ledger.Record{Table: "card_clearings", Columns: []string{"id", "file_id", "authorisation_id",
			"card_id", "kind", "amount", "currency", "merchant", "mcc", "account_id", "account_amount",
			"account_currency", "entry_id", "outcome", "created_at"}, Values: []any{p.ID, fileID, authID, p.CardID,
			p.Kind, p.Amount.Minor, string(p.Amount.Currency), p.Merchant, p.MCC, pst.accountID, pst.amount.Minor,
			string(pst.amount.Currency), entryID, outcome, db.Micros(b.Now())}})
		b.RememberIdempotency(key, hash, p.ID)
		return nil
	}})
	if err != nil {
		return "", err
	}
	if replayed {
		return "", nil
	}
	return outcome, nil
}

// settle releases or captures the holds and posts pst's entry: a single active hold covering the amount is
// captured (the rest of it released); otherwise every active hold is released and the amount posted.
func (s *Service) settle(b *ledger.Batch, pst posting, holds []string) (string, error) {
	var active []ledger.Hold
	for _, id := range holds {
		h, err := b.Hold(id)
		if err != nil {
			return "", err
		}
		if h.Status == ledger.HoldActive {
			active = append(active, h)
		}
	}
	e := ledger.Entry{Kind: pst.kind, Description: pst.legs[0].Description, Legs: pst.legs}
	if pst.accountID != "" && len(active) == 1 && active[0].AccountID == pst.accountID &&
		pst.amount.Minor <= active[0].Amount {
		return b.CaptureHold(active[0].ID, pst.amount.Minor, e)
	}
	for _, h := range active {
		if err := b.ReleaseHold(h.ID, ledger.HoldReleased); err != nil {
			return "", err
		}
	}
	return b.Post(e)
}

// hash identifies a presentment's content: the same id in a later file must be the same presentment.
func (p Presentment) hash() string {
	return Request{ID: p.ID, OriginalID: p.AuthorisationID, CardID: p.CardID, Amount: p.Amount, Merchant: p.Merchant,
		MCC: p.MCC, EntryMode: p.Kind}.hash()
}
