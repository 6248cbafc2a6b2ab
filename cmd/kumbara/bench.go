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
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/terms"
)

// bench is the load driver: it creates its own customers in the server's database as staff would, logs each in
// over HTTP (reading the SMS code from the sandbox inbox), then has every client make internal transfers over
// HTTP for the duration and prints one line of throughput and latency percentiles.
func bench(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	c.register(fs, getenv)
	url := fs.String("url", "http://127.0.0.1:8080", "the running server")
	clients := fs.Int("clients", 32, "concurrent clients, each a customer with its own session")
	duration := fs.Duration("duration", 30*time.Second, "how long to send transfers")
	warmup := fs.Duration("warmup", 2*time.Second, "transfers sent before measuring starts (not counted)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *clients < 2 {
		return usageError{errors.New("--clients must be at least 2")}
	}
	b, err := openBank(ctx, &c, clock.Real{})
	if err != nil {
		return err
	}
	defer b.db.Close()
	base := strings.TrimRight(*url, "/")
	hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConns: *clients * 2,
		MaxIdleConnsPerHost: *clients * 2, IdleConnTimeout: time.Minute}}

	fmt.Fprintf(stderr, "bench: creating %d customers in %s\n", *clients, b.db.Engine)
	type benchClient struct {
		cust     customer.Customer
		accounts []ledger.Account
		token    string
	}
	cs := make([]*benchClient, *clients)
	for i := range cs {
		cu, accs, err := benchCustomer(ctx, b)
		if err != nil {
			return fmt.Errorf("create bench customer: %w", err)
		}
		cs[i] = &benchClient{cust: cu, accounts: accs}
	}
	fmt.Fprintf(stderr, "bench: logging in %d clients over HTTP\n", *clients)
	var wg sync.WaitGroup
	errs := make(chan error, len(cs))
	for _, bc := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, err := benchLogin(ctx, hc, base, b, bc.cust)
			if err != nil {
				errs <- err
				return
			}
			bc.token = tok
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return fmt.Errorf("login: %w", err)
	}

	// Each client pays a ring of its next benchPayees clients, whom it first trusts the way a customer does: by
	// confirming one payment to each with the SMS code and asking to trust the payee. Payments to trusted
	// beneficiaries need no confirmation (RTS Art. 13), so what follows measures the payments themselves.
	payees := min(benchPayees, len(cs)-1)
	fmt.Fprintf(stderr, "bench: each client trusts %d payees (%d confirmed payments)\n", payees, payees*2*len(cs))
	errs = make(chan error, len(cs))
	for i, bc := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 1; k <= payees; k++ {
				for _, a := range cs[(i+k)%len(cs)].accounts {
					if err := benchTrust(ctx, hc, base, b, bc.cust, bc.token, bc.accounts[0].ID, a.IBAN); err != nil {
						errs <- err
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return fmt.Errorf("trust payees: %w", err)
	}

	fmt.Fprintf(stderr, "bench: %d clients sending transfers for %s (after %s warm-up)\n", *clients, *duration, *warmup)
	var (
		mu        sync.Mutex
		latencies []time.Duration
		failures  atomic.Int64
		measuring atomic.Bool
		firstErr  atomic.Value
	)
	runCtx, cancel := context.WithTimeout(ctx, *warmup+*duration)
	defer cancel()
	time.AfterFunc(*warmup, func() { measuring.Store(true) })
	var start time.Time
	var startOnce sync.Once
	for i, bc := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rnd := mrand.New(mrand.NewPCG(uint64(i), uint64(time.Now().UnixNano())))
			var local []time.Duration
			n := 0
			for runCtx.Err() == nil {
				to := cs[(i+1+rnd.IntN(payees))%len(cs)]
				body, _ := json.Marshal(map[string]string{"type": "internal", "from_account_id": bc.accounts[n%2].ID,
					"to_iban": to.accounts[rnd.IntN(2)].IBAN, "amount": "1.00", "currency": "ALL",
					"description": "Bench " + fmt.Sprint(n)})
				n++
				req, _ := http.NewRequestWithContext(runCtx, "POST", base+"/api/v1/transfers", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+bc.token)
				req.Header.Set("Idempotency-Key", randomKey())
				t0 := time.Now()
				resp, err := hc.Do(req)
				took := time.Since(t0)
				if runCtx.Err() != nil {
					break
				}
				ok := err == nil && resp.StatusCode == http.StatusCreated
				if resp != nil {
					if !ok && firstErr.Load() == nil {
						msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
						firstErr.Store(fmt.Sprintf("HTTP %d: %s", resp.StatusCode, msg))
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				} else if firstErr.Load() == nil {
					firstErr.Store(err.Error())
				}
				if !measuring.Load() {
					continue
				}
				startOnce.Do(func() { start = t0 })
				if !ok {
					failures.Add(1)
					continue
				}
				local = append(local, took)
			}
			mu.Lock()
			latencies = append(latencies, local...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if start.IsZero() || elapsed <= 0 {
		return errors.New("bench: nothing was measured")
	}
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	if e := firstErr.Load(); e != nil {
		fmt.Fprintf(stderr, "bench: first error: %s\n", e)
	}
	fmt.Fprintf(stdout, "transfers_per_sec=%.0f p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f errors=%d\n",
		float64(len(latencies))/elapsed.Seconds(), ms(percentile(latencies, 50)), ms(percentile(latencies, 95)),
		ms(percentile(latencies, 99)), failures.Load())
	return nil
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

func benchCustomer(ctx context.Context, b *bankDeps) (customer.Customer, []ledger.Account, error) {
	for attempt := 0; attempt < 10; attempt++ {
		n, _ := rand.Int(rand.Reader, big.NewInt(1e7))
		birth := time.Date(1950+int(n.Int64()%50), time.Month(1+n.Int64()%12), 1+int(n.Int64()%28), 0, 0, 0, 0, time.UTC)
		serial := int(n.Int64() / 100 % 1000)
		cu, err := b.customers.CreateIndividual(ctx, customer.NewIndividual{
			NationalID: kyc.NewNationalID(birth, n.Int64()%2 == 0, serial).String(),
			FirstName:  "Klient", LastName: fmt.Sprintf("Provë %d", n.Int64()), BirthDate: birth,
			Mobile: fmt.Sprintf("+35569%07d", n.Int64()), ContractVersion: "002", Branch: "bench"})
		if err != nil {
			continue // a drawn national ID or phone taken: draw again
		}
		if err := b.auth.SetPassword(ctx, cu.ID, benchPassword, false); err != nil {
			return cu, nil, err
		}
		// Like any customer, a bench client accepts the current terms before banking over the API (P1).
		if err := (&terms.Service{DB: b.db}).Accept(ctx, cu.ID, terms.Current, b.clock.Now()); err != nil {
			return cu, nil, err
		}
		var accs []ledger.Account
		for i := 0; i < 2; i++ {
			a, err := b.customers.OpenAccount(ctx, cu.ID, money.ALL, ledger.TypeCurrent, "Bench")
			if err != nil {
				return cu, nil, err
			}
			if _, err := b.ledger.CashDeposit(ctx, a.ID, money.New(100_000_000_00, money.ALL), "bench"); err != nil {
				return cu, nil, err
			}
			accs = append(accs, a)
		}
		return cu, accs, nil
	}
	return customer.Customer{}, nil, errors.New("could not draw a free national ID")
}

var otpPattern = regexp.MustCompile(`\b(\d{6})\b`)

// benchPayees is how many other clients each client pays. Trusting a payee takes a confirmed payment per account,
// and confirmations from one address are rate-limited (a burst of 100), so the bench stays within that: each
// client pays the two accounts of the next client, and every account still both pays and is paid.
const benchPayees = 1

var paymentCodePattern = regexp.MustCompile(`kodi (\d{6}) konfirmon`)

// benchTrust confirms one payment (51 EUR's worth, so it needs confirmation) to toIBAN with the SMS code and
// trusts the payee.
func benchTrust(ctx context.Context, hc *http.Client, base string, b *bankDeps, cu customer.Customer, token, fromID, toIBAN string) error {
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
		msgs, err := b.sandbox.InboxFor(ctx, cu.Mobile, 1)
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

// callJSON makes an authenticated API call and decodes the answer, which must have the status want.
func callJSON(ctx context.Context, hc *http.Client, method, url, token, key string, in any, want int, out any) error {
	body, _ := json.Marshal(in)
	req, _ := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("%s %s: HTTP %d: %s", method, url, resp.StatusCode, msg)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

func benchLogin(ctx context.Context, hc *http.Client, base string, b *bankDeps, cu customer.Customer) (string, error) {
	var ch struct {
		ChallengeID string `json:"challenge_id"`
	}
	if err := postJSON(ctx, hc, base+"/api/v1/auth/login", map[string]string{"username": cu.ClientNumber,
		"password": benchPassword}, &ch); err != nil {
		return "", err
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		msgs, err := b.sandbox.InboxFor(ctx, cu.Mobile, 1)
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
	body, _ := json.Marshal(in)
	req, _ := http.NewRequestWithContext(ctx, "POST", url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("%s: HTTP %d: %s", url, resp.StatusCode, msg)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}
