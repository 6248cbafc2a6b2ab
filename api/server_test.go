package api_test

// This file holds the harness the API's integration tests share — a whole bank (ledger with group commit, customers,
// authentication, transfers, the sandbox SMS inbox) behind a real HTTP server, seeded with the demo customers and
// running on a fake clock — and the tests of the server as a whole: health, metrics, the sandbox inbox, sessions,
// accounts, history and statements.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/api"
	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/device"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/outbox"
	"github.com/kumbara/kumbara/password"
	"github.com/kumbara/kumbara/sca"
	"github.com/kumbara/kumbara/transfer"
	"github.com/kumbara/kumbara/uniquecode"
	"github.com/prometheus/client_golang/prometheus"
)

// The demo customers' client numbers.
const (
	arben    = "100000001"
	elira    = "100000002"
	dritan   = "100000003"
	business = "100000004"
)

// epoch is when every test bank opens: Monday 2 March 2026, 10:00 in Tirana.
var epoch = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

var testBank = customer.Bank{Name: "Banka Kumbara", Code: "999", Branch: "0001", BIC: "KUMBALT0XXX"}

// bank is a seeded demo bank served over HTTP.
type bank struct {
	services   *app.Bank
	db         *db.DB
	clock      *clock.Fake
	ledger     *ledger.Ledger
	customers  *customer.Service
	auth       *auth.Service
	transfers  *transfer.Service
	sca        *sca.Service
	sandbox    *outbox.Sandbox
	dispatcher *outbox.Dispatcher
	cards      *card.Service
	codes      *uniquecode.Service
	devices    *device.Service
	catalogue  *i18n.Catalogue
	server     *api.Server
	url        string
	client     *http.Client
}

// newBank builds the bank as cmd/kumbara does (app.New), seeds the demo customers and serves the API with the
// sandbox inbox at /dev/inbox.
func newBank(t *testing.T, d *db.DB) *bank {
	t.Helper()
	ctx := context.Background()
	clk := clock.NewFake(epoch)
	s, err := app.New(ctx, app.Config{DB: d, Clock: clk, Secret: bytes.Repeat([]byte{0x4b}, 32), Bank: testBank,
		CardBIN: "400000", Hasher: password.ForTests, PaymentSandbox: true})
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	t.Cleanup(s.Close)
	if err := demo.Seed(ctx, demo.Deps{Customers: s.Customers, Auth: s.Auth, Ledger: s.Ledger, Terms: s.Terms}); err != nil {
		t.Fatalf("seed: %v", err)
	}
	b := &bank{services: s, db: d, clock: clk, ledger: s.Ledger, customers: s.Customers, auth: s.Auth,
		transfers: s.Transfers, sca: s.SCA, sandbox: s.Sandbox, dispatcher: s.Dispatcher, cards: s.Cards,
		codes: s.Codes, devices: s.Devices, catalogue: s.Catalogue}
	b.server = b.newServer(t, true)
	b.url = b.serve(t, b.server)
	b.client = checkedClient(t) // every request and answer is held to openapi.json
	return b
}

// withoutConfirmation makes every payment exempt from confirmation, for tests about something else: the policy's
// numbers are configuration, and these tests would otherwise confirm each payment.
func (b *bank) withoutConfirmation() *bank {
	b.sca.Config.LowValueEURCents = math.MaxInt64 / 2
	b.sca.Config.CumulativeCents = math.MaxInt64 / 2
	b.sca.Config.CumulativeCount = math.MaxInt32
	b.sca.Config.EURRates[money.ALL] = sca.Rate{Num: 1, Den: 1}
	return b
}

// newServer builds an API server on the bank's services with its own metrics registry; withInbox sets Inbox as
// demo mode does.
func (b *bank) newServer(t *testing.T, withInbox bool) *api.Server {
	t.Helper()
	metrics, err := httpx.NewMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatalf("metrics: %v", err)
	}
	// Warnings and errors only: an internal error's cause shows up beside the failing test.
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv := &api.Server{Responder: httpx.NewResponder(b.catalogue, logger, metrics), DB: b.db, Clock: b.clock,
		Auth: b.auth, Customers: b.customers, Ledger: b.ledger, Transfers: b.transfers, SCA: b.sca, Bank: testBank,
		Registration: b.services.Registration, Devices: b.devices, Recovery: b.services.Recovery,
		Terms: b.services.Terms, Audit: b.services.Audit, Beneficiaries: b.services.Beneficiaries,
		Payments: b.services.Payments}
	if withInbox {
		srv.Inbox = b.sandbox
	}
	srv.VoP = b.services.VoP
	srv.Banks = b.services.Directory
	srv.FX = b.services.FX
	srv.Cards = b.services.Cards
	srv.Issuing = b.services.Issuing
	if withInbox {
		srv.CardNetwork = b.services.CardNetwork
	}
	srv.Credit = b.services.Credit
	srv.ThreeDS = b.services.ThreeDS
	return srv
}

// serve starts srv and returns its base URL; it stops at cleanup.
func (b *bank) serve(t *testing.T, srv *api.Server) string {
	hs := httptest.NewServer(handler(t, srv))
	t.Cleanup(hs.Close)
	return hs.URL
}

// handler is srv alone on a mux, with the middleware serve puts around every face.
func handler(t *testing.T, srv *api.Server) http.Handler {
	t.Helper()
	mux := httpx.NewMux()
	if err := api.Register(mux, srv); err != nil {
		t.Fatal(err)
	}
	return srv.Responder.Handler(mux, httpx.Proxies{}, httpx.Scoped(srv.DB.Scope))
}

// reply is an answer of the API.
type reply struct {
	status int
	header http.Header
	body   []byte
	json   map[string]any // the body when it is a JSON object
}

func (r reply) str(key string) string {
	s, _ := r.json[key].(string)
	return s
}

// fieldCodes returns a problem's errors[] as "field:code".
func (r reply) fieldCodes() []string {
	var out []string
	list, _ := r.json["errors"].([]any)
	for _, e := range list {
		m, _ := e.(map[string]any)
		out = append(out, fmt.Sprintf("%v:%v", m["field"], m["code"]))
	}
	return out
}

// send makes one request. body is nil (no body), a string or []byte (sent as application/json unless a header says
// otherwise), an io.Reader or a func returning one (streamed without a length) or anything else (encoded as JSON). headers are name, value
// pairs; an empty value removes the header. Safe for concurrent use: it never touches a testing.T.
func (b *bank) send(method, path, token string, body any, headers ...string) (reply, error) {
	var rd io.Reader
	switch v := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(v)
	case []byte:
		rd = bytes.NewReader(v)
	case func() io.Reader:
		rd = v()
	case io.Reader:
		rd = v
	default:
		raw, err := json.Marshal(v)
		if err != nil {
			return reply{}, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, b.url+path, rd)
	if err != nil {
		return reply{}, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
		} else {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	resp, err := b.client.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer resp.Body.Close()
	r := reply{status: resp.StatusCode, header: resp.Header}
	if r.body, err = io.ReadAll(resp.Body); err != nil {
		return r, err
	}
	if ct := resp.Header.Get("Content-Type"); strings.HasPrefix(ct, "application/json") ||
		strings.HasPrefix(ct, "application/problem+json") {
		if err := json.Unmarshal(r.body, &r.json); err != nil {
			return r, fmt.Errorf("%s %s: answer is not a JSON object: %v: %s", method, path, err, r.body)
		}
	}
	return r, nil
}

// do is send for the test goroutine: it fails the test on a transport error and on any 5xx, which no request of
// these tests may ever get.
func (b *bank) do(t *testing.T, method, path, token string, body any, headers ...string) reply {
	t.Helper()
	r, err := b.send(method, path, token, body, headers...)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	if r.status >= 500 {
		t.Fatalf("%s %s: server error %d: %s", method, path, r.status, r.body)
	}
	return r
}

// wantStatus fails the test unless r has the status.
func wantStatus(t *testing.T, r reply, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
}

// checkProblem asserts r is an RFC 9457 problem with the status and code whose detail is the catalogue's text in
// lang.
func (b *bank) checkProblem(t *testing.T, r reply, status int, code string, lang i18n.Lang) {
	t.Helper()
	if r.status != status || r.str("code") != code {
		t.Fatalf("got %d %q, want %d %q: %s", r.status, r.str("code"), status, code, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type %q, want application/problem+json", ct)
	}
	if got, _ := r.json["status"].(float64); int(got) != status {
		t.Errorf("problem status %v, want %d", r.json["status"], status)
	}
	if r.str("type") != httpx.ProblemTypePrefix+code {
		t.Errorf("problem type %q", r.str("type"))
	}
	if !b.catalogue.Has(code) {
		t.Errorf("code %q has no message in the catalogue", code)
	}
	if want := b.catalogue.Message(lang, code, nil); r.str("detail") != want {
		t.Errorf("detail %q, want the %s text %q", r.str("detail"), lang, want)
	}
	if cl := r.header.Get("Content-Language"); cl != string(lang) {
		t.Errorf("Content-Language %q, want %q", cl, lang)
	}
}

// expectProblem makes the request twice, without Accept-Language and with "en", and asserts both answers are the
// problem, in Albanian and in English. It returns the Albanian answer.
func (b *bank) expectProblem(t *testing.T, method, path, token string, body any, status int, code string, headers ...string) reply {
	t.Helper()
	sq := b.do(t, method, path, token, body, headers...)
	b.checkProblem(t, sq, status, code, i18n.SQ)
	en := b.do(t, method, path, token, body, append(slices.Clone(headers), "Accept-Language", "en")...)
	b.checkProblem(t, en, status, code, i18n.EN)
	if sq.str("detail") == en.str("detail") {
		t.Errorf("detail %q is the same in Albanian and English", sq.str("detail"))
	}
	return sq
}

// customer returns a demo customer by client number.
func (b *bank) customer(t *testing.T, clientNumber string) customer.Customer {
	t.Helper()
	c, err := b.customers.ByClientNumber(context.Background(), clientNumber)
	if err != nil {
		t.Fatalf("customer %s: %v", clientNumber, err)
	}
	return c
}

// account returns a customer's account of the currency and type (the first, oldest, if several).
func (b *bank) account(t *testing.T, clientNumber string, cur money.Currency, typ string) ledger.Account {
	t.Helper()
	accounts, err := b.ledger.ListByCustomer(context.Background(), b.customer(t, clientNumber).ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range accounts {
		if a.Currency == cur && a.Type == typ {
			return a
		}
	}
	t.Fatalf("customer %s has no %s %s account", clientNumber, typ, cur)
	return ledger.Account{}
}

// fresh re-reads an account.
func (b *bank) fresh(t *testing.T, id string) ledger.Account {
	t.Helper()
	a, err := b.ledger.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

var otpPattern = regexp.MustCompile(`\b\d{6}\b`)

// otp delivers the outbox and returns the code of the latest SMS on the customer's phone.
func (b *bank) otp(t *testing.T, clientNumber string) string {
	t.Helper()
	ctx := context.Background()
	if _, err := b.dispatcher.RunOnce(ctx); err != nil {
		t.Fatalf("dispatch: %v", err)
	}
	msgs, err := b.sandbox.InboxFor(ctx, b.customer(t, clientNumber).Mobile, 1)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("no SMS for %s: %v", clientNumber, err)
	}
	code := otpPattern.FindString(msgs[0].Body)
	if code == "" {
		t.Fatalf("no code in SMS %q", msgs[0].Body)
	}
	return code
}

// startLogin posts a username and password (and the NIPT for the demo business) and returns the challenge id.
func (b *bank) startLogin(t *testing.T, username, pw string) string {
	t.Helper()
	body := map[string]string{"username": username, "password": pw}
	if username == business {
		body["nipt"] = b.customer(t, business).NIPT // a business's users also give its NIPT (A20)
	}
	r := b.do(t, "POST", "/api/v1/auth/login", "", body)
	wantStatus(t, r, http.StatusOK)
	if r.str("challenge_id") == "" || r.str("otp_channel") != "sms" {
		t.Fatalf("login answer %s", r.body)
	}
	return r.str("challenge_id")
}

// finishLogin posts the code of a challenge and returns the answer.
func (b *bank) finishLogin(t *testing.T, challenge, code string, headers ...string) reply {
	t.Helper()
	return b.do(t, "POST", "/api/v1/auth/login/otp", "", map[string]string{"challenge_id": challenge, "otp": code}, headers...)
}

// loginWith logs a customer in with a password and the SMS code and returns the bearer token.
func (b *bank) loginWith(t *testing.T, clientNumber, pw string) string {
	t.Helper()
	ch := b.startLogin(t, clientNumber, pw)
	r := b.finishLogin(t, ch, b.otp(t, clientNumber))
	wantStatus(t, r, http.StatusOK)
	if r.str("access_token") == "" || r.str("token_type") != "Bearer" {
		t.Fatalf("token answer %s", r.body)
	}
	return r.str("access_token")
}

// login logs a demo customer in with the demo password.
func (b *bank) login(t *testing.T, clientNumber string) string {
	t.Helper()
	return b.loginWith(t, clientNumber, demo.Password)
}

// moneyState is every account's balance and held amount, and the number of transfers and postings.
type moneyState struct {
	balances  map[string][2]int64
	transfers int
	postings  int
}

func (b *bank) money(t *testing.T) moneyState {
	t.Helper()
	ctx := context.Background()
	s := moneyState{balances: map[string][2]int64{}}
	rows, err := b.db.Query(ctx, "SELECT id, balance, held FROM accounts")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var bal, held int64
		if err := rows.Scan(&id, &bal, &held); err != nil {
			t.Fatal(err)
		}
		s.balances[id] = [2]int64{bal, held}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if err := b.db.QueryRow(ctx, "SELECT COUNT(*) FROM transfers").Scan(&s.transfers); err != nil {
		t.Fatal(err)
	}
	if err := b.db.QueryRow(ctx, "SELECT COUNT(*) FROM postings").Scan(&s.postings); err != nil {
		t.Fatal(err)
	}
	return s
}

// expectNothingMoved fails the test if any balance, transfer or posting changed since before.
func (b *bank) expectNothingMoved(t *testing.T, before moneyState) {
	t.Helper()
	after := b.money(t)
	if !maps.Equal(before.balances, after.balances) {
		for id, v := range after.balances {
			if before.balances[id] != v {
				t.Errorf("account %s: balance, held %v became %v", id, before.balances[id], v)
			}
		}
	}
	if after.transfers != before.transfers {
		t.Errorf("%d transfers, want %d", after.transfers, before.transfers)
	}
	if after.postings != before.postings {
		t.Errorf("%d postings, want %d", after.postings, before.postings)
	}
}

func dec(minor int64) string { return money.New(minor, money.ALL).Decimal() }

func TestHealthAndReadiness(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tests := []struct {
			path string
			want map[string]any
		}{
			{"/healthz", map[string]any{"status": "ok"}},
			{"/readyz", map[string]any{"status": "ready", "database": d.Engine.String()}},
		}
		for _, tt := range tests {
			t.Run(tt.path, func(t *testing.T) {
				r := b.do(t, "GET", tt.path, "", nil)
				wantStatus(t, r, http.StatusOK)
				if !maps.Equal(r.json, tt.want) {
					t.Errorf("got %v, want %v", r.json, tt.want)
				}
			})
		}
	})
}

func TestMetricsCountRequestsByRoute(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		b.do(t, "GET", "/healthz", "", nil)
		b.do(t, "GET", "/api/v1/accounts", "", nil)
		// The bank's address does not serve them: they are on an operator-only address (serve --metrics-addr).
		b.expectProblem(t, "GET", "/metrics", "", nil, http.StatusNotFound, "not_found", invalidOnPurpose,
			"not an address of the API")
		rec := httptest.NewRecorder()
		b.server.Metrics.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		r := reply{status: rec.Code, body: rec.Body.Bytes()}
		wantStatus(t, r, http.StatusOK)
		for _, want := range []string{
			`kumbara_http_requests_total{method="GET",route="GET /healthz",status="200"} 1`,
			`kumbara_http_requests_total{method="GET",route="GET /api/v1/accounts",status="401"} 1`,
			`kumbara_api_failures_total{code="unauthenticated"} 1`,
		} {
			if !strings.Contains(string(r.body), want) {
				t.Errorf("/metrics lacks %s", want)
			}
		}
	})
}

func TestDevInboxListsDeliveredMessagesNewestFirst(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		b.startLogin(t, arben, demo.Password)
		b.otp(t, arben)
		b.clock.Advance(time.Minute)
		b.startLogin(t, elira, demo.Password)
		code := b.otp(t, elira)

		r := b.do(t, "GET", "/dev/inbox", "", nil)
		wantStatus(t, r, http.StatusOK)
		if keys := slices.Sorted(maps.Keys(r.json)); !slices.Equal(keys, []string{"messages"}) {
			t.Fatalf("keys %v", keys)
		}
		msgs, _ := r.json["messages"].([]any)
		if len(msgs) != 2 {
			t.Fatalf("%d messages, want 2: %s", len(msgs), r.body)
		}
		wantTo := []string{b.customer(t, elira).Mobile, b.customer(t, arben).Mobile}
		var times []time.Time
		for i, m := range msgs {
			msg := m.(map[string]any)
			if keys := slices.Sorted(maps.Keys(msg)); !slices.Equal(keys, []string{"body", "channel", "created_at", "to"}) {
				t.Errorf("message keys %v", keys)
			}
			if msg["to"] != wantTo[i] || msg["channel"] != "sms" {
				t.Errorf("message %d to %v by %v, want %s by sms", i, msg["to"], msg["channel"], wantTo[i])
			}
			at, err := time.Parse(time.RFC3339, fmt.Sprint(msg["created_at"]))
			if err != nil {
				t.Errorf("created_at: %v", err)
			}
			times = append(times, at)
		}
		if !strings.Contains(fmt.Sprint(msgs[0].(map[string]any)["body"]), code) {
			t.Errorf("newest message does not carry the newest code %s", code)
		}
		if !times[0].After(times[1]) {
			t.Errorf("created_at %v then %v: want newest first", times[0], times[1])
		}
	})
}

func TestDevInboxDoesNotExistWithoutTheSandbox(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		srv := b.newServer(t, false)
		for _, rt := range srv.Routes() {
			if rt.Path == "/dev/inbox" {
				t.Errorf("route table has /dev/inbox without an inbox")
			}
		}
		b.url = b.serve(t, srv)
		b.startLogin(t, arben, demo.Password)
		b.otp(t, arben)
		b.expectProblem(t, "GET", "/dev/inbox", "", nil, http.StatusNotFound, "not_found")
	})
}

func TestSessions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		const accounts = "/api/v1/accounts"
		tests := []struct {
			name string
			run  func(t *testing.T)
		}{
			{"a request without a token is unauthenticated", func(t *testing.T) {
				r := b.expectProblem(t, "GET", accounts, "", nil, http.StatusUnauthorized, "unauthenticated")
				if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("WWW-Authenticate %q", r.header.Get("WWW-Authenticate"))
				}
			}},
			{"another authorization scheme is unauthenticated", func(t *testing.T) {
				b.expectProblem(t, "GET", accounts, "", nil, http.StatusUnauthorized, "unauthenticated",
					"Authorization", "Basic MTAwMDAwMDAxOkt1bWJhcmEyMDI2")
			}},
			{"a garbage token is unauthenticated", func(t *testing.T) {
				b.expectProblem(t, "GET", accounts, "garbage-token", nil, http.StatusUnauthorized, "unauthenticated")
			}},
			{"an overlong token is unauthenticated", func(t *testing.T) {
				b.expectProblem(t, "GET", accounts, strings.Repeat("x", 500), nil, http.StatusUnauthorized, "unauthenticated")
			}},
			{"a session idle for 5m1s has expired", func(t *testing.T) {
				tok := b.login(t, arben)
				wantStatus(t, b.do(t, "GET", accounts, tok, nil), http.StatusOK)
				b.clock.Advance(5*time.Minute + time.Second)
				b.expectProblem(t, "GET", accounts, tok, nil, http.StatusUnauthorized, "session_expired")
			}},
			{"a request at 4m59s keeps the session alive", func(t *testing.T) {
				tok := b.login(t, arben)
				for range 3 {
					b.clock.Advance(4*time.Minute + 59*time.Second)
					wantStatus(t, b.do(t, "GET", accounts, tok, nil), http.StatusOK)
				}
			}},
			{"a session used every 4 minutes survives 20 minutes", func(t *testing.T) {
				tok := b.login(t, elira)
				for elapsed := 4 * time.Minute; elapsed <= 20*time.Minute; elapsed += 4 * time.Minute {
					b.clock.Advance(4 * time.Minute)
					if r := b.do(t, "GET", "/api/v1/me", tok, nil); r.status != http.StatusOK {
						t.Fatalf("after %v: %d %s", elapsed, r.status, r.body)
					}
				}
				b.clock.Advance(5*time.Minute + time.Second)
				b.expectProblem(t, "GET", accounts, tok, nil, http.StatusUnauthorized, "session_expired")
			}},
			{"logout ends the session and leaves others alone", func(t *testing.T) {
				tok, other := b.login(t, dritan), b.login(t, dritan)
				r := b.do(t, "POST", "/api/v1/auth/logout", tok, nil)
				wantStatus(t, r, http.StatusNoContent)
				b.expectProblem(t, "GET", accounts, tok, nil, http.StatusUnauthorized, "session_expired")
				b.expectProblem(t, "POST", "/api/v1/auth/logout", tok, nil, http.StatusUnauthorized, "session_expired")
				wantStatus(t, b.do(t, "GET", accounts, other, nil), http.StatusOK)
			}},
		}
		for _, tt := range tests {
			t.Run(tt.name, tt.run)
		}
	})
}

// decimalString is how the API writes amounts: a minus sign only when negative, two decimals.
var decimalString = regexp.MustCompile(`^-?(0|[1-9][0-9]*)\.[0-9]{2}$`)

func TestAccountsListIsTheContractShapeWithLedgerBalances(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		ctx := context.Background()
		// A hold makes held and available differ from the ledger balance.
		cur := b.account(t, arben, money.ALL, ledger.TypeCurrent)
		err := b.ledger.Run(ctx, ledger.Op{Accounts: []string{cur.ID}, Run: func(bt *ledger.Batch) error {
			_, err := bt.PlaceHold(cur.ID, 12345, "card", "test", epoch.Add(time.Hour))
			return err
		}})
		if err != nil {
			t.Fatal(err)
		}
		tok := b.login(t, arben)
		r := b.do(t, "GET", "/api/v1/accounts", tok, nil)
		wantStatus(t, r, http.StatusOK)
		if keys := slices.Sorted(maps.Keys(r.json)); !slices.Equal(keys, []string{"accounts"}) {
			t.Fatalf("top-level keys %v", keys)
		}
		want, err := b.ledger.ListByCustomer(ctx, b.customer(t, arben).ID)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := r.json["accounts"].([]any)
		if len(got) != len(want) || len(want) != 3 {
			t.Fatalf("%d accounts, want %d (3): %s", len(got), len(want), r.body)
		}
		for i, item := range got {
			a := item.(map[string]any)
			// "status" is in the OpenAPI document's Account as well as in the answer.
			if keys := slices.Sorted(maps.Keys(a)); !slices.Equal(keys,
				[]string{"balance", "currency", "iban", "id", "name", "status", "title", "type", "type_name"}) {
				t.Errorf("account keys %v", keys)
			}
			bal, _ := a["balance"].(map[string]any)
			if keys := slices.Sorted(maps.Keys(bal)); !slices.Equal(keys, []string{"available", "held", "ledger"}) {
				t.Errorf("balance keys %v", keys)
			}
			l := want[i]
			wantFields := map[string]any{"id": l.ID, "iban": l.IBAN, "currency": string(l.Currency), "type": l.Type,
				"name": l.Name, "status": "active"}
			for k, v := range wantFields {
				if a[k] != v {
					t.Errorf("account %d %s = %v, want %v", i, k, a[k], v)
				}
			}
			wantBal := map[string]any{"ledger": money.New(l.Balance, l.Currency).Decimal(),
				"held": money.New(l.Held, l.Currency).Decimal(), "available": money.New(l.Available(), l.Currency).Decimal()}
			if !maps.Equal(bal, wantBal) {
				t.Errorf("account %d balance %v, want %v", i, bal, wantBal)
			}
			for k, v := range bal {
				if s, ok := v.(string); !ok || !decimalString.MatchString(s) {
					t.Errorf("balance %s = %#v: want a decimal string", k, v)
				}
			}
		}
		// The seeded figures, written out: 150,000 deposited, 3,500 paid to Elira, 450 received from Dritan.
		first := got[0].(map[string]any)["balance"].(map[string]any)
		if first["ledger"] != "146950.00" || first["held"] != "123.45" || first["available"] != "146826.55" {
			t.Errorf("current account balance %v", first)
		}
		if eur := got[2].(map[string]any); eur["currency"] != "EUR" || eur["balance"].(map[string]any)["ledger"] != "2500.00" {
			t.Errorf("euro account %v", eur)
		}
	})
}

func TestAccountDetailAndRename(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tok := b.login(t, arben)
		acc := b.account(t, arben, money.ALL, ledger.TypeSavings)
		path := "/api/v1/accounts/" + acc.ID
		r := b.do(t, "GET", path, tok, nil)
		wantStatus(t, r, http.StatusOK)
		want := map[string]string{"id": acc.ID, "iban": acc.IBAN, "number": acc.Number, "holder": "Arben Hoxha",
			"opened_on": "2026-03-02", "blocked_amount": "0.00", "overdraft_limit": "0.00", "currency": "ALL"}
		for k, v := range want {
			if r.str(k) != v {
				t.Errorf("%s = %q, want %q", k, r.str(k), v)
			}
		}

		r = b.do(t, "PATCH", path, tok, map[string]string{"name": "Për pushimet", "logo": "beach-1"})
		wantStatus(t, r, http.StatusOK)
		if got := b.fresh(t, acc.ID); got.Name != "Për pushimet" || got.Logo != "beach-1" {
			t.Errorf("after rename: %q %q", got.Name, got.Logo)
		}
		b.expectProblem(t, "PATCH", path, tok, map[string]string{"name": "<b>x</b>"}, http.StatusBadRequest, "validation_failed")
		b.expectProblem(t, "PATCH", path, tok, map[string]string{"logo": "../../etc/passwd"}, http.StatusBadRequest, "validation_failed",
			invalidOnPurpose, "a path for a logo")
		b.expectProblem(t, "PATCH", path, tok, map[string]string{"colour": "red"}, http.StatusBadRequest, "unknown_field",
			invalidOnPurpose, "an unknown field")
	})
}

// historyLine is a transaction line of the API.
type historyLine struct {
	ID               string `json:"id"`
	PostedAt         string `json:"posted_at"`
	Amount           string `json:"amount"`
	Direction        string `json:"direction"`
	Description      string `json:"description"`
	Counterparty     string `json:"counterparty"`
	CounterpartyIBAN string `json:"counterparty_iban"`
	minor            int64
	day              string
	seq              int
}

type historyPage struct {
	Transactions []historyLine `json:"transactions"`
	NextCursor   *string       `json:"next_cursor"`
}

func (b *bank) historyPage(t *testing.T, token, accountID string, q url.Values) historyPage {
	t.Helper()
	r := b.do(t, "GET", "/api/v1/accounts/"+accountID+"/transactions?"+q.Encode(), token, nil)
	wantStatus(t, r, http.StatusOK)
	if _, ok := r.json["next_cursor"]; !ok {
		t.Errorf("answer has no next_cursor: %s", r.body)
	}
	var p historyPage
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatal(err)
	}
	for i := range p.Transactions {
		l := &p.Transactions[i]
		a, err := money.ParseDecimal(l.Amount, money.ALL)
		if err != nil {
			t.Fatalf("amount %q: %v", l.Amount, err)
		}
		l.minor = a.Minor
		at, err := time.Parse(time.RFC3339, l.PostedAt)
		if err != nil {
			t.Fatalf("posted_at %q: %v", l.PostedAt, err)
		}
		l.day = at.In(clock.Tirane).Format(time.DateOnly)
		if (l.minor > 0) != (l.Direction == "in") {
			t.Errorf("line %s: amount %s with direction %s", l.ID, l.Amount, l.Direction)
		}
	}
	return p
}

// allHistory follows next_cursor to the end and fails on a repeated line.
func (b *bank) allHistory(t *testing.T, token, accountID string, q url.Values) (lines []historyLine, pages int) {
	t.Helper()
	seen := map[string]bool{}
	for {
		p := b.historyPage(t, token, accountID, q)
		pages++
		for _, l := range p.Transactions {
			if seen[l.ID] {
				t.Fatalf("line %s shown twice", l.ID)
			}
			seen[l.ID] = true
		}
		lines = append(lines, p.Transactions...)
		if p.NextCursor == nil {
			return lines, pages
		}
		if pages > 100 {
			t.Fatal("pagination does not end")
		}
		q = maps.Clone(q)
		q.Set("cursor", *p.NextCursor)
	}
}

// historyBank is a demo bank whose first customer has a week of transfers on known days, logged in on 9 March.
func historyBank(t *testing.T, d *db.DB) (b *bank, token string, acc ledger.Account) {
	t.Helper()
	b = newBank(t, d).withoutConfirmation()
	ctx := context.Background()
	acc = b.account(t, arben, money.ALL, ledger.TypeCurrent)
	savings := b.account(t, arben, money.ALL, ledger.TypeSavings)
	eliraAcc := b.account(t, elira, money.ALL, ledger.TypeCurrent)
	dritanAcc := b.account(t, dritan, money.ALL, ledger.TypeCurrent)
	arbenID, eliraID := b.customer(t, arben).ID, b.customer(t, elira).ID
	steps := []struct {
		day       int // of March 2026
		customer  string
		req       transfer.Request
		repeatFor int
	}{
		{3, arbenID, transfer.Request{Type: transfer.Own, FromAccountID: acc.ID, ToAccountID: savings.ID, Amount: "1000", Description: "Kursim mars"}, 1},
		{4, arbenID, transfer.Request{Type: transfer.Internal, FromAccountID: acc.ID, ToIBAN: eliraAcc.IBAN, Amount: "20000", Description: "Qira për muajin mars"}, 1},
		{5, eliraID, transfer.Request{Type: transfer.Internal, FromAccountID: eliraAcc.ID, ToIBAN: acc.IBAN, Amount: "2500.50", Description: "Kthim borxhi"}, 1},
		{6, arbenID, transfer.Request{Type: transfer.Internal, FromAccountID: acc.ID, ToAccountID: dritanAcc.ID, Amount: "75.25", Description: "Dhuratë"}, 1},
		{7, arbenID, transfer.Request{Type: transfer.Own, FromAccountID: acc.ID, ToAccountID: savings.ID, Description: "Kursim i vogël"}, 12},
	}
	for _, s := range steps {
		for i := 1; i <= s.repeatFor; i++ {
			b.clock.Set(time.Date(2026, 3, s.day, 9, i, 0, 0, time.UTC))
			req := s.req
			req.Currency = "ALL"
			if req.Amount == "" {
				req.Amount = fmt.Sprintf("%d0", i) // 10, 20, … 120
			}
			if _, _, err := b.transfers.Create(ctx, s.customer, fmt.Sprintf("h-%d-%d", s.day, i), req); err != nil {
				t.Fatalf("transfer on %d March: %v", s.day, err)
			}
		}
	}
	b.clock.Set(time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC))
	return b, b.login(t, arben), acc
}

func TestHistoryFilters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b, tok, acc := historyBank(t, d)
		all := b.historyPage(t, tok, acc.ID, url.Values{"limit": {"100"}}).Transactions
		// Seed: deposit, paid Elira, received from Dritan; then 1 + 1 + 1 + 1 + 12 transfers.
		if len(all) != 19 {
			t.Fatalf("%d lines, want 19", len(all))
		}
		for i := range all {
			all[i].seq = len(all) - i // newest first by default
		}
		eliraIBAN := b.account(t, elira, money.ALL, ledger.TypeCurrent).IBAN
		text := func(l historyLine) string {
			return strings.ToLower(l.Description + " " + l.Counterparty + " " + l.CounterpartyIBAN)
		}
		abs := func(v int64) int64 { return max(v, -v) }
		byDateDesc := func(a, b historyLine) bool { return a.seq > b.seq }
		tests := []struct {
			name  string
			query url.Values
			keep  func(historyLine) bool
			order func(a, b historyLine) bool
			want  int // number of lines, to keep the filters honest
		}{
			{"no filter lists everything newest first", nil, func(historyLine) bool { return true }, byDateDesc, 19},
			{"from and to are inclusive business days", url.Values{"from": {"2026-03-03"}, "to": {"2026-03-05"}},
				func(l historyLine) bool { return l.day >= "2026-03-03" && l.day <= "2026-03-05" }, byDateDesc, 3},
			{"from alone", url.Values{"from": {"2026-03-06"}},
				func(l historyLine) bool { return l.day >= "2026-03-06" }, byDateDesc, 13},
			{"to alone", url.Values{"to": {"2026-03-02"}},
				func(l historyLine) bool { return l.day <= "2026-03-02" }, byDateDesc, 3},
			{"a single day", url.Values{"from": {"2026-03-04"}, "to": {"2026-03-04"}},
				func(l historyLine) bool { return l.day == "2026-03-04" }, byDateDesc, 1},
			{"min_amount compares without sign", url.Values{"min_amount": {"1000"}},
				func(l historyLine) bool { return abs(l.minor) >= 100000 }, byDateDesc, 5},
			{"max_amount compares without sign", url.Values{"max_amount": {"100.00"}},
				func(l historyLine) bool { return abs(l.minor) <= 10000 }, byDateDesc, 11},
			{"min and max together", url.Values{"min_amount": {"75.25"}, "max_amount": {"450"}},
				func(l historyLine) bool { return abs(l.minor) >= 7525 && abs(l.minor) <= 45000 }, byDateDesc, 7},
			{"direction in", url.Values{"direction": {"in"}},
				func(l historyLine) bool { return l.minor > 0 }, byDateDesc, 3},
			{"direction out", url.Values{"direction": {"out"}},
				func(l historyLine) bool { return l.minor < 0 }, byDateDesc, 16},
			{"direction all", url.Values{"direction": {"all"}},
				func(historyLine) bool { return true }, byDateDesc, 19},
			{"text matches the description whatever the case", url.Values{"q": {"QIRA"}},
				func(l historyLine) bool { return strings.Contains(text(l), "qira") }, byDateDesc, 2},
			// Dritan's name is searchable on the money he sent, not on the gift paid to him (shown masked).
			{"text matches an Albanian letter in the counterparty", url.Values{"q": {"ÇELA"}},
				func(l historyLine) bool { return strings.Contains(text(l), "çela") }, byDateDesc, 1},
			{"text matches without its accents", url.Values{"q": {"cela"}},
				func(l historyLine) bool { return strings.Contains(text(l), "çela") }, byDateDesc, 1},
			{"text matches the counterparty IBAN", url.Values{"q": {strings.ToLower(eliraIBAN)}},
				func(l historyLine) bool { return l.CounterpartyIBAN == eliraIBAN }, byDateDesc, 3},
			{"text with LIKE wildcards matches literally", url.Values{"q": {"%"}},
				func(historyLine) bool { return false }, byDateDesc, 0},
			{"sort date_asc", url.Values{"sort": {"date_asc"}},
				func(historyLine) bool { return true }, func(a, b historyLine) bool { return a.seq < b.seq }, 19},
			{"sort amount_desc", url.Values{"sort": {"amount_desc"}}, func(historyLine) bool { return true },
				func(a, b historyLine) bool { return a.minor > b.minor || a.minor == b.minor && a.seq > b.seq }, 19},
			{"sort amount_asc", url.Values{"sort": {"amount_asc"}}, func(historyLine) bool { return true },
				func(a, b historyLine) bool { return a.minor < b.minor || a.minor == b.minor && a.seq < b.seq }, 19},
			{"filters combine", url.Values{"direction": {"out"}, "min_amount": {"50"}, "to": {"2026-03-07"}, "sort": {"amount_asc"}},
				func(l historyLine) bool { return l.minor <= -5000 },
				func(a, b historyLine) bool { return a.minor < b.minor || a.minor == b.minor && a.seq < b.seq }, 12},
			{"another currency matches nothing", url.Values{"currency": {"EUR"}}, func(historyLine) bool { return false }, byDateDesc, 0},
			{"the account's currency matches everything", url.Values{"currency": {"ALL"}}, func(historyLine) bool { return true }, byDateDesc, 19},
			{"limit caps the page", url.Values{"limit": {"4"}}, nil, byDateDesc, 4},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var want []historyLine
				for _, l := range all {
					if tt.keep == nil || tt.keep(l) {
						want = append(want, l)
					}
				}
				sort.SliceStable(want, func(i, j int) bool { return tt.order(want[i], want[j]) })
				if tt.keep == nil {
					want = want[:tt.want]
				}
				q := maps.Clone(tt.query)
				if q == nil {
					q = url.Values{}
				}
				if !q.Has("limit") {
					q.Set("limit", "100")
				}
				got := b.historyPage(t, tok, acc.ID, q).Transactions
				if len(want) != tt.want {
					t.Fatalf("the model keeps %d lines, the case expects %d", len(want), tt.want)
				}
				if !slices.EqualFunc(got, want, func(a, b historyLine) bool { return a.ID == b.ID }) {
					t.Errorf("got %v\nwant %v", amounts(got), amounts(want))
				}
			})
		}
	})
}

func amounts(lines []historyLine) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l.day + " " + l.Amount + " " + l.Description
	}
	return out
}

func TestHistoryCursorWalksEveryLineOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b, tok, acc := historyBank(t, d)
		tests := []struct {
			name      string
			query     url.Values
			wantPages int
		}{
			{"newest first, five a page", url.Values{"limit": {"5"}}, 4},
			{"oldest first, four a page", url.Values{"limit": {"4"}, "sort": {"date_asc"}}, 5},
			{"largest first, three a page", url.Values{"limit": {"3"}, "sort": {"amount_desc"}}, 7},
			{"smallest first, a line a page", url.Values{"limit": {"1"}, "sort": {"amount_asc"}}, 19},
			{"filtered, two a page", url.Values{"limit": {"2"}, "direction": {"in"}}, 2},
			{"a page exactly full has no next cursor", url.Values{"limit": {"19"}}, 1},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				whole := maps.Clone(tt.query)
				whole.Set("limit", "100")
				want := b.historyPage(t, tok, acc.ID, whole).Transactions
				got, pages := b.allHistory(t, tok, acc.ID, tt.query)
				if !slices.EqualFunc(got, want, func(a, b historyLine) bool { return a.ID == b.ID }) {
					t.Errorf("pages give %v\nwant %v", amounts(got), amounts(want))
				}
				if pages != tt.wantPages {
					t.Errorf("%d pages, want %d", pages, tt.wantPages)
				}
			})
		}
	})
}

func TestHistoryRefusesBadQueries(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tok := b.login(t, arben)
		acc := b.account(t, arben, money.ALL, ledger.TypeCurrent)
		first := b.historyPage(t, tok, acc.ID, url.Values{"limit": {"1"}})
		if first.NextCursor == nil {
			t.Fatal("no next cursor on a one-line page")
		}
		tests := []struct {
			name      string
			query     string
			code      string
			wantField string
		}{
			{"limit zero", "limit=0", "invalid_limit", "limit"},
			{"limit over the cap", "limit=1000", "invalid_limit", "limit"},
			{"limit not a number", "limit=ten", "invalid_limit", "limit"},
			{"negative limit", "limit=-1", "invalid_limit", "limit"},
			{"unknown sort", "sort=x", "invalid_query", "sort"},
			{"month 13", "from=2026-13-01", "invalid_date", "from"},
			{"30 February", "to=2026-02-30", "invalid_date", "to"},
			{"a date in another format", "from=01.03.2026", "invalid_date", "from"},
			{"to before from", "from=2026-03-05&to=2026-03-04", "invalid_date_range", "to"},
			{"unknown parameter", "page=2", "invalid_query", "page"},
			{"garbage cursor", "cursor=not-a-cursor!", "invalid_cursor", "cursor"},
			{"a cursor of base64 garbage", "cursor=" + url.QueryEscape("Z2FyYmFnZQ"), "invalid_cursor", "cursor"},
			{"a cursor of another sort order", "sort=amount_asc&cursor=" + url.QueryEscape(*first.NextCursor), "invalid_cursor", "cursor"},
			{"an overlong cursor", "cursor=" + strings.Repeat("A", 200), "invalid_cursor", "cursor"},
			{"unknown direction", "direction=sideways", "invalid_query", "direction"},
			{"min_amount not a number", "min_amount=abc", "invalid_amount", "min_amount"},
			{"max_amount with too many decimals", "max_amount=1.001", "invalid_amount", "max_amount"},
			{"negative min_amount", "min_amount=-5", "invalid_amount", "min_amount"},
			{"min above max", "min_amount=100&max_amount=10", "invalid_query", "max_amount"},
			{"unknown currency", "currency=XXX", "unknown_currency", "currency"},
			{"overlong search text", "q=" + strings.Repeat("a", 101), "invalid_query", "q"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := b.expectProblem(t, "GET", "/api/v1/accounts/"+acc.ID+"/transactions?"+tt.query, tok, nil,
					http.StatusBadRequest, tt.code, invalidOnPurpose, tt.name)
				if fields := r.fieldCodes(); len(fields) != 1 || !strings.HasPrefix(fields[0], tt.wantField+":") {
					t.Errorf("errors %v, want one for %s", fields, tt.wantField)
				}
			})
		}
	})
}

func TestStatement(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b, tok, acc := historyBank(t, d)
		path := "/api/v1/accounts/" + acc.ID + "/statement?"
		t.Run("a month is a PDF", func(t *testing.T) {
			for _, lang := range []string{"", "en"} {
				r := b.do(t, "GET", path+"from=2026-03-01&to=2026-03-31", tok, nil, "Accept-Language", lang)
				wantStatus(t, r, http.StatusOK)
				if ct := r.header.Get("Content-Type"); ct != "application/pdf" {
					t.Errorf("Content-Type %q", ct)
				}
				if !bytes.HasPrefix(r.body, []byte("%PDF")) {
					t.Errorf("body starts %q", r.body[:min(len(r.body), 16)])
				}
				if cd := r.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".pdf") {
					t.Errorf("Content-Disposition %q", cd)
				}
			}
		})
		t.Run("366 days are allowed", func(t *testing.T) {
			r := b.do(t, "GET", path+"from=2025-03-08&to=2026-03-09", tok, nil)
			wantStatus(t, r, http.StatusOK)
		})
		tests := []struct {
			name, query string
			code        string
		}{
			{"to before from", "from=2026-03-05&to=2026-03-04", "invalid_date_range"},
			{"missing dates", "", "invalid_date"},
			{"missing from", "to=2026-03-04", "invalid_date"},
			{"missing to", "from=2026-03-04", "invalid_date"},
			{"not a date", "from=yesterday&to=2026-03-04", "invalid_date"},
			{"367 days", "from=2025-03-07&to=2026-03-09", "date_range_too_long"},
			{"years", "from=2000-01-01&to=2026-03-09", "date_range_too_long"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				b.expectProblem(t, "GET", path+tt.query, tok, nil, http.StatusBadRequest, tt.code, invalidOnPurpose, tt.name)
			})
		}
	})
}
