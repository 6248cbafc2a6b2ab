package bulk

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/iso20022"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/payment"
	"github.com/kumbara/kumbara/sca"
)

// previewWorkers is how many lines are checked at once: their checks only read, so a file of thousands of lines
// is read in a fraction of the time one by one would take.
const previewWorkers = 8

// Upload reads a pain.001 file a business customer sends and keeps it as a batch: every line checked as the payment
// it asks for (payment.Service.PreviewAuthorized: the account, the beneficiary, the scheme, the value date, the fee
// and the funds, without the name check), valid or invalid with its problems, and when any line is valid ONE
// challenge whose dynamic linking binds the batch, the number of its valid lines and what they take from the
// accounts, with an SMS that names them. A file none of whose lines can be paid is kept as rejected, for its status
// report. What refuses the file as a whole keeps nothing: the reader's refusals and the problems of the group
// header or a PmtInf (iso20022's codes), a debtor account that is not the customer's (account_not_found), lines in
// two currencies, too many lines, an individual uploading (bulk_business_only), a file sent before with another
// content under the same MsgId (bulk_duplicate). The same file sent again answers the batch it made.
func (s *Service) Upload(ctx context.Context, customerID string, doc []byte) (Batch, error) {
	cfg := s.config()
	if len(doc) > cfg.MaxFile {
		return Batch{}, iso20022.ErrTooLarge.With("%d bytes", len(doc)).WithParam("max_bytes", strconv.Itoa(cfg.MaxFile))
	}
	business, err := s.Payments.Customers.IsBusiness(ctx, customerID)
	if err != nil {
		return Batch{}, err
	}
	if !business {
		return Batch{}, ErrBusinessOnly
	}
	if s.Payments.Clearing == nil {
		return Batch{}, payment.ErrUnavailable
	}
	now := s.now()
	if err := calendar.CheckBusinessHours(now); err != nil {
		return Batch{}, err
	}
	m, found, err := iso20022.ParseInitiation(doc)
	if err != nil {
		return Batch{}, err
	}
	count := 0
	for _, pi := range m.Batches {
		count += len(pi.Transactions)
	}
	if count > cfg.MaxLines {
		return Batch{}, ErrTooManyLines.WithParam("max", strconv.Itoa(cfg.MaxLines))
	}
	byLine := map[int][]iso20022.LineError{}
	for _, l := range found {
		if l.Line == 0 {
			return Batch{}, fileRefusal(l)
		}
		byLine[l.Line] = append(byLine[l.Line], l)
	}
	accounts, err := s.debtors(ctx, customerID, m.Batches)
	if err != nil {
		return Batch{}, err
	}
	cur, err := currencyOf(m, accounts)
	if err != nil {
		return Batch{}, err
	}
	sum := sha256.Sum256(doc)
	hash := hex.EncodeToString(sum[:])
	if id, err := s.sameFile(ctx, s.db(), customerID, m.MessageID, hash); err != nil || id != "" {
		if err != nil {
			return Batch{}, err
		}
		return s.Get(ctx, customerID, id)
	}
	b := Batch{ID: uuid.Must(uuid.NewV7()).String(), CustomerID: customerID, MessageID: shown(m.MessageID, 35),
		Lines: count, CreatedAt: now, UpdatedAt: now, ExpiresAt: now.Add(cfg.ConfirmWithin)}
	if b.Items, err = s.check(ctx, customerID, m, accounts, byLine, cur); err != nil {
		return Batch{}, err
	}
	ibans := map[string]string{}
	for _, a := range accounts {
		ibans[a.ID] = a.IBAN
	}
	if err := b.total(cur, ibans); err != nil {
		return Batch{}, err
	}
	b.Status = PendingConfirmation
	if b.Count == 0 {
		b.Status, b.ExpiresAt = Rejected, now
	}
	payer, err := s.Payments.Customers.Get(ctx, auth.Actor(ctx, customerID))
	if err != nil {
		return Batch{}, err
	}
	var replayID string
	err = s.db().InTx(ctx, func(tx *db.Tx) error {
		replayID = ""
		if err := customer.Lock(ctx, tx, customerID); err != nil {
			return err
		}
		// Again under the customer's lock: two uploads of one file at once make one batch.
		id, err := s.sameFile(ctx, tx, customerID, m.MessageID, hash)
		if err != nil || id != "" {
			replayID = id
			return err
		}
		if err := insert(ctx, tx, b, hash); err != nil {
			return err
		}
		if b.Count > 0 {
			c, err := s.Payments.SCA.Issue(ctx, tx, b.scaPayment(), payer.Mobile)
			if err != nil {
				return err
			}
			b.Challenge = &c
		}
		return audit.Append(ctx, tx, now, s.auditEntry(ctx, b, ActionUploaded))
	})
	if err != nil {
		return Batch{}, err
	}
	if replayID != "" {
		return s.Get(ctx, customerID, replayID)
	}
	if b.Challenge != nil && s.Payments.SCA.Outbox != nil {
		s.Payments.SCA.Outbox.Kick()
	}
	b.counts()
	return b, nil
}

// fileRefusal is the refusal of the whole file for a problem of its group header or a PmtInf: a count or control
// sum that does not match keeps its own code, anything else is iso_invalid naming the element.
func fileRefusal(l iso20022.LineError) error {
	e, ok := kumbara.As(l.Err)
	if ok && (errors.Is(e, iso20022.ErrCountMismatch) || errors.Is(e, iso20022.ErrControlSumMismatch)) {
		return e.WithParam("element", l.Field)
	}
	return iso20022.ErrInvalid.With("%s", l.Field).WithParam("element", l.Field).Wrap(l.Err)
}

// debtors finds the account each PmtInf pays from, by IBAN or by the bank's account number: the customer's own,
// or the file is refused as account_not_found naming the element.
func (s *Service) debtors(ctx context.Context, customerID string, batches []iso20022.PaymentInfo) ([]ledger.Account, error) {
	var ibans, numbers []string
	for _, pi := range batches {
		if pi.DebtorAccount.IBAN != "" {
			ibans = append(ibans, pi.DebtorAccount.IBAN)
		} else if pi.DebtorAccount.Other != "" && len(pi.DebtorAccount.Other) <= 34 {
			numbers = append(numbers, pi.DebtorAccount.Other)
		}
	}
	found, err := s.Payments.Ledger.Store.Resolve(ctx, slices.Compact(slices.Sorted(slices.Values(numbers))),
		slices.Compact(slices.Sorted(slices.Values(ibans))))
	if err != nil {
		return nil, err
	}
	out := make([]ledger.Account, len(batches))
	for i, pi := range batches {
		at := "PmtInf[" + strconv.Itoa(i+1) + "]/DbtrAcct"
		j := slices.IndexFunc(found, func(a ledger.Account) bool {
			return a.CustomerID == customerID && !a.IsGL() &&
				((pi.DebtorAccount.IBAN != "" && a.IBAN == pi.DebtorAccount.IBAN) ||
					(pi.DebtorAccount.IBAN == "" && a.Number == pi.DebtorAccount.Other))
		})
		if j < 0 {
			return nil, ledger.ErrAccountNotFound.With("%s", at).WithParam("element", at)
		}
		out[i] = found[j]
	}
	return out, nil
}

// currencyOf is the one currency of the file's lines (those whose amount could be read), or of its first account
// when none could.
func currencyOf(m iso20022.Initiation, accounts []ledger.Account) (money.Currency, error) {
	var cur money.Currency
	for _, pi := range m.Batches {
		for _, tx := range pi.Transactions {
			switch c := tx.Amount.Currency; {
			case c == "":
			case cur == "":
				cur = c
			case c != cur:
				return "", ErrMixedCurrency.With("%s and %s", cur, c)
			}
		}
	}
	if cur == "" && len(accounts) > 0 {
		cur = accounts[0].Currency
	}
	return cur, nil
}

// sameFile looks for a live batch (waiting, being paid or paid) of the customer's with the file's MsgId: the same
// file answers it (its id); another file under that MsgId is bulk_duplicate.
func (s *Service) sameFile(ctx context.Context, q interface {
	QueryRow(ctx context.Context, query string, args ...any) *sql.Row
}, customerID, messageID, hash string) (string, error) {
	var id, h string
	err := q.QueryRow(ctx, `SELECT id, document_hash FROM bulk_batches WHERE customer_id = ? AND message_id = ?
		AND (status IN (?, ?) OR (status = ? AND expires_at > ?)) ORDER BY created_at DESC LIMIT 1`,
		customerID, messageID, Confirmed, Completed, PendingConfirmation, db.Micros(s.now())).Scan(&id, &h)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", nil
	case err != nil:
		return "", fmt.Errorf("bulk duplicate: %w", err)
	case h != hash:
		return "", ErrDuplicate.WithParam("message_id", shown(messageID, 35))
	}
	return id, nil
}

// check reads every line of the file into a Line: invalid with the reader's problems, or checked as the payment it
// asks for, previewWorkers at a time. An error that is no refusal of a line (the database) is returned.
func (s *Service) check(ctx context.Context, customerID string, m iso20022.Initiation, accounts []ledger.Account,
	byLine map[int][]iso20022.LineError, cur money.Currency) ([]Line, error) {
	type job struct {
		pi, at int
		tx     iso20022.InitiationTx
	}
	var all []job
	for i, pi := range m.Batches {
		for _, tx := range pi.Transactions {
			all = append(all, job{pi: i, at: len(all), tx: tx})
		}
	}
	items := make([]Line, len(all))
	var (
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
	)
	next := make(chan job)
	for range min(previewWorkers, len(all)) {
		wg.Go(func() {
			for j := range next {
				l, err := s.line(ctx, customerID, m.Batches[j.pi], accounts[j.pi], j.tx, byLine[j.tx.Line], cur)
				if err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
					continue
				}
				items[j.at] = l
			}
		})
	}
	for _, j := range all {
		next <- j
	}
	close(next)
	wg.Wait()
	return items, first
}

// line checks one transaction of the file.
func (s *Service) line(ctx context.Context, customerID string, pi iso20022.PaymentInfo, acc ledger.Account,
	tx iso20022.InitiationTx, found []iso20022.LineError, cur money.Currency) (Line, error) {
	l := Line{Number: tx.Line, PaymentInfoID: shown(pi.ID, 35), InstructionID: shown(tx.InstructionID, 35),
		EndToEndID: shown(tx.EndToEndID, 35), AccountID: acc.ID, Amount: tx.Amount,
		CreditorName: shown(tx.Creditor.Name, 140), Description: shown(tx.Remittance, 140), Status: LineInvalid}
	l.CreditorAcct = shown(tx.CreditorAccount.IBAN, 34)
	if l.CreditorAcct == "" {
		l.CreditorAcct = shown(tx.CreditorAccount.Other, 34)
	}
	if l.Amount.Currency == "" {
		l.Amount = money.New(0, cur)
	}
	l.Fee, l.Debited = money.New(0, l.Amount.Currency), money.New(0, l.Amount.Currency)
	if len(found) > 0 {
		l.Problems = lineProblems(found)
		return l, nil
	}
	r, p := request(pi, tx, acc.ID)
	if p != nil {
		l.Problems = []Problem{*p}
		return l, nil
	}
	l.request, l.Type = r, r.Type
	q, err := s.Payments.PreviewAuthorized(ctx, customerID, r)
	if err != nil {
		ps, ok := problems(err)
		if !ok {
			return Line{}, err
		}
		l.Problems = ps
		return l, nil
	}
	if !pi.RequestedDate.IsZero() && pi.RequestedDate.After(q.ValueDate) {
		l.Problems = []Problem{{Field: "PmtInf/ReqdExctnDt/Dt", Code: ErrFutureDate.Code, Reason: reason(ErrFutureDate, ""),
			Params: map[string]string{"value_date": q.ValueDate.String()}}}
		return l, nil
	}
	l.Status, l.Scheme, l.Fee, l.Debited, l.ValueDate = LineValid, q.Scheme, q.Fee, q.Debited, q.ValueDate
	return l, nil
}

// total sums the valid lines: how many, their amounts, fees and what they take from the accounts, and the
// accounts they are paid from (ibans: by account id).
func (b *Batch) total(cur money.Currency, ibans map[string]string) error {
	b.Count = 0
	b.Total, b.Fees, b.Debited = money.New(0, cur), money.New(0, cur), money.New(0, cur)
	var from []string
	for _, l := range b.Items {
		if l.Status != LineValid {
			continue
		}
		b.Count++
		for _, add := range []struct {
			to *money.Amount
			v  int64
		}{{&b.Total, l.Amount.Minor}, {&b.Fees, l.Fee.Minor}, {&b.Debited, l.Debited.Minor}} {
			if add.v > 0 && add.to.Minor > (1<<63-1)-add.v {
				return money.ErrAmountOutOfRange.With("the batch's total")
			}
			add.to.Minor += add.v
		}
		from = append(from, ibans[l.AccountID])
	}
	b.FromIBANs = slices.Compact(slices.Sorted(slices.Values(from)))
	return nil
}

// scaPayment is what the customer confirms of the batch: its id, the accounts it pays from, the number of its
// payments ("BULK:<count>", in the place of a payee's IBAN, so the SMS names it) and what they take from the
// accounts. The file's MsgId stands in for the payee's name.
func (b Batch) scaPayment() sca.Payment {
	return sca.Payment{TransferID: b.ID, CustomerID: b.CustomerID, FromIBAN: strings.Join(b.FromIBANs, ","),
		ToIBAN: "BULK:" + strconv.Itoa(b.Count), PayeeName: b.MessageID, Amount: b.Debited}
}
