package finances_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/web/webtest"
)

// The speed requirement: "My finances" pages answer in well under 20 ms for a customer with 10 accounts and
// 100,000 postings. The pages are rendered by the real handler chain (request ids, logging, security headers,
// session check, templates) without a network or a browser, so the figure is the server's own cost.
const (
	finBenchAccounts = 10
	finBenchPostings = 100_000
	finBenchPerOp    = 5_000 // transfers per ledger transaction while seeding
)

// bench is a demo bank whose first customer has finBenchAccounts accounts and finBenchPostings postings.
type bench struct {
	handler  http.Handler
	cookie   *http.Cookie
	accounts []ledger.Account
}

// newBench builds the bank. It runs inside the benchmarks only, so a plain `go test` never pays for it; each
// benchmark builds its own (about a few seconds on SQLite) and b.Loop keeps it out of the timing.
func newBench(b *testing.B) *bench {
	b.Helper()
	start := time.Now()
	ctx := context.Background()
	bk := newBank(b)
	h, d, l, customers, clk, a, sandbox := bk.Handler, bk.DB, bk.Ledger, bk.Customers, bk.Clock, bk.Auth, bk.Inbox

	c, err := customers.ByClientNumber(ctx, "100000001")
	if err != nil {
		b.Fatal(err)
	}
	accounts, err := l.ListByCustomer(ctx, c.ID)
	if err != nil {
		b.Fatal(err)
	}
	for i := len(accounts); i < finBenchAccounts; i++ {
		if _, err := customers.OpenAccount(ctx, c.ID, money.ALL, ledger.TypeCurrent, fmt.Sprintf("Llogaria %d", i+1)); err != nil {
			b.Fatal(err)
		}
	}
	if accounts, err = l.ListByCustomer(ctx, c.ID); err != nil {
		b.Fatal(err)
	}
	var ring []ledger.Account // the accounts in ALL, which can pay each other
	for _, acc := range accounts {
		if acc.Currency == money.ALL {
			ring = append(ring, acc)
			if _, err := l.CashDeposit(ctx, acc.ID, money.New(100_000_000, money.ALL), "fillim"); err != nil {
				b.Fatal(err)
			}
		}
	}
	ids := make([]string, len(ring))
	for i, acc := range ring {
		ids[i] = acc.ID
	}
	// Round-robin transfers around the ring, thousands per transaction through the ledger's own batch: every
	// posting gets its seq, running balance and search text as in production, at bulk-insert speed.
	descriptions := []string{"Qira për muajin", "Pagesë fature energjie", "Kursim javor", "Bileta koncerti", "Darka"}
	for done := 0; done < finBenchPostings/2; done += finBenchPerOp {
		clk.Advance(time.Minute) // postings spread over time, as history and statements expect
		err := l.Run(ctx, ledger.Op{Accounts: ids, Run: func(bt *ledger.Batch) error {
			for i := range finBenchPerOp {
				n := done + i
				from, to := ring[n%len(ring)], ring[(n+1)%len(ring)]
				desc := fmt.Sprintf("%s %d", descriptions[n%len(descriptions)], n)
				if _, err := bt.Post(ledger.Entry{Kind: "transfer", Description: desc, Legs: []ledger.Leg{
					{AccountID: from.ID, Amount: -int64(100 + n%5000), Description: desc, CounterpartyIBAN: to.IBAN},
					{AccountID: to.ID, Amount: int64(100 + n%5000), Description: desc, CounterpartyIBAN: from.IBAN},
				}}); err != nil {
					return err
				}
			}
			return nil
		}})
		if err != nil {
			b.Fatal(err)
		}
	}

	// A session as the browser would have it: password, then the SMS code from the sandbox.
	ch, err := a.Login(ctx, "100000001", demo.Password)
	if err != nil {
		b.Fatal(err)
	}
	msgs, err := sandbox.InboxFor(ctx, c.Mobile, 1)
	if err != nil || len(msgs) == 0 {
		b.Fatalf("no code: %v", err)
	}
	token, _, err := a.VerifyOTP(ctx, ch.ID, webtest.CodeRe.FindString(msgs[0].Body))
	if err != nil {
		b.Fatal(err)
	}
	var postings int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM postings p JOIN accounts a ON a.id = p.account_id
		WHERE a.customer_id = ?`, c.ID).Scan(&postings); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d accounts and %d postings of one customer in %v", len(accounts), postings,
		time.Since(start).Round(time.Millisecond))
	return &bench{handler: h, cookie: &http.Cookie{Name: "kumbara_session", Value: token}, accounts: accounts}
}

// get renders one page through the handler and fails unless it is a 200 containing want.
func (f *bench) get(b *testing.B, path, want string) {
	req := httptest.NewRequest("GET", path, nil)
	req.AddCookie(f.cookie)
	req.Header.Set("Accept", "text/html")
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), want) {
		b.Fatalf("GET %s: %d\n%.500s", path, rec.Code, rec.Body.String())
	}
}

func BenchmarkSummaryPage(b *testing.B) {
	f := newBench(b)
	last := f.accounts[len(f.accounts)-1].ID
	for b.Loop() {
		f.get(b, "/summary", last)
	}
}

func BenchmarkHistoryPage(b *testing.B) {
	f := newBench(b)
	id := f.accounts[0].ID
	base := "/accounts/" + id + "/history"
	// The page after 8,000 lines: keyset pagination makes it cost what the first page costs.
	deep := base + "?" + url.Values{"cursor": {cursorAfter(b, f, base, 320)}}.Encode()
	cases := []struct{ name, path string }{
		{"first_page", base},
		{"page_321", deep},
		{"outgoing_over_20_ALL", base + "?direction=out&min_amount=20"},
		{"text_search", base + "?q=energjie"},
		// Nothing matches, so every line of the account is looked at: the text search's worst case.
		{"text_search_no_match", base + "?q=tetor"},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				f.get(b, c.path, `id="history-lines"`)
			}
		})
	}
}

// cursorAfter follows the "more" link n times and returns the cursor it ends on.
func cursorAfter(b *testing.B, f *bench, path string, n int) string {
	var cursor string
	for range n {
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(f.cookie)
		rec := httptest.NewRecorder()
		f.handler.ServeHTTP(rec, req)
		body := rec.Body.String()
		i := strings.Index(body, `hx-get="`)
		if rec.Code != http.StatusOK || i < 0 {
			b.Fatalf("GET %s: %d, no more link", path, rec.Code)
		}
		next := body[i+len(`hx-get="`):]
		next = strings.ReplaceAll(next[:strings.IndexByte(next, '"')], "&amp;", "&")
		u, err := url.Parse(next)
		if err != nil {
			b.Fatal(err)
		}
		path, cursor = next, u.Query().Get("cursor")
	}
	return cursor
}
