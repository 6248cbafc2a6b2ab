package outbox

import (
	"cmp"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
)

// MaxAttempts is how many times a message is tried before it is marked failed and left for staff to look at.
const MaxAttempts = 8

// Defaults for a Dispatcher's zero fields.
const (
	DefaultBatch = 50
	DefaultLease = 30 * time.Second
)

// redacted replaces the body of a delivered message, so one-time codes do not outlive their delivery in the
// outbox (the sandbox inbox keeps them: it is the customer's phone).
const redacted = "[delivered]"

// Backoff is the wait after the given failed attempt (1-based): 10s, 20s, 40s … doubling, at most an hour. Seven
// waits add up to about 21 minutes, long enough to ride out a gateway restart.
func Backoff(attempt int) time.Duration {
	const base, ceiling = 10 * time.Second, time.Hour
	if attempt < 1 {
		attempt = 1
	}
	if attempt > 10 { // 10s<<9 already exceeds the ceiling; stop before the shift overflows
		return ceiling
	}
	return min(base<<(attempt-1), ceiling)
}

// Dispatcher delivers due outbox messages through Sender. Any number of instances may run against one database:
// a message is claimed with a lease (lease_until) in a short transaction, sent outside it, and its outcome recorded
// afterwards, so no lock is held while a gateway is slow, and no other dispatcher sends it while the lease holds.
// A Dispatcher must not be copied after first use.
type Dispatcher struct {
	DB     *db.DB
	Sender Sender
	Clock  clock.Clock
	Logger *slog.Logger
	Batch  int           // messages claimed per round; DefaultBatch if zero
	Lease  time.Duration // how long a claim excludes other dispatchers; DefaultLease if zero

	kickOnce sync.Once
	kick     chan struct{}
}

// claimed is a message this dispatcher holds the lease of.
type claimed struct {
	Message
	attempts    int
	nextAttempt int64
	files       int // attachments in the outbox_attachments table
}

// RunOnce claims up to Batch due messages, sends them and records each outcome. It returns how many were sent. A
// failed send is not an error of RunOnce (it is logged and retried later); failing to claim or to record is.
func (d *Dispatcher) RunOnce(ctx context.Context) (sent int, err error) {
	sent, _, err = d.runOnce(ctx)
	return sent, err
}

func (d *Dispatcher) runOnce(ctx context.Context) (sent, claimedN int, err error) {
	now := d.clock().Now()
	lease := d.lease()
	leaseUntil := db.Micros(now.Add(lease))
	// The lease is kept in the injected clock's time, but a slow gateway burns real time: stop sending when the
	// lease would have run out in real time too, or another instance could send the same message.
	deadline := time.Now().Add(lease)

	batch, err := d.claim(ctx, db.Micros(now), leaseUntil)
	if err != nil {
		return 0, 0, err
	}
	var errs []error
	for i, m := range batch {
		if ctx.Err() != nil || !time.Now().Before(deadline) {
			errs = append(errs, d.release(ctx, batch[i:], leaseUntil))
			break
		}
		sendCtx, cancel := context.WithDeadline(ctx, deadline)
		sendErr := d.Sender.Send(sendCtx, m.Message)
		cancel()
		if sendErr != nil && ctx.Err() != nil {
			// Shutting down: the failure is ours, not the gateway's, so it costs the message no attempt.
			errs = append(errs, d.release(ctx, batch[i:], leaseUntil))
			break
		}
		if sendErr != nil {
			errs = append(errs, d.markFailed(ctx, m, leaseUntil, sendErr))
			continue
		}
		if err := d.markSent(ctx, m); err != nil {
			errs = append(errs, err)
			continue
		}
		sent++
	}
	if ctx.Err() != nil {
		errs = append(errs, ctx.Err())
	}
	return sent, len(batch), errors.Join(errs...)
}

// claim takes the lease of up to Batch due messages. The outer WHERE repeats the due-and-free test because on
// PostgreSQL (READ COMMITTED) an UPDATE that waited for a competing claimer re-checks only the rows it is about to
// change: without the repeat, both claimers would take the same message.
func (d *Dispatcher) claim(ctx context.Context, now, leaseUntil int64) ([]claimed, error) {
	var out []claimed
	err := d.DB.InTx(ctx, func(tx *db.Tx) error {
		out = out[:0] // InTx may run this again after a serialization failure
		rows, err := tx.Query(ctx, `UPDATE outbox SET lease_until = ?
			WHERE id IN (SELECT id FROM outbox
				WHERE status = 'pending' AND next_attempt_at <= ? AND lease_until <= ?
				ORDER BY next_attempt_at, id LIMIT ?)
			AND status = 'pending' AND next_attempt_at <= ? AND lease_until <= ?
			RETURNING id, channel, recipient, subject, body, attempts, next_attempt_at, created_at, attachments`,
			leaseUntil, now, now, d.batch(), now, now)
		if err != nil {
			return err
		}
		got, err := db.Collect(rows, scanClaimed)
		if err != nil {
			return err
		}
		out = append(out, got...)
		var withFiles []string
		for _, c := range out {
			if c.files > 0 {
				withFiles = append(withFiles, c.ID)
			}
		}
		if len(withFiles) == 0 {
			return nil
		}
		return loadAttachments(ctx, tx, withFiles, out)
	})
	if err != nil {
		return nil, fmt.Errorf("outbox: claim: %w", err)
	}
	// RETURNING gives no order; send the longest-waiting first.
	slices.SortFunc(out, func(a, b claimed) int {
		return cmp.Or(cmp.Compare(a.nextAttempt, b.nextAttempt), strings.Compare(a.ID, b.ID))
	})
	return out, nil
}

func scanClaimed(r db.Scanner) (claimed, error) {
	var c claimed
	var created int64
	err := r.Scan(&c.ID, &c.Channel, &c.Recipient, &c.Subject, &c.Body, &c.attempts, &c.nextAttempt, &created, &c.files)
	c.CreatedAt = db.FromMicros(created)
	return c, err
}

// loadAttachments fills in the files of the claimed messages named by ids, in the claim's transaction so a claimed
// message always comes with all its files.
func loadAttachments(ctx context.Context, tx *db.Tx, ids []string, out []claimed) error {
	in, args := tx.DB().In("message_id", ids)
	rows, err := tx.Query(ctx, `SELECT message_id, filename, content_type, content FROM outbox_attachments
		WHERE `+in+` ORDER BY message_id, ord`, args...)
	if err != nil {
		return err
	}
	type file struct {
		id string
		Attachment
	}
	files, err := db.Collect(rows, func(r db.Scanner) (f file, err error) {
		var content string
		if err := r.Scan(&f.id, &f.Name, &f.ContentType, &content); err != nil {
			return f, err
		}
		if f.Content, err = base64.StdEncoding.DecodeString(content); err != nil {
			return f, fmt.Errorf("attachment of %s: %w", f.id, err)
		}
		return f, nil
	})
	if err != nil {
		return err
	}
	byID := make(map[string]*claimed, len(ids))
	for i := range out {
		byID[out[i].ID] = &out[i]
	}
	for _, f := range files {
		if c := byID[f.id]; c != nil {
			c.Attachments = append(c.Attachments, f.Attachment)
		}
	}
	return nil
}

// markSent records delivery and wipes the body. It does not check the lease: the message went out, and if another
// dispatcher reclaimed it meanwhile, its own record becomes a no-op.
func (d *Dispatcher) markSent(ctx context.Context, m claimed) error {
	ctx, cancel := detached(ctx)
	defer cancel()
	const q = `UPDATE outbox SET status = 'sent', sent_at = ?, body = ?, lease_until = 0 WHERE id = ? AND status = 'pending'`
	var err error
	if m.files == 0 {
		_, err = d.DB.Exec(ctx, q, db.Micros(d.clock().Now()), redacted, m.ID)
	} else {
		// The files are wiped with the body: a delivered statement belongs in the customer's mailbox, not in the
		// outbox.
		err = d.DB.InTx(ctx, func(tx *db.Tx) error {
			if _, err := tx.Exec(ctx, q, db.Micros(d.clock().Now()), redacted, m.ID); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, "DELETE FROM outbox_attachments WHERE message_id = ?", m.ID)
			return err
		})
	}
	if err != nil {
		return fmt.Errorf("outbox: mark %s sent: %w", m.ID, err)
	}
	d.logger().Info("outbox: sent", "id", m.ID, "channel", m.Channel, "to", MaskRecipient(m.Recipient))
	return nil
}

// markFailed schedules the next attempt, or gives up after MaxAttempts. It only applies while this dispatcher
// still holds the lease, so a late failure cannot overwrite the outcome of an instance that took over.
func (d *Dispatcher) markFailed(ctx context.Context, m claimed, leaseUntil int64, sendErr error) error {
	now := d.clock().Now()
	attempts := m.attempts + 1
	status, next := "pending", now.Add(Backoff(attempts))
	if attempts >= MaxAttempts {
		status, next = "failed", now
	}
	ctx, cancel := detached(ctx)
	defer cancel()
	_, err := d.DB.Exec(ctx, `UPDATE outbox SET status = ?, attempts = ?, next_attempt_at = ?, lease_until = 0
		WHERE id = ? AND status = 'pending' AND lease_until = ?`,
		status, attempts, db.Micros(next), m.ID, leaseUntil)
	if err != nil {
		return fmt.Errorf("outbox: mark %s failed: %w", m.ID, err)
	}
	attrs := []any{"id", m.ID, "channel", m.Channel, "to", MaskRecipient(m.Recipient), "attempt", attempts,
		"err", scrub(sendErr, m.Body)}
	if status == "failed" {
		d.logger().Error("outbox: giving up", attrs...)
	} else {
		d.logger().Warn("outbox: send failed", append(attrs, "retry_at", next)...)
	}
	return nil
}

// release gives back the lease of messages not tried, so another instance need not wait for it to expire.
func (d *Dispatcher) release(ctx context.Context, ms []claimed, leaseUntil int64) error {
	if len(ms) == 0 {
		return nil
	}
	ctx, cancel := detached(ctx)
	defer cancel()
	args := make([]any, 0, len(ms)+1)
	args = append(args, leaseUntil)
	for _, m := range ms {
		args = append(args, m.ID)
	}
	_, err := d.DB.Exec(ctx, `UPDATE outbox SET lease_until = 0
		WHERE status = 'pending' AND lease_until = ? AND id IN (`+db.Placeholders(len(ms))+`)`, args...)
	if err != nil {
		return fmt.Errorf("outbox: release: %w", err)
	}
	return nil
}

// Run delivers messages until ctx is done: a round every interval, at once after a Kick, and back to back while
// full batches keep coming.
func (d *Dispatcher) Run(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = time.Second
	}
	kick := d.kickCh()
	timer := time.NewTimer(every)
	defer timer.Stop()
	for {
		_, n, err := d.runOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			d.logger().Error("outbox: dispatch round failed", "err", err)
		} else if n == d.batch() {
			continue // a backlog: do not make it wait a poll interval per batch
		}
		timer.Reset(every)
		select {
		case <-ctx.Done():
			return
		case <-kick:
		case <-timer.C:
		}
	}
}

// Kick wakes Run for an immediate round, so a one-time code goes out in milliseconds rather than at the next
// poll. Call it after the transaction that enqueued the message has committed. It never blocks; kicks that
// arrive while a wake-up is already pending merge into it. Other instances are not woken: they poll.
func (d *Dispatcher) Kick() {
	select {
	case d.kickCh() <- struct{}{}:
	default:
	}
}

func (d *Dispatcher) kickCh() chan struct{} {
	d.kickOnce.Do(func() { d.kick = make(chan struct{}, 1) })
	return d.kick
}

// detached is the context for recording what already happened: an outcome must be written even while shutting
// down, or a delivered message would be sent again once its lease expires.
func detached(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
}

func (d *Dispatcher) clock() clock.Clock {
	if d.Clock == nil {
		return clock.Real{}
	}
	return d.Clock
}

func (d *Dispatcher) logger() *slog.Logger {
	if d.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return d.Logger
}

func (d *Dispatcher) batch() int {
	if d.Batch <= 0 {
		return DefaultBatch
	}
	return d.Batch
}

func (d *Dispatcher) lease() time.Duration {
	if d.Lease <= 0 {
		return DefaultLease
	}
	return d.Lease
}

// scrub keeps a gateway that echoes the request in its error from leaking the body (and its code) into logs.
func scrub(err error, body string) string {
	s := err.Error()
	if body != "" {
		s = strings.ReplaceAll(s, body, "[body]")
	}
	return s
}
