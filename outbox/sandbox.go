package outbox

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
)

// Sender delivers one message to its recipient. Implementations are the sandbox inbox, SMTP and an SMS gateway.
// A returned error makes the dispatcher retry later, so Send must not report failure for a message it delivered.
// Error texts end up in logs: they must not quote the message body.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Sandbox is the default Sender: it "delivers" into the sandbox_inbox table, which stands for the demo bank's
// phones and mailboxes. It keeps bodies (one-time codes included) because that is what a phone would show.
type Sandbox struct {
	DB    *db.DB
	Clock clock.Clock
}

// Send stores m in the sandbox inbox, stamped with the delivery time. The inbox row takes the outbox id, so a
// message sent again after a lease expired (a dispatcher that died before recording success) shows up only once.
func (s *Sandbox) Send(ctx context.Context, m Message) error {
	if err := validate(&m); err != nil {
		return err
	}
	if m.ID == "" {
		id, err := uuid.NewV7()
		if err != nil {
			return fmt.Errorf("sandbox: new id: %w", err)
		}
		m.ID = id.String()
	}
	// A mailbox keeps the files; the sandbox keeps their names, which is what the demo inbox shows. validate
	// refused names with control characters, so a newline separates them unambiguously.
	names := make([]string, len(m.Attachments))
	for i, a := range m.Attachments {
		names[i] = a.Name
	}
	_, err := s.DB.Exec(ctx, `INSERT INTO sandbox_inbox (id, channel, recipient, subject, body, created_at, attachments)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, m.ID, m.Channel, m.Recipient, m.Subject, m.Body, db.Micros(s.now()),
		strings.Join(names, "\n"))
	if err != nil && !db.IsUniqueViolation(err) {
		return fmt.Errorf("sandbox: deliver %s: %w", m.ID, err)
	}
	return nil
}

// Inbox returns the latest delivered messages, newest first, with the names (not the contents) of their files. A limit outside 1…1000 means 100.
func (s *Sandbox) Inbox(ctx context.Context, limit int) ([]Message, error) {
	return s.list(ctx, `SELECT id, channel, recipient, subject, body, created_at, attachments FROM sandbox_inbox
		ORDER BY created_at DESC, id DESC LIMIT ?`, clampLimit(limit))
}

// InboxFor returns the latest messages delivered to one phone number or email address, newest first.
func (s *Sandbox) InboxFor(ctx context.Context, recipient string, limit int) ([]Message, error) {
	return s.list(ctx, `SELECT id, channel, recipient, subject, body, created_at, attachments FROM sandbox_inbox
		WHERE recipient = ? ORDER BY created_at DESC, id DESC LIMIT ?`, recipient, clampLimit(limit))
}

func (s *Sandbox) list(ctx context.Context, q string, args ...any) ([]Message, error) {
	rows, err := s.DB.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sandbox inbox: %w", err)
	}
	out, err := db.Collect(rows, func(r db.Scanner) (Message, error) {
		var m Message
		var created int64
		var files string
		if err := r.Scan(&m.ID, &m.Channel, &m.Recipient, &m.Subject, &m.Body, &created, &files); err != nil {
			return m, err
		}
		if files != "" {
			for _, name := range strings.Split(files, "\n") {
				m.Attachments = append(m.Attachments, Attachment{Name: name})
			}
		}
		m.CreatedAt = db.FromMicros(created)
		return m, nil
	})
	if err != nil {
		return nil, fmt.Errorf("sandbox inbox: %w", err)
	}
	return out, nil
}

func (s *Sandbox) now() time.Time {
	if s.Clock == nil {
		return time.Now().UTC()
	}
	return s.Clock.Now()
}

func clampLimit(n int) int {
	if n < 1 || n > 1000 {
		return 100
	}
	return n
}
