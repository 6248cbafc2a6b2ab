package api_test

import (
	"io"
	"maps"
	"net/http"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// with returns a copy of base with the fields set; a nil value removes the field.
func with(base map[string]any, fields map[string]any) map[string]any {
	out := maps.Clone(base)
	for k, v := range fields {
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

// TestTransferRefusesBadInput sends transfers that are malformed or invalid. Each is a 4xx problem in the customer's
// language, and nothing moves: no balance changes, no transfer or posting is written.
func TestTransferRefusesBadInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tok := b.login(t, arben)
		current := b.account(t, arben, money.ALL, ledger.TypeCurrent)
		savings := b.account(t, arben, money.ALL, ledger.TypeSavings)
		euro := b.account(t, arben, money.EUR, ledger.TypeCurrent)
		eliraEuro := b.account(t, elira, money.EUR, ledger.TypeCurrent)
		own := map[string]any{"type": "own", "from_account_id": current.ID, "to_account_id": savings.ID,
			"amount": "10.00", "currency": "ALL", "description": "Kursim"}
		oversized := `{"type":"own","description":"` + strings.Repeat("a", 17<<10) + `"}`

		tests := []struct {
			name      string
			body      any
			headers   []string // besides a fresh Idempotency-Key
			status    int
			code      string
			wantField string // the field errors[] must name, if any
		}{
			// The envelope.
			{"malformed JSON", `{"type":"own",`, nil, 400, "malformed_json", ""},
			{"JSON that is not an object", `["own"]`, nil, 400, "malformed_json", ""},
			{"an empty body", ``, nil, 400, "malformed_json", ""},
			{"a second JSON value", `{"type":"own"} {"type":"own"}`, nil, 400, "malformed_json", ""},
			{"an unknown field", with(own, map[string]any{"amout": "10.00"}), nil, 400, "unknown_field", "amout"},
			{"a field of the wrong type", with(own, map[string]any{"amount": 10}), nil, 400, "validation_failed", "amount"},
			// A proxy, a log or a later reader may take the first of two keys where encoding/json takes the last.
			{"a field given twice", `{"type":"own","from_account_id":"` + current.ID + `","to_account_id":"` + savings.ID +
				`","amount":"10.00","currency":"ALL","amount":"9000.00"}`, nil, 400, "malformed_json", "amount"},
			{"a field named in another case", with(own, map[string]any{"amount": nil, "Amount": "10.00"}), nil, 400, "unknown_field", "Amount"},
			{"a body over 16 KiB", oversized, nil, 413, "body_too_large", ""},
			{"a body over 16 KiB without a length", func() io.Reader { return io.MultiReader(strings.NewReader(oversized)) }, nil, 413, "body_too_large", ""},
			{"a text/plain body", with(own, nil), []string{"Content-Type", "text/plain"}, 415, "unsupported_media_type", ""},
			{"a form body", "type=own&amount=10", []string{"Content-Type", "application/x-www-form-urlencoded"}, 415, "unsupported_media_type", ""},
			{"no content type", with(own, nil), []string{"Content-Type", ""}, 415, "unsupported_media_type", ""},
			{"a non-UTF-8 charset", with(own, nil), []string{"Content-Type", "application/json; charset=latin1"}, 415, "unsupported_media_type", ""},
			// The idempotency key.
			{"no Idempotency-Key", with(own, nil), []string{"Idempotency-Key", ""}, 400, "idempotency_key_missing", "Idempotency-Key"},
			{"an Idempotency-Key over 64 characters", with(own, nil), []string{"Idempotency-Key", strings.Repeat("k", 65)}, 400, "idempotency_key_invalid", "Idempotency-Key"},
			{"an Idempotency-Key with a space", with(own, nil), []string{"Idempotency-Key", "a b"}, 400, "idempotency_key_invalid", "Idempotency-Key"},
			// Required fields and type.
			{"no type", with(own, map[string]any{"type": nil}), nil, 400, "validation_failed", "type"},
			{"an unknown type", with(own, map[string]any{"type": "swift"}), nil, 400, "validation_failed", "type"},
			{"no source account", with(own, map[string]any{"from_account_id": nil}), nil, 400, "validation_failed", "from_account_id"},
			{"no beneficiary", with(own, map[string]any{"to_account_id": nil}), nil, 400, "validation_failed", "to_account_id"},
			{"both beneficiary account and IBAN", with(own, map[string]any{"type": "internal", "to_iban": eliraEuro.IBAN}), nil, 400, "validation_failed", "to_iban"},
			{"an IBAN with a wrong checksum", with(own, map[string]any{"type": "internal", "to_account_id": nil, "to_iban": "AL00999000010000000000000000"}), nil, 400, "iban_invalid", ""},
			// The amount.
			{"too many decimals", with(own, map[string]any{"amount": "1.001"}), nil, 400, "amount_too_many_decimals", "amount"},
			{"zero", with(own, map[string]any{"amount": "0"}), nil, 400, "amount_not_positive", "amount"},
			{"zero with decimals", with(own, map[string]any{"amount": "0.00"}), nil, 400, "amount_not_positive", "amount"},
			{"negative", with(own, map[string]any{"amount": "-5.00"}), nil, 400, "amount_not_positive", "amount"},
			{"beyond int64", with(own, map[string]any{"amount": "99999999999999999999"}), nil, 400, "amount_out_of_range", "amount"},
			{"not a number", with(own, map[string]any{"amount": "ten"}), nil, 400, "invalid_amount", "amount"},
			{"an exponent", with(own, map[string]any{"amount": "1e3"}), nil, 400, "invalid_amount", "amount"},
			{"a thousands separator", with(own, map[string]any{"amount": "1,000.00"}), nil, 400, "invalid_amount", "amount"},
			{"a leading space", with(own, map[string]any{"amount": " 10"}), nil, 400, "invalid_amount", "amount"},
			{"no amount", with(own, map[string]any{"amount": nil}), nil, 400, "invalid_amount", "amount"},
			// The currency.
			{"an unknown currency", with(own, map[string]any{"currency": "XXX"}), nil, 400, "unknown_currency", "currency"},
			{"a lower-case currency", with(own, map[string]any{"currency": "all"}), nil, 400, "unknown_currency", "currency"},
			{"no currency", with(own, map[string]any{"currency": nil}), nil, 400, "unknown_currency", "currency"},
			{"a EUR amount from an ALL account", with(own, map[string]any{"currency": "EUR"}), nil, 422, "currency_mismatch", ""},
			{"ALL to a EUR account", with(own, map[string]any{"to_account_id": euro.ID}), nil, 422, "transfer_needs_exchange", ""},
			{"ALL to another customer's EUR account", with(own, map[string]any{"type": "internal", "to_account_id": nil, "to_iban": eliraEuro.IBAN}), nil, 422, "currency_mismatch", ""},
			// The description.
			{"a script tag in the description", with(own, map[string]any{"description": "<script>"}), nil, 400, "description_invalid_characters", "description"},
			{"a semicolon in the description", with(own, map[string]any{"description": "a;b"}), nil, 400, "description_invalid_characters", "description"},
			{"an emoji in the description", with(own, map[string]any{"description": "Qira 🏠"}), nil, 400, "description_invalid_characters", "description"},
			{"a control character in the description", with(own, map[string]any{"description": "a\nb"}), nil, 400, "description_invalid_characters", "description"},
			{"a NUL in the description", with(own, map[string]any{"description": "a\x00b"}), nil, 400, "description_invalid_characters", "description"},
			{"a description over 140 characters", with(own, map[string]any{"description": strings.Repeat("a", 141)}), nil, 400, "description_too_long", "description"},
			// Identifiers no account has.
			{"a NUL in the source account id", with(own, map[string]any{"from_account_id": "\x00"}), nil, 404, "account_not_found", ""},
			{"a NUL in the beneficiary account id", with(own, map[string]any{"to_account_id": "a\x00"}), nil, 404, "account_not_found", ""},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := b.money(t)
				headers := append([]string{"Idempotency-Key", "bad-" + string(rune('a'+i%26)) + strings.Repeat("x", i/26),
					invalidOnPurpose, tt.name}, tt.headers...)
				r := b.expectProblem(t, "POST", "/api/v1/transfers", tok, tt.body, tt.status, tt.code, headers...)
				if tt.wantField != "" {
					fields := r.fieldCodes()
					if len(fields) == 0 || !strings.HasPrefix(fields[0], tt.wantField+":") {
						t.Errorf("errors %v, want one for %s", fields, tt.wantField)
					}
				}
				b.expectNothingMoved(t, before)
			})
		}

		// The rule refuses only what it must: Albanian letters and payment punctuation pass.
		t.Run("an Albanian description with punctuation is accepted", func(t *testing.T) {
			before := b.fresh(t, current.ID).Balance
			const desc = "Qira për muajin, nr. 5/2026 (ç)"
			r := b.do(t, "POST", "/api/v1/transfers", tok, with(own, map[string]any{"description": desc}),
				"Idempotency-Key", "albanian-description")
			wantStatus(t, r, http.StatusCreated)
			if r.str("description") != desc {
				t.Errorf("description %q", r.str("description"))
			}
			if after := b.fresh(t, current.ID).Balance; after != before-1000 {
				t.Errorf("balance %d, want %d", after, before-1000)
			}
		})
	})
}

// TestLoginRefusesBadInput covers the envelope of the two login steps.
func TestLoginRefusesBadInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tests := []struct {
			name      string
			path      string
			body      any
			headers   []string
			status    int
			code      string
			wantField []string
		}{
			{"malformed JSON", "/api/v1/auth/login", `{"username":`, nil, 400, "malformed_json", nil},
			{"an unknown field", "/api/v1/auth/login", map[string]string{"username": arben, "password": "x", "pin": "1"}, nil, 400, "unknown_field", []string{"pin:unknown_field"}},
			{"a form body", "/api/v1/auth/login", "username=1&password=2", []string{"Content-Type", "application/x-www-form-urlencoded"}, 415, "unsupported_media_type", nil},
			{"a body over 16 KiB", "/api/v1/auth/login", `{"username":"` + strings.Repeat("1", 17<<10) + `"}`, nil, 413, "body_too_large", nil},
			{"no username and password", "/api/v1/auth/login", map[string]string{}, nil, 400, "validation_failed",
				[]string{"username:field_required", "password:field_required"}},
			{"a NUL in the username", "/api/v1/auth/login", map[string]string{"username": "\x00", "password": "Kumbara2026"}, nil, 401, "login_failed", nil},
			{"an overlong password", "/api/v1/auth/login", map[string]string{"username": arben, "password": strings.Repeat("a", 200)}, nil, 401, "login_failed", nil},
			{"no code", "/api/v1/auth/login/otp", map[string]string{"challenge_id": "x"}, nil, 400, "validation_failed", []string{"otp:field_required"}},
			{"a code of the wrong type", "/api/v1/auth/login/otp", `{"challenge_id":"x","otp":123456}`, nil, 400, "validation_failed", []string{"otp:type_invalid"}},
			{"an unknown challenge", "/api/v1/auth/login/otp", map[string]string{"challenge_id": "0190c6f0-0000-7000-8000-000000000000", "otp": "123456"}, nil, 401, "otp_invalid", nil},
			{"a NUL in the challenge id", "/api/v1/auth/login/otp", map[string]string{"challenge_id": "\x00", "otp": "123456"}, nil, 401, "otp_invalid", nil},
			{"invalid UTF-8 in the challenge id", "/api/v1/auth/login/otp", "{\"challenge_id\":\"\xff\",\"otp\":\"123456\"}", nil, 401, "otp_invalid", nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := b.expectProblem(t, "POST", tt.path, "", tt.body, tt.status, tt.code,
					append([]string{invalidOnPurpose, tt.name}, tt.headers...)...)
				if got := r.fieldCodes(); strings.Join(got, ",") != strings.Join(tt.wantField, ",") {
					t.Errorf("errors %v, want %v", got, tt.wantField)
				}
			})
		}
	})
}

// TestGarbageInPathsAndQueriesIsNeverAServerError sends identifiers and search values no database column can hold.
func TestGarbageInPathsAndQueriesIsNeverAServerError(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tok := b.login(t, arben)
		acc := b.account(t, arben, money.ALL, ledger.TypeCurrent).ID
		tests := []struct {
			name   string
			method string
			path   string
			body   any
			status int
			code   string
		}{
			{"a NUL account id", "GET", "/api/v1/accounts/%00", nil, 404, "account_not_found"},
			{"an invalid UTF-8 account id", "GET", "/api/v1/accounts/%FF%FE", nil, 404, "account_not_found"},
			{"an account id of 1000 characters", "GET", "/api/v1/accounts/" + strings.Repeat("a", 1000), nil, 404, "account_not_found"},
			{"a NUL account id for the history", "GET", "/api/v1/accounts/%00/transactions", nil, 404, "account_not_found"},
			{"a NUL account id for a statement", "GET", "/api/v1/accounts/%00/statement?from=2026-03-01&to=2026-03-02", nil, 404, "account_not_found"},
			{"renaming a NUL account id", "PATCH", "/api/v1/accounts/%00", map[string]string{"name": "x"}, 404, "account_not_found"},
			{"a NUL transfer id", "GET", "/api/v1/transfers/%00", nil, 404, "transfer_not_found"},
			{"an invalid UTF-8 transfer id", "GET", "/api/v1/transfers/%C3%28/receipt", nil, 404, "transfer_not_found"},
			{"a NUL in the history search", "GET", "/api/v1/accounts/" + acc + "/transactions?q=%00", nil, 400, "invalid_query"},
			{"invalid UTF-8 in the history search", "GET", "/api/v1/accounts/" + acc + "/transactions?q=%FF", nil, 400, "invalid_query"},
			{"a NUL client number in the payee check", "GET", "/api/v1/payees?by=client_number&value=%00", nil, 404, "payee_not_found"},
			{"a NUL national ID in the payee check", "GET", "/api/v1/payees?by=national_id&value=%00", nil, 404, "payee_not_found"},
			{"invalid UTF-8 in the payee check", "GET", "/api/v1/payees?by=client_number&value=%FF", nil, 404, "payee_not_found"},
			{"an unknown route", "GET", "/api/v1/nothing-here", nil, 404, "not_found"},
			{"a method the route does not have", "DELETE", "/api/v1/accounts", nil, 405, "method_not_allowed"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				b.expectProblem(t, tt.method, tt.path, tok, tt.body, tt.status, tt.code, invalidOnPurpose, tt.name)
			})
		}
	})
}
