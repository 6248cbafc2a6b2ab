package api_test

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/api"
	"github.com/kumbara/kumbara/cardnetwork"
	"github.com/kumbara/kumbara/device"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/outbox"
)

// secretField names a request field that carries a secret the server checks: a password, a one-time or branch
// code, a PIN or a card's last digits, a device's signature or Soft PIN response, an ID document's chip data.
var secretField = regexp.MustCompile(`(^|_)(password|otp|code|pin|last6|signature|response|sod)(_|$)`)

// notSecret are fields whose names match secretField but hold nothing secret (an address's postal code).
var notSecret = map[string]bool{"postal_code": true}

// sendsSummary is an operation whose summary says it sends something (a code by SMS, an email).
var sendsSummary = regexp.MustCompile(`(?i)\bsends?\b`)

// TestEveryRouteThatChecksASecretOrSendsAMessageHasABudget finds those routes without the route table: from the
// OpenAPI document, which clients are written against. A route checks a secret when its request body has a field
// named like one (secretField, at any depth); it sends a message when it changes something and its answer names
// the phone a code went to (masked_phone, at any depth) or its summary says it sends. Each must spend a budget.
func TestEveryRouteThatChecksASecretOrSendsAMessageHasABudget(t *testing.T) {
	raw, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	srv := &api.Server{Inbox: &outbox.Sandbox{}, Devices: &device.Service{}, CardNetwork: &cardnetwork.Sandbox{}}
	routes := map[string]api.Route{}
	for _, rt := range srv.Routes() {
		routes[rt.Method+" "+rt.Path] = rt
	}
	budgets := httpx.NewBudgets(nil)

	paths, _ := doc["paths"].(map[string]any)
	var secrets, senders int
	for path, item := range paths {
		for method, raw := range item.(map[string]any) {
			op, ok := raw.(map[string]any)
			if !ok || !slices.Contains(openAPIMethods, method) {
				continue
			}
			key := strings.ToUpper(method) + " " + path
			var why []string
			if body, ok := dig(op, "requestBody", "content", "application/json", "schema"); ok {
				for _, p := range schemaProperties(doc, body, nil) {
					if secretField.MatchString(p.name) && !notSecret[p.name] && p.schema["type"] == "string" {
						why = append(why, "its body has "+p.name)
						secrets++
						break
					}
				}
			}
			if method != "get" && method != "head" {
				summary, _ := op["summary"].(string)
				phone := slices.ContainsFunc(schemaProperties(doc, op["responses"], nil), func(p property) bool {
					return p.name == "masked_phone"
				})
				if phone || sendsSummary.MatchString(summary) {
					why = append(why, "it sends a code or message")
					senders++
				}
			}
			if len(why) == 0 {
				continue
			}
			rt, ok := routes[key]
			if !ok {
				t.Errorf("%s (%s) is documented but not a route", key, strings.Join(why, "; "))
				continue
			}
			if rt.Limit == "" {
				t.Errorf("%s spends no rate-limit budget, yet %s", key, strings.Join(why, " and "))
				continue
			}
			if _, ok := budgets.Budget(rt.Limit); !ok {
				t.Errorf("%s spends the unknown budget %q", key, rt.Limit)
			}
		}
	}
	// The document's shape is what finds them: a change that hid every secret from this walk must not pass quietly.
	if secrets < 12 || senders < 6 {
		t.Errorf("found %d routes checking secrets and %d sending messages: the walk of the document is broken",
			secrets, senders)
	}
}

// dig follows keys through nested JSON objects.
func dig(v any, keys ...string) (any, bool) {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[k]; !ok {
			return nil, false
		}
	}
	return v, true
}

// property is a property of a schema: its name and its own schema.
type property struct {
	name   string
	schema map[string]any
}

// schemaProperties lists every property in a schema, or in any JSON value holding schemas, at any depth, following $refs
// into the document's components (each once).
func schemaProperties(doc map[string]any, v any, seen map[string]bool) []property {
	if seen == nil {
		seen = map[string]bool{}
	}
	var out []property
	switch v := v.(type) {
	case map[string]any:
		if ref, ok := v["$ref"].(string); ok && !seen[ref] {
			seen[ref] = true
			target, _ := dig(doc, strings.Split(strings.TrimPrefix(ref, "#/"), "/")...)
			out = append(out, schemaProperties(doc, target, seen)...)
		}
		if props, ok := v["properties"].(map[string]any); ok {
			for name, schema := range props {
				m, _ := schema.(map[string]any)
				out = append(out, property{name: name, schema: m})
			}
		}
		for _, child := range v {
			out = append(out, schemaProperties(doc, child, seen)...)
		}
	case []any:
		for _, child := range v {
			out = append(out, schemaProperties(doc, child, seen)...)
		}
	}
	return out
}
