package payment_test

import (
	"context"
	"testing"

	"github.com/kumbara/kumbara/clearinghouse"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/iso20022/isotest"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/payment"
	"github.com/kumbara/kumbara/sca"
)

// device accepts every trusted-device proof: the device's own checks are package device's tests.
type device struct{}

func (device) VerifySignature(context.Context, string, string, []byte, []byte) error { return nil }
func (device) VerifySoftPINResponse(context.Context, string, string, string, string) error {
	return nil
}

// TestEveryMessageIsSchemaValid sends a payment by every scheme, receives a payment for an account the bank does
// not have, and checks every message written — the bank's pacs.008s and pacs.004, the clearing house's pacs.002s
// — against its ISO 20022 schema with xmllint.
func TestEveryMessageIsSchemaValid(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.svc.SCA.Devices = device{}
		c := f.person(t, "Elona", "Dushku")
		all := f.account(t, c.ID, money.ALL, 5_000_000_00)
		eur := f.account(t, c.ID, money.EUR, 100_000_00)
		sepa := domestic(eur.ID, "DE89370400440532013000", "250.50")
		sepa.Type, sepa.Currency = payment.SEPA, "EUR"
		sepa.Beneficiary.Address = payment.Address{Street: "Friedrichstraße 12", City: "Berlin", PostalCode: "10117", Country: "DE"}
		sepaInst := sepa
		sepaInst.Instant = true
		urgent := domestic(all.ID, otherBank, "2000000")
		instant := domestic(all.ID, credins, "1500")
		instant.Instant = true
		for _, r := range []payment.Request{domestic(all.ID, credins, "12500.75"), urgent, instant, sepa, sepaInst} {
			f.pay(t, c.ID, r)
		}
		p, _, err := f.svc.Create(f.ctx, c.ID, key(), international(eur.ID))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Confirm(f.ctx, c.ID, p.ID, sca.Proof{Method: sca.MethodDevice, DeviceID: "d1",
			Signature: []byte{1}}); err != nil {
			t.Fatalf("Confirm with a device: %v", err)
		}
		if _, err := f.svc.RunSession(f.ctx); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Dispatch(f.ctx); err != nil {
			t.Fatal(err)
		}
		unknown, _ := iban.NewAlbanian(bank.Code, bank.Branch, "0000000099999999")
		if _, err := f.ch.Inject(f.ctx, clearinghouse.Inbound{IBAN: unknown, Amount: money.New(100_00, money.ALL),
			Name: "Alba Trade"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.ch.Work(f.ctx); err != nil {
			t.Fatal(err)
		}
		rows, err := d.Query(f.ctx, "SELECT direction, name, scheme, document FROM clearing_messages ORDER BY created_at")
		if err != nil {
			t.Fatal(err)
		}
		type msg struct{ dir, name, scheme, doc string }
		msgs, err := db.Collect(rows, func(r db.Scanner) (msg, error) {
			var m msg
			return m, r.Scan(&m.dir, &m.name, &m.scheme, &m.doc)
		})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, m := range msgs {
			isotest.Validate(t, m.name+".xsd", []byte(m.doc))
			seen[m.dir+" "+m.name+" "+m.scheme] = true
		}
		for _, s := range payment.Schemes() {
			if !seen["out pacs.008.001.08 "+s] {
				t.Errorf("no pacs.008 sent by %s (messages: %v)", s, seen)
			}
		}
		if !seen["out pacs.004.001.09 aech"] || !seen["in pacs.002.001.10 "] {
			t.Errorf("the return or the status reports are missing: %v", seen)
		}
	})
}
