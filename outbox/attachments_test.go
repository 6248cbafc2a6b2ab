package outbox

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
)

// keeper is a Sender that keeps what it was given, then hands it on.
type keeper struct {
	next Sender
	mu   sync.Mutex
	got  []Message
}

func (k *keeper) Send(ctx context.Context, m Message) error {
	k.mu.Lock()
	k.got = append(k.got, m)
	k.mu.Unlock()
	return k.next.Send(ctx, m)
}

func statementEmail() Message {
	return Message{Channel: ChannelEmail, Recipient: "arben@example.al", Subject: "Pasqyra e llogarisë",
		Body: "Bashkëngjitur gjeni pasqyrën.", Attachments: []Attachment{
			{Name: "pasqyra-1-20261101-20261120.pdf", ContentType: "application/pdf", Content: []byte("%PDF-1.7\x00\xff binary")},
			{Name: "shënime.txt", ContentType: "text/plain; charset=utf-8", Content: []byte("ë ç")},
		}}
}

func TestAttachmentsReachTheSenderIntactAndLeaveTheOutboxOnceDelivered(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clk := clock.NewFake(start)
		sb := &Sandbox{DB: d, Clock: clk}
		k := &keeper{next: sb}
		want := statementEmail()
		id := enqueue(t, d, clk, want)
		// A one-time code in the same round carries no files and must not get the email's.
		sms := enqueue(t, d, clk, otp("+355691234567", "123456"))
		if n := count(t, d, "outbox_attachments"); n != 2 {
			t.Fatalf("outbox_attachments has %d rows before delivery, want 2", n)
		}

		if sent, err := (&Dispatcher{DB: d, Sender: k, Clock: clk}).RunOnce(ctx); err != nil || sent != 2 {
			t.Fatalf("RunOnce = %d, %v; want 2, nil", sent, err)
		}
		for _, m := range k.got {
			switch m.ID {
			case sms:
				if len(m.Attachments) != 0 {
					t.Errorf("the SMS was given %d files", len(m.Attachments))
				}
			case id:
				if len(m.Attachments) != len(want.Attachments) {
					t.Fatalf("the email came with %d files, want %d", len(m.Attachments), len(want.Attachments))
				}
				for i, a := range m.Attachments {
					w := want.Attachments[i]
					if a.Name != w.Name || a.ContentType != w.ContentType || !bytes.Equal(a.Content, w.Content) {
						t.Errorf("file %d = %q %q %q, want %q %q %q", i, a.Name, a.ContentType, a.Content, w.Name,
							w.ContentType, w.Content)
					}
				}
			}
		}
		if n := count(t, d, "outbox_attachments"); n != 0 {
			t.Fatalf("outbox_attachments keeps %d rows after delivery", n)
		}
		inbox, err := sb.InboxFor(ctx, want.Recipient, 10)
		if err != nil || len(inbox) != 1 {
			t.Fatalf("inbox = %v, %v", inbox, err)
		}
		var names []string
		for _, a := range inbox[0].Attachments {
			names = append(names, a.Name)
		}
		if got := strings.Join(names, "|"); got != "pasqyra-1-20261101-20261120.pdf|shënime.txt" {
			t.Fatalf("the sandbox mailbox lists files %q", got)
		}
	})
}

func TestEnqueueRejectsUnsafeAttachments(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		pdf := func(name, ct string, content []byte) Message {
			m := statementEmail()
			m.Attachments = []Attachment{{Name: name, ContentType: ct, Content: content}}
			return m
		}
		sms := otp("+355691234567", "123456")
		sms.Attachments = statementEmail().Attachments
		tests := []struct {
			name string
			m    Message
		}{
			{"a file on an SMS", sms},
			{"no name", pdf("", "application/pdf", []byte("x"))},
			{"a path", pdf("../../etc/passwd", "application/pdf", []byte("x"))},
			{"a quote that would end a MIME header", pdf(`a".pdf`, "application/pdf", []byte("x"))},
			{"a newline in the name", pdf("a\nb.pdf", "application/pdf", []byte("x"))},
			{"no content type", pdf("a.pdf", "", []byte("x"))},
			{"an empty file", pdf("a.pdf", "application/pdf", nil)},
			{"too large", pdf("a.pdf", "application/pdf", make([]byte, MaxAttachmentBytes+1))},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				err := d.InTx(context.Background(), func(tx *db.Tx) error {
					return Enqueue(context.Background(), tx, start, tc.m)
				})
				e, ok := kumbara.As(err)
				if !ok || e.Kind != kumbara.KindInvalid || len(e.Fields) != 1 || e.Fields[0].Field != "attachments" {
					t.Fatalf("err = %v, want a validation error of the attachments", err)
				}
			})
		}
		if n := count(t, d, "outbox") + count(t, d, "outbox_attachments"); n != 0 {
			t.Fatalf("%d rows left by rejected messages", n)
		}
	})
}

func TestFilesSentSinceCountsOnlyRecentMessagesWithFilesToTheAddress(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		clk := clock.NewFake(start)
		enqueue(t, d, clk, statementEmail()) // an hour and a bit before "now": not counted
		clk.Advance(time.Hour + time.Minute)
		enqueue(t, d, clk, statementEmail())
		enqueue(t, d, clk, statementEmail())
		other := statementEmail()
		other.Recipient = "someone.else@example.al"
		enqueue(t, d, clk, other)
		plain := statementEmail()
		plain.Attachments = nil
		enqueue(t, d, clk, plain)
		var n int
		err := d.InTx(context.Background(), func(tx *db.Tx) error {
			var err error
			n, err = FilesSentSince(context.Background(), tx, "arben@example.al", clk.Now().Add(-time.Hour))
			return err
		})
		if err != nil || n != 2 {
			t.Fatalf("FilesSentSince = %d, %v; want 2", n, err)
		}
	})
}
