// Package outbox delivers the bank's SMS and email. A message is written to the outbox table in the same
// transaction as the change that causes it, so it exists if and only if that change committed; a Dispatcher on any
// instance later claims it with a lease, hands it to a Sender and records the outcome. Delivery is at least once
// across crashes (a dispatcher that dies between sending and recording leaves the lease to expire) and exactly once
// while a lease holds.
package outbox

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
)

// Channels a message can go out on.
const (
	ChannelSMS   = "sms"
	ChannelEmail = "email"
)

// Message is one SMS or email. Body may carry a one-time code: it is never logged, and it is wiped from the outbox
// once delivered.
type Message struct {
	ID        string
	Channel   string // ChannelSMS or ChannelEmail
	Recipient string // E.164 phone number or email address
	Subject   string // email only; empty for SMS
	Body      string
	CreatedAt time.Time
}

// Enqueue writes m as a pending message in the caller's transaction, due at once. An empty ID gets a new UUIDv7; a
// caller that needs the id (to show "code sent", say) sets it beforehand. After the transaction commits the caller
// may Kick the dispatcher so the message leaves within milliseconds rather than at the next poll.
func Enqueue(ctx context.Context, tx *db.Tx, now time.Time, m Message) error {
	if err := validate(&m); err != nil {
		return err
	}
	if m.ID == "" {
		id, err := uuid.NewV7()
		if err != nil {
			return fmt.Errorf("outbox: new id: %w", err)
		}
		m.ID = id.String()
	}
	at := now.UTC().UnixMicro()
	_, err := tx.Exec(ctx, `INSERT INTO outbox
		(id, channel, recipient, subject, body, status, attempts, next_attempt_at, lease_until, created_at)
		VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, 0, ?)`,
		m.ID, m.Channel, m.Recipient, m.Subject, m.Body, at, at)
	if err != nil {
		if db.IsUniqueViolation(err) {
			return kumbara.Errorf(kumbara.KindConflict, "duplicate_message", "outbox message %s already exists", m.ID)
		}
		return fmt.Errorf("outbox: enqueue: %w", err)
	}
	return nil
}

// validate checks m and normalises the recipient, so that a typo in a caller fails its own transaction instead of
// turning into a message that can never be delivered.
func validate(m *Message) error {
	var fields []kumbara.FieldError
	if m.Channel != ChannelSMS && m.Channel != ChannelEmail {
		fields = append(fields, kumbara.FieldError{Field: "channel", Code: "unsupported"})
	}
	m.Recipient = strings.TrimSpace(m.Recipient)
	if m.Recipient == "" {
		fields = append(fields, kumbara.FieldError{Field: "recipient", Code: "required"})
	}
	if strings.TrimSpace(m.Body) == "" {
		fields = append(fields, kumbara.FieldError{Field: "body", Code: "required"})
	}
	if len(fields) > 0 {
		return kumbara.Invalid("validation_failed", fields...)
	}
	return nil
}

// MaskRecipient hides most of a phone number or email address so logs can tell messages apart without becoming a
// directory of customers' contact details.
func MaskRecipient(r string) string {
	if at := strings.LastIndexByte(r, '@'); at >= 0 {
		local, domain := r[:at], r[at+1:]
		if local == "" {
			return "***@" + domain
		}
		first := []rune(local)[0]
		return string(first) + "***@" + domain
	}
	rs := []rune(r)
	if len(rs) <= 6 {
		return "***"
	}
	return "***" + string(rs[len(rs)-3:])
}
