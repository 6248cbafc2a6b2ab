package payment

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/idempotency"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/sca"
)

// Quote is what the customer is shown before confirming: the scheme, the value date (and whether it is today), the
// fee, what leaves the account and what the beneficiary's bank is paid, and the name check's result.
type Quote struct {
	Type, Scheme string
	ValueDate    calendar.Date
	Today        bool
	Fee          money.Amount
	FeeDeducted  bool
	Debited      money.Amount
	Sent         money.Amount
	Verification Verification
	BankName     string
	// Exchange is, for a payment in another currency than its account's, the rate Debited is bought at and what
	// that costs in the account's currency (Exchange.Charged); its Rate is "" otherwise.
	Exchange Exchange
}

// Charged is what leaves the account, in its currency.
func (q Quote) Charged() money.Amount {
	if q.Exchange.Rate != "" {
		return q.Exchange.Charged
	}
	return q.Debited
}

// holdFor is how long a payment's hold lasts at most: it is captured when the payment leaves, long before.
const holdFor = 30 * 24 * time.Hour

// Preview runs every check Create runs, the funds too, and prices the payment, for a review page: one entry point
// for every face. The name check counts against the customer's allowance of checks.
func (s *Service) Preview(ctx context.Context, customerID string, r Request) (Quote, error) {
	q, _, err := s.quote(ctx, customerID, r, true)
	return q, err
}

// quote checks r and prices it; with nameCheck, the beneficiary's name is checked too (Verification of Payee).
func (s *Service) quote(ctx context.Context, customerID string, r Request, nameCheck bool) (Quote, order, error) {
	if s.Clearing == nil {
		return Quote{}, order{}, ErrUnavailable
	}
	o, err := s.check(ctx, customerID, r)
	if err != nil {
		return Quote{}, order{}, err
	}
	now := s.Ledger.Clock.Now()
	if err := s.checkBusinessHours(ctx, customerID, now); err != nil {
		return Quote{}, order{}, err
	}
	q := Quote{Type: o.typ, Scheme: s.route(o), BankName: o.party.BankName}
	if q.ValueDate, err = s.valueDate(ctx, q.Scheme, now); err != nil {
		return Quote{}, order{}, err
	}
	q.Today = q.ValueDate == calendar.DateOf(now)
	if o.today && !q.Today {
		return Quote{}, order{}, ErrCutOffPassed.WithParam("value_date", q.ValueDate.String())
	}
	fee, err := s.Tariff.Fee(ctx, q.Scheme, o.charges, o.amount)
	if err != nil {
		return Quote{}, order{}, err
	}
	q.Fee, q.FeeDeducted = fee.Amount, fee.Deducted
	p := Payment{Amount: o.amount, Fee: q.Fee, FeeDeducted: q.FeeDeducted}
	q.Debited, q.Sent = p.Debited(), p.SentAmount()
	if o.from.Currency != q.Debited.Currency {
		if q.Exchange, err = s.exchange(ctx, customerID, o.from.Currency, q.Debited); err != nil {
			return Quote{}, order{}, err
		}
	}
	// The funds as they are now, so a payment that cannot be made is refused before it is confirmed; the hold
	// checks them again under lock.
	if o.from.Status != ledger.Active {
		return Quote{}, order{}, ledger.ErrAccountBlocked
	}
	if q.Charged().Minor > o.from.Available() {
		return Quote{}, order{}, ledger.ErrInsufficientFunds
	}
	if nameCheck && o.typ != International && o.party.IBAN != "" {
		v, err := s.Payees.Check(ctx, customerID, iban.IBAN(o.party.IBAN), o.party.Name)
		if err != nil {
			return Quote{}, order{}, err
		}
		q.Verification = Verification{Result: string(v.Result), Name: v.Name}
	}
	return q, o, nil
}

// exchange prices buying debited (the payment's amount and fee, in its currency) with the account's currency at
// the bank's rate for the customer's segment now (fx.Calculate): the rate is the one the payment is accepted at.
func (s *Service) exchange(ctx context.Context, customerID string, account money.Currency, debited money.Amount) (Exchange, error) {
	p, err := s.FX.Calculate(ctx, fx.Calculation{Sell: account, Buy: debited.Currency, Side: fx.SideBuy,
		Amount: debited.Decimal(), Segment: s.segment(ctx, customerID)})
	if err != nil {
		if errors.Is(err, fx.ErrNoRate) {
			// No rate for one of the currencies: the payment cannot change currency today.
			return Exchange{}, ErrCurrencyConversion.WithParam("currency", string(account))
		}
		return Exchange{}, err
	}
	return Exchange{Rate: p.Rate, Base: p.Base, Quoted: p.Quoted, Charged: p.Sell, Income: p.Income,
		Rounding: p.Rounding}, nil
}

// segment is the customer's for the bank's rates: a business's, or an individual's (also when it cannot be read:
// the published rates).
func (s *Service) segment(ctx context.Context, customerID string) string {
	if business, err := s.Customers.IsBusiness(ctx, customerID); err == nil && business {
		return fx.Business
	}
	return fx.Individual
}

// checkBusinessHours refuses a business customer's payment from 21:00 to midnight (Z7), as every transfer.
func (s *Service) checkBusinessHours(ctx context.Context, customerID string, now time.Time) error {
	if calendar.CheckBusinessHours(now) == nil {
		return nil
	}
	business, err := s.Customers.IsBusiness(ctx, customerID)
	if err != nil || !business {
		return err
	}
	return calendar.CheckBusinessHours(now)
}

// Create makes a payment: checked and priced as Preview does, then held at once when strong authentication
// exempts it, or recorded waiting for the customer's confirmation (Confirm) with a challenge whose SMS names the
// amount and the beneficiary. International payments are always confirmed, and only with a trusted device or a
// passkey. key makes the request idempotent: a repeat with the same content answers the first payment
// (replay = true); with other content it is idempotency_key_reused.
func (s *Service) Create(ctx context.Context, customerID, key string, r Request) (Payment, bool, error) {
	scope, hash := customerID+"/payment/"+key, r.hash(customerID)
	if id, found, err := idempotency.Find(ctx, s.Ledger.DB, scope, hash); err != nil {
		return Payment{}, false, err
	} else if found {
		p, err := s.Get(ctx, customerID, id)
		return p, true, err
	}
	q, o, err := s.quote(ctx, customerID, r, true)
	if err != nil {
		return Payment{}, false, err
	}
	p := s.newPayment(customerID, o, q)
	if o.typ != International {
		ex, err := s.SCA.Exempt(ctx, s.scaPayment(p))
		if err != nil {
			return Payment{}, false, err
		}
		if ex.Reason != "" {
			p.Exemption = ex.Reason
			got, replay, err := s.accept(ctx, p, scope, hash, true)
			if err != nil || replay {
				_ = s.SCA.Release(context.WithoutCancel(ctx), customerID, ex)
			}
			if err == nil && !replay {
				s.afterAccept(ctx, got)
			}
			return got, replay, err
		}
	}
	return s.createPending(ctx, p, scope, hash)
}

// newPayment is the payment o describes, priced by q, with its ids.
func (s *Service) newPayment(customerID string, o order, q Quote) Payment {
	id := uuid.Must(uuid.NewV7()).String()
	compact := strings.ReplaceAll(id, "-", "")
	now := s.Ledger.Clock.Now()
	return Payment{ID: id, CustomerID: customerID, Direction: Out, Type: o.typ, Scheme: q.Scheme,
		AccountID: o.from.ID, AccountIBAN: o.from.IBAN, Amount: o.amount, Fee: q.Fee, FeeDeducted: q.FeeDeducted,
		Charges: o.charges, Urgent: o.urgent, Description: o.description, Beneficiary: o.party, Purpose: o.purpose,
		Verification: q.Verification, ValueDate: q.ValueDate, EndToEndID: compact, TxID: compact,
		CreatedAt: now, UpdatedAt: now, ExpiresAt: now.Add(s.Config.ConfirmWithin), Exchange: q.Exchange, save: o.save}
}

// scaPayment is what the customer confirms of p: the amount debited and both accounts, bound to p's id.
func (s *Service) scaPayment(p Payment) sca.Payment {
	to := p.Beneficiary.IBAN
	if to == "" {
		to = p.Beneficiary.AccountNumber
	}
	return sca.Payment{TransferID: p.ID, CustomerID: p.CustomerID, FromIBAN: p.AccountIBAN, ToIBAN: to,
		PayeeName: p.Beneficiary.Name, Amount: p.Debited(), DeviceOnly: p.Type == International}
}

// createPending records p as waiting for confirmation with its idempotency key and a challenge, in one
// transaction. Nothing is held until it is confirmed.
func (s *Service) createPending(ctx context.Context, p Payment, scope, hash string) (Payment, bool, error) {
	payer, err := s.Customers.Get(ctx, auth.Actor(ctx, p.CustomerID))
	if err != nil {
		return Payment{}, false, err
	}
	p.Status = PendingConfirmation
	var replayID string
	err = s.Ledger.DB.InTx(ctx, func(tx *db.Tx) error {
		replayID = ""
		if err := customer.Lock(ctx, tx, p.CustomerID); err != nil {
			return err
		}
		var err error
		if replayID, err = idempotency.Claim(ctx, tx, scope, hash, p.ID, p.CreatedAt); err != nil || replayID != "" {
			return err
		}
		r := paymentRow(p)
		if _, err := tx.Exec(ctx, insertSQL(r), r.Values...); err != nil {
			return err
		}
		e := eventRow(p.ID, PendingConfirmation, "", p.CreatedAt)
		if _, err := tx.Exec(ctx, insertSQL(e), e.Values...); err != nil {
			return err
		}
		c, err := s.SCA.Issue(ctx, tx, s.scaPayment(p), payer.Mobile)
		if err != nil {
			return err
		}
		p.Challenge = &c
		return audit.Append(ctx, tx, p.CreatedAt, auditEntry(ctx, p, ActionPending, nil))
	})
	if err != nil {
		return Payment{}, false, err
	}
	if replayID != "" {
		got, err := s.Get(ctx, p.CustomerID, replayID)
		return got, true, err
	}
	if s.SCA.Outbox != nil {
		s.SCA.Outbox.Kick()
	}
	p.Events = []Event{{Status: PendingConfirmation, At: p.CreatedAt}}
	return p, false, nil
}

// Confirm proves a payment waiting for confirmation with the customer's proof and holds its money. International
// payments take only a trusted device's signature, its Soft PIN or a passkey (T6). A repeat of a confirmation that
// went through answers the payment as it is now.
func (s *Service) Confirm(ctx context.Context, customerID, id string, proof sca.Proof) (Payment, error) {
	p, err := s.Get(ctx, customerID, id)
	if err != nil {
		return Payment{}, err
	}
	switch p.Status {
	case PendingConfirmation:
	case Expired:
		return Payment{}, ErrExpired
	case Failed:
		return Payment{}, ErrNotPending
	default:
		return p, nil
	}
	now := s.Ledger.Clock.Now()
	if !now.Before(p.ExpiresAt) {
		s.expire(ctx, p.ID)
		return Payment{}, ErrExpired
	}
	if p.Type == International && proof.Method != sca.MethodDevice && proof.Method != sca.MethodSoftPIN &&
		proof.Method != sca.MethodPasskey {
		return Payment{}, ErrStrongDeviceRequired
	}
	var changed bool
	err = s.SCA.Confirm(ctx, s.scaPayment(p), proof, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, "UPDATE payments SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
			Confirmed, db.Micros(now), p.ID, PendingConfirmation)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if changed = n == 1; !changed {
			return nil
		}
		e := eventRow(p.ID, Confirmed, "", now)
		if _, err := tx.Exec(ctx, insertSQL(e), e.Values...); err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, auditEntry(ctx, p, ActionConfirmed, nil))
	})
	if err != nil {
		return Payment{}, err
	}
	if !changed {
		return s.Get(ctx, customerID, id)
	}
	p.Status = Confirmed
	got, _, err := s.accept(ctx, p, confirmScope(p), p.ID, false)
	if err != nil {
		if s.refused(err) {
			s.fail(context.WithoutCancel(ctx), p, err)
		}
		return Payment{}, err
	}
	s.afterAccept(ctx, got)
	return got, nil
}

// Confirmed: the customer's confirmation was proved and the hold not yet placed. The request that confirmed it
// places it; when that request could not, the dispatcher does (Dispatch).
const Confirmed = "confirmed"

func confirmScope(p Payment) string { return p.CustomerID + "/payment-accept/" + p.ID }

// refused reports whether err is the ledger's refusal of the hold (funds, a blocked or closed account), which
// fails the payment for good, rather than a failure that a later attempt may get past.
func (s *Service) refused(err error) bool {
	return errors.Is(err, ledger.ErrInsufficientFunds) || errors.Is(err, ledger.ErrAccountBlocked) ||
		errors.Is(err, ledger.ErrAccountClosed)
}

// accept holds p's money and records it accepted (or waiting for its session or value date) in one ledger op,
// under the idempotency scope: a repeat finds the first payment's id and holds nothing. insert is set when p has
// no row yet (a payment exempt from confirmation); otherwise its row is changed.
func (s *Service) accept(ctx context.Context, p Payment, scope, hash string, insert bool) (Payment, bool, error) {
	var replayID string
	now := s.Ledger.Clock.Now()
	due, err := s.sendable(ctx, p.Scheme, p.ValueDate, now)
	if err != nil {
		return Payment{}, false, err
	}
	// A payment that may leave now is captured as it is held, in the same op (its hold placed and captured at
	// once): the request that accepted it sends it next, and one ledger op fewer is one group commit less to wait
	// for, which an instant payment's confirmation feels. One that must wait keeps its hold until it is sent.
	accounts := []string{p.AccountID}
	var send []ledger.Leg
	if due {
		if send, accounts, err = s.sendLegs(ctx, p); err != nil {
			return Payment{}, false, err
		}
	}
	err = s.Ledger.Submit(ctx, ledger.Op{
		Accounts:       accounts,
		IdempotencyKey: scope,
		Run: func(b *ledger.Batch) error {
			replayID = ""
			if id, replay, err := b.Idempotency(scope, hash); err != nil {
				return err
			} else if replay {
				replayID = id
				return nil
			}
			h, err := b.PlaceHold(p.AccountID, p.Charged().Minor, "payment", p.ID, b.Now().Add(holdFor))
			if err != nil {
				return err
			}
			p.holdID, p.UpdatedAt, p.sendEntryID = h.ID, b.Now(), ""
			if due {
				if p.sendEntryID, err = captureSend(b, p, send); err != nil {
					return err
				}
			}
			p.Status = Accepted
			p.Events = append(p.Events, Event{Status: Accepted, At: b.Now()})
			if !due {
				p.Status = Waiting
				p.Events = append(p.Events, Event{Status: Waiting, At: b.Now()})
			}
			if insert {
				p.CreatedAt = b.Now()
				b.Insert(paymentRow(p))
			} else {
				b.Update(ledger.Record{Table: "payments", Columns: []string{"id", "status", "hold_id", "send_entry_id",
					"updated_at"}, Values: []any{p.ID, p.Status, h.ID, nullable(p.sendEntryID), db.Micros(b.Now())}})
			}
			for _, e := range p.Events[len(p.Events)-eventsAdded(due):] {
				b.Insert(eventRow(p.ID, e.Status, "", e.At))
			}
			b.RememberIdempotency(scope, hash, p.ID)
			return nil
		},
		Audit: func(err error) []audit.Entry {
			if replayID != "" {
				return nil
			}
			return []audit.Entry{auditEntry(ctx, p, ActionAccepted, err)}
		},
	})
	if err != nil {
		return Payment{}, false, err
	}
	if replayID != "" {
		got, err := s.Get(ctx, p.CustomerID, replayID)
		return got, true, err
	}
	return p, false, nil
}

func eventsAdded(due bool) int {
	if due {
		return 1
	}
	return 2
}

// afterAccept does what follows a payment's acceptance within the request: the beneficiary saved when asked, and a
// payment that may leave now sent at once (the dispatcher sends it otherwise).
func (s *Service) afterAccept(ctx context.Context, p Payment) {
	if p.save && s.Beneficiaries != nil {
		b := p.Beneficiary
		_, err := s.Beneficiaries.Add(context.WithoutCancel(ctx), p.CustomerID, beneficiaryInput(b))
		if err != nil && !isBeneficiaryKnown(err) {
			s.log().Warn("payment: save beneficiary", "payment", p.ID, "error", err.Error())
		}
	}
	if p.Status != Accepted {
		return
	}
	if err := s.send(context.WithoutCancel(ctx), []string{p.ID}); err != nil {
		s.log().Warn("payment: send at once", "payment", p.ID, "error", err.Error())
	}
}

// fail records a confirmed payment that could not be held as failed, with the refusal's code.
func (s *Service) fail(ctx context.Context, p Payment, cause error) {
	now := s.Ledger.Clock.Now()
	code := codeOf(cause)
	err := s.Ledger.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, "UPDATE payments SET status = ?, reason = ?, updated_at = ? WHERE id = ? AND status = ?",
			Failed, code, db.Micros(now), p.ID, Confirmed)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		e := eventRow(p.ID, Failed, code, now)
		_, err = tx.Exec(ctx, insertSQL(e), e.Values...)
		return err
	})
	if err != nil {
		s.log().Error("payment: record failure", "payment", p.ID, "error", err.Error())
	}
}

// expire records a payment whose confirmation did not come in time as expired.
func (s *Service) expire(ctx context.Context, id string) {
	now := s.Ledger.Clock.Now()
	err := s.Ledger.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, "UPDATE payments SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
			Expired, db.Micros(now), id, PendingConfirmation)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		e := eventRow(id, Expired, "", now)
		_, err = tx.Exec(ctx, insertSQL(e), e.Values...)
		return err
	})
	if err != nil {
		s.log().Error("payment: expire", "payment", id, "error", err.Error())
	}
}
