package backoffice

import (
	"net/http"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/staff"
)

// Section is one part of the back office as the menu and the home page offer it, to members whose roles grant
// its permission.
type Section struct {
	Path       string
	Label      string // catalogue key of its name in the menu
	Short      string // catalogue key of its name in the phone's tab bar
	Intro      string // catalogue key of what it is for, on the home page
	Icon       string
	ID         string // its links' id
	Permission staff.Permission
	// Unless leaves the section out for a member who may do this too: they reach its page from another section.
	Unless staff.Permission
	// Crowded leaves the section out of the menu, not the home page, of a member who may do this too: their roles
	// open so many sections that one more would not fit a laptop's header.
	Crowded staff.Permission
	// Count is how many things in the section wait for the member (the requests they may decide), 0 for none.
	Count int
}

// sections are the back office's parts in menu order; a new page group adds its own.
func sections() []Section {
	return []Section{
		{Path: homePath, Label: "web_bo_nav_home", Short: "web_bo_tab_home", Icon: "home", ID: "home",
			Permission: staff.CalendarRead},
		{Path: customersPath, Label: "web_bo_nav_customers", Short: "web_bo_tab_customers",
			Intro: "web_bo_home_customers", Icon: "search", ID: "customers", Permission: staff.CustomerRead},
		{Path: staffPath, Label: "web_bo_nav_staff", Short: "web_bo_tab_staff", Intro: "web_bo_home_staff",
			Icon: "profile", ID: "staff", Permission: staff.StaffRead},
		{Path: jobsPath, Label: "web_bo_nav_jobs", Short: "web_bo_tab_jobs", Intro: "web_bo_home_jobs", Icon: "alert",
			ID: "jobs", Permission: staff.JobsRead},
		{Path: approvalsPath, Label: "web_bo_nav_approvals", Short: "web_bo_tab_approvals",
			Intro: "web_bo_home_approvals", Icon: "check", ID: "approvals", Permission: staff.ApprovalsRead},
		// Whoever makes requests without reading the inbox follows their own here; the inbox links to them too.
		{Path: minePath, Label: "web_bo_nav_mine", Short: "web_bo_tab_mine", Intro: "web_bo_home_mine", Icon: "history",
			ID: "mine", Permission: staff.CustomerRead, Unless: staff.ApprovalsRead},
		{Path: eodPath, Label: "web_bo_nav_eod", Short: "web_bo_tab_eod", Intro: "web_bo_home_eod", Icon: "clock",
			ID: "eod", Permission: staff.CalendarRead},
		{Path: auditPath, Label: "web_bo_nav_audit", Short: "web_bo_tab_audit", Intro: "web_bo_home_audit",
			Icon: "history", ID: "audit", Permission: staff.AuditRead},
		// Payments to and from other banks, their clearing and reconciliation, and the banks and the tariff they
		// need: one section, its pages a tab each. Compliance's menu holds every other section already: they open
		// it from the home page.
		{Path: paymentsPath, Label: "web_bo_pay_menu", Short: "web_bo_pay_tab", Intro: "web_bo_pay_home",
			Icon: "transfer", ID: "payments", Permission: staff.PaymentsRead, Crowded: staff.AuditRead},
		// The bank's FX position: a report every member who reads the books opens from the home page; the menus
		// hold the day's work (the desk's menu has the preferential requests, and is full with them).
		{Path: fxPositionPath, Label: "web_bo_fxpos_menu", Short: "web_bo_fxpos_tab", Intro: "web_bo_fxpos_home",
			Icon: "wallet", ID: "fxposition", Permission: staff.LedgerRead, Crowded: staff.LedgerRead},
		// Customers' requests for a preferential rate: in the menu of the desk that answers them (rates.set); the
		// others who read them open them from the home page.
		{Path: fxRequestsPath, Label: "web_bo_fxr_menu", Short: "web_bo_fxr_tab", Intro: "web_bo_fxr_home",
			Icon: "wallet", ID: "fxrequests", Permission: staff.PaymentsRead, Crowded: staff.PaymentsRead},
		{Path: fxRequestsPath, Label: "web_bo_fxr_menu", Short: "web_bo_fxr_tab", Icon: "wallet",
			ID: "fxrequests-desk", Permission: staff.RatesSet},
		// Cards, found by their customer or last digits: from the home page, and from a customer's page to each of
		// their cards; every menu is full already.
		{Path: cardsPath, Label: "web_bo_cards_menu", Short: "web_bo_cards_tab", Intro: "web_bo_cards_home",
			Icon: "card", ID: "cards", Permission: staff.CustomerRead, Crowded: staff.CustomerRead},
		// Card disputes (chargebacks) and, from them, a card's authorisations and clearing: from the home page, for
		// every member who reads payments; the menus are full.
		{Path: disputesPath, Label: "web_bo_cd_menu", Short: "web_bo_cd_tab", Intro: "web_bo_cd_home", Icon: "receipt",
			ID: "disputes", Permission: staff.PaymentsRead, Crowded: staff.PaymentsRead},
	}
}

// sectionsFor are the sections m may open, as their menu offers them.
func sectionsFor(m staff.Member) []Section {
	var out []Section
	for _, sec := range homeSectionsFor(m) {
		if sec.Crowded == "" || !m.Can(sec.Crowded) {
			out = append(out, sec)
		}
	}
	return out
}

// homeSectionsFor are the sections m may open, as their home page offers them: the menu's, and those it has no
// room for.
func homeSectionsFor(m staff.Member) []Section {
	var out []Section
	for _, sec := range sections() {
		if m.Can(sec.Permission) && (sec.Unless == "" || !m.Can(sec.Unless)) {
			out = append(out, sec)
		}
	}
	return out
}

func (s *Server) homeRoutes() []Route {
	// Every role reads the calendar: the home page, which shows the business date, is every member's.
	return []Route{{Method: "GET", Path: homePath + "{$}", Policy: Staffed(""), Permission: staff.CalendarRead,
		Handler: s.home}}
}

// homeData is the home page: who is signed in, the bank's business date, and what the member may do.
type homeData struct {
	Roles        []string // the roles' names in the page's language
	BusinessDate calendar.Date
	Sections     []Section
}

// homeNotices are the home page's notices by its m parameter.
var homeNotices = map[string]string{"password_changed": "web_bo_password_changed"}

// home shows the member what they may do, by their permissions, and the business date.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	m := MemberOf(r)
	v := View{Title: "web_bo_home_title"}
	if key, ok := homeNotices[r.URL.Query().Get("m")]; ok {
		v.Notice = s.message(r, key, nil)
	}
	d := homeData{}
	for _, role := range m.Roles {
		d.Roles = append(d.Roles, s.message(r, "web_bo_role_"+string(role), nil))
	}
	for _, sec := range homeSectionsFor(m) {
		if sec.Intro != "" {
			d.Sections = append(d.Sections, sec)
		}
	}
	date, err := s.EOD.BusinessDate(r.Context())
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	d.BusinessDate = date
	v.Data = d
	s.render(w, r, http.StatusOK, "home", v)
}
