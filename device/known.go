package device

import (
	"context"
	"fmt"
	"time"

	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/outbox"
	"github.com/kumbara/kumbara/text"
)

// The bank's one rule for "a new device or browser" (A18), for the app and the internet branch alike: a device or
// browser is known to a customer once the customer completed a full login from it — the app's device named by
// X-Device-ID, a browser by the internet branch's long-lived device cookie — or registered it (A3). A full login
// from one that is not known queues an SMS alert to the customer, once: from then on it is known. A login that
// names no device or browser cannot be recognised, so it is always reported.

// NoteLogin applies the rule to a full login that RecordLogin does not count — one in the internet branch, or a
// business user's (whose devices are not the business's to trust): customerID is the person who authenticated.
func (s *Service) NoteLogin(ctx context.Context, customerID string, seen Seen) error {
	c, err := s.Customers.Get(ctx, customerID)
	if err != nil {
		return err
	}
	queued := false
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := customer.Lock(ctx, tx, customerID); err != nil {
			return err
		}
		known := false
		if validID(seen.DeviceID) && !seen.Browser {
			_, err := s.get(ctx, tx, customerID, seen.DeviceID)
			known = err == nil
		}
		var err error
		queued, err = s.noteLogin(ctx, tx, c, seen, known, s.Clock.Now())
		return err
	})
	if err != nil {
		return fmt.Errorf("note login: %w", err)
	}
	if queued {
		s.notify()
	}
	return nil
}

// noteLogin records the device or browser of a full login of c in tx (under c's row lock) and, unless it is
// registered (known) or was seen before, queues the alert. It reports whether a message was queued.
func (s *Service) noteLogin(ctx context.Context, tx *db.Tx, c customer.Customer, seen Seen, registered bool, now time.Time) (bool, error) {
	seenBefore := false
	if seen.DeviceID != "" && len(seen.DeviceID) <= auth.MaxDeviceID {
		hash := s.Auth.DeviceHash(seen.DeviceID)
		res, err := tx.Exec(ctx, `INSERT INTO login_devices (customer_id, device_hash, browser, first_login_at,
			last_login_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (customer_id, device_hash) DO NOTHING`,
			c.ID, hash, boolInt(seen.Browser), db.Micros(now), db.Micros(now))
		if err != nil {
			return false, err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			seenBefore = true
			if _, err := tx.Exec(ctx, "UPDATE login_devices SET last_login_at = ? WHERE customer_id = ? AND device_hash = ?",
				db.Micros(now), c.ID, hash); err != nil {
				return false, err
			}
		}
	}
	if registered || seenBefore || c.Mobile == "" {
		return false, nil
	}
	return true, outbox.Enqueue(ctx, tx, now, outbox.Message{Channel: outbox.ChannelSMS, Recipient: c.Mobile,
		Body: s.newDeviceText(c.Language, seen, now)})
}

// newDeviceText is the alert of a login from a new device or browser: when, from what (its user agent), and to
// change the password if it was not the customer. It carries nothing that reads as a one-time code.
func (s *Service) newDeviceText(lang i18n.Lang, seen Seen, now time.Time) string {
	what := text.Sanitize(seen.Agent, 60)
	if what == "" {
		what = "?"
	}
	key := TextNewDevice
	if seen.Browser {
		key = TextNewBrowser
	}
	return s.Auth.Texts.Message(lang, key, map[string]string{"at": i18n.FormatDateTime(now, lang), "agent": noCodes(what)})
}
