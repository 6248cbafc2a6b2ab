package bulk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/sca"
)

// Get returns one of the customer's batches with its lines and, while it waits for its confirmation, the live
// challenge (none when its code has expired: ask for another with Challenge). Another customer's batch, or none,
// is bulk_not_found. A batch whose time to be confirmed has passed reads as expired.
func (s *Service) Get(ctx context.Context, customerID, id string) (Batch, error) {
	b, err := s.read(ctx, customerID, id)
	if err != nil {
		return Batch{}, err
	}
	if b.Status == PendingConfirmation && !s.now().Before(b.ExpiresAt) {
		if err := s.expire(ctx, b.ID); err != nil {
			return Batch{}, err
		}
		b.Status = Expired
	}
	if b.Items, err = s.lines(ctx, b.ID, ""); err != nil {
		return Batch{}, err
	}
	b.counts()
	if b.Status == PendingConfirmation {
		c, err := s.live(ctx, customerID, b)
		if _, refused := kumbara.As(err); err != nil && !refused {
			return Batch{}, err
		}
		if err == nil {
			b.Challenge = &c
		}
	}
	return b, nil
}

// live describes the batch's live challenge, without sending anything, or the refusal of it (otp_expired when its
// code has expired, otp_used, otp_too_many_attempts, challenge_not_found).
func (s *Service) live(ctx context.Context, customerID string, b Batch) (sca.Challenge, error) {
	payer, err := s.Payments.Customers.Get(ctx, auth.Actor(ctx, customerID))
	if err != nil {
		return sca.Challenge{}, err
	}
	return s.Payments.SCA.Live(ctx, b.scaPayment(), kyc.MaskPhone(payer.Mobile))
}

// Live answers the live challenge of a batch that waits for its confirmation (what a passkey signs: its Digest),
// without sending anything: bulk_expired or bulk_not_pending as Confirm answers them, and the challenge's own
// refusal (otp_expired…) when it no longer confirms the batch, for which Challenge sends a new one.
func (s *Service) Live(ctx context.Context, customerID, id string) (sca.Challenge, error) {
	b, done, err := s.waiting(ctx, customerID, id)
	if err != nil {
		return sca.Challenge{}, err
	}
	if done {
		return sca.Challenge{}, ErrNotPending
	}
	return s.live(ctx, customerID, b)
}

// expire records a batch whose confirmation did not come in time as expired.
func (s *Service) expire(ctx context.Context, id string) error {
	_, err := s.db().Exec(ctx, "UPDATE bulk_batches SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
		Expired, db.Micros(s.now()), id, PendingConfirmation)
	if err != nil {
		return fmt.Errorf("expire batch: %w", err)
	}
	return nil
}

// waiting returns the customer's batch if it still waits for its confirmation: bulk_expired when its time has
// passed, bulk_not_pending when it was rejected, and the batch with done = true when it was confirmed already (a
// repeat).
func (s *Service) waiting(ctx context.Context, customerID, id string) (b Batch, done bool, err error) {
	if b, err = s.Get(ctx, customerID, id); err != nil {
		return Batch{}, false, err
	}
	switch b.Status {
	case PendingConfirmation:
		return b, false, nil
	case Expired:
		return Batch{}, false, ErrExpired
	case Rejected:
		return Batch{}, false, ErrNotPending
	}
	return b, true, nil
}

// Challenge sends a new code for a batch that waits for its confirmation (the last one expired or ran out of
// tries): the earlier code stops working. At most sca.Config.ChallengesPerHour codes go to a customer in an hour.
func (s *Service) Challenge(ctx context.Context, customerID, id string) (Batch, error) {
	b, done, err := s.waiting(ctx, customerID, id)
	if err != nil {
		return Batch{}, err
	}
	if done {
		return Batch{}, ErrNotPending
	}
	payer, err := s.Payments.Customers.Get(ctx, auth.Actor(ctx, customerID))
	if err != nil {
		return Batch{}, err
	}
	err = s.db().InTx(ctx, func(tx *db.Tx) error {
		c, err := s.Payments.SCA.Issue(ctx, tx, b.scaPayment(), payer.Mobile)
		b.Challenge = &c
		return err
	})
	if err != nil {
		return Batch{}, err
	}
	if s.Payments.SCA.Outbox != nil {
		s.Payments.SCA.Outbox.Kick()
	}
	return b, nil
}

// Confirm proves a batch with the customer's proof (the SMS code, a trusted device's signature or Soft PIN, a
// passkey), bound to the batch, its count and its total, and then makes every valid line a payment
// (payment.Service.CreateAuthorized, idempotent per line with the key "bulk/<batch>/<line>"), held at once; a line
// the ledger refuses then (funds, a blocked account) is recorded rejected with its code, and the others go on. The
// confirmation and the job that finishes the payments (ProcessArgs) commit together, so a batch confirmed is paid
// even if this request ends first. A repeat of a confirmation that went through answers the batch as it is now.
func (s *Service) Confirm(ctx context.Context, customerID, id string, proof sca.Proof) (Batch, error) {
	b, done, err := s.waiting(ctx, customerID, id)
	if err != nil || done {
		return b, err
	}
	now := s.now()
	// A business customer's payments wait out the nightly update of the books (Z7): refused before the code is used.
	if err := calendar.CheckBusinessHours(now); err != nil {
		return Batch{}, err
	}
	var changed bool
	err = s.Payments.SCA.Confirm(ctx, b.scaPayment(), proof, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, "UPDATE bulk_batches SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
			Confirmed, db.Micros(now), b.ID, PendingConfirmation)
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
		if s.Jobs != nil {
			if err := s.Jobs.Enqueue(ctx, tx, ProcessArgs{BatchID: b.ID}); err != nil {
				return err
			}
		}
		confirmed := b
		confirmed.Status = Confirmed
		return audit.Append(ctx, tx, now, s.auditEntry(ctx, confirmed, ActionConfirmed))
	})
	if err != nil {
		return Batch{}, err
	}
	if changed {
		if err := s.process(ctx, b.ID); err != nil && !errors.Is(err, errBusy) {
			// The job takes it up where it stopped; the customer sees the batch as it is.
			s.log().Warn("bulk: make payments", "batch", b.ID, "error", err.Error())
		}
	}
	return s.Get(context.WithoutCancel(ctx), customerID, id)
}

// payWorkers is how many of a batch's lines are held at once when its total is within its funds: enough for the
// ledger's group commit to take many in one transaction.
const payWorkers = 32

// errBusy: another request or instance is making the batch's payments now.
var errBusy = errors.New("bulk: the batch is being paid elsewhere")

// Process makes the payments of a confirmed batch that are not made yet: the work of the job the confirmation
// enqueued, for the lines its request did not get to. A batch being paid by another instance is an error, so the
// job is tried again later; a batch paid already is nothing to do.
func (s *Service) Process(ctx context.Context, batchID string) error {
	return s.process(ctx, batchID)
}

// process takes the batch's lease (so one instance pays it at a time), makes each valid line a payment and records
// what became of it, and marks the batch completed. When the batch's total is within the funds of its accounts its
// lines are held concurrently, which the ledger's group commit takes in few transactions; otherwise one by one in
// the file's order, so the earlier lines are the ones paid.
func (s *Service) process(ctx context.Context, batchID string) (err error) {
	b, err := s.byID(ctx, batchID)
	if err != nil || b.Status != Confirmed {
		return err
	}
	held, err := s.claim(ctx, batchID, 0)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			s.release(context.WithoutCancel(ctx), batchID, held)
		}
	}()
	todo, err := s.lines(ctx, batchID, LineValid)
	if err != nil {
		return err
	}
	workers := 1
	if fits, err := s.fits(ctx, todo); err != nil {
		return err
	} else if fits {
		workers = payWorkers
	}
	for chunk := range slices.Chunk(todo, 4*payWorkers) {
		// Renewed between chunks: a lease outlives any chunk by far.
		if held, err = s.claim(ctx, batchID, held); err != nil {
			return err
		}
		var mu sync.Mutex
		var first error
		var done []outcome
		var wg sync.WaitGroup
		next := make(chan Line)
		for range min(workers, len(chunk)) {
			wg.Go(func() {
				for l := range next {
					o, err := s.pay(ctx, b, l)
					mu.Lock()
					if err != nil && first == nil {
						first = err
					} else if err == nil {
						done = append(done, o)
					}
					mu.Unlock()
				}
			})
		}
		for _, l := range chunk {
			next <- l
		}
		close(next)
		wg.Wait()
		if err := s.record(ctx, batchID, done); err != nil {
			return err
		}
		if first != nil {
			return first
		}
	}
	return s.complete(ctx, batchID)
}

// claim takes the batch's lease when no one holds it (held = 0) or renews the one held (held: its end, which
// names the holder), and returns the lease's new end; errBusy while another holds it.
func (s *Service) claim(ctx context.Context, batchID string, held int64) (int64, error) {
	now := db.Micros(s.now())
	until := now + s.config().Lease.Microseconds()
	q, args := "lease_until <= ?", []any{now}
	if held != 0 {
		q, args = "lease_until = ?", []any{held}
	}
	res, err := s.db().Exec(ctx, "UPDATE bulk_batches SET lease_until = ? WHERE id = ? AND status = ? AND "+q,
		append([]any{until, batchID, Confirmed}, args...)...)
	if err != nil {
		return 0, fmt.Errorf("claim batch: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		if err == nil {
			err = errBusy
		}
		return 0, err
	}
	return until, nil
}

// release gives up a lease held, after a failure, so the job need not wait for it to run out.
func (s *Service) release(ctx context.Context, batchID string, held int64) {
	if _, err := s.db().Exec(ctx, "UPDATE bulk_batches SET lease_until = 0 WHERE id = ? AND lease_until = ?",
		batchID, held); err != nil {
		s.log().Warn("bulk: release batch", "batch", batchID, "error", err.Error())
	}
}

// outcome is what became of a line when it was to be paid.
type outcome struct {
	line      int
	status    string
	paymentID string
	problems  []Problem
}

// pay makes one line a payment: accepted with the payment, or rejected with the refusal's problem. An error that is
// no refusal of the line (the database) is returned, and the line stays valid for the next attempt.
func (s *Service) pay(ctx context.Context, b Batch, l Line) (outcome, error) {
	key := "bulk/" + b.ID + "/" + strconv.Itoa(l.Number)
	p, _, err := s.Payments.CreateAuthorized(ctx, b.CustomerID, key, l.request)
	if err != nil {
		ps, ok := problems(err)
		if !ok {
			return outcome{}, err
		}
		return outcome{line: l.Number, status: LineRejected, problems: ps}, nil
	}
	return outcome{line: l.Number, status: LineAccepted, paymentID: p.ID}, nil
}

// record writes what became of lines, in one transaction.
func (s *Service) record(ctx context.Context, batchID string, done []outcome) error {
	if len(done) == 0 {
		return nil
	}
	now := db.Micros(s.now())
	return s.db().InTx(ctx, func(tx *db.Tx) error {
		for _, o := range done {
			if _, err := tx.Exec(ctx, `UPDATE bulk_lines SET status = ?, payment_id = ?, problems = ?, updated_at = ?
				WHERE batch_id = ? AND line_no = ? AND status = ?`, o.status, nullable(o.paymentID),
				problemsJSON(o.problems), now, batchID, int64(o.line), LineValid); err != nil {
				return fmt.Errorf("record line %d: %w", o.line, err)
			}
		}
		return nil
	})
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// fits reports whether the lines' debits are within what their accounts have available now.
func (s *Service) fits(ctx context.Context, todo []Line) (bool, error) {
	need := map[string]int64{}
	for _, l := range todo {
		need[l.AccountID] += l.Debited.Minor
	}
	for id, n := range need {
		a, err := s.Payments.Ledger.Get(ctx, id)
		if err != nil {
			return false, err
		}
		if n > a.Available() {
			return false, nil
		}
	}
	return true, nil
}

// complete marks a confirmed batch whose lines are all made payments or refused as completed.
func (s *Service) complete(ctx context.Context, batchID string) error {
	counts, err := s.countLines(ctx, batchID)
	if err != nil {
		return err
	}
	if counts[LineValid] > 0 {
		return fmt.Errorf("bulk: %d lines of batch %s are not paid yet", counts[LineValid], batchID)
	}
	_, err = s.db().Exec(ctx, `UPDATE bulk_batches SET status = ?, lease_until = 0, updated_at = ?
		WHERE id = ? AND status = ?`, Completed, db.Micros(s.now()), batchID, Confirmed)
	if err != nil {
		return fmt.Errorf("complete batch: %w", err)
	}
	return nil
}
