package creditcard

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/idempotency"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// SetInternetLimit sets the share of the limit the card may spend on internet purchases, 0–100 % (F12), confirmed
// with the card's PIN (its three tries); effective at once.
func (s *Service) SetInternetLimit(ctx context.Context, customerID, cardID string, percent int, pin string) error {
	cr, err := s.Get(ctx, customerID, cardID)
	if err != nil {
		return err
	}
	if percent < 0 || percent > 100 {
		return ErrInternetPercentInvalid
	}
	if err := s.Cards.VerifyPIN(ctx, cardID, pin); err != nil {
		return err
	}
	return s.setPercent(ctx, cr, "internet_percent", cr.InternetPercent, percent)
}

// SetSupplementaryLimit sets the supplementary card's limit as a share of the card's, 0–100 % (F13).
func (s *Service) SetSupplementaryLimit(ctx context.Context, customerID, cardID string, percent int) error {
	cr, err := s.Get(ctx, customerID, cardID)
	if err != nil {
		return err
	}
	if percent < 0 || percent > 100 {
		return ErrSupplementaryPercentInvalid
	}
	return s.setPercent(ctx, cr, "supplementary_percent", cr.SupplementaryPercent, percent)
}

func (s *Service) setPercent(ctx context.Context, cr Credit, column string, was, percent int) error {
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, "UPDATE credit_cards SET "+column+" = ? WHERE id = ?", percent, cr.ID); err != nil {
			return err
		}
		return audit.Append(ctx, tx, s.Clock.Now(), customerEntry(ctx, ActionLimitsChanged, cr.CustomerID,
			cr.AccountID, map[string]int{column: was}, map[string]int{column: percent}))
	})
	return refused("set credit limit", err)
}

// InternetLimit is how much of the card's limit its internet purchases may use, in minor units: what the card
// network's side checks an online authorisation against.
func (cr Credit) InternetLimit() int64 { return cr.Limit * int64(cr.InternetPercent) / 100 }

// SetAutoPayment sets the automatic payment on the due date (F14): 25 takes the minimum, 100 the total due, 0
// stops it; from one of the customer's current accounts in the card's currency.
func (s *Service) SetAutoPayment(ctx context.Context, customerID, cardID string, percent int, accountID string) error {
	cr, err := s.Get(ctx, customerID, cardID)
	if err != nil {
		return err
	}
	switch percent {
	case 0:
		accountID = ""
	case 25, 100:
		if _, err := s.ownCurrent(ctx, customerID, accountID, cr.Currency); err != nil {
			return err
		}
	default:
		return ErrAutoPercentInvalid
	}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, "UPDATE credit_cards SET auto_percent = ?, auto_account_id = ? WHERE id = ?",
			percent, accountID, cr.ID); err != nil {
			return err
		}
		return audit.Append(ctx, tx, s.Clock.Now(), customerEntry(ctx, ActionAutoPayment, customerID, cr.AccountID,
			map[string]any{"percent": cr.AutoPercent, "account": cr.AutoAccountID},
			map[string]any{"percent": percent, "account": accountID}))
	})
	return refused("set auto-payment", err)
}

// cashRemaining is what may still be drawn in cash: the cash limit less the cash drawn since the last cut, never
// more than is available.
func (s *Service) cashRemaining(ctx context.Context, cr Credit, acc ledger.Account) (int64, error) {
	last, err := s.lastStatement(ctx, cr.ID)
	if err != nil {
		return 0, err
	}
	var after int64
	if last != nil {
		after = last.ToSeq
	}
	drawn, err := s.cashDrawn(ctx, cr.AccountID, after)
	if err != nil {
		return 0, err
	}
	return max(0, min(cr.CashLimit-drawn, acc.Available())), nil
}

// cashDrawn is the cash taken from the credit account after seq: advances and ATM withdrawals.
func (s *Service) cashDrawn(ctx context.Context, accountID string, after int64) (int64, error) {
	ms, err := s.moves(ctx, accountID, after)
	if err != nil {
		return 0, err
	}
	var drawn int64
	for _, m := range ms {
		if isCash(m.Kind) && m.Amount < 0 {
			drawn -= m.Amount
		}
	}
	return drawn, nil
}

// CashAdvanceRequest asks for cash from the card into a current account (F16). Without Confirm it is a preview:
// the fee and the remaining cash limit, nothing moved.
type CashAdvanceRequest struct {
	ToAccountID    string
	Amount         int64
	Confirm        bool
	IdempotencyKey string
}

// CashAdvance is a cash advance as shown before and after confirming.
type CashAdvance struct {
	Amount        int64
	Fee           int64
	CashRemaining int64 // before this advance
	Currency      money.Currency
	EntryID       string // set once confirmed
}

// CashAdvance previews or makes a cash advance: one entry point for every face, so the fee shown is the fee
// charged. The amount must be positive and within the remaining cash limit, and with its fee within the available
// limit; the fee is CashFeePercent of the amount, at least CashFeeMin.
func (s *Service) CashAdvance(ctx context.Context, customerID, cardID string, r CashAdvanceRequest) (CashAdvance, error) {
	cr, err := s.Get(ctx, customerID, cardID)
	if err != nil {
		return CashAdvance{}, err
	}
	to, err := s.ownCurrent(ctx, customerID, r.ToAccountID, cr.Currency)
	if err != nil {
		return CashAdvance{}, err
	}
	if r.Amount <= 0 {
		return CashAdvance{}, money.ErrAmountNotPositive
	}
	fee := max(s.Config.CashFeeMin, percentOf(r.Amount, s.Config.CashFeePercent))
	key := "creditcard:cash:" + customerID + ":" + r.IdempotencyKey
	hash := to.ID + ":" + strconv.FormatInt(r.Amount, 10)
	if r.Confirm {
		// A repeat gets the first answer, though the limit it used is no longer there.
		if id, _, found, err := s.replayed(ctx, key, hash, cr.AccountID); err != nil || found {
			return CashAdvance{Amount: r.Amount, Fee: fee, Currency: cr.Currency, EntryID: id}, err
		}
	}
	acc, err := s.Ledger.Get(ctx, cr.AccountID)
	if err != nil {
		return CashAdvance{}, err
	}
	remaining, err := s.cashRemaining(ctx, cr, acc)
	if err != nil {
		return CashAdvance{}, err
	}
	ca := CashAdvance{Amount: r.Amount, Fee: fee, CashRemaining: remaining, Currency: cr.Currency}
	if r.Amount > remaining || r.Amount+ca.Fee > acc.Available() {
		return CashAdvance{}, ErrCashAboveLimit.WithParam("remaining", money.New(remaining, cr.Currency).Decimal())
	}
	if !r.Confirm {
		return ca, nil
	}
	feesGL, err := s.Ledger.GL(ctx, ledger.GLCode(ledger.TypeFees, cr.Currency))
	if err != nil {
		return CashAdvance{}, err
	}
	err = s.Ledger.Submit(ctx, ledger.Op{Accounts: []string{cr.AccountID, to.ID, feesGL.ID}, IdempotencyKey: key,
		Run: func(b *ledger.Batch) error {
			if id, again, err := b.Idempotency(key, hash); err != nil || again {
				ca.EntryID = id
				return err
			}
			const desc = "Paradhënie nga karta e kreditit"
			id, err := b.Post(ledger.Entry{Kind: KindCashAdvance, Description: desc, Reference: cr.ID,
				Legs: []ledger.Leg{{AccountID: cr.AccountID, Amount: -r.Amount, Description: desc},
					{AccountID: to.ID, Amount: r.Amount, Description: desc}}})
			if err != nil {
				return err
			}
			const feeDesc = "Tarifa e paradhënies"
			if _, err := b.Post(ledger.Entry{Kind: KindFee, Description: feeDesc, Reference: id, Legs: []ledger.Leg{
				{AccountID: cr.AccountID, Amount: -ca.Fee, Description: feeDesc},
				{AccountID: feesGL.ID, Amount: ca.Fee, Description: feeDesc}}}); err != nil {
				return err
			}
			ca.EntryID = id
			b.RememberIdempotency(key, hash, id)
			return nil
		},
		Audit: func(err error) []audit.Entry {
			if err != nil {
				return nil
			}
			return []audit.Entry{customerEntry(ctx, ActionCashAdvance, customerID, cr.AccountID, nil,
				map[string]any{"amount": r.Amount, "fee": ca.Fee, "to": to.ID})}
		}})
	if errors.Is(err, ledger.ErrInsufficientFunds) {
		return CashAdvance{}, ErrCashAboveLimit.WithParam("remaining", money.New(remaining, cr.Currency).Decimal())
	}
	return ca, refused("cash advance", err)
}

// The kinds of a card payment (F17).
const (
	PayMinimum   = "minimum"   // what is unpaid of the last statement's minimum
	PayRemaining = "remaining" // everything the card owes now
	PayOther     = "other"     // an amount the customer types
)

// PayRequest pays a credit card from one of the customer's accounts.
type PayRequest struct {
	FromAccountID  string
	Kind           string
	Amount         int64 // for PayOther
	IdempotencyKey string
	// Preview computes and checks the payment without making it: what the confirmation page shows.
	Preview bool
}

// Payment is a card payment made.
type Payment struct {
	Amount   int64
	Currency money.Currency
	EntryID  string
}

// Pay pays the customer's credit card (F17): the minimum still unpaid, everything owed, or another amount, from
// one of their current accounts in the card's currency; never more than the card owes nor than the account has.
func (s *Service) Pay(ctx context.Context, customerID, cardID string, r PayRequest) (Payment, error) {
	cr, err := s.Get(ctx, customerID, cardID)
	if err != nil {
		return Payment{}, err
	}
	return s.pay(ctx, customerID, cr, r)
}

func (s *Service) pay(ctx context.Context, customerID string, cr Credit, r PayRequest) (Payment, error) {
	from, err := s.ownCurrent(ctx, customerID, r.FromAccountID, cr.Currency)
	if err != nil {
		return Payment{}, err
	}
	key := "creditcard:pay:" + customerID + ":" + r.IdempotencyKey
	hash := cr.ID + ":" + from.ID + ":" + r.Kind + ":" + strconv.FormatInt(r.Amount, 10)
	// A repeat gets the first answer: "remaining" and "minimum" are worth something else once paid.
	if id, amount, found, err := s.replayed(ctx, key, hash, cr.AccountID); err != nil || found {
		return Payment{Amount: amount, Currency: cr.Currency, EntryID: id}, err
	}
	acc, err := s.Ledger.Get(ctx, cr.AccountID)
	if err != nil {
		return Payment{}, err
	}
	debt := max(0, -acc.Balance)
	amount := r.Amount
	switch r.Kind {
	case PayRemaining:
		amount = debt
	case PayMinimum:
		if amount, err = s.minimumUnpaid(ctx, cr); err != nil {
			return Payment{}, err
		}
		amount = min(amount, debt)
	case PayOther:
		if amount <= 0 {
			return Payment{}, money.ErrAmountNotPositive
		}
	default:
		return Payment{}, ErrPaymentKindInvalid
	}
	if amount <= 0 {
		return Payment{}, ErrNothingToPay
	}
	p := Payment{Amount: amount, Currency: cr.Currency}
	if r.Preview {
		if amount > debt {
			return Payment{}, ErrPaymentAboveDebt.WithParam("debt", money.New(debt, cr.Currency).Decimal())
		}
		if amount > from.Available() {
			return Payment{}, ErrPaymentAboveBalance
		}
		return p, nil
	}
	err = s.Ledger.Submit(ctx, ledger.Op{Accounts: []string{cr.AccountID, from.ID}, IdempotencyKey: key,
		Run: func(b *ledger.Batch) error {
			if id, again, err := b.Idempotency(key, hash); err != nil || again {
				p.EntryID = id
				return err
			}
			a, err := b.Account(cr.AccountID)
			if err != nil {
				return err
			}
			if owed := max(0, -a.Balance); amount > owed {
				return ErrPaymentAboveDebt.WithParam("debt", money.New(owed, cr.Currency).Decimal())
			}
			f, err := b.Account(from.ID)
			if err != nil {
				return err
			}
			if amount > f.Available() {
				return ErrPaymentAboveBalance
			}
			id, err := b.Post(paymentEntry(cr, from.ID, amount, "pay:"+r.IdempotencyKey))
			if err != nil {
				return err
			}
			p.EntryID = id
			b.RememberIdempotency(key, hash, id)
			return nil
		},
		Audit: func(err error) []audit.Entry {
			if err != nil {
				return nil
			}
			return []audit.Entry{customerEntry(ctx, ActionPaid, customerID, from.ID, nil,
				map[string]any{"card": cr.CardID, "amount": amount})}
		}})
	return p, refused("pay credit card", err)
}

// minimumUnpaid is what is still unpaid of the last statement's minimum.
func (s *Service) minimumUnpaid(ctx context.Context, cr Credit) (int64, error) {
	last, err := s.lastStatement(ctx, cr.ID)
	if err != nil || last == nil {
		return 0, err
	}
	ms, err := s.moves(ctx, cr.AccountID, last.ToSeq)
	if err != nil {
		return 0, err
	}
	var paid int64
	for _, m := range ms {
		if m.Kind == KindPayment {
			paid += m.Amount
		}
	}
	return max(0, last.MinimumDue-paid), nil
}

// Payee is another credit card of the bank as a payer sees it before paying it (Y17): its masked number and its
// holder's name masked.
type Payee struct {
	CardID string
	Masked string
	Holder string
}

// FindPayee finds the credit card of the bank with the full number typed, for the customer to recognise before
// paying it (Y17). Anything but an active credit card is credit_card_not_found.
func (s *Service) FindPayee(ctx context.Context, number string) (Payee, Credit, error) {
	c, err := s.Cards.FindByNumber(ctx, number)
	if err != nil {
		return Payee{}, Credit{}, ErrNotCredit
	}
	cr, err := s.ByCard(ctx, c.ID)
	if err != nil {
		return Payee{}, Credit{}, err
	}
	names, err := s.Customers.Names(ctx, cr.CustomerID)
	if err != nil {
		return Payee{}, Credit{}, fmt.Errorf("payee: %w", err)
	}
	return Payee{CardID: c.ID, Masked: c.Masked, Holder: kyc.MaskName(names[cr.CustomerID])}, cr, nil
}

// PayByNumber pays another credit card of the bank, named by its full number (Y17), from one of the customer's
// accounts: another amount only, never more than that card owes.
func (s *Service) PayByNumber(ctx context.Context, customerID, number string, r PayRequest) (Payment, error) {
	_, cr, err := s.FindPayee(ctx, number)
	if err != nil {
		return Payment{}, err
	}
	if r.Kind == "" {
		r.Kind = PayOther
	}
	if r.Kind != PayOther {
		return Payment{}, ErrPaymentKindInvalid
	}
	return s.pay(ctx, customerID, cr, r)
}

// replayed finds the entry a request under scope made already, with its amount on the credit account: found is
// false when no request used the scope; another request under it is idempotency_key_reused.
func (s *Service) replayed(ctx context.Context, scope, hash, accountID string) (string, int64, bool, error) {
	id, found, err := idempotency.Find(ctx, s.DB, scope, hash)
	if err != nil || !found {
		return "", 0, false, err
	}
	amount, _, err := s.Ledger.EntryOn(ctx, id, accountID)
	if err != nil {
		return "", 0, false, fmt.Errorf("replay: %w", err)
	}
	return id, max(amount, -amount), true, nil
}
