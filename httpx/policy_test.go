package httpx

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
)

// testFace is a face whose sessions are the Authorization header's value and whose refusals are the status alone.
func testFace(b *Budgets, authenticated *int) Face {
	return Face{
		Budgets: b,
		Authenticate: func(a Access, h http.Handler) (http.Handler, error) {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				*authenticated++
				if r.Header.Get("Authorization") == "" {
					w.WriteHeader(http.StatusUnauthorized)
					return
				}
				h.ServeHTTP(w, r)
			}), nil
		},
		Personal: func(h http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasPrefix(r.Header.Get("Authorization"), "business") {
					w.WriteHeader(http.StatusForbidden)
					return
				}
				h.ServeHTTP(w, r)
			})
		},
		AuthenticateBank: func(h http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				*authenticated++
				if !strings.HasPrefix(r.Header.Get("Authorization"), "bank:") {
					w.WriteHeader(http.StatusUnauthorized)
					return
				}
				h.ServeHTTP(w, r)
			})
		},
		Customer: func(r *http.Request) string { return r.Header.Get("Authorization") },
		Refuse: func(w http.ResponseWriter, r *http.Request, err error) {
			w.WriteHeader(StatusOf(kumbara.KindOf(err)))
		},
	}
}

// perCustomer is a budget counted per customer here, as a face may declare one (the bank's own per-customer
// limits are counted by the domain, in the database).
const perCustomer Purpose = "test_per_customer"

// budgetsWithPerCustomer are the bank's budgets on the clock now, and perCustomer: 20 at once, then one every 6 s.
func budgetsWithPerCustomer(now func() time.Time) *Budgets {
	b := NewBudgets(now)
	spec := Budget{Every: 6 * time.Second, Burst: 20, PerCustomer: true}
	l := NewLimiter(spec.Every, spec.Burst, DefaultMaxKeys)
	l.Now = b.limiters[Login].Now
	b.specs[perCustomer], b.limiters[perCustomer] = spec, l
	return b
}

func ok() http.Handler { return http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}) }

func serve(t *testing.T, h http.Handler, session, addr string) int {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("{}"))
	r.RemoteAddr = addr + ":1234"
	if session != "" {
		r.Header.Set("Authorization", session)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec.Code
}

func TestAPolicyThatDoesNotHoldIsRefusedAtRegistration(t *testing.T) {
	var n int
	f := testFace(budgetsWithPerCustomer(nil), &n)
	for _, tt := range []struct {
		name string
		p    Policy
	}{
		{"no access decision", Policy{Limit: Login}},
		{"an access level nobody knows", Policy{Access: Bank + 1}},
		{"a per-customer budget on a bank's route", Policy{Access: Bank, Limit: perCustomer}},
		{"a personal-only bank's route", Policy{Access: Bank, Personal: true}},
		{"an unknown budget", Policy{Access: Public, Limit: "guesses"}},
		{"a per-customer budget on a public route", Policy{Access: Public, Limit: perCustomer}},
		{"a personal-only public route", Policy{Access: Public, Personal: true}},
	} {
		if _, err := f.Wrap(tt.p, ok()); err == nil {
			t.Errorf("%s: accepted", tt.name)
		}
	}
}

func TestTwoFacesSpendingTheSamePurposeShareOneBudget(t *testing.T) {
	var n int
	budgets := NewBudgets(func() time.Time { return time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC) })
	apiLogin, err := testFace(budgets, &n).Wrap(Policy{Access: Public, Limit: Login}, ok())
	if err != nil {
		t.Fatal(err)
	}
	webLogin, err := testFace(budgets, &n).Wrap(Policy{Access: Public, Limit: Login}, ok())
	if err != nil {
		t.Fatal(err)
	}
	webOTP, err := testFace(budgets, &n).Wrap(Policy{Access: Public, Limit: LoginCode}, ok())
	if err != nil {
		t.Fatal(err)
	}
	spec, _ := budgets.Budget(Login)
	for i := range spec.Burst {
		h := apiLogin
		if i%2 == 1 {
			h = webLogin
		}
		if got := serve(t, h, "", "192.0.2.1"); got != http.StatusOK {
			t.Fatalf("attempt %d: %d", i+1, got)
		}
	}
	for name, h := range map[string]http.Handler{"API": apiLogin, "web": webLogin} {
		if got := serve(t, h, "", "192.0.2.1"); got != http.StatusTooManyRequests {
			t.Errorf("a login over the %s past the shared budget: %d", name, got)
		}
	}
	if got := serve(t, webOTP, "", "192.0.2.1"); got != http.StatusOK {
		t.Errorf("the code step has a budget of its own: %d", got)
	}
	if got := serve(t, webLogin, "", "192.0.2.2"); got != http.StatusOK {
		t.Errorf("another address has a budget of its own: %d", got)
	}
}

func TestAPerAddressBudgetIsSpentBeforeTheSessionIsLookedUp(t *testing.T) {
	var looked int
	budgets := NewBudgets(func() time.Time { return time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC) })
	h, err := testFace(budgets, &looked).Wrap(Policy{Access: Full, Limit: PaymentConfirmation}, ok())
	if err != nil {
		t.Fatal(err)
	}
	spec, _ := budgets.Budget(PaymentConfirmation)
	for range spec.Burst {
		serve(t, h, "", "192.0.2.1")
	}
	looked = 0
	if got := serve(t, h, "", "192.0.2.1"); got != http.StatusTooManyRequests || looked != 0 {
		t.Errorf("past the budget: %d after %d session lookups, want 429 after none", got, looked)
	}
}

func TestAPerCustomerBudgetCountsTheSessionsCustomer(t *testing.T) {
	var n int
	budgets := budgetsWithPerCustomer(func() time.Time { return time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC) })
	h, err := testFace(budgets, &n).Wrap(Policy{Access: Full, Limit: perCustomer}, ok())
	if err != nil {
		t.Fatal(err)
	}
	spec, _ := budgets.Budget(perCustomer)
	// From many addresses: the customer's budget follows the customer.
	for i := range spec.Burst {
		if got := serve(t, h, "elira", "192.0.2."+string(rune('1'+i%9))); got != http.StatusOK {
			t.Fatalf("check %d: %d", i+1, got)
		}
	}
	if got := serve(t, h, "elira", "198.51.100.7"); got != http.StatusTooManyRequests {
		t.Errorf("past the customer's budget from a new address: %d", got)
	}
	if got := serve(t, h, "dritan", "192.0.2.1"); got != http.StatusOK {
		t.Errorf("another customer: %d", got)
	}
	if got := serve(t, h, "", "192.0.2.1"); got != http.StatusUnauthorized {
		t.Errorf("no session: %d, want 401 before any budget", got)
	}
}

func TestABudgetCountedByTheDomainAddsNothingHere(t *testing.T) {
	var n int
	budgets := NewBudgets(nil)
	h, err := testFace(budgets, &n).Wrap(Policy{Access: Full, Limit: PaymentCode}, ok())
	if err != nil {
		t.Fatal(err)
	}
	for i := range 1000 {
		if got := serve(t, h, "elira", "192.0.2.1"); got != http.StatusOK {
			t.Fatalf("payment %d: %d", i+1, got)
		}
	}
}

func TestAPersonalOnlyRouteRefusesABusinessUser(t *testing.T) {
	var n int
	h, err := testFace(NewBudgets(nil), &n).Wrap(Policy{Access: Full, Personal: true}, ok())
	if err != nil {
		t.Fatal(err)
	}
	if got := serve(t, h, "business:arben", "192.0.2.1"); got != http.StatusForbidden {
		t.Errorf("a business's user: %d", got)
	}
	if got := serve(t, h, "arben", "192.0.2.1"); got != http.StatusOK {
		t.Errorf("the person: %d", got)
	}
}

func TestTheBodyLimitIsTheRoutesOrTheFacesDefault(t *testing.T) {
	var n int
	f := testFace(NewBudgets(nil), &n)
	f.MaxBody = 64
	decode := func(w http.ResponseWriter, r *http.Request) {
		var v map[string]string
		if err := DecodeJSON(r, &v); err != nil {
			w.WriteHeader(StatusOf(kumbara.KindOf(err)))
		}
	}
	for _, tt := range []struct {
		maxBody int64
		size    int
		want    int
	}{
		{0, 50, http.StatusOK},
		{0, 100, http.StatusRequestEntityTooLarge},
		{200, 100, http.StatusOK},
		{200, 300, http.StatusRequestEntityTooLarge},
	} {
		h, err := f.Wrap(Policy{Access: Public, MaxBody: tt.maxBody}, http.HandlerFunc(decode))
		if err != nil {
			t.Fatal(err)
		}
		body := `{"a":"` + strings.Repeat("x", tt.size-8) + `"}`
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.ContentLength = -1 // streamed: the limit must hold while reading, not only on a declared length
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code != tt.want {
			t.Errorf("limit %d, body of %d bytes: %d, want %d", tt.maxBody, len(body), rec.Code, tt.want)
		}
	}
}

// TestABanksRouteTakesABanksCredentialAndNoSession: a bank's route is admitted by the face's bank authenticator
// alone (a customer's session is refused there, as a bank's credential is on a customer's route), spends a budget
// the domain counts without adding one here, and a face that admits no bank refuses the route at registration.
func TestABanksRouteTakesABanksCredentialAndNoSession(t *testing.T) {
	var n int
	f := testFace(NewBudgets(nil), &n)
	bank, err := f.Wrap(Policy{Access: Bank, Limit: BankNameCheck, MaxBody: 4 << 10}, ok())
	if err != nil {
		t.Fatal(err)
	}
	customer, err := f.Wrap(Policy{Access: Full}, ok())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, auth string
		h          http.Handler
		want       int
	}{
		{"a bank's credential", "bank:CDISALTR", bank, http.StatusOK},
		{"nothing", "", bank, http.StatusUnauthorized},
		{"a customer's session", "elira", bank, http.StatusUnauthorized},
		{"a customer's session on a customer's route", "elira", customer, http.StatusOK},
	} {
		if got := serve(t, tt.h, tt.auth, "192.0.2.1"); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		}
	}
	for i := range 1000 {
		if got := serve(t, bank, "bank:CDISALTR", "192.0.2.1"); got != http.StatusOK {
			t.Fatalf("check %d: %d (the allowance is the domain's)", i+1, got)
		}
	}
	f.AuthenticateBank = nil
	if _, err := f.Wrap(Policy{Access: Bank}, ok()); err == nil {
		t.Error("a face that admits no bank accepted a bank's route")
	}
	if _, err := f.Wrap(Policy{Access: Public}, ok()); err != nil {
		t.Errorf("a face that admits no bank refused a public route: %v", err)
	}
}
