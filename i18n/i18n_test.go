package i18n

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
)

// apiCodes is every code the API and the domain packages return; each must be translated in both languages.
var apiCodes = []string{
	"internal", "unavailable", "not_found", "method_not_allowed", "malformed_json", "unknown_field",
	"body_too_large", "unsupported_media_type", "validation_failed", "field_required", "invalid_amount",
	"amount_too_many_decimals", "amount_not_positive", "amount_out_of_range", "unknown_currency",
	"currency_mismatch", "account_not_found", "transfer_not_found", "customer_not_found", "payee_not_found",
	"insufficient_funds", "account_blocked", "account_closed", "same_account", "idempotency_key_missing",
	"idempotency_key_invalid", "idempotency_key_reused", "idempotency_in_progress", "otp_invalid", "otp_expired",
	"otp_used", "otp_too_many_attempts", "challenge_not_found", "login_failed", "channel_blocked",
	"unauthenticated", "session_expired", "password_change_required", "password_policy", "password_length",
	"password_letters_and_digits", "password_upper_and_lower", "password_forbidden_character",
	"password_birth_date", "password_digit_run", "password_common", "password_personal_data", "password_reused",
	"description_invalid_characters", "description_too_long", "iban_invalid", "bic_invalid",
	"national_id_invalid", "nipt_invalid", "client_number_invalid", "mobile_invalid", "invalid_date",
	"invalid_date_range", "date_range_too_long", "invalid_cursor", "invalid_limit", "invalid_query",
	"rate_limited", "hold_not_found", "hold_not_active", "transaction_not_found", "already_reversed",
	"overdraft_exceeded", "type_invalid", "cross_site_refused", "assurance_insufficient", "account_not_empty",
	"customer_exists", "mobile_missing", "password_wrong", "too_many_accounts",
	// cards and branch unique codes
	"card_not_found", "card_pin_invalid", "card_pin_blocked", "card_pin_weak", "card_type_invalid", "unique_code_invalid", "unique_code_expired", "unique_code_used", "unique_code_blocked",
	// a business's users (A20)
	"business_user_not_allowed",
	// registration (R1, R2)
	"registration_failed", "registration_contract_missing", "registration_phone_missing",
	// payment confirmation
	"confirmation_mismatch", "transfer_expired", "transfer_not_pending", "transfer_not_completed",
	"trusted_beneficiary_limit", "beneficiary_not_found", "method_unavailable", "method_invalid",
	// identity documents (A7, A9)
	"id_document_invalid", "id_document_expired", "id_document_unavailable", "id_document_mismatch",
	// passkeys
	"passkey_invalid", "passkey_registration_failed", "passkey_not_found", "passkey_name_invalid", "passkey_limit",
	"passkey_none",
	// sessions, partial login, closed channel, app version, terms (A16, A19, P1, P2)
	"session_not_found", "channel_closed", "web_login_required", "app_update_required", "app_version_invalid", "app_platform_invalid",
	"terms_acceptance_required", "terms_version_not_current",
	// trusted devices, biometric login, Smart OTP, Soft PIN (A2–A7)
	"device_not_found", "device_not_trusted", "trusted_device_limit", "too_many_devices", "device_key_invalid",
	"device_name_invalid", "device_type_invalid", "device_challenge_invalid", "signature_invalid", "soft_pin_invalid",
	"soft_pin_not_active", "soft_pin_question_invalid", "screen_lock_required", "trust_not_offered",
	"device_not_current", "password_mismatch",
	// password recovery and change (A8–A10, A12)
	"recovery_failed", "password_card_wrong",
}

func newCatalogue(t *testing.T) *Catalogue {
	t.Helper()
	c, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func TestEveryAPICodeHasAMessageInBothLanguages(t *testing.T) {
	c := newCatalogue(t)
	internal := map[Lang]string{SQ: c.Message(SQ, "internal", nil), EN: c.Message(EN, "internal", nil)}
	for _, code := range apiCodes {
		if !c.Has(code) {
			t.Errorf("Has(%q) = false", code)
		}
		for _, lang := range []Lang{SQ, EN} {
			msg := c.Message(lang, code, nil)
			switch {
			case strings.TrimSpace(msg) == "":
				t.Errorf("%s/%s: empty message", lang, code)
			case msg == code:
				t.Errorf("%s/%s: message is the raw code", lang, code)
			case code != "internal" && msg == internal[lang]:
				t.Errorf("%s/%s: falls back to the internal message", lang, code)
			}
		}
	}
}

func TestLocaleFilesHaveExactlyTheSameKeys(t *testing.T) {
	keys := map[Lang][]string{}
	for _, lang := range []Lang{SQ, EN} {
		names, err := localeFiles(lang)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range names {
			raw, err := locales.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			var messages map[string]string
			if err := toml.Unmarshal(raw, &messages); err != nil {
				t.Fatalf("%s: %v (every entry must be a plain key = \"string\")", name, err)
			}
			for k := range messages {
				keys[lang] = append(keys[lang], k)
			}
		}
		slices.Sort(keys[lang])
	}
	for _, k := range keys[SQ] {
		if _, found := slices.BinarySearch(keys[EN], k); !found {
			t.Errorf("%q is in sq but not in en", k)
		}
	}
	for _, k := range keys[EN] {
		if _, found := slices.BinarySearch(keys[SQ], k); !found {
			t.Errorf("%q is in en but not in sq", k)
		}
	}
	if c := newCatalogue(t); !slices.Equal(c.Codes(), keys[SQ]) {
		t.Errorf("Codes() = %v, want the keys of the files", c.Codes())
	}
}

func TestMessagesReadAsFinishedSentencesWithoutParameters(t *testing.T) {
	c := newCatalogue(t)
	for _, code := range c.Codes() {
		for _, lang := range []Lang{SQ, EN} {
			msg := c.Message(lang, code, nil)
			for _, bad := range []string{"<no value>", "{{", "}}", "  ", "( ", " )", "()", " ."} {
				if strings.Contains(msg, bad) {
					t.Errorf("%s/%s = %q contains %q", lang, code, msg, bad)
				}
			}
			// Page labels ("web_…") are words and headings; every other message is a sentence to a customer.
			if !strings.HasPrefix(code, "web_") && !strings.HasSuffix(msg, ".") {
				t.Errorf("%s/%s = %q does not end with a full stop", lang, code, msg)
			}
		}
	}
}

func TestMessagesNeverMentionInternals(t *testing.T) {
	c := newCatalogue(t)
	internals := []string{"sql", "database", "databaz", "panic", "nil", "stack", "exception", "goroutine", "ledger"}
	for _, code := range c.Codes() {
		for _, lang := range []Lang{SQ, EN} {
			msg := strings.ToLower(c.Message(lang, code, nil))
			for _, word := range internals {
				if strings.Contains(msg, word) {
					t.Errorf("%s/%s = %q mentions %q", lang, code, msg, word)
				}
			}
		}
	}
}

func TestAlbanianMessagesAreAlbanian(t *testing.T) {
	c := newCatalogue(t)
	for _, code := range c.Codes() {
		if c.Message(SQ, code, nil) == c.Message(EN, code, nil) {
			t.Errorf("%s: sq and en messages are identical", code)
		}
	}
	for _, code := range []string{"insufficient_funds", "otp_expired", "password_length"} {
		msg := c.Message(SQ, code, nil)
		if !strings.ContainsAny(msg, "ëç") {
			t.Errorf("sq/%s = %q has no ë or ç; is it Albanian?", code, msg)
		}
	}
}

func TestMessage(t *testing.T) {
	c := newCatalogue(t)
	tests := []struct {
		name   string
		lang   Lang
		code   string
		params map[string]string
		want   string
	}{
		{"albanian by default", SQ, "account_not_found", nil, "Llogaria nuk u gjet."},
		{"english when asked", EN, "account_not_found", nil, "The account was not found."},
		{"an unsupported language reads as albanian", Lang("de"), "account_not_found", nil, "Llogaria nuk u gjet."},
		{"an unknown code falls back to internal", EN, "no_such_code", nil, "Something went wrong on our side. Please try again later."},
		{"an empty code falls back to internal", SQ, "", nil, "Diçka nuk shkoi mirë nga ana jonë. Ju lutemi provoni përsëri më vonë."},
		{"parameters are filled in", EN, "description_too_long", map[string]string{"max": "140"}, "The description is too long (at most 140 characters)."},
		{"parameters are filled in in albanian", SQ, "date_range_too_long", map[string]string{"max_days": "90"}, "Periudha është shumë e gjatë (jo më shumë se 90 ditë). Ju lutemi zgjidhni një periudhë më të shkurtër."},
		{"a missing parameter leaves a clean sentence", EN, "description_too_long", map[string]string{"other": "x"}, "The description is too long."},
		{"a policy length from params", EN, "password_length", map[string]string{"min": "10", "max": "64"}, "The password must be 10 to 64 characters long."},
		{"the bank's default length without params", SQ, "password_length", nil, "Fjalëkalimi duhet të ketë nga 8 deri në 16 karaktere."},
		{"parameter values are data, not templates", EN, "description_too_long", map[string]string{"max": "{{.max}}"}, "The description is too long (at most {{.max}} characters)."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Message(tt.lang, tt.code, tt.params); got != tt.want {
				t.Errorf("Message(%q, %q) = %q, want %q", tt.lang, tt.code, got, tt.want)
			}
		})
	}
}

func TestNilCatalogueStillAnswersWithASentence(t *testing.T) {
	var c *Catalogue
	if got := c.Message(EN, "insufficient_funds", nil); got == "" || got == "insufficient_funds" {
		t.Errorf("nil catalogue Message = %q", got)
	}
	if c.Has("internal") {
		t.Error("nil catalogue Has(internal) = true")
	}
}

func TestHasOnlyKnownCodes(t *testing.T) {
	c := newCatalogue(t)
	for code, want := range map[string]bool{"insufficient_funds": true, "internal": true, "nope": false, "": false} {
		if got := c.Has(code); got != want {
			t.Errorf("Has(%q) = %v, want %v", code, got, want)
		}
	}
}

func TestFromAcceptLanguage(t *testing.T) {
	tests := []struct {
		header string
		want   Lang
	}{
		{"", SQ},
		{"   ", SQ},
		{"sq", SQ},
		{"sq-AL", SQ},
		{"en", EN},
		{"en-US,en;q=0.9", EN},
		{"en-GB", EN},
		{"EN", EN},
		{"de-DE,en;q=0.8", EN},
		{"en;q=0.5,sq;q=0.9", SQ},
		{"sq;q=0.5,en;q=0.9", EN},
		{"fr-FR,de;q=0.9", SQ},
		{"it", SQ},
		{"*", SQ},
		{"en;q=0", SQ},
		{"not a language;;;=", SQ},
		{strings.Repeat("x", 5000), SQ},
	}
	for _, tt := range tests {
		name := tt.header
		if len(name) > 30 {
			name = name[:30] + "…"
		}
		t.Run(name, func(t *testing.T) {
			if got := FromAcceptLanguage(tt.header); got != tt.want {
				t.Errorf("FromAcceptLanguage(%q) = %q, want %q", tt.header, got, tt.want)
			}
		})
	}
}

func TestFormatAmount(t *testing.T) {
	tests := []struct {
		minor    int64
		currency string
		sq, en   string
	}{
		{123450, "ALL", "1.234,50 ALL", "1,234.50 ALL"},
		{0, "EUR", "0,00 EUR", "0.00 EUR"},
		{5, "EUR", "0,05 EUR", "0.05 EUR"},
		{99, "USD", "0,99 USD", "0.99 USD"},
		{100, "USD", "1,00 USD", "1.00 USD"},
		{99999, "GBP", "999,99 GBP", "999.99 GBP"},
		{100000, "GBP", "1.000,00 GBP", "1,000.00 GBP"},
		{150000000, "ALL", "1.500.000,00 ALL", "1,500,000.00 ALL"},
		{-123450, "ALL", "-1.234,50 ALL", "-1,234.50 ALL"},
		{-5, "CHF", "-0,05 CHF", "-0.05 CHF"},
		{12345, "", "123,45", "123.45"},
		{math.MaxInt64, "ALL", "92.233.720.368.547.758,07 ALL", "92,233,720,368,547,758.07 ALL"},
		{math.MinInt64, "ALL", "-92.233.720.368.547.758,08 ALL", "-92,233,720,368,547,758.08 ALL"},
	}
	for _, tt := range tests {
		t.Run(tt.en, func(t *testing.T) {
			if got := FormatAmount(tt.minor, tt.currency, SQ); got != tt.sq {
				t.Errorf("sq: FormatAmount(%d) = %q, want %q", tt.minor, got, tt.sq)
			}
			if got := FormatAmount(tt.minor, tt.currency, EN); got != tt.en {
				t.Errorf("en: FormatAmount(%d) = %q, want %q", tt.minor, got, tt.en)
			}
		})
	}
}

func TestFormatDateUsesTheCalendarDayInTirane(t *testing.T) {
	tests := []struct {
		name   string
		t      time.Time
		sq, en string
	}{
		{"a plain day", time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC), "05.03.2026", "5 Mar 2026"},
		{"late evening UTC in winter is already tomorrow", time.Date(2025, 12, 31, 23, 30, 0, 0, time.UTC), "01.01.2026", "1 Jan 2026"},
		{"22:30 UTC in summer is already tomorrow", time.Date(2026, 7, 14, 22, 30, 0, 0, time.UTC), "15.07.2026", "15 Jul 2026"},
		{"21:59 UTC in summer is still today", time.Date(2026, 7, 14, 21, 59, 0, 0, time.UTC), "14.07.2026", "14 Jul 2026"},
		{"a time in another zone", time.Date(2026, 1, 1, 0, 30, 0, 0, time.FixedZone("EST", -5*3600)), "01.01.2026", "1 Jan 2026"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatDate(tt.t, SQ); got != tt.sq {
				t.Errorf("sq: FormatDate(%v) = %q, want %q", tt.t, got, tt.sq)
			}
			if got := FormatDate(tt.t, EN); got != tt.en {
				t.Errorf("en: FormatDate(%v) = %q, want %q", tt.t, got, tt.en)
			}
		})
	}
}
