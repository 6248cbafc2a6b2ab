package outbox

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
)

var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func otp(recipient, code string) Message {
	return Message{Channel: ChannelSMS, Recipient: recipient, Body: "Kumbara code: " + code}
}

// enqueue commits m in its own transaction, as a service method would, and returns its id.
func enqueue(t *testing.T, d *db.DB, clk clock.Clock, m Message) string {
	t.Helper()
	if m.ID == "" {
		m.ID = uuid.Must(uuid.NewV7()).String()
	}
	if err := d.InTx(context.Background(), func(tx *db.Tx) error {
		return Enqueue(context.Background(), tx, clk.Now(), m)
	}); err != nil {
		t.Fatalf("enqueue: %v", err)
	}
	return m.ID
}

type row struct {
	status     string
	attempts   int
	next       time.Time
	leaseUntil int64
	body       string
	sentAt     sql.NullInt64
}

func outboxRow(t *testing.T, d *db.DB, id string) row {
	t.Helper()
	var r row
	var next int64
	err := d.QueryRow(context.Background(), `SELECT status, attempts, next_attempt_at, lease_until, body, sent_at
		FROM outbox WHERE id = ?`, id).Scan(&r.status, &r.attempts, &next, &r.leaseUntil, &r.body, &r.sentAt)
	if err != nil {
		t.Fatalf("outbox row %s: %v", id, err)
	}
	r.next = db.FromMicros(next)
	return r
}

func count(t *testing.T, d *db.DB, table string) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// recorder is a Sender test double: it fails the first failures calls (all of them if negative), then delegates to
// next (if any), and counts calls per message id.
type recorder struct {
	next     Sender
	failures int
	delay    time.Duration

	mu    sync.Mutex
	calls map[string]int
	total int
}

func (r *recorder) Send(ctx context.Context, m Message) error {
	r.mu.Lock()
	if r.calls == nil {
		r.calls = map[string]int{}
	}
	r.calls[m.ID]++
	r.total++
	fail := r.failures < 0 || r.total <= r.failures
	r.mu.Unlock()
	if r.delay > 0 {
		time.Sleep(r.delay)
	}
	if fail {
		// Echo the body as a careless gateway would, so the log test can check it is scrubbed.
		return fmt.Errorf("gateway refused %q", m.Body)
	}
	if r.next != nil {
		return r.next.Send(ctx, m)
	}
	return nil
}

func (r *recorder) callsFor(id string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls[id]
}

func TestEnqueueRejectsInvalidMessages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tests := []struct {
			name  string
			m     Message
			field string
		}{
			{"unknown channel", Message{Channel: "push", Recipient: "+355691234567", Body: "hi"}, "channel"},
			{"empty channel", Message{Recipient: "+355691234567", Body: "hi"}, "channel"},
			{"blank recipient", Message{Channel: ChannelSMS, Recipient: "  ", Body: "hi"}, "recipient"},
			{"empty body", Message{Channel: ChannelEmail, Recipient: "a@b.al"}, "body"},
			{"blank body", Message{Channel: ChannelEmail, Recipient: "a@b.al", Body: "\n "}, "body"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				err := d.InTx(context.Background(), func(tx *db.Tx) error {
					return Enqueue(context.Background(), tx, start, tc.m)
				})
				e, ok := kumbara.As(err)
				if !ok || e.Kind != kumbara.KindInvalid {
					t.Fatalf("err = %v, want a validation error", err)
				}
				if len(e.Fields) != 1 || e.Fields[0].Field != tc.field {
					t.Fatalf("fields = %+v, want one for %q", e.Fields, tc.field)
				}
			})
		}
		if n := count(t, d, "outbox"); n != 0 {
			t.Fatalf("outbox has %d rows after rejected messages", n)
		}
	})
}

func TestEnqueueInRolledBackTransactionLeavesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		boom := errors.New("transfer refused")
		err := d.InTx(context.Background(), func(tx *db.Tx) error {
			if err := Enqueue(context.Background(), tx, start, otp("+355691234567", "123456")); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx = %v, want %v", err, boom)
		}
		if n := count(t, d, "outbox"); n != 0 {
			t.Fatalf("outbox has %d rows after rollback, want 0", n)
		}
		clk := clock.NewFake(start)
		sb := &Sandbox{DB: d, Clock: clk}
		if sent, err := (&Dispatcher{DB: d, Sender: sb, Clock: clk}).RunOnce(context.Background()); err != nil || sent != 0 {
			t.Fatalf("RunOnce = %d, %v; want 0, nil", sent, err)
		}
	})
}

func TestRunOnceDeliversToSandboxOnceAndRedactsOutboxBody(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clk := clock.NewFake(start)
		sb := &Sandbox{DB: d, Clock: clk}
		rec := &recorder{next: sb}
		disp := &Dispatcher{DB: d, Sender: rec, Clock: clk, Lease: time.Minute}

		m := otp("+355691234567", "482913")
		m.ID = "0192f3a0-0000-7000-8000-000000000001"
		enqueue(t, d, clk, m)
		clk.Advance(time.Second)

		sent, err := disp.RunOnce(ctx)
		if err != nil || sent != 1 {
			t.Fatalf("first RunOnce = %d, %v; want 1, nil", sent, err)
		}
		// Neither an immediate second round nor one after the lease would have expired sends it again.
		for _, wait := range []time.Duration{0, 2 * time.Minute} {
			clk.Advance(wait)
			if sent, err := disp.RunOnce(ctx); err != nil || sent != 0 {
				t.Fatalf("RunOnce after %v = %d, %v; want 0, nil", wait, sent, err)
			}
		}
		if c := rec.callsFor(m.ID); c != 1 {
			t.Fatalf("sender called %d times, want 1", c)
		}

		inbox, err := sb.InboxFor(ctx, m.Recipient, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(inbox) != 1 {
			t.Fatalf("inbox has %d messages, want 1", len(inbox))
		}
		got := inbox[0]
		if got.ID != m.ID || got.Body != m.Body || got.Channel != ChannelSMS || !got.CreatedAt.Equal(start.Add(time.Second)) {
			t.Fatalf("inbox message = %+v", got)
		}

		r := outboxRow(t, d, m.ID)
		if r.status != "sent" || r.body != redacted || !r.sentAt.Valid || r.sentAt.Int64 != start.Add(time.Second).UnixMicro() {
			t.Fatalf("outbox row = %+v, want sent, redacted, sent_at set", r)
		}
	})
}

func TestFailingSenderBacksOffThenRetries(t *testing.T) {
	tests := []struct {
		name         string
		failures     int // -1: every attempt fails
		wantStatus   string
		wantCalls    int
		wantAttempts int
	}{
		{"recovers after two failures", 2, "sent", 3, 2},
		{"gives up after max attempts", -1, "failed", MaxAttempts, MaxAttempts},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, d *db.DB) {
				ctx := context.Background()
				clk := clock.NewFake(start)
				rec := &recorder{failures: tc.failures}
				disp := &Dispatcher{DB: d, Sender: rec, Clock: clk, Lease: time.Minute}
				id := enqueue(t, d, clk, otp("+355691234567", "111111"))

				if _, err := disp.RunOnce(ctx); err != nil {
					t.Fatal(err)
				}
				for attempt := 1; attempt < tc.wantCalls; attempt++ {
					r := outboxRow(t, d, id)
					if r.status != "pending" || r.attempts != attempt || !r.next.Equal(clk.Now().Add(Backoff(attempt))) {
						t.Fatalf("after attempt %d: row = %+v, want pending, retry at +%v", attempt, r, Backoff(attempt))
					}
					// Not due yet: one microsecond early sends nothing.
					clk.Advance(Backoff(attempt) - time.Microsecond)
					if _, err := disp.RunOnce(ctx); err != nil {
						t.Fatal(err)
					}
					if c := rec.callsFor(id); c != attempt {
						t.Fatalf("sender called %d times before retry %d was due", c, attempt+1)
					}
					clk.Advance(time.Microsecond)
					if _, err := disp.RunOnce(ctx); err != nil {
						t.Fatal(err)
					}
					if c := rec.callsFor(id); c != attempt+1 {
						t.Fatalf("sender called %d times when retry %d was due", c, attempt+1)
					}
				}
				// Nothing more happens, however long we wait.
				clk.Advance(48 * time.Hour)
				if _, err := disp.RunOnce(ctx); err != nil {
					t.Fatal(err)
				}
				r := outboxRow(t, d, id)
				if r.status != tc.wantStatus || r.attempts != tc.wantAttempts || rec.callsFor(id) != tc.wantCalls {
					t.Fatalf("row = %+v after %d calls; want %s, %d attempts, %d calls",
						r, rec.callsFor(id), tc.wantStatus, tc.wantAttempts, tc.wantCalls)
				}
				if tc.wantStatus == "failed" && r.body == redacted {
					t.Fatal("an undelivered message lost its body")
				}
			})
		})
	}
}

func TestConcurrentDispatchersDeliverEachMessageOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clk := clock.NewFake(start)
		sb := &Sandbox{DB: d, Clock: clk}
		rec := &recorder{next: sb, delay: time.Millisecond}
		const messages, instances = 60, 4
		for i := range messages {
			enqueue(t, d, clk, otp(fmt.Sprintf("+3556900000%02d", i), fmt.Sprintf("%06d", i)))
		}

		var total atomic.Int64
		var wg sync.WaitGroup
		errs := make(chan error, instances)
		deadline := time.Now().Add(20 * time.Second)
		for range instances {
			disp := &Dispatcher{DB: d, Sender: rec, Clock: clk, Batch: 5, Lease: time.Minute}
			wg.Go(func() {
				for total.Load() < messages && time.Now().Before(deadline) {
					n, err := disp.RunOnce(ctx)
					if err != nil {
						errs <- err
						return
					}
					total.Add(int64(n))
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if total.Load() != messages {
			t.Fatalf("dispatchers report %d sent, want %d", total.Load(), messages)
		}
		rec.mu.Lock()
		defer rec.mu.Unlock()
		if rec.total != messages || len(rec.calls) != messages {
			t.Fatalf("sender called %d times for %d messages, want %d each once", rec.total, len(rec.calls), messages)
		}
		if n := count(t, d, "sandbox_inbox"); n != messages {
			t.Fatalf("sandbox inbox has %d messages, want %d", n, messages)
		}
	})
}

func TestExpiredLeaseOfCrashedDispatcherIsReclaimed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clk := clock.NewFake(start)
		rec := &recorder{}
		disp := &Dispatcher{DB: d, Sender: rec, Clock: clk, Lease: time.Minute}
		id := enqueue(t, d, clk, otp("+355691234567", "222222"))

		// A dispatcher that claims and then dies before sending or recording anything.
		now := clk.Now()
		if got, err := disp.claim(ctx, now.UnixMicro(), now.Add(time.Minute).UnixMicro()); err != nil || len(got) != 1 {
			t.Fatalf("claim = %d, %v", len(got), err)
		}
		clk.Advance(time.Minute - time.Microsecond)
		if sent, err := disp.RunOnce(ctx); err != nil || sent != 0 {
			t.Fatalf("RunOnce while leased = %d, %v; want 0, nil", sent, err)
		}
		clk.Advance(time.Microsecond)
		if sent, err := disp.RunOnce(ctx); err != nil || sent != 1 {
			t.Fatalf("RunOnce after lease = %d, %v; want 1, nil", sent, err)
		}
		if r := outboxRow(t, d, id); r.status != "sent" || r.attempts != 0 {
			t.Fatalf("row = %+v, want sent with no failed attempts", r)
		}
	})
}

// blocker is a Sender that hangs until its context ends, like a gateway that never answers during shutdown.
type blocker struct{ started chan struct{} }

func (b blocker) Send(ctx context.Context, _ Message) error {
	close(b.started)
	<-ctx.Done()
	return ctx.Err()
}

func TestShutdownReleasesClaimsWithoutCountingAnAttempt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		clk := clock.NewFake(start)
		b := blocker{started: make(chan struct{})}
		disp := &Dispatcher{DB: d, Sender: b, Clock: clk, Lease: time.Minute}
		first := enqueue(t, d, clk, otp("+355691234567", "333333"))
		clk.Advance(time.Second) // so the second is claimed after the first
		second := enqueue(t, d, clk, otp("+355691234568", "444444"))

		ctx, cancel := context.WithCancel(context.Background())
		go func() { <-b.started; cancel() }()
		if _, err := disp.RunOnce(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("RunOnce = %v, want context.Canceled", err)
		}
		for _, id := range []string{first, second} {
			if r := outboxRow(t, d, id); r.status != "pending" || r.attempts != 0 || r.leaseUntil != 0 {
				t.Fatalf("row %s = %+v, want pending, no attempts, lease released", id, r)
			}
		}
	})
}

func TestInboxListsNewestFirst(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clk := clock.NewFake(start)
		sb := &Sandbox{DB: d, Clock: clk}
		send := func(id, to string) {
			t.Helper()
			if err := sb.Send(ctx, Message{ID: id, Channel: ChannelSMS, Recipient: to, Body: "b-" + id}); err != nil {
				t.Fatal(err)
			}
		}
		send("a", "+355691111111")
		clk.Advance(time.Second)
		send("c", "+355692222222")
		send("b", "+355691111111") // same instant as c: the larger id is newer
		clk.Advance(time.Second)
		send("d", "+355691111111")
		send("d", "+355691111111") // a resend after an expired lease arrives once

		ids := func(ms []Message) string {
			var s string
			for _, m := range ms {
				s += m.ID
			}
			return s
		}
		tests := []struct {
			name      string
			recipient string // empty: the whole inbox
			limit     int
			want      string
		}{
			{"whole inbox", "", 10, "dcba"},
			{"limited", "", 2, "dc"},
			{"out-of-range limit means default", "", 0, "dcba"},
			{"one recipient", "+355691111111", 10, "dba"},
			{"unknown recipient", "+355690000000", 10, ""},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				var got []Message
				var err error
				if tc.recipient == "" {
					got, err = sb.Inbox(ctx, tc.limit)
				} else {
					got, err = sb.InboxFor(ctx, tc.recipient, tc.limit)
				}
				if err != nil {
					t.Fatal(err)
				}
				if ids(got) != tc.want {
					t.Fatalf("ids = %q, want %q", ids(got), tc.want)
				}
			})
		}
	})
}

func TestRunDeliversPromptlyAfterKick(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		clk := clock.NewFake(start)
		sb := &Sandbox{DB: d, Clock: clk}
		disp := &Dispatcher{DB: d, Sender: sb, Clock: clk}
		first := enqueue(t, d, clk, otp("+355691234567", "555555"))
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); disp.Run(ctx, time.Hour) }()
		defer func() { cancel(); <-done }()

		waitFor := func(id string) time.Duration {
			t.Helper()
			began := time.Now()
			for time.Since(began) < 5*time.Second {
				var n int
				if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM sandbox_inbox WHERE id = ?", id).Scan(&n); err != nil {
					t.Fatal(err)
				}
				if n == 1 {
					return time.Since(began)
				}
				time.Sleep(2 * time.Millisecond)
			}
			t.Fatalf("message %s not delivered within 5s", id)
			return 0
		}
		// The first round runs at start and delivers the first message; after it Run sleeps for an hour, so only a
		// kick can deliver the second.
		waitFor(first)
		id := enqueue(t, d, clk, otp("+355691234567", "666666"))
		disp.Kick()
		disp.Kick() // kicks never block, however many arrive
		if took := waitFor(id); took > time.Second {
			t.Fatalf("kicked message took %v", took)
		}
	})
}

func TestRunStopsWhenContextEnds(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		disp := &Dispatcher{DB: d, Sender: &recorder{}, Clock: clock.NewFake(start)}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); disp.Run(ctx, time.Hour) }()
		cancel()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("Run did not return after cancel")
		}
	})
}

func TestLogsNeverContainBodyOrFullRecipient(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clk := clock.NewFake(start)
		var buf bytes.Buffer
		logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
		rec := &recorder{failures: 1, next: &Sandbox{DB: d, Clock: clk}}
		disp := &Dispatcher{DB: d, Sender: rec, Clock: clk, Logger: logger}
		const to, code = "+355691234567", "987654"
		id := enqueue(t, d, clk, otp(to, code))

		if _, err := disp.RunOnce(ctx); err != nil { // fails: the gateway echoes the body
			t.Fatal(err)
		}
		clk.Advance(Backoff(1))
		if sent, err := disp.RunOnce(ctx); err != nil || sent != 1 {
			t.Fatalf("RunOnce = %d, %v", sent, err)
		}
		logs := buf.String()
		for _, secret := range []string{code, to} {
			if bytes.Contains(buf.Bytes(), []byte(secret)) {
				t.Fatalf("logs contain %q:\n%s", secret, logs)
			}
		}
		for _, want := range []string{id, MaskRecipient(to), "send failed", "outbox: sent"} {
			if !bytes.Contains(buf.Bytes(), []byte(want)) {
				t.Fatalf("logs lack %q:\n%s", want, logs)
			}
		}
	})
}

func TestMaskRecipientHidesMostOfIt(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+355691234567", "***567"},
		{"ana.hoxha@example.al", "a***@example.al"},
		{"@example.al", "***@example.al"},
		{"12345", "***"},
		{"", "***"},
		{"ëlira@posta.al", "ë***@posta.al"},
	}
	for _, tc := range tests {
		if got := MaskRecipient(tc.in); got != tc.want {
			t.Errorf("MaskRecipient(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestBackoffDoublesUpToAnHour(t *testing.T) {
	tests := []struct {
		attempt int
		want    time.Duration
	}{
		{0, 10 * time.Second},
		{1, 10 * time.Second},
		{2, 20 * time.Second},
		{7, 640 * time.Second},
		{9, 2560 * time.Second},
		{10, time.Hour},
		{1000, time.Hour},
	}
	for _, tc := range tests {
		if got := Backoff(tc.attempt); got != tc.want {
			t.Errorf("Backoff(%d) = %v, want %v", tc.attempt, got, tc.want)
		}
	}
}
