package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestTheBenchSetupRepeatsA503AfterTheTimeTheServerAsksFor(t *testing.T) {
	for _, c := range []struct {
		name      string
		status    int
		header    string
		attempt   int
		wait      time.Duration
		wantRetry bool
	}{
		{"a 503 with Retry-After", 503, "2", 1, 2 * time.Second, true},
		{"a 503 without Retry-After", 503, "", 1, time.Second, true},
		{"a 503 asking for too long", 503, "600", 1, 10 * time.Second, true},
		{"the fifth 503", 503, "1", 5, 0, false},
		{"a refusal", 422, "", 1, 0, false},
		{"an answer", 200, "", 1, 0, false},
	} {
		resp := &http.Response{StatusCode: c.status, Header: http.Header{}}
		if c.header != "" {
			resp.Header.Set("Retry-After", c.header)
		}
		wait, retry := retryAfter(resp, c.attempt)
		if retry != c.wantRetry || wait != c.wait {
			t.Errorf("%s: retry %v after %v, want %v after %v", c.name, retry, wait, c.wantRetry, c.wait)
		}
	}
}

func TestEveryBenchClientComesFromAnAddressOfItsOwnInTheBenchmarkingRange(t *testing.T) {
	seen := map[string]bool{}
	for i := 1; i <= 70000; i++ {
		a := benchAddress(i)
		if seen[a] {
			t.Fatalf("client %d has the address %s of an earlier client", i, a)
		}
		seen[a] = true
		if !strings.HasPrefix(a, "198.18.") && !strings.HasPrefix(a, "198.19.") {
			t.Fatalf("client %d: %s is outside 198.18.0.0/15", i, a)
		}
	}
}

func TestTheBenchMeasuresConversionsOrTheAuditNotBothInOneRun(t *testing.T) {
	env := func(string) string { return "" }
	c, err := parseBench([]string{"--fx", "--clients", "4"}, env, io.Discard)
	if err != nil || !c.fx || c.compareAudit {
		t.Fatalf("--fx: %+v, %v", c, err)
	}
	if _, err := parseBench([]string{"--fx", "--compare-audit"}, env, io.Discard); err == nil {
		t.Fatal("--fx with --compare-audit was taken")
	}
}
