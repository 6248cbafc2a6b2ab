// Package outbox delivers the bank's SMS and email. A message is written to the outbox table in the same
// transaction as the change that causes it, so it exists if and only if that change committed; a Dispatcher on any
// instance later claims it with a lease, hands it to a Sender and records the outcome. Delivery is at least once
// across crashes (a dispatcher that dies between sending and recording leaves the lease to expire) and exactly once
// while a lease holds.
package outbox

import (
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"mime"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

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
	// Attachments are files sent with an email (a statement PDF). The sandbox inbox returns their names only.
	Attachments []Attachment
}

// Attachment is one file of an email.
type Attachment struct {
	Name        string // file name shown to the recipient, e.g. "pasqyra-….pdf"
	ContentType string // e.g. "application/pdf"
	Content     []byte
}

// MaxAttachmentBytes bounds the files of one message together: mail servers commonly refuse more than 10 MB,
// and base64 makes a file a third larger on the way.
const MaxAttachmentBytes = 7 << 20

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
	at := db.Micros(now)
	_, err := tx.Exec(ctx, `INSERT INTO outbox
		(id, channel, recipient, subject, body, status, attempts, next_attempt_at, lease_until, created_at, attachments)
		VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, 0, ?, ?)`,
		m.ID, m.Channel, m.Recipient, m.Subject, m.Body, at, at, len(m.Attachments))
	if err != nil {
		if db.IsUniqueViolation(err) {
			return ErrDuplicate.With("outbox message %s already exists", m.ID)
		}
		return fmt.Errorf("outbox: enqueue: %w", err)
	}
	for i, a := range m.Attachments {
		if _, err := tx.Exec(ctx, `INSERT INTO outbox_attachments (message_id, ord, filename, content_type, content)
			VALUES (?, ?, ?, ?, ?)`, m.ID, i, a.Name, a.ContentType, base64.StdEncoding.EncodeToString(a.Content)); err != nil {
			return fmt.Errorf("outbox: enqueue attachment: %w", err)
		}
	}
	return nil
}

// Row is a message without attachments as the outbox row Enqueue writes, for a writer that stages its rows and
// writes them in its own transaction (a ledger batch, which posts money and queues its message in one commit).
// The row is due at once; the caller may Kick the dispatcher after the commit.
func Row(now time.Time, m Message) (table string, columns []string, values []any, err error) {
	if len(m.Attachments) > 0 {
		return "", nil, nil, kumbara.ErrValidationFailed.WithFields(kumbara.ErrInvalid.At("attachments"))
	}
	if err := validate(&m); err != nil {
		return "", nil, nil, err
	}
	if m.ID == "" {
		id, err := uuid.NewV7()
		if err != nil {
			return "", nil, nil, fmt.Errorf("outbox: new id: %w", err)
		}
		m.ID = id.String()
	}
	at := now.UTC().UnixMicro()
	return "outbox", []string{"id", "channel", "recipient", "subject", "body", "status", "attempts", "next_attempt_at",
			"lease_until", "created_at", "attachments"},
		[]any{m.ID, m.Channel, m.Recipient, m.Subject, m.Body, "pending", 0, at, int64(0), at, 0}, nil
}

// validate checks m and normalises the recipient, so that a typo in a caller fails its own transaction instead of
// turning into a message that can never be delivered.
func validate(m *Message) error {
	var fields []kumbara.FieldError
	if m.Channel != ChannelSMS && m.Channel != ChannelEmail {
		fields = append(fields, kumbara.ErrUnsupported.At("channel"))
	}
	m.Recipient = strings.TrimSpace(m.Recipient)
	if m.Recipient == "" {
		fields = append(fields, kumbara.ErrRequired.At("recipient"))
	}
	if strings.TrimSpace(m.Body) == "" {
		fields = append(fields, kumbara.ErrRequired.At("body"))
	}
	fields = append(fields, validateAttachments(m)...)
	if len(fields) > 0 {
		return kumbara.ErrValidationFailed.WithFields(fields...)
	}
	return nil
}

// validateAttachments allows files on email only, with names that are safe to show and to put in a MIME header
// (no control characters, no path), a content type, and a bounded total size.
func validateAttachments(m *Message) []kumbara.FieldError {
	if len(m.Attachments) == 0 {
		return nil
	}
	bad := []kumbara.FieldError{kumbara.ErrInvalid.At("attachments")}
	if m.Channel != ChannelEmail {
		return bad
	}
	total := 0
	for _, a := range m.Attachments {
		total += len(a.Content)
		if _, _, err := mime.ParseMediaType(a.ContentType); err != nil || !safeFileName(a.Name) || len(a.Content) == 0 {
			return bad
		}
	}
	if total > MaxAttachmentBytes {
		return []kumbara.FieldError{ErrTooLarge.At("attachments")}
	}
	return nil
}

// safeFileName accepts a plain file name: no path, no quotes or control characters that could break out of a MIME
// header or mislead the reader.
func safeFileName(s string) bool {
	if s == "" || len(s) > 200 || !utf8.ValidString(s) {
		return false
	}
	return !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) || strings.ContainsRune(`/\"`, r) })
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

// FirstFileSince is when the oldest message with files queued for recipient at or after since was queued, zero
// without one: the first to leave a window that starts at since, so when a limit counted over that window (with
// FilesSentSince) has a place again.
func FirstFileSince(ctx context.Context, tx *db.Tx, recipient string, since time.Time) (time.Time, error) {
	var first sql.NullInt64
	err := tx.QueryRow(ctx, `SELECT MIN(created_at) FROM outbox WHERE recipient = ? AND attachments > 0 AND created_at >= ?`,
		strings.TrimSpace(recipient), db.Micros(since)).Scan(&first)
	if err != nil {
		return time.Time{}, fmt.Errorf("outbox: first file sent: %w", err)
	}
	if !first.Valid {
		return time.Time{}, nil
	}
	return db.FromMicros(first.Int64), nil
}

// FilesSentSince counts the messages with files (statements and other documents) queued for recipient at or
// after since, in the caller's transaction, so a caller can bound how many documents one address receives. On
// SQLite the writer's transaction makes count-then-enqueue exact; on PostgreSQL two concurrent requests may both
// pass the last free place, which a limit of this kind tolerates.
func FilesSentSince(ctx context.Context, tx *db.Tx, recipient string, since time.Time) (int, error) {
	var n int
	err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM outbox WHERE recipient = ? AND attachments > 0 AND created_at >= ?`,
		strings.TrimSpace(recipient), db.Micros(since)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("outbox: count files sent: %w", err)
	}
	return n, nil
}
