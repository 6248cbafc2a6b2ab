package api_test

// This file holds every request and every answer of the API tests to openapi.json: the test client's transport
// (specCheck) validates each request before it is sent and each answer before the test sees it, with kin-openapi's
// openapi3filter, plus a check of our own that an answer carries no field the document does not name. The check
// depends only on HTTP, not on how the server is built.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// invalidOnPurpose is a request header a test sets (to the reason) on a request it makes wrong on purpose, such as
// a bad amount or an unknown field: the request is not held to the document, its answer still is. The header is
// taken off before the request leaves.
const invalidOnPurpose = "X-Test-Invalid-On-Purpose"

// openAPISpec is openapi.json loaded and validated, with a router over its operations. It is read once per test
// binary (loading and validating the document is the slow part) and never changed afterwards: kin-openapi's
// validation only reads it, so every test shares it.
var openAPISpec = sync.OnceValues(func() (*specRouter, error) {
	raw, err := os.ReadFile("openapi.json")
	if err != nil {
		return nil, err
	}
	// The document is OpenAPI 3.1 (type arrays with "null", `examples`, `propertyNames`, a license identifier).
	// kin-openapi v0.153 reads it as it is, so nothing is rewritten before loading: the loader keeps the 3.1
	// keywords, Validate checks the document by its own version (IsOpenAPI31OrLater only says so explicitly), and
	// openapi3filter validates the values of a 3.1 document with its JSON Schema 2020-12 validator, in which
	// `"type": ["string", "null"]` admits null (3.0's `nullable` would be ignored: the document does not use it).
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(raw)
	if err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	if !doc.IsOpenAPI31OrLater() {
		return nil, fmt.Errorf("openapi.json is OpenAPI %s, want 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(loader.Context, openapi3.IsOpenAPI31OrLater()); err != nil {
		return nil, fmt.Errorf("openapi.json is not a valid OpenAPI 3.1 document: %w", err)
	}
	r, err := legacy.NewRouter(doc, openapi3.IsOpenAPI31OrLater())
	if err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	return &specRouter{doc: doc, router: r}, nil
})

type specRouter struct {
	doc    *openapi3.T
	router routers.Router
}

// specCheck is an http.RoundTripper that validates what passes through it against openapi.json. It records what
// does not hold (a test may ignore a transport error, so report fails the test in any case) and refuses the
// answer, so the request that broke the document fails where it is made.
type specCheck struct {
	spec *specRouter
	next http.RoundTripper

	mu       sync.Mutex
	failures []string
}

// checkedClient returns an HTTP client whose every request and answer is validated against openapi.json; what
// does not hold fails t when it ends.
func checkedClient(t *testing.T) *http.Client {
	t.Helper()
	spec, err := openAPISpec()
	if err != nil {
		t.Fatal(err)
	}
	c := &specCheck{spec: spec, next: http.DefaultTransport}
	t.Cleanup(func() { c.report(t) })
	return &http.Client{Transport: c, Timeout: 30 * time.Second}
}

func (c *specCheck) report(t *testing.T) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, f := range c.failures {
		t.Errorf("openapi.json: %s", f)
	}
}

func (c *specCheck) fail(req *http.Request, err error) error {
	err = fmt.Errorf("%s %s: %w", req.Method, req.URL.RequestURI(), err)
	c.mu.Lock()
	c.failures = append(c.failures, err.Error())
	c.mu.Unlock()
	return err
}

func (c *specCheck) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	reason := req.Header.Get(invalidOnPurpose)
	req = req.Clone(ctx)
	req.Header.Del(invalidOnPurpose)
	body, err := bufferBody(req)
	if err != nil {
		return nil, err
	}

	// The document's server is "/": the router matches the path alone.
	local := *req
	local.URL = &url.URL{Path: req.URL.Path, RawPath: req.URL.RawPath, RawQuery: req.URL.RawQuery}
	route, params, findErr := c.spec.router.FindRoute(&local)
	var in *openapi3filter.RequestValidationInput
	if findErr == nil {
		in = &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{
				// Answering a missing or wrong token is the server's part, checked on the answer's side.
				AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
				// The API refuses any body it does not expect.
				RejectWhenRequestBodyNotSpecified: true,
				IncludeResponseStatus:             true,
				MultiError:                        true,
			}}
	}
	if reason == "" {
		if findErr != nil {
			return nil, c.fail(req, fmt.Errorf("the request is not an operation of the document: %v", findErr))
		}
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			return nil, c.fail(req, fmt.Errorf("request: %w", err))
		}
		// Validation reads the body (and may set defaults): send the bytes the test gave.
		req.Body = io.NopCloser(bytes.NewReader(body))
	}

	resp, err := c.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	answer, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(answer))
	if err := c.checkAnswer(ctx, in, resp, answer); err != nil {
		return nil, c.fail(req, fmt.Errorf("answer %d: %w\nbody: %.500s", resp.StatusCode, err, answer))
	}
	return resp, nil
}

// bufferBody reads a request's body so that it can be validated and then sent, keeping its length (an unknown
// length stays unknown, so a streamed body is still sent chunked).
func bufferBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	body, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return nil, err
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	return body, nil
}

// checkAnswer validates an answer against its operation. A request outside the document (an unknown path or
// method, asked on purpose) has no operation: a refusal must still be a problem document, and anything else (such
// as /metrics, which Prometheus' handler serves in its own format) is not the JSON API's.
func (c *specCheck) checkAnswer(ctx context.Context, in *openapi3filter.RequestValidationInput, resp *http.Response,
	answer []byte) error {
	if in == nil {
		if resp.StatusCode < 400 {
			return nil
		}
		return c.checkProblem(resp, answer)
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode,
		Header: resp.Header, Options: in.Options}
	out.SetBodyBytes(answer)
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		return err
	}
	// ValidateResponse found the answer's status (or a default) in the document.
	response := in.Route.Operation.Responses.Status(resp.StatusCode)
	if response == nil {
		response = in.Route.Operation.Responses.Default()
	}
	media := response.Value.Content.Get(resp.Header.Get("Content-Type"))
	if media == nil || media.Schema == nil || !isJSON(resp.Header.Get("Content-Type")) {
		return nil // no body (204), or a PDF
	}
	return undocumentedFields(media.Schema, answer)
}

// checkProblem holds an answer to a request the document does not have to the document's Problem schema.
func (c *specCheck) checkProblem(resp *http.Response, answer []byte) error {
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		return fmt.Errorf("Content-Type %q, want application/problem+json", ct)
	}
	problem := c.spec.doc.Components.Schemas["Problem"]
	var v any
	if err := json.Unmarshal(answer, &v); err != nil {
		return err
	}
	if err := problem.Value.VisitJSON(v, openapi3.EnableJSONSchema2020(), openapi3.VisitAsResponse()); err != nil {
		return err
	}
	return undocumentedFields(problem, answer)
}

func isJSON(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.TrimSpace(strings.ToLower(mt))
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// undocumentedFields reports the first field of a JSON answer that its schema does not name. JSON Schema lets an
// object carry any field its schema does not forbid, and the document rightly does not forbid them on answers (a
// client must ignore fields added later); the tests hold the server to naming every field it sends, so a field
// is documented before any client sees it.
func undocumentedFields(schema *openapi3.SchemaRef, answer []byte) error {
	var v any
	if err := json.Unmarshal(answer, &v); err != nil {
		return err
	}
	return walkFields(schema.Value, v, "")
}

func walkFields(s *openapi3.Schema, v any, at string) error {
	if s == nil {
		return nil
	}
	switch v := v.(type) {
	case map[string]any:
		if s.AdditionalProperties.Has != nil && *s.AdditionalProperties.Has || s.AdditionalProperties.Schema != nil {
			return nil // a map: any key is documented
		}
		props := properties(s, v)
		for _, key := range slices.Sorted(maps.Keys(v)) {
			sub, ok := props[key]
			if !ok {
				return fmt.Errorf("field %s is not in the document", at+"."+key)
			}
			for _, p := range sub {
				if err := walkFields(p, v[key], at+"."+key); err != nil {
					return err
				}
			}
		}
	case []any:
		if s.Items == nil {
			return nil
		}
		for i, item := range v {
			if err := walkFields(s.Items.Value, item, fmt.Sprintf("%s[%d]", at, i)); err != nil {
				return err
			}
		}
	}
	return nil
}

// properties lists the properties an object may have under s: its own, those of every allOf part and those of the
// oneOf/anyOf parts that the value matches.
func properties(s *openapi3.Schema, v map[string]any) map[string][]*openapi3.Schema {
	props := map[string][]*openapi3.Schema{}
	var collect func(s *openapi3.Schema)
	collect = func(s *openapi3.Schema) {
		for name, p := range s.Properties {
			props[name] = append(props[name], p.Value)
		}
		for _, part := range s.AllOf {
			collect(part.Value)
		}
		for _, part := range slices.Concat(s.OneOf, s.AnyOf) {
			if part.Value.VisitJSON(v, openapi3.EnableJSONSchema2020(), openapi3.VisitAsResponse()) == nil {
				collect(part.Value)
			}
		}
	}
	collect(s)
	return props
}

// TestTheDocumentCheckRefusesWhatTheDocumentDoesNotSay holds the check itself to its word: each answer below breaks
// openapi.json in one way, and the test client must refuse it.
func TestTheDocumentCheckRefusesWhatTheDocumentDoesNotSay(t *testing.T) {
	spec, err := openAPISpec()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		path        string
		status      int
		contentType string
		body        string
		wantErr     string // "" for an answer the document allows
	}{
		{"a documented answer", "/healthz", 200, "application/json", `{"status":"ok"}`, ""},
		{"an undocumented status", "/healthz", 418, "application/problem+json",
			`{"type":"t","title":"t","status":418,"code":"teapot"}`, "status is not supported"},
		{"an undocumented field", "/healthz", 200, "application/json", `{"status":"ok","uptime":3}`,
			"field .uptime is not in the document"},
		{"an undocumented field in a problem", "/readyz", 503, "application/problem+json",
			`{"type":"t","title":"t","status":503,"code":"unavailable","stack":"main.go:1"}`, "field .stack is not in the document"},
		{"a missing required field", "/readyz", 200, "application/json", `{"status":"ready"}`, "database"},
		{"a value outside its enum", "/healthz", 200, "application/json", `{"status":"fine"}`, "status"},
		{"another content type", "/healthz", 200, "text/plain", `ok`, "text/plain"},
		{"a problem without its code", "/readyz", 503, "application/problem+json",
			`{"type":"t","title":"t","status":503}`, "code"},
		{"an unknown path answered with something other than a problem", "/nowhere", 404, "text/plain", "404 page not found",
			"application/problem+json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.contentType != "" {
					w.Header().Set("Content-Type", tt.contentType)
				}
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			}))
			defer hs.Close()
			c := &specCheck{spec: spec, next: http.DefaultTransport}
			req, err := http.NewRequest(http.MethodGet, hs.URL+tt.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.path == "/nowhere" {
				req.Header.Set(invalidOnPurpose, "an unknown path")
			}
			resp, err := (&http.Client{Transport: c}).Do(req)
			if err == nil {
				resp.Body.Close()
			}
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tt.wantErr != "" && err == nil:
				t.Errorf("accepted; want a refusal naming %q", tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Errorf("refused with %v; want it to name %q", err, tt.wantErr)
			}
		})
	}
}
