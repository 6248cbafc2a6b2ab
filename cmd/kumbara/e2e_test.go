package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/demo"
)

// TestEndToEnd starts the real server (demo mode) on a free port and walks a customer through login → SMS code →
// internal transfer → history → statement → logout over HTTP, then shuts it down gracefully and runs `verify`.
func TestEndToEnd(t *testing.T) {
	dbtest.EachDSN(t, endToEnd)
}

func endToEnd(t *testing.T, dsn string) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	getenv := func(string) string { return "" }
	ready := make(chan string, 1)
	done := make(chan error, 1)
	var out, logs bytes.Buffer
	metricsAddr := freeAddr(t)
	go func() {
		done <- serve(ctx, []string{"--demo", "--db", dsn, "--addr", "127.0.0.1:0", "--metrics-addr", metricsAddr},
			getenv, &out, &logs, ready)
	}()
	var base string
	select {
	case addr := <-ready:
		base = "http://" + addr
	case err := <-done:
		t.Fatalf("serve ended early: %v\n%s", err, logs.String())
	case <-time.After(60 * time.Second):
		t.Fatal("server did not start")
	}

	c := &client{t: t, base: base}
	var ch struct {
		ChallengeID string `json:"challenge_id"`
		OTPChannel  string `json:"otp_channel"`
		MaskedPhone string `json:"masked_phone"`
		ExpiresIn   int    `json:"expires_in"`
	}
	c.call("POST", "/api/v1/auth/login", map[string]string{"username": "100000001", "password": "Kumbara2026"}, 200, &ch)
	if ch.ChallengeID == "" || ch.OTPChannel != "sms" || ch.ExpiresIn != 120 || !strings.HasSuffix(ch.MaskedPhone, "001") {
		t.Fatalf("challenge: %+v", ch)
	}
	code := c.smsCode("+355691000001")
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	c.call("POST", "/api/v1/auth/login/otp", map[string]string{"challenge_id": ch.ChallengeID, "otp": code}, 200, &tok)
	c.token = tok.AccessToken

	type account struct {
		ID       string `json:"id"`
		IBAN     string `json:"iban"`
		Currency string `json:"currency"`
		Balance  struct {
			Ledger, Held, Available string
		} `json:"balance"`
	}
	var mine struct {
		Accounts []account `json:"accounts"`
	}
	c.call("GET", "/api/v1/accounts", nil, 200, &mine)
	if len(mine.Accounts) < 3 {
		t.Fatalf("accounts: %+v", mine)
	}
	from := mine.Accounts[0]
	var payee struct {
		MaskedName string `json:"masked_name"`
		Accounts   []struct {
			IBAN, Currency string
		} `json:"accounts"`
	}
	c.call("GET", "/api/v1/payees?by=client_number&value=100000002", nil, 200, &payee)
	if payee.MaskedName == "" || strings.Contains(payee.MaskedName, "Shehu") || len(payee.Accounts) == 0 {
		t.Fatalf("payee: %+v", payee)
	}
	var tr struct {
		ID, Status, Amount string
		Exemption          string
	}
	// A low-value payment (about 13 EUR) goes at once; a larger one waits for the SMS code that names it.
	c.key = "e2e-transfer-small"
	small := map[string]string{"type": "internal", "from_account_id": from.ID, "to_iban": payee.Accounts[0].IBAN,
		"amount": "1234.50", "currency": "ALL", "description": "Kafe"}
	c.call("POST", "/api/v1/transfers", small, 201, &tr)
	if tr.Status != "completed" || tr.Exemption != "low_value" {
		t.Fatalf("low-value transfer: %+v", tr)
	}
	c.key = "e2e-transfer-1"
	body := map[string]string{"type": "internal", "from_account_id": from.ID, "to_iban": payee.Accounts[0].IBAN,
		"amount": "12345.50", "currency": "ALL", "description": "Qira për nëntorin"}
	c.call("POST", "/api/v1/transfers", body, 202, &tr)
	if tr.Status != "pending_confirmation" || tr.Amount != "12345.50" {
		t.Fatalf("transfer: %+v", tr)
	}
	c.key = ""
	c.call("POST", "/api/v1/transfers/"+tr.ID+"/confirm", map[string]string{"method": "sms",
		"code": c.smsCodeIn("+355691000001", "12.345,50 ALL")}, 200, &tr)
	if tr.Status != "completed" {
		t.Fatalf("confirmed transfer: %+v", tr)
	}
	c.key = "e2e-transfer-1"
	var again struct{ ID, Status string }
	c.call("POST", "/api/v1/transfers", body, 201, &again)
	if again.ID != tr.ID || again.Status != "completed" {
		t.Fatalf("repeat with the same key made a second transfer: %+v vs %s", again, tr.ID)
	}
	c.key = ""

	var hist struct {
		Transactions []struct {
			Amount, Description, Counterparty string
		} `json:"transactions"`
	}
	// Found with or without its ë; the payee named as the payee check named her.
	for _, q := range []string{"n%C3%ABntorin", "NENTORIN"} {
		c.call("GET", "/api/v1/accounts/"+from.ID+"/transactions?q="+q+"&direction=out", nil, 200, &hist)
		if len(hist.Transactions) != 1 || hist.Transactions[0].Amount != "-12345.50" || hist.Transactions[0].Counterparty != "E**** S****" {
			t.Fatalf("history for %s: %+v", q, hist)
		}
	}
	today := time.Now().In(clock.Tirane).Format(time.DateOnly)
	pdf := c.raw("GET", "/api/v1/accounts/"+from.ID+"/statement?from=2026-01-01&to="+today, 200)
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("statement is not a PDF: %q", pdf[:min(20, len(pdf))])
	}
	if text := pdfText(t, pdf); text != "" && !strings.Contains(text, "nëntorin") {
		t.Fatalf("statement lacks the transfer's description:\n%s", text)
	}
	// An IBAN in a path is personal data: the access log keeps the route's placeholder instead.
	c.call("DELETE", "/api/v1/beneficiaries/trusted/"+payee.Accounts[0].IBAN, nil, 404, nil)
	c.call("POST", "/api/v1/auth/logout", nil, 204, nil)
	c.call("GET", "/api/v1/accounts", nil, 401, nil)

	// Metrics are on the operator's address only.
	c.call("GET", "/metrics", nil, 404, nil)
	resp, err := http.Get("http://" + metricsAddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	scrape, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(scrape, []byte(`kumbara_http_requests_total{method="POST",route="POST /api/v1/transfers",status="201"}`)) {
		t.Errorf("metrics address: %d\n%s", resp.StatusCode, scrape)
	}

	// The demo business logs in with its client number, its NIPT and the password (A20); without the NIPT it cannot.
	var bch struct {
		ChallengeID string `json:"challenge_id"`
	}
	c.call("POST", "/api/v1/auth/login", map[string]string{"username": "100000004", "password": "Kumbara2026"}, 401, nil)
	c.call("POST", "/api/v1/auth/login", map[string]string{"username": "100000004", "nipt": demo.BusinessNIPT,
		"password": "Kumbara2026"}, 200, &bch)
	if bch.ChallengeID == "" {
		t.Fatal("business login: no challenge")
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(40 * time.Second):
		t.Fatal("graceful shutdown took too long")
	}
	if !strings.Contains(out.String(), "NIPT "+demo.BusinessNIPT) {
		t.Errorf("the demo logins do not show the business's NIPT:\n%s", out.String())
	}
	for _, s := range demo.Staff {
		if !regexp.MustCompile(`\b` + s.Username + `\s+` + string(s.Role) + `\s+` + s.TOTPSecret + `\n`).MatchString(out.String()) {
			t.Errorf("the start banner does not list the demo member %s with their TOTP secret:\n%s", s.Username, out.String())
		}
		if strings.Contains(logs.String(), s.TOTPSecret) {
			t.Errorf("a demo TOTP secret reached the logs")
		}
	}
	if strings.Contains(logs.String(), code) || strings.Contains(logs.String(), "Kumbara2026") || strings.Contains(logs.String(), tok.AccessToken) {
		t.Fatal("a secret reached the logs")
	}
	if strings.Contains(logs.String(), payee.Accounts[0].IBAN) {
		t.Error("an IBAN reached the logs")
	}
	for line := range strings.Lines(logs.String()) {
		if !json.Valid([]byte(line)) {
			t.Errorf("a log line is not JSON: %s", line)
		}
	}
	var vout bytes.Buffer
	if err := run(context.Background(), []string{"verify", "--db", dsn}, getenv, &vout, io.Discard); err != nil {
		t.Fatalf("verify: %v\n%s", err, vout.String())
	}
}

// freeAddr is a local address nobody listens on, for a second listener of serve.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

type client struct {
	t     *testing.T
	base  string
	token string
	key   string
}

func (c *client) do(method, path string, in any) *http.Response {
	c.t.Helper()
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.key != "" {
		req.Header.Set("Idempotency-Key", c.key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp
}

func (c *client) call(method, path string, in any, want int, out any) {
	c.t.Helper()
	resp := c.do(method, path, in)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		c.t.Fatalf("%s %s: status %d, want %d: %s", method, path, resp.StatusCode, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			c.t.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	}
}

func (c *client) raw(method, path string, want int) []byte {
	c.t.Helper()
	resp := c.do(method, path, nil)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		c.t.Fatalf("%s %s: status %d, want %d: %s", method, path, resp.StatusCode, want, b)
	}
	return b
}

var sixDigits = regexp.MustCompile(`\b(\d{6})\b`)

// smsCode reads the newest login code sent to phone from the demo inbox, as a newcomer without a phone would.
func (c *client) smsCode(phone string) string { return c.smsCodeIn(phone, "") }

// smsCodeIn waits for the newest SMS to phone whose text contains want, and returns its code.
func (c *client) smsCodeIn(phone, want string) string {
	c.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var inbox struct {
			Messages []struct{ To, Channel, Body string } `json:"messages"`
		}
		c.call("GET", "/dev/inbox", nil, 200, &inbox)
		for _, m := range inbox.Messages {
			if m.To == phone && m.Channel == "sms" && strings.Contains(m.Body, want) {
				if g := sixDigits.FindStringSubmatch(m.Body); g != nil {
					return g[1]
				}
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	c.t.Fatal("no SMS code arrived")
	return ""
}

// pdfText extracts a PDF's text with poppler's pdftotext; without it (outside CI) the text check is skipped.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		return ""
	}
	cmd := exec.Command("pdftotext", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
