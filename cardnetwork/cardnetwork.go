// Package cardnetwork is the sandbox of the card network (the card processor and the schemes), in the binary as
// the default adapter for the demo and the tests, as package clearinghouse is for payments. It plays the
// merchants' and ATMs' side: it sends the issuer authorisation requests, reversals and, at the end of the day, the
// clearing (presentment) file of what was authorised and not reversed — for the amount authorised, or another one
// staff or the demo staged, with presentments without authorisation and refunds — and delivers it to the issuer
// through Issuer, the interface a real network's adapter implements on the issuer's side (package issuing). It
// can be told to be down or slow.
//
// With each file it sends the file's settlement report (Settlement): per currency, what the issuer owes for the
// file's presentments, less refunds and less the chargebacks the issuer told it of (Chargeback) before the file was
// built. The sandbox settles each currency in itself, and accepts every chargeback the issuer records as won.
//
// It keeps its own state (migrations 00049, 00054): the authorisations it sent (cardnet_authorisations), the
// presentments it staged and filed (cardnet_presentments), its files, one per business date (cardnet_files), and
// the chargebacks it accepted, each credited in one file (cardnet_chargebacks).
package cardnetwork

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/text"
)

// Issuer is the bank's side as the network reaches it: issuing.Service.
type Issuer interface {
	Authorise(ctx context.Context, r issuing.Request) (issuing.Answer, error)
	Reverse(ctx context.Context, authorisationID string) error
	Clear(ctx context.Context, file []byte) (issuing.FileResult, error)
	Settle(ctx context.Context, r issuing.Settlement) (issuing.SettlementResult, error)
}

// Sandbox is the card network of the demo and the tests.
type Sandbox struct {
	DB     *db.DB
	Clock  clock.Clock
	Issuer Issuer
	// Cards lists a customer's cards (card.Service), for the demo's terminals to offer the demo customers' cards.
	Cards interface {
		List(ctx context.Context, customerID string) ([]card.Card, error)
	}
	// Sleep waits for the configured delay; nil is a real wait.
	Sleep func(ctx context.Context, d time.Duration) error

	mu    sync.Mutex
	down  bool
	delay time.Duration
}

// Set makes the network down (nothing reaches the issuer) or slow (each request waits delay first).
func (s *Sandbox) Set(down bool, delay time.Duration) {
	s.mu.Lock()
	s.down, s.delay = down, delay
	s.mu.Unlock()
}

// reach waits as the network is slow, or refuses as it is down.
func (s *Sandbox) reach(ctx context.Context) error {
	s.mu.Lock()
	down, delay := s.down, s.delay
	s.mu.Unlock()
	if down {
		return ErrDown
	}
	if delay <= 0 {
		return nil
	}
	if s.Sleep != nil {
		return s.Sleep(ctx, delay)
	}
	t := time.NewTimer(delay)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Authorise sends a terminal's request to the issuer and keeps what it sent with the answer, written by the issuer
// with its answer (issuing.Request.Log: the network shares the bank's database here, and a commit of its own
// would make each authorisation wait for two). An id the network sent before is sent again as it is (the issuer
// answers it the same, and the first record stays).
func (s *Sandbox) Authorise(ctx context.Context, r issuing.Request) (issuing.Answer, error) {
	if err := s.reach(ctx); err != nil {
		return issuing.Answer{}, err
	}
	now := s.Clock.Now()
	r.Log = func(a issuing.Answer) ledger.Record {
		return ledger.Record{Table: "cardnet_authorisations", Columns: sentColumns, Values: []any{r.ID, r.CardID,
			r.OriginalID, r.Amount.Minor, string(r.Amount.Currency), text.Clean(r.Merchant), r.MCC, boolInt(a.Approved),
			string(a.Reason), 0, 0, db.Micros(now)}}
	}
	return s.Issuer.Authorise(ctx, r)
}

var sentColumns = []string{"id", "card_id", "parent_id", "amount", "currency", "merchant", "mcc", "approved", "reason",
	"reversed", "presented", "created_at"}

// Reverse sends a reversal of an authorisation to the issuer; it will not be presented.
func (s *Sandbox) Reverse(ctx context.Context, authorisationID string) error {
	if err := s.reach(ctx); err != nil {
		return err
	}
	if err := s.Issuer.Reverse(ctx, authorisationID); err != nil {
		return err
	}
	_, err := s.DB.Exec(ctx, "UPDATE cardnet_authorisations SET reversed = 1 WHERE id = ? OR parent_id = ?",
		authorisationID, authorisationID)
	return err
}

// Presentment is one the network stages for the day's file: for an authorisation (its amount may differ from the
// amount authorised), without one, or a refund.
type Presentment struct {
	AuthorisationID string
	CardID          string
	Kind            string // purchase (the default), cash, refund
	Amount          money.Amount
	Merchant        string
	MCC             string // "" is 5999 (miscellaneous retail)
}

// Stage adds a presentment to the day's file and returns its id; one for an authorisation replaces the
// authorisation's own (its amount as authorised).
func (s *Sandbox) Stage(ctx context.Context, p Presentment) (string, error) {
	if p.Kind == "" {
		p.Kind = issuing.KindPurchase
	}
	switch p.Kind {
	case issuing.KindPurchase, issuing.KindCash, issuing.KindRefund:
	default:
		return "", ErrKindInvalid
	}
	if p.MCC == "" {
		p.MCC = "5999"
	}
	if p.Amount.Minor <= 0 || !p.Amount.Currency.Valid() {
		return "", money.ErrAmountNotPositive
	}
	p.Merchant = text.Clean(p.Merchant)
	if p.Merchant == "" || !text.Storable(p.Merchant) || !text.Storable(p.CardID) || p.CardID == "" ||
		!text.Storable(p.AuthorisationID) {
		return "", kumbara.ErrValidationFailed.WithFields(kumbara.ErrFieldRequired.At("card_id"),
			kumbara.ErrFieldRequired.At("merchant"))
	}
	id := uuid.Must(uuid.NewV7()).String()
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO cardnet_presentments (id, authorisation_id, card_id, kind, amount,
			currency, merchant, mcc, file_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', ?)`, id, p.AuthorisationID,
			p.CardID, p.Kind, p.Amount.Minor, string(p.Amount.Currency), p.Merchant, p.MCC, db.Micros(s.Clock.Now())); err != nil {
			return err
		}
		if p.AuthorisationID == "" || p.Kind == issuing.KindRefund {
			return nil
		}
		_, err := tx.Exec(ctx, "UPDATE cardnet_authorisations SET presented = 1 WHERE id = ? OR parent_id = ?",
			p.AuthorisationID, p.AuthorisationID)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("card network stage: %w", err)
	}
	return id, nil
}

// RunClearing builds the clearing file of the business date, once, and delivers it to the issuer: every
// authorisation approved, not reversed and not yet presented becomes a presentment of its amount (with its
// incremental ones), beside what was staged. Run again for the same date, it delivers the same file again (the
// issuer posts each presentment once).
func (s *Sandbox) RunClearing(ctx context.Context, day calendar.Date) (issuing.FileResult, error) {
	if err := s.reach(ctx); err != nil {
		return issuing.FileResult{}, err
	}
	fileID, err := s.file(ctx, day)
	if err != nil {
		return issuing.FileResult{}, err
	}
	rows, err := s.DB.Query(ctx, `SELECT id, authorisation_id, card_id, kind, amount, currency, merchant, mcc
		FROM cardnet_presentments WHERE file_id = ? ORDER BY id`, fileID)
	if err != nil {
		return issuing.FileResult{}, fmt.Errorf("card network file: %w", err)
	}
	ps, err := db.Collect(rows, func(r db.Scanner) (issuing.Presentment, error) {
		var p issuing.Presentment
		var cur string
		err := r.Scan(&p.ID, &p.AuthorisationID, &p.CardID, &p.Kind, &p.Amount.Minor, &cur, &p.Merchant, &p.MCC)
		p.Amount.Currency = money.Currency(cur)
		return p, err
	})
	if err != nil {
		return issuing.FileResult{}, fmt.Errorf("card network file: %w", err)
	}
	res, err := s.Issuer.Clear(ctx, issuing.Format(issuing.File{ID: fileID, BusinessDate: day, Presentments: ps}))
	if err != nil {
		return res, err
	}
	report, err := s.settlement(ctx, fileID, ps)
	if err != nil {
		return res, err
	}
	if res.Settlement, err = s.Issuer.Settle(ctx, report); err != nil {
		return res, err
	}
	_, err = s.DB.Exec(ctx, "UPDATE cardnet_files SET delivered = 1 WHERE id = ?", fileID)
	return res, err
}

// settlement is a file's settlement report: per currency, its purchases and cash withdrawals less its refunds and
// the chargebacks it credits.
func (s *Sandbox) settlement(ctx context.Context, fileID string, ps []issuing.Presentment) (issuing.Settlement, error) {
	nets := map[money.Currency]int64{}
	for _, p := range ps {
		if p.Kind == issuing.KindRefund {
			nets[p.Amount.Currency] -= p.Amount.Minor
		} else {
			nets[p.Amount.Currency] += p.Amount.Minor
		}
	}
	rows, err := s.DB.Query(ctx, "SELECT amount, currency FROM cardnet_chargebacks WHERE file_id = ?", fileID)
	if err != nil {
		return issuing.Settlement{}, fmt.Errorf("card network settlement: %w", err)
	}
	cbs, err := db.Collect(rows, func(r db.Scanner) (money.Amount, error) {
		var a money.Amount
		var cur string
		err := r.Scan(&a.Minor, &cur)
		a.Currency = money.Currency(cur)
		return a, err
	})
	if err != nil {
		return issuing.Settlement{}, fmt.Errorf("card network settlement: %w", err)
	}
	for _, a := range cbs {
		nets[a.Currency] -= a.Minor
	}
	r := issuing.Settlement{FileID: fileID}
	for c, n := range nets {
		r.Nets = append(r.Nets, money.New(n, c))
	}
	return r, nil
}

// Chargeback accepts a chargeback the issuer won on a presentment, once per dispute: it is credited in the
// settlement of the next file the network builds.
func (s *Sandbox) Chargeback(ctx context.Context, disputeID, presentmentID string, amount money.Amount) error {
	_, err := s.DB.Exec(ctx, `INSERT INTO cardnet_chargebacks (id, presentment_id, amount, currency, file_id, created_at)
		VALUES (?, ?, ?, ?, '', ?) ON CONFLICT (id) DO NOTHING`, disputeID, presentmentID, amount.Minor,
		string(amount.Currency), db.Micros(s.Clock.Now()))
	if err != nil {
		return fmt.Errorf("card network chargeback: %w", err)
	}
	return nil
}

// file makes the date's file once and returns its id: the open authorisations presented, the staged
// presentments and the chargebacks accepted filed.
func (s *Sandbox) file(ctx context.Context, day calendar.Date) (string, error) {
	var id string
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		err := tx.QueryRow(ctx, "SELECT id FROM cardnet_files WHERE business_date = ?", day.String()).Scan(&id)
		if err == nil {
			return nil
		}
		id = "CN-" + day.String() + "-" + uuid.Must(uuid.NewV7()).String()[:8]
		type open struct {
			id, parent, card, cur, merchant, mcc string
			amount                               int64
		}
		rows, err := tx.Query(ctx, `SELECT id, parent_id, card_id, currency, merchant, mcc, amount FROM cardnet_authorisations
			WHERE approved = 1 AND reversed = 0 AND presented = 0 ORDER BY created_at, id`)
		if err != nil {
			return err
		}
		all, err := db.Collect(rows, func(r db.Scanner) (open, error) {
			var o open
			err := r.Scan(&o.id, &o.parent, &o.card, &o.cur, &o.merchant, &o.mcc, &o.amount)
			return o, err
		})
		if err != nil {
			return err
		}
		totals, order := map[string]*open{}, []string{}
		for _, o := range all {
			if o.parent == "" {
				c := o
				totals[o.id] = &c
				order = append(order, o.id)
			}
		}
		for _, o := range all {
			if t := totals[o.parent]; o.parent != "" && t != nil && t.cur == o.cur {
				t.amount += o.amount
			}
		}
		now := db.Micros(s.Clock.Now())
		var ins [][]any
		for _, aid := range order {
			o := totals[aid]
			kind := issuing.KindPurchase
			if issuing.CashMCC(o.mcc) {
				kind = issuing.KindCash
			}
			ins = append(ins, []any{uuid.Must(uuid.NewV7()).String(), o.id, o.card, kind, o.amount, o.cur, o.merchant,
				o.mcc, "", now})
		}
		for _, st := range s.DB.InsertRows("cardnet_presentments", []string{"id", "authorisation_id", "card_id", "kind",
			"amount", "currency", "merchant", "mcc", "file_id", "created_at"}, ins) {
			if _, err := tx.Exec(ctx, st.SQL, st.Args...); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, "UPDATE cardnet_authorisations SET presented = 1 WHERE approved = 1 AND reversed = 0 AND presented = 0"); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE cardnet_chargebacks SET file_id = ? WHERE file_id = ''", id); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, "UPDATE cardnet_presentments SET file_id = ? WHERE file_id = ''", id)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		_, err = tx.Exec(ctx, `INSERT INTO cardnet_files (id, business_date, presentments, delivered, created_at)
			VALUES (?, ?, ?, 0, ?)`, id, day.String(), n, now)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("card network file: %w", err)
	}
	return id, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Sent is an authorisation the network sent, as the demo's page lists it.
type Sent struct {
	ID, CardID, ParentID string
	Amount               money.Amount
	Merchant, MCC        string
	Approved             bool
	Reason               string
	Reversed, Presented  bool
	At                   time.Time
}

// Recent lists the last authorisations the network sent, newest first.
func (s *Sandbox) Recent(ctx context.Context, limit int) ([]Sent, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, card_id, parent_id, amount, currency, merchant, mcc, approved, reason,
		reversed, presented, created_at FROM cardnet_authorisations ORDER BY created_at DESC, id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("card network: %w", err)
	}
	return db.Collect(rows, func(r db.Scanner) (Sent, error) {
		var x Sent
		var cur string
		var approved, reversed, presented int
		var at int64
		err := r.Scan(&x.ID, &x.CardID, &x.ParentID, &x.Amount.Minor, &cur, &x.Merchant, &x.MCC, &approved, &x.Reason,
			&reversed, &presented, &at)
		x.Amount.Currency, x.At = money.Currency(cur), db.FromMicros(at)
		x.Approved, x.Reversed, x.Presented = approved != 0, reversed != 0, presented != 0
		return x, err
	})
}

// CardsOf lists the cards of the customers a demo's terminal may be presented, in the order given.
func (s *Sandbox) CardsOf(ctx context.Context, customerIDs []string) ([]card.Card, error) {
	if s.Cards == nil {
		return nil, nil
	}
	var out []card.Card
	for _, id := range customerIDs {
		cs, err := s.Cards.List(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
	return out, nil
}
