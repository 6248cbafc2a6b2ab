package ledger_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/ledger"
)

// startGrouped starts group commit with one worker (so blockWorker can gather a batch) and a log of the committed
// batches; the ledger is closed when the test ends.
func (f *fixture) startGrouped(t testing.TB) *postedLog {
	t.Helper()
	log := &postedLog{}
	f.l = ledger.New(f.d, f.clk, log)
	f.l.Start(1)
	t.Cleanup(f.l.Close)
	return log
}

func TestSubmitGivesFailingOpsTheirOwnErrorAndCommitsTheRest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		payee := f.open(t, 0)
		var payers []ledger.Account
		for range 6 {
			payers = append(payers, f.funded(t, 1_000))
		}
		log := f.startGrouped(t)

		ops := []ledger.Op{
			transferOp(payers[0].ID, payee.ID, 400),
			transferOp(payers[1].ID, payee.ID, 1_001), // beyond funds
			transferOp(payers[2].ID, payee.ID, 1_000),
			transferOp(payers[3].ID, payee.ID, 5_000), // beyond funds
			transferOp(payers[4].ID, payee.ID, 100),
			transferOp("no-such-account", payee.ID, 100),
			// Three ops draw on one account that covers two of them: whichever runs last fails.
			transferOp(payers[5].ID, payee.ID, 400),
			transferOp(payers[5].ID, payee.ID, 400),
			transferOp(payers[5].ID, payee.ID, 400),
		}
		errs := f.submitAll(t, ops)
		for i, want := range []string{"", "insufficient_funds", "", "insufficient_funds", "", "account_not_found"} {
			if want == "" && errs[i] != nil {
				t.Errorf("op %d: %v", i, errs[i])
			} else if want != "" && kumbara.CodeOf(errs[i]) != want {
				t.Errorf("op %d: %v, want %s", i, errs[i], want)
			}
		}
		failed := 0
		for _, err := range errs[6:] {
			switch {
			case err == nil:
			case kumbara.CodeOf(err) == "insufficient_funds":
				failed++
			default:
				t.Errorf("shared payer: %v", err)
			}
		}
		if failed != 1 {
			t.Errorf("%d of the three draws on one account failed, want 1", failed)
		}

		for i, want := range []int64{600, 1_000, 0, 1_000, 900, 200} {
			f.assertBalance(t, payers[i].ID, want, 0)
		}
		f.assertBalance(t, payee.ID, 400+1_000+100+800, 0)
		// The five transfers that went through were one commit (10 postings), not one each.
		if got := log.max(); got != 10 {
			t.Errorf("largest batch wrote %d postings, want 10 (batches %v)", got, log.calls)
		}
		f.assertSound(t)
	})
}

func TestSubmitOpErrorAfterStagingLeavesNoTrace(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, b, c := f.funded(t, 10_000), f.open(t, 0), f.open(t, 0)
		old, err := f.placeHold(t, a.ID, 1_000, t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		f.startGrouped(t)

		boom := errors.New("notification could not be queued")
		var second idemResult
		ops := []ledger.Op{
			{Accounts: []string{a.ID, b.ID}, Holds: []string{old.ID}, IdempotencyKey: "k1", Run: func(bt *ledger.Batch) error {
				entry, err := bt.Post(transfer(a.ID, b.ID, 500))
				if err != nil {
					return err
				}
				if _, err := bt.PlaceHold(a.ID, 700, "card", "x", t0.Add(time.Hour)); err != nil {
					return err
				}
				if err := bt.ReleaseHold(old.ID, ledger.HoldReleased); err != nil {
					return err
				}
				bt.Insert(ledger.Record{Table: "settings", Columns: []string{"name", "value"}, Values: []any{"trace", "x"}})
				bt.RememberIdempotency("k1", "hash-1", entry)
				return boom
			}},
			transferOp(a.ID, c.ID, 300),
			idemOp("k1", "hash-1", a.ID, c.ID, 200, &second),
		}
		errs := f.submitAll(t, ops)
		if !errors.Is(errs[0], boom) {
			t.Errorf("failing op: %v, want %v", errs[0], boom)
		}
		if errs[1] != nil || errs[2] != nil {
			t.Fatalf("neighbours: %v, %v", errs[1], errs[2])
		}
		if second.replay {
			t.Error("the key remembered by the undone op was replayed")
		}
		f.assertBalance(t, a.ID, 10_000-300-200, 1_000)
		f.assertBalance(t, b.ID, 0, 0)
		f.assertBalance(t, c.ID, 500, 0)
		if n := f.count(t, "SELECT COUNT(*) FROM settings WHERE name = 'trace'"); n != 0 {
			t.Error("the undone op's record was written")
		}
		if n := f.count(t, "SELECT COUNT(*) FROM holds"); n != 1 {
			t.Errorf("%d holds, want only the earlier one", n)
		}
		if h := f.hold(t, old.ID); h.Status != ledger.HoldActive {
			t.Errorf("earlier hold %s, want active", h.Status)
		}
		var resource string
		if err := d.QueryRow(f.ctx, "SELECT resource_id FROM idempotency_keys WHERE scope_key = 'k1'").Scan(&resource); err != nil ||
			resource != second.resource {
			t.Errorf("key k1 names %q (%v), want the surviving op's entry %q", resource, err, second.resource)
		}
		f.assertSound(t)
	})
}

type idemResult struct {
	resource string
	replay   bool
	hash     string // of the request that posted, when this one did
}

// idemOp is a transfer guarded by an idempotency key, the way a service writes one.
func idemOp(key, hash, from, to string, amount int64, res *idemResult) ledger.Op {
	return ledger.Op{Accounts: []string{from, to}, IdempotencyKey: key, Run: func(b *ledger.Batch) error {
		id, replay, err := b.Idempotency(key, hash)
		if err != nil {
			return err
		}
		if replay {
			*res = idemResult{resource: id, replay: true}
			return nil
		}
		entry, err := b.Post(transfer(from, to, amount))
		if err != nil {
			return err
		}
		b.RememberIdempotency(key, hash, entry)
		*res = idemResult{resource: entry, hash: hash}
		return nil
	}}
}

func TestSubmitIdempotencyKeyRepeatsWithinAndAcrossBatches(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, b := f.funded(t, 10_000), f.open(t, 0)
		f.startGrouped(t)

		for _, tc := range []struct {
			name, key, secondHash string
			code                  string // of the second request; "" means it replays the first
		}{
			{"same request", "transfer:c1:key-1", "h1", ""},
			{"different request", "transfer:c1:key-2", "h2", "idempotency_key_reused"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := f.state(t)
				var r1, r2 idemResult
				errs := f.submitAll(t, []ledger.Op{
					idemOp(tc.key, "h1", a.ID, b.ID, 100, &r1),
					idemOp(tc.key, tc.secondHash, a.ID, b.ID, 100, &r2),
				})
				// The batch runs the two in either order: one posts, the other sees it.
				first, second, secondErr := r1, r2, errs[1]
				if r1.hash == "" {
					first, second, secondErr = r2, r1, errs[0]
				}
				if first.hash == "" || first.replay || first.resource == "" {
					t.Fatalf("no request posted: %+v %v, %+v %v", r1, errs[0], r2, errs[1])
				}
				if tc.code == "" {
					if secondErr != nil || !second.replay || second.resource != first.resource {
						t.Errorf("repeat: %+v %v, want a replay of %s", second, secondErr, first.resource)
					}
				} else {
					wantCode(t, secondErr, tc.code)
				}
				after := f.state(t)
				if after.Entries != before.Entries+1 || after.Keys != before.Keys+1 {
					t.Errorf("entries +%d keys +%d, want +1 each", after.Entries-before.Entries, after.Keys-before.Keys)
				}

				// A later batch finds the stored key.
				var again, other idemResult
				if err := f.l.Submit(f.ctx, idemOp(tc.key, first.hash, a.ID, b.ID, 100, &again)); err != nil ||
					!again.replay || again.resource != first.resource {
					t.Errorf("later repeat: %+v %v, want a replay of %s", again, err, first.resource)
				}
				err := f.l.Submit(f.ctx, idemOp(tc.key, "h-other", a.ID, b.ID, 100, &other))
				wantCode(t, err, "idempotency_key_reused")
				if kumbara.KindOf(err) != kumbara.KindConflict {
					t.Errorf("kind %v, want conflict", kumbara.KindOf(err))
				}
				if got := f.state(t); got.Entries != after.Entries || got.Keys != after.Keys {
					t.Errorf("repeats wrote rows: %+v → %+v", after, got)
				}
			})
		}
		f.assertBalance(t, a.ID, 9_800, 0)
		f.assertSound(t)
	})
}

func TestSubmitReplaysAFailedBatchOpByOpSoOnlyTheCulpritFails(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, b := f.funded(t, 10_000), f.open(t, 0)
		if _, err := d.Exec(f.ctx, "INSERT INTO settings (name, value) VALUES ('demo_seeded', '1')"); err != nil {
			t.Fatal(err)
		}
		log := f.startGrouped(t)

		culprit := ledger.Op{Accounts: []string{a.ID, b.ID}, Run: func(bt *ledger.Batch) error {
			if _, err := bt.Post(transfer(a.ID, b.ID, 5_000)); err != nil {
				return err
			}
			bt.Insert(ledger.Record{Table: "settings", Columns: []string{"name", "value"}, Values: []any{"demo_seeded", "2"}})
			return nil
		}}
		ops := []ledger.Op{transferOp(a.ID, b.ID, 100), culprit}
		for range 4 {
			ops = append(ops, transferOp(a.ID, b.ID, 100))
		}
		ops = append(ops, transferOp(a.ID, b.ID, 1_000_000)) // fails on its own, in the batch and alone
		errs := f.submitAll(t, ops)

		if !db.IsUniqueViolation(errs[1]) {
			t.Errorf("culprit: %v, want its unique violation", errs[1])
		}
		wantCode(t, errs[len(errs)-1], "insufficient_funds")
		for i, err := range errs[:len(errs)-1] {
			if i != 1 && err != nil {
				t.Errorf("op %d: %v", i, err)
			}
		}
		f.assertBalance(t, a.ID, 10_000-500, 0)
		f.assertBalance(t, b.ID, 500, 0)
		var v string
		if err := d.QueryRow(f.ctx, "SELECT value FROM settings WHERE name = 'demo_seeded'").Scan(&v); err != nil || v != "1" {
			t.Errorf("setting %q (%v), want the original", v, err)
		}
		// After the replay each op committed alone (two postings each).
		if got := log.max(); got != 2 {
			t.Errorf("largest commit wrote %d postings, want 2 (batches %v)", got, log.calls)
		}
		f.assertSound(t)
	})
}

func TestCloseFinishesQueuedOpsAndThenRefusesSubmit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, b := f.funded(t, 10_000), f.open(t, 0)
		f.l.Start(1)

		release := f.blockWorker(t)
		const n = 20
		errs := make(chan error, n)
		for range n {
			go func() { errs <- f.l.Submit(f.ctx, transferOp(a.ID, b.ID, 10)) }()
		}
		time.Sleep(100 * time.Millisecond) // let them queue behind the blocked worker
		closed := make(chan struct{})
		go func() { f.l.Close(); close(closed) }()
		time.Sleep(50 * time.Millisecond)
		select {
		case <-closed:
			t.Fatal("Close returned while ops were still queued")
		default:
		}
		wantCode(t, f.l.Submit(f.ctx, transferOp(a.ID, b.ID, 10)), "unavailable")
		release()
		for range n {
			if err := <-errs; err != nil {
				t.Errorf("queued op: %v", err)
			}
		}
		<-closed
		f.assertBalance(t, b.ID, n*10, 0)

		err := f.l.Submit(f.ctx, transferOp(a.ID, b.ID, 10))
		wantCode(t, err, "unavailable")
		if kumbara.KindOf(err) != kumbara.KindUnavailable {
			t.Errorf("kind %v, want unavailable", kumbara.KindOf(err))
		}
		f.l.Close() // a second Close is harmless
		f.assertBalance(t, b.ID, n*10, 0)
		f.assertSound(t)
	})
}

func TestSubmitWithoutStartRunsEachOpAlone(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, b := f.funded(t, 1_000), f.open(t, 0)
		log := &postedLog{}
		f.l = ledger.New(f.d, f.clk, log)
		if err := f.l.Submit(f.ctx, transferOp(a.ID, b.ID, 300)); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.l.Submit(f.ctx, transferOp(a.ID, b.ID, 800)), "insufficient_funds")
		f.assertBalance(t, b.ID, 300, 0)
		if len(log.calls) != 1 || log.calls[0] != 2 {
			t.Errorf("Posted calls %v, want [2]", log.calls)
		}
		f.l.Close()
		wantCode(t, f.l.Submit(f.ctx, transferOp(a.ID, b.ID, 1)), "unavailable")
		f.assertSound(t)
	})
}

func TestSubmitOpCannotTouchAnAccountItDidNotDeclare(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, b, c := f.funded(t, 10_000), f.funded(t, 10_000), f.open(t, 0)
		f.startGrouped(t)

		boom := errors.New("later step failed")
		// The sneaky op declares only b and c but also credits a, which another op of the batch declared; whether
		// it fails or not, it must not be able to reach a.
		sneaky := func(fail bool) ledger.Op {
			return ledger.Op{Accounts: []string{b.ID, c.ID}, Run: func(bt *ledger.Batch) error {
				e := ledger.Entry{Kind: "transfer", Legs: []ledger.Leg{
					{AccountID: b.ID, Amount: -300}, {AccountID: c.ID, Amount: 200}, {AccountID: a.ID, Amount: 100}}}
				if _, err := bt.Post(e); err != nil {
					return err
				}
				if fail {
					return boom
				}
				return nil
			}}
		}
		peek := ledger.Op{Accounts: []string{b.ID}, Run: func(bt *ledger.Batch) error {
			if got, err := bt.Account(b.ID); err != nil || got.Balance != 10_000 {
				return errors.Join(errors.New("own account not readable"), err)
			}
			_, err := bt.Account(a.ID)
			return err
		}}
		errs := f.submitAll(t, []ledger.Op{transferOp(a.ID, c.ID, 1_000), sneaky(true), sneaky(false), peek})
		if errs[0] != nil {
			t.Errorf("honest op: %v", errs[0])
		}
		for _, err := range errs[1:] {
			wantCode(t, err, "account_not_found")
		}
		f.assertBalance(t, a.ID, 9_000, 0)
		f.assertBalance(t, b.ID, 10_000, 0)
		f.assertBalance(t, c.ID, 1_000, 0)
		f.assertSound(t)
	})
}

// TestARecordThatIgnoresAnExistingRowIsWrittenOnceAndFailsNothing: a record staged with IgnoreExisting, twice in
// one batch and again over a row already there, leaves the first row and fails no op of the batch.
func TestARecordThatIgnoresAnExistingRowIsWrittenOnceAndFailsNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, b := f.funded(t, 10_000), f.open(t, 0)
		if _, err := d.Exec(f.ctx, "INSERT INTO settings (name, value) VALUES ('seen', '1')"); err != nil {
			t.Fatal(err)
		}
		f.startGrouped(t)
		record := func(name, value string) ledger.Op {
			return ledger.Op{Run: func(bt *ledger.Batch) error {
				bt.Insert(ledger.Record{Table: "settings", Columns: []string{"name", "value"}, Values: []any{name, value},
					IgnoreExisting: true})
				return nil
			}}
		}
		errs := f.submitAll(t, []ledger.Op{record("seen", "2"), transferOp(a.ID, b.ID, 100), record("new", "1"),
			record("new", "2")})
		for i, err := range errs {
			if err != nil {
				t.Errorf("op %d: %v", i, err)
			}
		}
		for name, want := range map[string][]string{"seen": {"1"}, "new": {"1", "2"}} {
			var v string
			if err := d.QueryRow(f.ctx, "SELECT value FROM settings WHERE name = ?", name).Scan(&v); err != nil || !slices.Contains(want, v) {
				t.Errorf("setting %s = %q (%v), want one of %v", name, v, err, want)
			}
		}
		f.assertBalance(t, b.ID, 100, 0)
		f.assertSound(t)
	})
}

// TestAdditionsToACounterRowAreSummedAndWrittenWithTheBatch: additions staged by the ops of one batch to the same
// row are summed into one write that creates the row or adds to it; a failed op's addition is undone with it.
func TestAdditionsToACounterRowAreSummedAndWrittenWithTheBatch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, b := f.funded(t, 10_000), f.open(t, 0)
		if _, err := d.Exec(f.ctx, "CREATE TABLE counters (name TEXT NOT NULL, day TEXT NOT NULL, total BIGINT NOT NULL, PRIMARY KEY (name, day))"); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(f.ctx, "INSERT INTO counters (name, day, total) VALUES ('old', 'd1', 100)"); err != nil {
			t.Fatal(err)
		}
		f.startGrouped(t)
		add := func(name string, amount int64, fail bool) ledger.Op {
			return ledger.Op{Accounts: []string{a.ID, b.ID}, Run: func(bt *ledger.Batch) error {
				bt.Add(ledger.Record{Table: "counters", Columns: []string{"name", "day", "total"},
					Values: []any{name, "d1", amount}})
				if fail {
					_, err := bt.Post(transfer(a.ID, b.ID, 1_000_000))
					return err
				}
				return nil
			}}
		}
		errs := f.submitAll(t, []ledger.Op{add("old", 5, false), add("new", 7, false), add("old", -2, false),
			add("new", 1_000, true), add("new", 3, false)})
		for i, err := range errs {
			if (err != nil) != (i == 3) {
				t.Errorf("op %d: %v", i, err)
			}
		}
		for name, want := range map[string]int64{"old": 103, "new": 10} {
			var got int64
			if err := d.QueryRow(f.ctx, "SELECT total FROM counters WHERE name = ? AND day = 'd1'", name).Scan(&got); err != nil || got != want {
				t.Errorf("counter %s = %d (%v), want %d", name, got, err, want)
			}
		}
		f.assertSound(t)
	})
}
