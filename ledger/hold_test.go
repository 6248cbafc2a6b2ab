package ledger_test

import (
	"errors"
	"testing"
	"time"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/ledger"
)

// capture captures amount of hold h on account from, paying it to to.
func (f *fixture) capture(h ledger.Hold, to string, amount int64) (string, error) {
	var entry string
	err := f.l.Run(f.ctx, ledger.Op{Accounts: []string{h.AccountID, to}, Holds: []string{h.ID}, Run: func(b *ledger.Batch) error {
		e := transfer(h.AccountID, to, amount)
		e.Kind = "hold_capture"
		var err error
		entry, err = b.CaptureHold(h.ID, amount, e)
		return err
	}})
	return entry, err
}

func (f *fixture) release(h ledger.Hold, status ledger.HoldStatus) error {
	return f.l.Run(f.ctx, ledger.Op{Accounts: []string{h.AccountID}, Holds: []string{h.ID}, Run: func(b *ledger.Batch) error {
		return b.ReleaseHold(h.ID, status)
	}})
}

func (f *fixture) hold(t testing.TB, id string) ledger.Hold {
	t.Helper()
	h, err := f.l.GetHold(f.ctx, id)
	if err != nil {
		t.Fatalf("get hold: %v", err)
	}
	return h
}

func TestPlaceHoldLowersAvailableButNotBalance(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, b := f.funded(t, 10_000), f.open(t, 0)
		expires := t0.Add(7 * 24 * time.Hour)
		h, err := f.placeHold(t, a.ID, 4_000, expires)
		if err != nil {
			t.Fatalf("place hold: %v", err)
		}
		got := f.get(t, a.ID)
		if got.Balance != 10_000 || got.Held != 4_000 || got.Available() != 6_000 {
			t.Errorf("balance %d held %d available %d, want 10000, 4000, 6000", got.Balance, got.Held, got.Available())
		}
		stored := f.hold(t, h.ID)
		if stored.Status != ledger.HoldActive || stored.Amount != 4_000 || !stored.ExpiresAt.Equal(expires) ||
			!stored.CreatedAt.Equal(t0) || !stored.SettledAt.IsZero() || stored.EntryID != "" || stored.Reference != "auth-1" {
			t.Errorf("stored hold %+v", stored)
		}
		// The held money cannot be spent by a transfer.
		_, err = f.l.Post(f.ctx, transfer(a.ID, b.ID, 6_001))
		wantCode(t, err, "insufficient_funds")
		if _, err := f.l.Post(f.ctx, transfer(a.ID, b.ID, 6_000)); err != nil {
			t.Fatalf("spend the unheld part: %v", err)
		}
		f.assertBalance(t, a.ID, 4_000, 4_000)
		f.assertSound(t)
	})
}

func TestPlaceHoldRefusals(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, blocked := f.funded(t, 1_000), f.funded(t, 1_000)
		if err := f.setStatus(t, blocked.ID, ledger.Blocked); err != nil {
			t.Fatal(err)
		}
		if _, err := f.placeHold(t, a.ID, 600, t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		later := t0.Add(time.Hour)
		for _, tc := range []struct {
			name    string
			account string
			amount  int64
			expires time.Time
			code    string
		}{
			{"beyond available", a.ID, 401, later, "insufficient_funds"},
			{"zero amount", a.ID, 0, later, "amount_not_positive"},
			{"negative amount", a.ID, -5, later, "amount_not_positive"},
			{"already expired", a.ID, 10, t0, "validation_failed"},
			{"blocked account", blocked.ID, 10, later, "account_blocked"},
			{"undeclared account", "no-such-account", 10, later, "account_not_found"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := f.state(t, a.ID, blocked.ID)
				_, err := f.placeHold(t, tc.account, tc.amount, tc.expires)
				wantCode(t, err, tc.code)
				f.assertUnchanged(t, before, a.ID, blocked.ID)
			})
		}
		if _, err := f.placeHold(t, a.ID, 400, later); err != nil {
			t.Fatalf("hold of exactly the available amount: %v", err)
		}
		f.assertBalance(t, a.ID, 1_000, 1_000)
		f.assertSound(t)
	})
}

func TestCaptureHoldPostsAndLiftsTheWholeHold(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		for _, tc := range []struct {
			name    string
			capture int64
			code    string
		}{
			{"full capture", 3_000, ""},
			{"partial capture", 1_200, ""},
			{"over capture", 3_001, "invalid_amount"},
			{"zero capture", 0, "invalid_amount"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				a, merchant := f.funded(t, 10_000), f.open(t, 0)
				h, err := f.placeHold(t, a.ID, 3_000, t0.Add(time.Hour))
				if err != nil {
					t.Fatal(err)
				}
				entry, err := f.capture(h, merchant.ID, tc.capture)
				if tc.code != "" {
					wantCode(t, err, tc.code)
					f.assertBalance(t, a.ID, 10_000, 3_000)
					if got := f.hold(t, h.ID); got.Status != ledger.HoldActive {
						t.Errorf("hold %s after a refused capture, want active", got.Status)
					}
					return
				}
				if err != nil {
					t.Fatalf("capture: %v", err)
				}
				f.assertBalance(t, a.ID, 10_000-tc.capture, 0)
				f.assertBalance(t, merchant.ID, tc.capture, 0)
				got := f.hold(t, h.ID)
				if got.Status != ledger.HoldCaptured || got.EntryID != entry || !got.SettledAt.Equal(f.clk.Now()) {
					t.Errorf("hold after capture: %+v (entry %s)", got, entry)
				}
				_, err = f.capture(h, merchant.ID, 1)
				wantCode(t, err, "hold_not_active")
			})
		}
		f.assertSound(t)
	})
}

func TestCaptureHoldMaySpendTheHeldMoneyOnly(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, merchant := f.funded(t, 1_000), f.open(t, 0)
		h, err := f.placeHold(t, a.ID, 1_000, t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		// The whole balance is held: only the capture, which lifts the hold, can spend it.
		_, err = f.l.Post(f.ctx, transfer(a.ID, merchant.ID, 1))
		wantCode(t, err, "insufficient_funds")
		// An entry that does not debit the held account by the captured amount is refused.
		err = f.l.Run(f.ctx, ledger.Op{Accounts: []string{a.ID, merchant.ID}, Holds: []string{h.ID}, Run: func(b *ledger.Batch) error {
			_, err := b.CaptureHold(h.ID, 500, transfer(a.ID, merchant.ID, 400))
			return err
		}})
		if err == nil {
			t.Fatal("capture with a mismatched entry succeeded")
		}
		f.assertBalance(t, a.ID, 1_000, 1_000)
		if _, err := f.capture(h, merchant.ID, 1_000); err != nil {
			t.Fatalf("capture: %v", err)
		}
		f.assertBalance(t, a.ID, 0, 0)
		f.assertSound(t)
	})
}

func TestReleaseAndExpiryLiftTheHold(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		for _, status := range []ledger.HoldStatus{ledger.HoldReleased, ledger.HoldExpired} {
			t.Run(string(status), func(t *testing.T) {
				a, merchant := f.funded(t, 5_000), f.open(t, 0)
				h, err := f.placeHold(t, a.ID, 2_000, t0.Add(time.Hour))
				if err != nil {
					t.Fatal(err)
				}
				f.clk.Advance(time.Minute)
				if err := f.release(h, status); err != nil {
					t.Fatalf("release: %v", err)
				}
				f.assertBalance(t, a.ID, 5_000, 0)
				if got := f.hold(t, h.ID); got.Status != status || !got.SettledAt.Equal(f.clk.Now()) || got.EntryID != "" {
					t.Errorf("hold after release: %+v", got)
				}
				for _, again := range []struct {
					name string
					try  func() error
				}{
					{"capture", func() error { _, err := f.capture(h, merchant.ID, 100); return err }},
					{"release", func() error { return f.release(h, ledger.HoldReleased) }},
				} {
					t.Run(again.name+" afterwards", func(t *testing.T) {
						before := f.state(t, a.ID)
						wantCode(t, again.try(), "hold_not_active")
						f.assertUnchanged(t, before, a.ID)
					})
				}
			})
		}
		f.assertSound(t)
	})
}

func TestReleaseHoldRefusesAStatusOtherThanReleasedOrExpired(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a := f.funded(t, 5_000)
		h, err := f.placeHold(t, a.ID, 1_000, t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		for _, status := range []ledger.HoldStatus{ledger.HoldActive, ledger.HoldCaptured, "cancelled"} {
			t.Run(string(status), func(t *testing.T) {
				wantCode(t, f.release(h, status), "validation_failed")
				f.assertBalance(t, a.ID, 5_000, 1_000)
				if got := f.hold(t, h.ID); got.Status != ledger.HoldActive {
					t.Errorf("hold %s, want active", got.Status)
				}
			})
		}
		f.assertSound(t)
	})
}

func TestHoldOperationsRefuseUnknownHolds(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, merchant := f.funded(t, 5_000), f.open(t, 0)
		ghost := ledger.Hold{ID: "00000000-0000-7000-8000-000000000000", AccountID: a.ID}
		_, err := f.capture(ghost, merchant.ID, 100)
		wantCode(t, err, "hold_not_found")
		wantCode(t, f.release(ghost, ledger.HoldReleased), "hold_not_found")
		_, err = f.l.GetHold(f.ctx, ghost.ID)
		wantCode(t, err, "hold_not_found")

		// A hold the op did not declare is not found either.
		h, err := f.placeHold(t, a.ID, 100, t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		err = f.l.Run(f.ctx, ledger.Op{Accounts: []string{a.ID}, Run: func(b *ledger.Batch) error {
			return b.ReleaseHold(h.ID, ledger.HoldReleased)
		}})
		wantCode(t, err, "hold_not_found")
		f.assertBalance(t, a.ID, 5_000, 100)
	})
}

func TestExpiredHoldsFollowsTheClock(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a := f.funded(t, 10_000)
		var holds []ledger.Hold
		for _, after := range []time.Duration{2 * time.Hour, time.Hour, 3 * time.Hour, 90 * time.Minute} {
			h, err := f.placeHold(t, a.ID, 100, t0.Add(after))
			if err != nil {
				t.Fatal(err)
			}
			holds = append(holds, h)
		}
		if err := f.release(holds[3], ledger.HoldReleased); err != nil { // settled holds never expire
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name  string
			at    time.Duration
			limit int
			want  []int // indexes into holds, soonest expiry first
		}{
			{"none yet", 59 * time.Minute, 10, nil},
			{"at the expiry instant", time.Hour, 10, []int{1}},
			{"two due", 2 * time.Hour, 10, []int{1, 0}},
			{"all due", 5 * time.Hour, 10, []int{1, 0, 2}},
			{"limit", 5 * time.Hour, 2, []int{1, 0}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				f.clk.Set(t0.Add(tc.at))
				got, err := f.l.ExpiredHolds(f.ctx, f.clk.Now(), tc.limit)
				if err != nil {
					t.Fatal(err)
				}
				var ids []string
				for _, h := range got {
					ids = append(ids, h.ID)
				}
				var want []string
				for _, i := range tc.want {
					want = append(want, holds[i].ID)
				}
				if len(ids) != len(want) {
					t.Fatalf("expired %v, want %v", ids, want)
				}
				for i := range ids {
					if ids[i] != want[i] {
						t.Fatalf("expired %v, want %v", ids, want)
					}
				}
			})
		}
		// The expiry job expires what it found; then nothing is due.
		f.clk.Set(t0.Add(5 * time.Hour))
		due, err := f.l.ExpiredHolds(f.ctx, f.clk.Now(), 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range due {
			if err := f.release(h, ledger.HoldExpired); err != nil {
				t.Fatal(err)
			}
		}
		if due, _ := f.l.ExpiredHolds(f.ctx, f.clk.Now(), 10); len(due) != 0 {
			t.Errorf("%d holds still due after expiry", len(due))
		}
		f.assertBalance(t, a.ID, 10_000, 0)
		f.assertSound(t)
	})
}

func TestFailedOpUndoesItsHoldsAndPostings(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, merchant := f.funded(t, 10_000), f.open(t, 0)
		old, err := f.placeHold(t, a.ID, 1_000, t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		f.clk.Advance(time.Minute)
		boom := errors.New("fee booking failed")
		for _, tc := range []struct {
			name string
			run  func(b *ledger.Batch) error
		}{
			{"place then fail", func(b *ledger.Batch) error {
				_, err := b.PlaceHold(a.ID, 500, "card", "x", t0.Add(time.Hour))
				return errors.Join(err, boom)
			}},
			{"place, capture then fail", func(b *ledger.Batch) error {
				h, err := b.PlaceHold(a.ID, 500, "card", "x", t0.Add(time.Hour))
				if err != nil {
					return err
				}
				_, err = b.CaptureHold(h.ID, 500, transfer(a.ID, merchant.ID, 500))
				return errors.Join(err, boom)
			}},
			{"place, release then fail", func(b *ledger.Batch) error {
				h, err := b.PlaceHold(a.ID, 500, "card", "x", t0.Add(time.Hour))
				if err != nil {
					return err
				}
				return errors.Join(b.ReleaseHold(h.ID, ledger.HoldReleased), boom)
			}},
			{"capture existing then fail", func(b *ledger.Batch) error {
				_, err := b.CaptureHold(old.ID, 700, transfer(a.ID, merchant.ID, 700))
				return errors.Join(err, boom)
			}},
			{"release existing then fail", func(b *ledger.Batch) error {
				return errors.Join(b.ReleaseHold(old.ID, ledger.HoldReleased), boom)
			}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := f.state(t, a.ID, merchant.ID)
				err := f.l.Run(f.ctx, ledger.Op{Accounts: []string{a.ID, merchant.ID}, Holds: []string{old.ID}, Run: tc.run})
				if !errors.Is(err, boom) {
					t.Fatalf("run: %v, want %v", err, boom)
				}
				f.assertUnchanged(t, before, a.ID, merchant.ID)
				got := f.hold(t, old.ID)
				if got.Status != ledger.HoldActive || !got.SettledAt.IsZero() || got.EntryID != "" {
					t.Errorf("untouched hold after a failed op: %+v", got)
				}
				var settled int
				if err := d.QueryRow(f.ctx, "SELECT COUNT(*) FROM holds WHERE id = ? AND settled_at IS NULL", old.ID).Scan(&settled); err != nil || settled != 1 {
					t.Errorf("active hold has a settled_at (%v)", err)
				}
			})
		}
		f.assertBalance(t, a.ID, 10_000, 1_000)
		f.assertSound(t)
	})
}
