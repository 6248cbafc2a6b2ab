package httpx

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/kumbara/kumbara"
)

type transferRequest struct {
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
	Creditor struct {
		IBAN string `json:"iban"`
	} `json:"creditor"`
	Count int `json:"count"`
}

func jsonRequest(body, contentType string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/api/v1/transfers", strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	return r
}

// decodeWithin is DecodeJSON on a route whose body limit is maxBytes (none if 0).
func decodeWithin(r *http.Request, dst any, maxBytes int64) error {
	if maxBytes > 0 {
		r = r.WithContext(context.WithValue(r.Context(), bodyLimitKey{}, maxBytes))
	}
	return DecodeJSON(r, dst)
}

func TestDecodeJSON(t *testing.T) {
	const limit = 128
	tests := []struct {
		name        string
		body        string
		contentType string
		wantCode    string // "" when decoding succeeds
		wantKind    kumbara.Kind
		wantFields  []kumbara.FieldError
	}{
		{"accepts a well-formed object", `{"amount":"12.50","currency":"ALL","creditor":{"iban":"AL47"}}`, "application/json", "", 0, nil},
		{"accepts a utf-8 charset", `{"amount":"1"}`, "application/json; charset=UTF-8", "", 0, nil},
		{"accepts trailing whitespace", "{\"amount\":\"1\"}\n\t ", "application/json", "", 0, nil},
		{"refuses a missing content type", `{}`, "", "unsupported_media_type", kumbara.KindInvalid, nil},
		{"refuses a form", `amount=1`, "application/x-www-form-urlencoded", "unsupported_media_type", kumbara.KindInvalid, nil},
		{"refuses text/plain, how cross-site posts arrive", `{}`, "text/plain", "unsupported_media_type", kumbara.KindInvalid, nil},
		{"refuses another charset", `{}`, "application/json; charset=latin1", "unsupported_media_type", kumbara.KindInvalid, nil},
		{"refuses a malformed content type", `{}`, "application/json; ;=", "unsupported_media_type", kumbara.KindInvalid, nil},
		{"refuses an unknown field and names it", `{"amount":"1","amuont":"2"}`, "application/json", "unknown_field", kumbara.KindInvalid,
			[]kumbara.FieldError{{Field: "amuont", Code: "unknown_field"}}},
		{"refuses an unknown nested field", `{"creditor":{"iban":"x","bic":"y"}}`, "application/json", "unknown_field", kumbara.KindInvalid,
			[]kumbara.FieldError{{Field: "bic", Code: "unknown_field"}}},
		{"refuses an empty body", ``, "application/json", "malformed_json", kumbara.KindInvalid, nil},
		{"refuses a whitespace body", "  \n", "application/json", "malformed_json", kumbara.KindInvalid, nil},
		{"refuses broken JSON", `{"amount":`, "application/json", "malformed_json", kumbara.KindInvalid, nil},
		{"refuses invalid JSON", `{amount: 1}`, "application/json", "malformed_json", kumbara.KindInvalid, nil},
		{"refuses a second value", `{"amount":"1"}{"amount":"2"}`, "application/json", "malformed_json", kumbara.KindInvalid, nil},
		{"refuses trailing garbage", `{"amount":"1"} x`, "application/json", "malformed_json", kumbara.KindInvalid, nil},
		{"refuses a trailing bracket", `{"amount":"1"}]`, "application/json", "malformed_json", kumbara.KindInvalid, nil},
		{"refuses an array where an object is expected", `[1,2]`, "application/json", "malformed_json", kumbara.KindInvalid, nil},
		{"refuses a wrong type and names the field", `{"count":"three"}`, "application/json", "validation_failed", kumbara.KindInvalid,
			[]kumbara.FieldError{{Field: "count", Code: "type_invalid"}}},
		{"names a nested field of the wrong type by its path", `{"creditor":{"iban":5}}`, "application/json", "validation_failed", kumbara.KindInvalid,
			[]kumbara.FieldError{{Field: "creditor.iban", Code: "type_invalid"}}},
		{"refuses a key given twice", `{"amount":"1","currency":"ALL","amount":"1000"}`, "application/json", "malformed_json", kumbara.KindInvalid,
			[]kumbara.FieldError{{Field: "amount", Code: "duplicate_field"}}},
		{"refuses a nested key given twice by its path", `{"creditor":{"iban":"AL47","iban":"AL99"}}`, "application/json", "malformed_json", kumbara.KindInvalid,
			[]kumbara.FieldError{{Field: "creditor.iban", Code: "duplicate_field"}}},
		{"refuses a key that matches a field only when case is ignored", `{"Amount":"1"}`, "application/json", "unknown_field", kumbara.KindInvalid,
			[]kumbara.FieldError{{Field: "Amount", Code: "unknown_field"}}},
		{"refuses a key that differs from the field in one letter's case", `{"amounT":"1"}`, "application/json", "unknown_field", kumbara.KindInvalid,
			[]kumbara.FieldError{{Field: "amounT", Code: "unknown_field"}}},
		{"refuses a nested key that matches only when case is ignored", `{"creditor":{"IBAN":"AL47"}}`, "application/json", "unknown_field", kumbara.KindInvalid,
			[]kumbara.FieldError{{Field: "creditor.IBAN", Code: "unknown_field"}}},
		{"refuses a body over the limit", `{"amount":"` + strings.Repeat("9", limit) + `"}`, "application/json", "body_too_large", kumbara.KindTooLarge, nil},
		{"refuses trailing data that goes over the limit", `{"amount":"1"}` + strings.Repeat(" ", limit), "application/json", "body_too_large", kumbara.KindTooLarge, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var dst transferRequest
			err := decodeWithin(jsonRequest(tt.body, tt.contentType), &dst, limit)
			if tt.wantCode == "" {
				if err != nil {
					t.Fatalf("DecodeJSON: %v", err)
				}
				return
			}
			e, ok := err.(*kumbara.Error)
			if !ok {
				t.Fatalf("error %T %v, want *kumbara.Error", err, err)
			}
			if e.Code != tt.wantCode || e.Kind != tt.wantKind || !slices.Equal(e.Fields, tt.wantFields) {
				t.Errorf("got code %q kind %d fields %v, want %q %d %v", e.Code, e.Kind, e.Fields, tt.wantCode, tt.wantKind, tt.wantFields)
			}
		})
	}
}

func TestDecodeJSONRefusesAnOversizedBodyOfUnknownLengthWithoutReadingItAll(t *testing.T) {
	// A chunked body has no Content-Length; the limit must still hold while reading.
	body := &countingReader{r: strings.NewReader(`{"amount":"` + strings.Repeat("9", 1<<20) + `"}`)}
	r := httptest.NewRequest(http.MethodPost, "/", body)
	r.ContentLength = -1
	r.Header.Set("Content-Type", "application/json")
	err := decodeWithin(r, &transferRequest{}, 1024)
	if kumbara.CodeOf(err) != "body_too_large" {
		t.Fatalf("error %v, want body_too_large", err)
	}
	if body.n > 64<<10 {
		t.Errorf("read %d bytes of a body limited to 1024", body.n)
	}
}

func TestDecodeJSONRefusesADeclaredOversizedBodyBeforeReading(t *testing.T) {
	body := &countingReader{r: strings.NewReader(`{}`)}
	r := httptest.NewRequest(http.MethodPost, "/", body)
	r.ContentLength = 10 << 20
	r.Header.Set("Content-Type", "application/json")
	if err := decodeWithin(r, &transferRequest{}, 0); kumbara.CodeOf(err) != "body_too_large" {
		t.Fatalf("error %v, want body_too_large", err)
	}
	if body.n != 0 {
		t.Errorf("read %d bytes", body.n)
	}
}

func TestDecodeJSONIntoANonPointerIsOurFault(t *testing.T) {
	err := decodeWithin(jsonRequest(`{}`, "application/json"), transferRequest{}, 0)
	if kumbara.KindOf(err) != kumbara.KindInternal {
		t.Errorf("kind %d, want internal", kumbara.KindOf(err))
	}
}

func TestDecodeJSONErrorsBecomeProblems(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name        string
		body        string
		contentType string
		status      int
		code        string
	}{
		{"oversized", strings.Repeat(" ", 100) + "{}", "application/json", http.StatusRequestEntityTooLarge, "body_too_large"},
		{"wrong content type", "{}", "text/plain", http.StatusUnsupportedMediaType, "unsupported_media_type"},
		{"unknown field", `{"iban":"x"}`, "application/json", http.StatusBadRequest, "unknown_field"},
		{"malformed", `{`, "application/json", http.StatusBadRequest, "malformed_json"},
		{"trailing", `{}{}`, "application/json", http.StatusBadRequest, "malformed_json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				var dst transferRequest
				if err := decodeWithin(r, &dst, 64); err != nil {
					f.s.Error(w, r, err)
					return
				}
				f.s.JSON(w, r, http.StatusOK, dst)
			})
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, jsonRequest(tt.body, tt.contentType))
			p := decodeProblem(t, rec)
			if rec.Code != tt.status || p.Code != tt.code {
				t.Errorf("status %d code %q, want %d %q", rec.Code, p.Code, tt.status, tt.code)
			}
			if tt.code == "unknown_field" && (len(p.Errors) != 1 || p.Errors[0].Field != "iban") {
				t.Errorf("errors = %v, want the field iban", p.Errors)
			}
		})
	}
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// TestDecodeJSONIsStrictAtEveryDepth: the checks encoding/json does not make hold in maps, lists, embedded structs
// and values a type decodes itself; folding is Unicode's, as encoding/json's is (the Kelvin sign folds to k).
func TestDecodeJSONIsStrictAtEveryDepth(t *testing.T) {
	type Base struct {
		Key string `json:"key"`
	}
	type request struct {
		Base
		Tags  map[string]int    `json:"tags"`
		Items []struct{ N int } `json:"items"`
		Raw   json.RawMessage   `json:"raw"`
		Any   any               `json:"any"`
		Skip  string            `json:"-"`
	}
	for _, tt := range []struct {
		name, body string
		code       string
		field      string
	}{
		{"an embedded struct's field", `{"key":"a","raw":{},"any":1}`, "", ""},
		{"a map with any keys", `{"tags":{"A":1,"a":2}}`, "", ""},
		{"an embedded struct's field in another case", `{"KEY":"a"}`, "unknown_field", "KEY"},
		{"the Kelvin sign for k", "{\"\u212aey\":\"a\"}", "unknown_field", "\u212aey"},
		{"a key twice in a map", `{"tags":{"a":1,"a":2}}`, "malformed_json", "tags.a"},
		{"a field in another case inside a list", `{"items":[{"N":1},{"n":2}]}`, "unknown_field", "items[1].n"},
		{"a key twice in a raw value", `{"raw":{"x":1,"x":2}}`, "malformed_json", "raw.x"},
		{"a key twice in a value of any shape", `{"any":[{"x":1,"x":2}]}`, "malformed_json", "any[0].x"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var dst request
			err := decodeWithin(jsonRequest(tt.body, "application/json"), &dst, 0)
			if tt.code == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			e, ok := kumbara.As(err)
			if !ok || e.Code != tt.code || len(e.Fields) != 1 || e.Fields[0].Field != tt.field {
				t.Errorf("got %v, want %s naming %s", err, tt.code, tt.field)
			}
		})
	}
}

// FuzzDecodeJSON: whatever the body, DecodeJSON answers a client error or a value, never a panic; and what it
// accepts, encoding/json reads the same way.
func FuzzDecodeJSON(f *testing.F) {
	for _, seed := range []string{`{"amount":"12.50","currency":"ALL","creditor":{"iban":"AL47"},"count":2}`,
		`{"amount":"1","amount":"2"}`, `{"Amount":"1"}`, `{"creditor":{"IBAN":"x"}}`, `[]`, `{"count":1e400}`, ``} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var got transferRequest
		err := decodeWithin(jsonRequest(string(body), "application/json"), &got, 0)
		if err != nil {
			if k := kumbara.KindOf(err); k != kumbara.KindInvalid && k != kumbara.KindTooLarge {
				t.Fatalf("%q: %v (kind %d)", body, err, k)
			}
			return
		}
		var want transferRequest
		if err := json.Unmarshal(body, &want); err != nil {
			t.Fatalf("%q accepted, but encoding/json refuses it: %v", body, err)
		}
		if got != want {
			t.Fatalf("%q: decoded %+v, encoding/json %+v", body, got, want)
		}
	})
}
