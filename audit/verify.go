package audit

import (
	"context"
	"fmt"

	"github.com/kumbara/kumbara/db"
)

// Broken says where the chain first fails and why.
type Broken struct {
	Seq    int64 // the first entry that does not hold (or the sequence number missing there)
	Reason string
}

func (b *Broken) Error() string { return fmt.Sprintf("audit entry %d: %s", b.Seq, b.Reason) }

// Verify recomputes the whole chain in sequence order and returns the head it ends at. A deleted, edited or
// reordered row, a head row that disagrees with the last entry, or a chain that does not contain a head published
// earlier (published.Seq > 0: its tail was cut, or rewritten) is a *Broken naming the first bad entry.
//
// The head row is read first and the chain checked up to it: entries appended while Verify reads belong to the
// next check, not to this one's idea of the end.
func Verify(ctx context.Context, d *db.DB, published Head) (Head, error) {
	stored, err := CurrentHead(ctx, d)
	if err != nil {
		return Head{}, err
	}
	rows, err := d.Query(ctx, `SELECT `+selectColumns+` FROM audit_log WHERE seq <= ? ORDER BY seq`, stored.Seq)
	if err != nil {
		return Head{}, fmt.Errorf("audit: read log: %w", err)
	}
	defer rows.Close()
	head := Head{Hash: Genesis}
	matched := published.Seq == 0
	for rows.Next() {
		e, err := scan(rows)
		if err != nil {
			return head, fmt.Errorf("audit: read log: %w", err)
		}
		if e.Seq <= head.Seq {
			return head, &Broken{Seq: e.Seq, Reason: "appears twice"}
		}
		if e.Seq != head.Seq+1 {
			return head, &Broken{Seq: head.Seq + 1, Reason: fmt.Sprintf("missing (the next entry is %d)", e.Seq)}
		}
		// A row edited, or moved to another place in the chain, no longer hashes to its hash from its
		// predecessor's.
		want, err := hashOf(head.Hash, e)
		if err != nil || want != e.Hash {
			return head, &Broken{Seq: e.Seq, Reason: "its content does not match its hash"}
		}
		head = Head{Seq: e.Seq, Hash: e.Hash}
		if e.Seq == published.Seq {
			if e.Hash != published.Hash {
				return head, &Broken{Seq: e.Seq, Reason: "differs from the published head " + published.String()}
			}
			matched = true
		}
	}
	if err := rows.Err(); err != nil {
		return head, fmt.Errorf("audit: read log: %w", err)
	}
	if !matched {
		return head, &Broken{Seq: head.Seq + 1, Reason: fmt.Sprintf("missing: the log ends at %d, before the published head %s",
			head.Seq, published)}
	}
	if stored != head {
		return head, &Broken{Seq: head.Seq + 1, Reason: fmt.Sprintf("missing: the log ends at %s but its head row says %s",
			head, stored)}
	}
	return head, nil
}
