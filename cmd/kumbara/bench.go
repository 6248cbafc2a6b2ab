package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	mrand "math/rand/v2"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/terms"
)

// benchConfig is `kumbara bench`'s command line.
type benchConfig struct {
	config
	url      string
	clients  int
	duration time.Duration
	warmup   time.Duration
	// compareAudit measures transfers with their audit entries and without, alternating, in one run (the server
	// must run with --bench-audit-switch).
	compareAudit bool
	// fx measures conversions between each client's ALL and EUR accounts (a quote, then its execution) and own
	// transfers between its two ALL accounts, alternating, in one run.
	fx bool
	// cards measures card authorisations through the card network sandbox (bench_cards.go), then a clearing file
	// of presentments.
	cards        bool
	presentments int
}

func parseBench(args []string, getenv func(string) string, stderr io.Writer) (*benchConfig, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c benchConfig
	c.register(fs, getenv)
	fs.StringVar(&c.url, "url", "http://127.0.0.1:8080", "the running server")
	fs.IntVar(&c.clients, "clients", 32, "concurrent clients, each a customer with its own session")
	fs.DurationVar(&c.duration, "duration", 30*time.Second, "how long to send transfers")
	fs.DurationVar(&c.warmup, "warmup", 2*time.Second, "transfers sent before measuring starts (not counted)")
	fs.BoolVar(&c.compareAudit, "compare-audit", false,
		"measure transfers with the audit log and without it in alternating slices of --duration (on, off, off, on, repeated every 20 s) "+
			"and print both and their ratio; the server must run with --bench-audit-switch")
	fs.BoolVar(&c.fx, "fx", false,
		"measure conversions between each client's ALL and EUR accounts (a quote, then its execution) and own transfers "+
			"between its ALL accounts in alternating slices of --duration (fx, own, own, fx, repeated every 20 s), and print "+
			"both, their ratio and the quotes' latency; publishes an EUR rate when none is current")
	fs.BoolVar(&c.cards, "cards", false,
		"measure card authorisations: each client a terminal with its own card, through the card network sandbox "+
			"(the server must run with --demo), then a clearing file of --presentments posted by the issuer")
	fs.IntVar(&c.presentments, "presentments", 100_000, "with --cards: the clearing file's presentments (0: none)")
	if err := parse(fs, args); err != nil {
		return nil, err
	}
	if c.clients < 2 {
		return nil, usageError{errors.New("--clients must be at least 2")}
	}
	if c.fx && c.compareAudit {
		return nil, usageError{errors.New("--fx and --compare-audit are two runs: choose one")}
	}
	if c.cards && (c.fx || c.compareAudit) {
		return nil, usageError{errors.New("--cards is a run of its own")}
	}
	return &c, nil
}

// benchClient is one customer the bench drives, with its session.
type benchClient struct {
	cust     customer.Customer
	accounts []ledger.Account // two in ALL
	euro     ledger.Account   // in EUR, with --fx only
	token    string
	// hc sends the client's requests from an address of its own (forwardedFor).
	hc *http.Client
}

// forwardedFor names the client address of every request it sends in X-Forwarded-For. The bank throttles an
// address that logs in to many customers at once (auth.Throttle), as a password spray would; a bench's clients are
// different people, so each comes from its own address of the benchmarking range 198.18.0.0/15 (RFC 2544). The
// server honours the header only from a trusted proxy (`serve --trusted-proxies`, as scripts/bench.sh starts it).
type forwardedFor struct {
	next http.RoundTripper
	addr string
}

func (f forwardedFor) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set("X-Forwarded-For", f.addr)
	return f.next.RoundTrip(req)
}

// benchAddress is the i-th client's address in 198.18.0.0/15.
func benchAddress(i int) string {
	return fmt.Sprintf("198.%d.%d.%d", 18+i>>16&1, i>>8&0xff, i&0xff)
}

// benchRun is one run of the bench against a server on the bank's database.
type benchRun struct {
	b       *app.Bank
	hc      *http.Client
	base    string
	clients []*benchClient
}

// bench is the load driver: it creates its own customers in the server's database as staff would, logs each in
// over HTTP (reading the SMS code from the sandbox inbox), then has every client make internal transfers over
// HTTP for the duration and prints one line of throughput and latency percentiles. With --fx it measures
// conversions against own transfers instead (compareFX).
func bench(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, err := parseBench(args, getenv, stderr)
	if err != nil {
		return err
	}
	b, err := openBank(ctx, &c.config, clock.Real{}, nil)
	if err != nil {
		return err
	}
	defer b.Close()
	r := &benchRun{b: b, base: strings.TrimRight(c.url, "/"), hc: &http.Client{Timeout: 30 * time.Second,
		Transport: &http.Transport{MaxIdleConns: c.clients * 2, MaxIdleConnsPerHost: c.clients * 2, IdleConnTimeout: time.Minute}}}
	if c.fx {
		return r.compareFX(ctx, c.clients, c.warmup, c.duration, stdout, stderr)
	}
	if c.cards {
		return r.benchCards(ctx, c.clients, c.warmup, c.duration, c.presentments, stdout, stderr)
	}
	if err := r.prepare(ctx, c.clients, stderr); err != nil {
		return err
	}
	// Each client pays a ring of its next benchPayees clients, whom prepare had it trust.
	payees := min(benchPayees, len(r.clients)-1)
	fmt.Fprintf(stderr, "bench: %d clients sending transfers for %s (after %s warm-up)\n", c.clients, c.duration, c.warmup)
	if c.compareAudit {
		return r.compareAudit(ctx, payees, c.warmup, c.duration, stdout, stderr)
	}
	st := r.measure(ctx, c.warmup, c.duration, r.payments(payees, false))
	if st.start.IsZero() || st.elapsed <= 0 {
		return errors.New("bench: nothing was measured")
	}
	if st.firstErr != "" {
		fmt.Fprintf(stderr, "bench: first error: %s\n", st.firstErr)
	}
	fmt.Fprintln(stdout, st.line())
	return nil
}

// line is the stats' one line of throughput and latency percentiles.
func (st *benchStats) line() string { return st.lineOf("transfers") }

// lineOf is line counting what was measured as what.
func (st *benchStats) lineOf(what string) string {
	slices.Sort(st.latencies)
	return fmt.Sprintf("%s_per_sec=%.0f p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f errors=%d", what, st.rate(),
		ms(percentile(st.latencies, 50)), ms(percentile(st.latencies, 95)), ms(percentile(st.latencies, 99)), st.failures)
}

func (st *benchStats) rate() float64 {
	if st.elapsed <= 0 {
		return 0
	}
	return float64(len(st.latencies)) / st.elapsed.Seconds()
}

// add merges another measured phase into st.
func (st *benchStats) add(o *benchStats) {
	st.latencies = append(st.latencies, o.latencies...)
	st.quotes = append(st.quotes, o.quotes...)
	st.failures += o.failures
	st.elapsed += o.elapsed
	if st.firstErr == "" {
		st.firstErr = o.firstErr
	}
}

// compareAudit measures transfers with their audit entries and without, in slices of about five seconds ordered
// on, off, off, on, repeated over duration, so that a drift over the run (a growing database, a warming cache) and
// the machine's other load weigh on both alike, and prints each mode's line and the ratio of their throughputs.
// It reads the audit head around the slices without the audit: if it moved as much as the transfers made, the
// server ignored the switch.
func (r *benchRun) compareAudit(ctx context.Context, payees int, warmup, duration time.Duration, stdout, stderr io.Writer) error {
	on, off := &benchStats{}, &benchStats{}
	ignored := false
	rounds := max(1, int(duration/(20*time.Second)))
	var order []bool
	for range rounds {
		order = append(order, false, true, true, false)
	}
	slice := duration / time.Duration(len(order))
	for i, noAudit := range order {
		if i > 0 {
			warmup = 0
		}
		before, err := audit.CurrentHead(ctx, r.b.DB)
		if err != nil {
			return err
		}
		st := r.measure(ctx, warmup, slice, r.payments(payees, noAudit))
		if !noAudit {
			on.add(st)
			continue
		}
		off.add(st)
		after, err := audit.CurrentHead(ctx, r.b.DB)
		if err != nil {
			return err
		}
		ignored = ignored || (len(st.latencies) > 0 && after.Seq-before.Seq >= int64(len(st.latencies)))
	}
	if on.elapsed <= 0 || off.elapsed <= 0 {
		return errors.New("bench: nothing was measured")
	}
	for _, st := range []*benchStats{on, off} {
		if st.firstErr != "" {
			fmt.Fprintf(stderr, "bench: first error: %s\n", st.firstErr)
		}
	}
	if ignored {
		fmt.Fprintln(stderr, "bench: the server audited the transfers sent without the audit: start it with --bench-audit-switch")
	}
	fmt.Fprintln(stdout, "audit=on  "+on.line())
	fmt.Fprintln(stdout, "audit=off "+off.line())
	fmt.Fprintf(stdout, "audit_on_vs_off=%.2f\n", on.rate()/off.rate())
	return nil
}

// prepare creates the clients, logs each in and has each trust its payees.
func (r *benchRun) prepare(ctx context.Context, clients int, stderr io.Writer) error {
	if err := r.login(ctx, clients, false, stderr); err != nil {
		return err
	}
	// A client trusts a payee the way a customer does: by confirming one payment to each of its accounts with the
	// SMS code and asking to trust the payee. Payments to trusted beneficiaries need no confirmation (RTS Art. 13),
	// so what follows measures the payments themselves.
	payees := min(benchPayees, len(r.clients)-1)
	fmt.Fprintf(stderr, "bench: each client trusts %d payees (%d confirmed payments)\n", payees, payees*2*len(r.clients))
	err := r.each(func(i int, bc *benchClient) error {
		for k := 1; k <= payees; k++ {
			for _, a := range r.clients[(i+k)%len(r.clients)].accounts {
				if err := benchTrust(ctx, bc.hc, r.base, r.b, bc.cust, bc.token, bc.accounts[0].ID, a.IBAN); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("trust payees: %w", err)
	}
	return nil
}

// login creates the clients (each also with a euro account when euro) and logs each in.
func (r *benchRun) login(ctx context.Context, clients int, euro bool, stderr io.Writer) error {
	fmt.Fprintf(stderr, "bench: creating %d customers in %s\n", clients, r.b.DB.Engine)
	for i := range clients {
		cu, accs, err := benchCustomer(ctx, r.b, euro)
		if err != nil {
			return fmt.Errorf("create bench customer: %w", err)
		}
		hc := &http.Client{Timeout: r.hc.Timeout, Transport: forwardedFor{next: r.hc.Transport, addr: benchAddress(i + 1)}}
		bc := &benchClient{cust: cu, accounts: accs[:2], hc: hc}
		if euro {
			bc.euro = accs[2]
		}
		r.clients = append(r.clients, bc)
	}
	fmt.Fprintf(stderr, "bench: logging in %d clients over HTTP\n", clients)
	err := r.each(func(_ int, bc *benchClient) (err error) {
		bc.token, err = benchLogin(ctx, bc.hc, r.base, r.b, bc.cust)
		return err
	})
	if err != nil {
		return fmt.Errorf("login: %w", err)
	}
	return nil
}

// each runs f for every client at once and returns the first error.
func (r *benchRun) each(f func(i int, bc *benchClient) error) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(r.clients))
	for i, bc := range r.clients {
		wg.Go(func() {
			if err := f(i, bc); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// benchStats is what a measured run saw.
type benchStats struct {
	mu        sync.Mutex
	latencies []time.Duration // of the transfers (or conversions) that succeeded while measuring
	quotes    []time.Duration // of those conversions' quotes
	failures  int
	firstErr  string
	start     time.Time // of the first measured request
	elapsed   time.Duration
}

// benchOp is what a client does, the n-th time: why it failed ("" if it went through) and, for a conversion, how
// long its quote took.
type benchOp func(ctx context.Context, i int, bc *benchClient, n int, rnd *mrand.Rand) (failure string, quote time.Duration)

// payments is sending a transfer to one of the client's payees (the next payees clients). With noAudit every
// transfer asks the server to post it without its audit entry (benchAuditHeader).
func (r *benchRun) payments(payees int, noAudit bool) benchOp {
	return func(ctx context.Context, i int, bc *benchClient, n int, rnd *mrand.Rand) (string, time.Duration) {
		to := r.clients[(i+1+rnd.IntN(payees))%len(r.clients)]
		return r.transfer(ctx, bc, to.accounts[rnd.IntN(2)].IBAN, n, noAudit), 0
	}
}

// measure has every client do op over and over for warmup+duration and keeps what happened after the warm-up.
func (r *benchRun) measure(ctx context.Context, warmup, duration time.Duration, op benchOp) *benchStats {
	st := &benchStats{}
	runCtx, cancel := context.WithTimeout(ctx, warmup+duration)
	defer cancel()
	var measuring atomic.Bool
	if warmup > 0 {
		time.AfterFunc(warmup, func() { measuring.Store(true) })
	} else {
		measuring.Store(true)
	}
	_ = r.each(func(i int, bc *benchClient) error {
		rnd := mrand.New(mrand.NewPCG(uint64(i), uint64(time.Now().UnixNano())))
		for n := 0; runCtx.Err() == nil; n++ {
			t0 := time.Now()
			failure, quote := op(runCtx, i, bc, n, rnd)
			if runCtx.Err() != nil {
				break
			}
			st.record(t0, time.Since(t0), quote, failure, measuring.Load())
		}
		return nil
	})
	if !st.start.IsZero() {
		st.elapsed = time.Since(st.start)
	}
	return st
}

// record counts one transfer or conversion: its latency and its quote's (0 for none), or its failure ("" for
// none), once measuring.
func (st *benchStats) record(t0 time.Time, took, quote time.Duration, failure string, measuring bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if failure != "" && st.firstErr == "" {
		st.firstErr = failure
	}
	if !measuring {
		return
	}
	if st.start.IsZero() {
		st.start = t0
	}
	if failure != "" {
		st.failures++
		return
	}
	st.latencies = append(st.latencies, took)
	if quote > 0 {
		st.quotes = append(st.quotes, quote)
	}
}

// transfer sends the n-th transfer of bc, 1.00 ALL to toIBAN, and says why it failed ("" if it went through).
func (r *benchRun) transfer(ctx context.Context, bc *benchClient, toIBAN string, n int, noAudit bool) string {
	body, _ := json.Marshal(map[string]string{"type": "internal", "from_account_id": bc.accounts[n%2].ID,
		"to_iban": toIBAN, "amount": "1.00", "currency": "ALL", "description": "Bench " + fmt.Sprint(n)})
	req, _ := http.NewRequestWithContext(ctx, "POST", r.base+"/api/v1/transfers", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+bc.token)
	req.Header.Set("Idempotency-Key", randomKey())
	if noAudit {
		req.Header.Set(benchAuditHeader, "off")
	}
	resp, err := bc.hc.Do(req)
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Sprintf("HTTP %d: %s", resp.StatusCode, msg)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return ""
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[min(max(i-1, 0), len(sorted)-1)]
}

func randomKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%x", b)
}

// benchPassword satisfies the bank's password rules.
const benchPassword = "Ngarkese2026"

// benchCustomer creates a customer with two ALL accounts of 100,000,000.00 ALL each and, when euro, a third in EUR
// of 1,000,000.00 EUR.
func benchCustomer(ctx context.Context, b *app.Bank, euro bool) (customer.Customer, []ledger.Account, error) {
	cu, err := benchHolder(ctx, b)
	if err != nil {
		return cu, nil, err
	}
	if err := b.Auth.SetPassword(ctx, cu.ID, benchPassword, false); err != nil {
		return cu, nil, err
	}
	// Like any customer, a bench client accepts the current terms before banking over the API (P1).
	if err := b.Terms.Accept(ctx, cu.ID, terms.Current, b.Clock.Now()); err != nil {
		return cu, nil, err
	}
	funds := []money.Amount{money.New(100_000_000_00, money.ALL), money.New(100_000_000_00, money.ALL)}
	if euro {
		funds = append(funds, money.New(1_000_000_00, money.EUR))
	}
	var accs []ledger.Account
	for _, f := range funds {
		a, err := b.Customers.OpenAccount(ctx, cu.ID, f.Currency, ledger.TypeCurrent, "Bench")
		if err != nil {
			return cu, nil, err
		}
		if _, err := b.Ledger.CashDeposit(ctx, a.ID, f, "bench"); err != nil {
			return cu, nil, err
		}
		accs = append(accs, a)
	}
	return cu, accs, nil
}

// benchHolder is a new individual customer with a drawn national ID and mobile number.
func benchHolder(ctx context.Context, b *app.Bank) (customer.Customer, error) {
	for attempt := 0; attempt < 10; attempt++ {
		n, _ := rand.Int(rand.Reader, big.NewInt(1e7))
		birth := time.Date(1950+int(n.Int64()%50), time.Month(1+n.Int64()%12), 1+int(n.Int64()%28), 0, 0, 0, 0, time.UTC)
		serial := int(n.Int64() / 100 % 1000)
		cu, err := b.Customers.CreateIndividual(ctx, customer.NewIndividual{
			NationalID: kyc.NewNationalID(birth, n.Int64()%2 == 0, serial).String(),
			FirstName:  "Klient", LastName: fmt.Sprintf("Provë %d", n.Int64()), BirthDate: birth,
			Mobile: fmt.Sprintf("+35569%07d", n.Int64()), ContractVersion: "002", Branch: "bench"})
		if err == nil {
			return cu, nil
		}
		// a drawn national ID or phone taken: draw again
	}
	return customer.Customer{}, errors.New("could not draw a free national ID")
}

var otpPattern = regexp.MustCompile(`\b(\d{6})\b`)

// benchPayees is how many other clients each client pays. Trusting a payee takes a confirmed payment per account,
// and confirmations from one address are rate-limited (a burst of 100), so the bench stays within that: each
// client pays the two accounts of the next client, and every account still both pays and is paid.
const benchPayees = 1

var paymentCodePattern = regexp.MustCompile(`kodi (\d{6}) konfirmon`)

// benchTrust confirms one payment (51 EUR's worth, so it needs confirmation) to toIBAN with the SMS code and
// trusts the payee.
func benchTrust(ctx context.Context, hc *http.Client, base string, b *app.Bank, cu customer.Customer, token, fromID, toIBAN string) error {
	var tr struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	}
	body := map[string]any{"type": "internal", "from_account_id": fromID, "to_iban": toIBAN, "amount": "5000.00",
		"currency": "ALL", "description": "Bench trust", "trust_payee": true}
	if err := callJSON(ctx, hc, "POST", base+"/api/v1/transfers", token, randomKey(), body, http.StatusAccepted, &tr); err != nil {
		return err
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		msgs, err := b.Sandbox.InboxFor(ctx, cu.Mobile, 1)
		if err != nil {
			return err
		}
		if len(msgs) > 0 && strings.Contains(msgs[0].Body, toIBAN) {
			if m := paymentCodePattern.FindStringSubmatch(msgs[0].Body); m != nil {
				return callJSON(ctx, hc, "POST", base+"/api/v1/transfers/"+tr.ID+"/confirm", token, "",
					map[string]any{"method": "sms", "code": m[1]}, http.StatusOK, &tr)
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return errors.New("no payment code arrived in the sandbox inbox")
}

// callJSON makes an API call (authenticated when token is set) and decodes the answer, which must have the status
// want. The setup runs 32 logins at once against a server that may answer 503 with Retry-After while its database
// is busy (outcome_unknown, unavailable): such an answer is repeated, with the same idempotency key, after the time
// the server asks for, a few times.
func callJSON(ctx context.Context, hc *http.Client, method, url, token, key string, in any, want int, out any) error {
	body, _ := json.Marshal(in)
	for attempt := 1; ; attempt++ {
		req, _ := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		wait, retry := retryAfter(resp, attempt)
		if retry {
			resp.Body.Close()
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(wait):
			}
			continue
		}
		defer resp.Body.Close()
		if resp.StatusCode != want {
			msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
			return fmt.Errorf("%s %s: HTTP %d: %s", method, url, resp.StatusCode, msg)
		}
		return json.NewDecoder(resp.Body).Decode(out)
	}
}

// retryAfter says whether a setup call answered resp is repeated, and after how long: a 503 is, up to five tries,
// after its Retry-After (one second when absent or unreadable, at most ten).
func retryAfter(resp *http.Response, attempt int) (time.Duration, bool) {
	if resp.StatusCode != http.StatusServiceUnavailable || attempt >= 5 {
		return 0, false
	}
	secs, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if err != nil || secs < 1 {
		secs = 1
	}
	return time.Duration(min(secs, 10)) * time.Second, true
}

func benchLogin(ctx context.Context, hc *http.Client, base string, b *app.Bank, cu customer.Customer) (string, error) {
	var ch struct {
		ChallengeID string `json:"challenge_id"`
	}
	if err := postJSON(ctx, hc, base+"/api/v1/auth/login", map[string]string{"username": cu.ClientNumber,
		"password": benchPassword}, &ch); err != nil {
		return "", err
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		msgs, err := b.Sandbox.InboxFor(ctx, cu.Mobile, 1)
		if err != nil {
			return "", err
		}
		if len(msgs) > 0 {
			if m := otpPattern.FindStringSubmatch(msgs[0].Body); m != nil {
				var tok struct {
					AccessToken string `json:"access_token"`
				}
				if err := postJSON(ctx, hc, base+"/api/v1/auth/login/otp", map[string]string{
					"challenge_id": ch.ChallengeID, "otp": m[1]}, &tok); err != nil {
					return "", err
				}
				return tok.AccessToken, nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return "", errors.New("no SMS code arrived in the sandbox inbox (is the server using this database?)")
}

func postJSON(ctx context.Context, hc *http.Client, url string, in, out any) error {
	return callJSON(ctx, hc, "POST", url, "", "", in, http.StatusOK, out)
}
