// Package devdocs is the demo bank's page for people who build the internet branch: /dev/components shows every
// component of the design system (web/core/static/app.css and icons.svg) in the page's language, with a note on
// when to use each, so that a new page is built from them. Like the demo inbox, it exists only in demo mode.
package devdocs

import (
	"embed"
	"net/http"

	"github.com/kumbara/kumbara/web/core"
)

//go:embed templates/*.html
var templates embed.FS

// Area is the components page: its template and, in demo mode only, its route.
func Area() core.Area {
	return core.Area{Name: "devdocs", Templates: core.Dir(templates, "templates"), Routes: func(site *core.Site) []core.Route {
		if site.Inbox == nil {
			return nil
		}
		s := &area{site}
		return []core.Route{{Method: "GET", Path: "/dev/components", Policy: core.Public(""), Handler: s.components}}
	}}
}

type area struct{ *core.Site }

// Icons are the names of the sprite's icons, in the order the page shows them.
var Icons = []string{"home", "transfer", "history", "statement", "profile", "logout", "devices", "key", "plus",
	"arrow-right", "arrow-left", "check", "alert", "info", "clock", "download", "search", "lock", "phone", "wallet",
	"card", "receipt", "close", "menu", "exchange"}

// sampleRow is one line of the sample lists: made-up movements, in minor units like every amount of the bank.
type sampleRow struct {
	Title, Sub, Date, IBAN string
	Amount                 int64
	Currency               string
	Credit                 bool
}

type componentsData struct {
	Icons   []string
	Rows    []sampleRow
	Balance int64
	IBAN    string
}

func (s *area) components(w http.ResponseWriter, r *http.Request) {
	d := componentsData{Icons: Icons, Balance: 123456789, IBAN: "AL47 2121 1009 0000 0002 3569 8741",
		Rows: []sampleRow{
			{Title: "web_dc_sample_salary", Sub: "web_dc_sample_salary_sub", Date: "20.11.2026",
				Amount: 8500000, Currency: "ALL", Credit: true},
			{Title: "web_dc_sample_rent", Sub: "web_dc_sample_rent_sub", Date: "18.11.2026",
				Amount: 3000000, Currency: "ALL"},
			{Title: "web_dc_sample_card", Sub: "web_dc_sample_card_sub", Date: "17.11.2026",
				Amount: 125050, Currency: "EUR"},
		}}
	s.Render(w, r, http.StatusOK, "components", core.View{Title: "web_dc_title", Data: d})
}
