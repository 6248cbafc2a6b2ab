package i18n

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
)

func newCatalogue(t *testing.T) *Catalogue {
	t.Helper()
	c, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
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
			// Page labels ("web_…") are words and headings, and so are the descriptions and names the bank writes
			// ("tx_…", "acct_…", the holidays' "holiday_…", the audit log's actions "audit_…"); every other message is a
			// sentence to a customer.
			if !isLabel(code) && !strings.HasSuffix(msg, ".") {
				t.Errorf("%s/%s = %q does not end with a full stop", lang, code, msg)
			}
		}
	}
}

func isLabel(code string) bool {
	for _, prefix := range []string{"web_", "tx_", "acct_", "holiday_", "audit_"} {
		if strings.HasPrefix(code, prefix) {
			return true
		}
	}
	return false
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
