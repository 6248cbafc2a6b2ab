package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/api"
	"github.com/kumbara/kumbara/cardnetwork"
	"github.com/kumbara/kumbara/device"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/outbox"
)

// openAPIMethods are the operation keys of an OpenAPI path item.
var openAPIMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

type openAPIDoc struct {
	OpenAPI string                                `json:"openapi"`
	Paths   map[string]map[string]json.RawMessage `json:"paths"`
}

type openAPIOperation struct {
	OperationID string                     `json:"operationId"`
	Responses   map[string]json.RawMessage `json:"responses"`
}

func readOpenAPI(t *testing.T) openAPIDoc {
	t.Helper()
	raw, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc openAPIDoc
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		t.Errorf("openapi %q, want 3.1.x", doc.OpenAPI)
	}
	return doc
}

// TestOpenAPIMatchesRoutes holds the document and the route table to each other, both ways.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	doc := readOpenAPI(t)
	srv := &api.Server{Inbox: &outbox.Sandbox{}, Devices: &device.Service{}, Issuing: &issuing.Service{},
		CardNetwork: &cardnetwork.Sandbox{}}

	routes := map[string]bool{}
	for _, rt := range srv.Routes() {
		key := rt.Method + " " + rt.Path
		if routes[key] {
			t.Errorf("route %s is listed twice", key)
		}
		routes[key] = true
	}
	documented := map[string]bool{}
	operationIDs := map[string]string{}
	for path, item := range doc.Paths {
		for key, raw := range item {
			if !slices.Contains(openAPIMethods, key) {
				continue // parameters, summary, servers…
			}
			op := strings.ToUpper(key) + " " + path
			documented[op] = true
			var o openAPIOperation
			if err := json.Unmarshal(raw, &o); err != nil {
				t.Errorf("%s: %v", op, err)
				continue
			}
			if len(o.Responses) == 0 {
				t.Errorf("%s documents no response", op)
			}
			if o.OperationID != "" {
				if prev, dup := operationIDs[o.OperationID]; dup {
					t.Errorf("operationId %s used by %s and %s", o.OperationID, prev, op)
				}
				operationIDs[o.OperationID] = op
			}
		}
	}
	for _, op := range slices.Sorted(maps.Keys(routes)) {
		if !documented[op] {
			t.Errorf("route %s is not in openapi.json", op)
		}
	}
	for _, op := range slices.Sorted(maps.Keys(documented)) {
		if !routes[op] {
			t.Errorf("openapi.json documents %s, which is not a route", op)
		}
	}
	if len(routes) == 0 || len(documented) == 0 {
		t.Fatalf("%d routes, %d documented operations", len(routes), len(documented))
	}
}

// TestOpenAPIServed checks the API serves the document in the repository, byte for byte.
func TestOpenAPIServed(t *testing.T) {
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	// The document needs no database: a server without one is enough.
	srv := &api.Server{Responder: httpx.NewResponder(cat, nil, nil)}
	hs := httptest.NewServer(handler(t, srv))
	defer hs.Close()

	resp, err := checkedClient(t).Get(hs.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	want, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("served %d bytes that differ from openapi.json (%d bytes)", len(got), len(want))
	}
	if !bytes.Equal(api.OpenAPIDocument(), want) {
		t.Errorf("OpenAPIDocument differs from openapi.json")
	}
}

// TestOpenAPIDocumentsServerFailuresAndTheRetryRule holds every operation to documenting the 500 and the 503 any
// request may get when the database fails, the 503 to carrying Retry-After and to naming both of its codes, and the
// document to saying how to repeat a request whose outcome is unknown.
func TestOpenAPIDocumentsServerFailuresAndTheRetryRule(t *testing.T) {
	raw, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Info struct {
			Description string `json:"description"`
		} `json:"info"`
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Responses map[string]struct {
				Description string                     `json:"description"`
				Headers     map[string]json.RawMessage `json:"headers"`
			} `json:"responses"`
		} `json:"components"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for _, phrase := range []string{"outcome_unknown", "unavailable", "Retry-After", "same Idempotency-Key"} {
		if !strings.Contains(doc.Info.Description, phrase) {
			t.Errorf("the document's description does not explain %q", phrase)
		}
	}
	unavailable, ok := doc.Components.Responses["Unavailable"]
	if !ok {
		t.Fatal("no shared 503 response (components.responses.Unavailable)")
	}
	if _, ok := unavailable.Headers["Retry-After"]; !ok {
		t.Error("the 503 response does not document Retry-After")
	}
	for _, code := range []string{"`unavailable`", "`outcome_unknown`", "same Idempotency-Key"} {
		if !strings.Contains(unavailable.Description, code) {
			t.Errorf("the 503 response does not explain %s", code)
		}
	}
	for path, item := range doc.Paths {
		for key, rawOp := range item {
			if !slices.Contains(openAPIMethods, key) {
				continue
			}
			var op struct {
				Responses map[string]struct {
					Ref     string                     `json:"$ref"`
					Headers map[string]json.RawMessage `json:"headers"`
				} `json:"responses"`
			}
			if err := json.Unmarshal(rawOp, &op); err != nil {
				t.Fatal(err)
			}
			// A limit says how long it lasts: every 429 carries Retry-After from the limiter that refused.
			if r, ok := op.Responses["429"]; ok && r.Headers["Retry-After"] == nil {
				t.Errorf("%s %s: the 429 does not document Retry-After", strings.ToUpper(key), path)
			}
			for status, ref := range map[string]string{"500": "#/components/responses/InternalError",
				"503": "#/components/responses/Unavailable"} {
				if op.Responses[status].Ref != ref {
					t.Errorf("%s %s: %s is not documented as %s", strings.ToUpper(key), path, status, ref)
				}
			}
		}
	}
}
