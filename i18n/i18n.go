// Package i18n is Kumbara's one message catalogue: the API's error details and the web app's texts come from the
// same embedded files, so a customer reads the same words whichever channel they use. Albanian is the default
// language; English is the other one.
package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/nicksnyder/go-i18n/v2/i18n/template"
	"golang.org/x/text/language"
)

//go:embed locales/*.toml
var locales embed.FS

// Lang is a language the catalogue has messages for.
type Lang string

const (
	SQ Lang = "sq" // Albanian, the default
	EN Lang = "en"
)

// codeInternal is the message shown when a code has no message of its own, so a customer never sees an empty
// string or a bare machine code.
const codeInternal = "internal"

// lastResort is used only if the catalogue itself is broken (New refuses such a catalogue, so this is for a
// zero-value or nil Catalogue), because an error page must still say something.
var lastResort = map[Lang]string{
	SQ: "Diçka nuk shkoi mirë nga ana jonë. Ju lutemi provoni përsëri më vonë.",
	EN: "Something went wrong on our side. Please try again later.",
}

// supported lists the languages in matcher order; the first is what an unmatched Accept-Language gets.
var supported = []language.Tag{language.Albanian, language.English}

var matcher = language.NewMatcher(supported)

// FromAcceptLanguage picks the customer's language from an Accept-Language header. Anything that is missing,
// malformed or names only languages we do not have gets Albanian.
func FromAcceptLanguage(header string) Lang {
	if strings.TrimSpace(header) == "" {
		return SQ
	}
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil || len(tags) == 0 {
		return SQ
	}
	_, index, confidence := matcher.Match(tags...)
	if confidence == language.No {
		return SQ
	}
	if supported[index] == language.English {
		return EN
	}
	return SQ
}

// localeFiles lists the message files of a language: locales/*.<lang>.toml.
func localeFiles(lang Lang) ([]string, error) {
	names, err := fs.Glob(locales, "locales/*."+string(lang)+".toml")
	if err != nil || len(names) == 0 {
		return nil, fmt.Errorf("i18n: no message files for %s", lang)
	}
	return names, nil
}

// Catalogue holds the messages of every language. It is safe for concurrent use.
type Catalogue struct {
	localizers map[Lang]*goi18n.Localizer
	codes      []string // sorted
}

// parser renders parameters with missingkey=zero: a caller that omits a parameter gets an empty value (which the
// messages guard with {{with}}) instead of text/template's "<no value>" in front of a customer.
var parser = &template.TextParser{Option: "missingkey=zero"}

// New loads the embedded message files. It fails if a file is malformed, if the languages do not define the same
// codes, or if a message does not render, so a broken catalogue stops the binary at start rather than showing a
// customer a broken error later.
func New() (*Catalogue, error) {
	bundle := goi18n.NewBundle(language.Albanian)
	bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)

	ids := map[Lang][]string{}
	for _, lang := range []Lang{SQ, EN} {
		// One file per area ("active" for the errors, "web_…" for pages), all in the same catalogue.
		names, err := localeFiles(lang)
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			file, err := bundle.LoadMessageFileFS(locales, name)
			if err != nil {
				return nil, fmt.Errorf("i18n: load %s: %w", path.Base(name), err)
			}
			for _, m := range file.Messages {
				ids[lang] = append(ids[lang], m.ID)
			}
		}
		slices.Sort(ids[lang])
		if d := slices.Compact(slices.Clone(ids[lang])); len(d) != len(ids[lang]) {
			return nil, fmt.Errorf("i18n: a %s code is defined in two files", lang)
		}
	}
	if !slices.Equal(ids[SQ], ids[EN]) {
		return nil, fmt.Errorf("i18n: the sq and en catalogues define different codes")
	}
	if !slices.Contains(ids[SQ], codeInternal) {
		return nil, fmt.Errorf("i18n: the catalogue has no %q message to fall back to", codeInternal)
	}

	c := &Catalogue{
		localizers: map[Lang]*goi18n.Localizer{
			SQ: goi18n.NewLocalizer(bundle, string(SQ)),
			EN: goi18n.NewLocalizer(bundle, string(EN)),
		},
		codes: ids[SQ],
	}
	for lang := range c.localizers {
		for _, code := range c.codes {
			if msg, err := c.localize(lang, code, nil); err != nil || msg == "" {
				return nil, fmt.Errorf("i18n: message %s/%s does not render: %v", lang, code, err)
			}
		}
	}
	return c, nil
}

// Message returns the text for code in lang, with params filled in. An unknown code, or a message that fails to
// render, gives the generic "internal" text: a customer always reads a sentence, never an empty string or a code.
// A language other than SQ and EN is treated as SQ.
func (c *Catalogue) Message(lang Lang, code string, params map[string]string) string {
	if lang != EN {
		lang = SQ
	}
	if c == nil || c.localizers == nil {
		return lastResort[lang]
	}
	if msg, err := c.localize(lang, code, params); err == nil && msg != "" {
		return msg
	}
	if msg, err := c.localize(lang, codeInternal, nil); err == nil && msg != "" {
		return msg
	}
	return lastResort[lang]
}

func (c *Catalogue) localize(lang Lang, code string, params map[string]string) (string, error) {
	if code == "" {
		return "", fmt.Errorf("empty code")
	}
	return c.localizers[lang].Localize(&goi18n.LocalizeConfig{
		MessageID:      code,
		TemplateData:   params,
		TemplateParser: parser,
	})
}

// Has reports whether code has a message of its own.
func (c *Catalogue) Has(code string) bool {
	if c == nil {
		return false
	}
	_, found := slices.BinarySearch(c.codes, code)
	return found
}

// Codes returns every code the catalogue has a message for, sorted. Other packages use it to check that the codes
// they return are all translated.
func (c *Catalogue) Codes() []string {
	if c == nil {
		return nil
	}
	return slices.Clone(c.codes)
}

// MustNew is New for tests and tools, which have no way on without the catalogue: it panics if the embedded
// catalogue is broken (i18n's own tests say why).
func MustNew() *Catalogue {
	c, err := New()
	if err != nil {
		panic(err)
	}
	return c
}
