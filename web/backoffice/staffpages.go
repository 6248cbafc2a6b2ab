package backoffice

import (
	"encoding/base64"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"strings"

	"github.com/kumbara/kumbara/staff"
	"github.com/skip2/go-qrcode"
)

const staffPath = Prefix + "/staff"

// Staff management: the list of members (staff.read), creating one with the TOTP enrolment shown once, unblocking
// a member locked out (staff.unblock), deactivating one and giving one a new TOTP secret (staff.manage). The domain
// checks the permission again and refuses a member acting on themselves (staff_self_refused).
func (s *Server) staffRoutes() []Route {
	member := staffPath + "/{username}"
	return []Route{
		{Method: "GET", Path: staffPath, Policy: Staffed(""), Permission: staff.StaffRead, Handler: s.staffList},
		{Method: "GET", Path: staffPath + "/new", Policy: Staffed(""), Permission: staff.StaffManage, Handler: s.newMemberPage},
		{Method: "POST", Path: staffPath, Policy: Staffed(""), Permission: staff.StaffManage, Handler: s.createMember},
		{Method: "GET", Path: member, Policy: Staffed(""), Permission: staff.StaffRead, Handler: s.memberPage},
		{Method: "POST", Path: member + "/unblock", Policy: Staffed(""), Permission: staff.StaffUnblock, Handler: s.unblock},
		{Method: "GET", Path: member + "/deactivate", Policy: Staffed(""), Permission: staff.StaffManage,
			Handler: s.confirmPage(actDeactivate)},
		{Method: "POST", Path: member + "/deactivate", Policy: Staffed(""), Permission: staff.StaffManage, Handler: s.deactivate},
		{Method: "GET", Path: member + "/reset-totp", Policy: Staffed(""), Permission: staff.StaffManage,
			Handler: s.confirmPage(actResetTOTP)},
		{Method: "POST", Path: member + "/reset-totp", Policy: Staffed(""), Permission: staff.StaffManage, Handler: s.resetTOTP},
	}
}

// memberRow is a member as the pages show them: their roles and state in the page's language.
type memberRow struct {
	staff.Member
	RoleNames []string
	State     string // active, locked, deactivated
}

func (s *Server) memberRow(r *http.Request, m staff.Member) memberRow {
	row := memberRow{Member: m, State: "active"}
	switch {
	case !m.Active:
		row.State = "deactivated"
	case m.Locked:
		row.State = "locked"
	}
	for _, role := range m.Roles {
		row.RoleNames = append(row.RoleNames, s.message(r, "web_bo_role_"+string(role), nil))
	}
	return row
}

// staffList lists every member, by username.
func (s *Server) staffList(w http.ResponseWriter, r *http.Request) {
	members, err := s.Staff.List(r.Context(), MemberOf(r))
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	rows := make([]memberRow, 0, len(members))
	for _, m := range members {
		rows = append(rows, s.memberRow(r, m))
	}
	v := View{Title: "web_bo_staff_title", Data: rows}
	if key, ok := staffNotices[r.URL.Query().Get("m")]; ok {
		v.Notice = s.message(r, key, nil)
	}
	s.render(w, r, http.StatusOK, "staff", v)
}

// staffNotices are the staff pages' notices by their m parameter: what was just done.
var staffNotices = map[string]string{
	"unblocked":   "web_bo_staff_unblocked",
	"deactivated": "web_bo_staff_deactivated",
}

// newMember is the form for a new member, as typed.
type newMember struct {
	Username, FullName, Branch string
	Roles                      map[staff.Role]bool
	AllRoles                   []roleChoice
}

// roleChoice is one role's checkbox.
type roleChoice struct {
	Role    staff.Role
	Label   string
	Checked bool
}

func (s *Server) newMemberForm(r *http.Request, n newMember) newMember {
	n.AllRoles = nil
	for _, role := range staff.Roles() {
		n.AllRoles = append(n.AllRoles, roleChoice{Role: role, Label: s.message(r, "web_bo_role_"+string(role), nil),
			Checked: n.Roles[role]})
	}
	return n
}

func (s *Server) newMemberPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "staff_new", View{Title: "web_bo_staff_new_title", Data: s.newMemberForm(r, newMember{})})
}

// createMember creates a member with a made-up initial password (to be changed at their first login) and a fresh
// TOTP secret, and shows both once: this answer is the only place they are ever shown.
func (s *Server) createMember(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	typed := newMember{Username: strings.TrimSpace(r.PostForm.Get("username")), FullName: r.PostForm.Get("full_name"),
		Branch: r.PostForm.Get("branch"), Roles: map[staff.Role]bool{}}
	for _, role := range r.PostForm["roles"] {
		typed.Roles[staff.Role(role)] = true
	}
	v := View{Title: "web_bo_staff_new_title", Data: s.newMemberForm(r, typed)}
	roles, err := staff.ParseRoles(strings.Join(r.PostForm["roles"], ","))
	if err != nil && !errors.Is(err, staff.ErrRolesRequired) {
		s.problem(w, r, "staff_new", v, err)
		return
	}
	// No role chosen is one of the form's problems: Create names it beside the others.
	by := MemberOf(r)
	c, err := s.Staff.Create(r.Context(), &by, staff.NewMember{Username: typed.Username, FullName: typed.FullName,
		Branch: typed.Branch, Roles: roles})
	if err != nil {
		s.problem(w, r, "staff_new", v, err)
		return
	}
	s.Log().Info("staff member created", slog.String("staff", by.Username), slog.String("member", c.Member.Username))
	s.enrolment(w, r, http.StatusCreated, enrolmentData{Member: s.memberRow(r, c.Member), Enrolment: c.Enrolment,
		Password: c.Password})
}

// enrolmentData is the page that shows a TOTP secret (and an initial password) the one time it is shown.
type enrolmentData struct {
	Member    memberRow
	Enrolment staff.Enrolment
	QR        template.URL // the otpauth:// URI as a QR code image (a data: URL), for an authenticator app to scan
	Password  string       // the made-up initial password; empty for a new TOTP secret
	Reset     bool         // a new secret for a member who had one
}

func (s *Server) enrolment(w http.ResponseWriter, r *http.Request, status int, d enrolmentData) {
	if png, err := qrcode.Encode(d.Enrolment.URI, qrcode.Medium, 256); err == nil {
		d.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "enrolment", View{Title: "web_bo_enrol_title", Data: d})
}

// memberData is one member's page.
type memberData struct {
	Member memberRow
	Self   bool // the member looking: what must be done by someone else is not offered
}

// target is the member a staff page is about, by the username in its path.
func (s *Server) target(r *http.Request) (memberData, error) {
	m, err := s.Staff.ByUsername(r.Context(), r.PathValue("username"))
	if err != nil {
		return memberData{}, err
	}
	return memberData{Member: s.memberRow(r, m), Self: m.ID == MemberOf(r).ID}, nil
}

func (s *Server) memberPage(w http.ResponseWriter, r *http.Request) {
	d, err := s.target(r)
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	v := View{Title: "web_bo_member_title", Data: d}
	if key, ok := staffNotices[r.URL.Query().Get("m")]; ok {
		v.Notice = s.message(r, key, nil)
	}
	s.render(w, r, http.StatusOK, "staff_member", v)
}

// memberAction runs one of the member page's actions on the member its path names, then shows the member page with
// notice m, or the action's refusal on it.
func (s *Server) memberAction(w http.ResponseWriter, r *http.Request, m string,
	act func(by staff.Member, username string) error) {
	d, err := s.target(r)
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	if err := act(MemberOf(r), d.Member.Username); err != nil {
		s.problem(w, r, "staff_member", View{Title: "web_bo_member_title", Data: d}, err)
		return
	}
	http.Redirect(w, r, staffPath+"/"+d.Member.Username+"?m="+m, http.StatusSeeOther)
}

func (s *Server) unblock(w http.ResponseWriter, r *http.Request) {
	s.memberAction(w, r, "unblocked", func(by staff.Member, username string) error {
		_, err := s.Staff.Unblock(r.Context(), by, username)
		return err
	})
}

func (s *Server) deactivate(w http.ResponseWriter, r *http.Request) {
	s.memberAction(w, r, "deactivated", func(by staff.Member, username string) error {
		_, err := s.Staff.Deactivate(r.Context(), by, username)
		return err
	})
}

// resetTOTP gives the member a new TOTP secret, shown once; their sessions end.
func (s *Server) resetTOTP(w http.ResponseWriter, r *http.Request) {
	d, err := s.target(r)
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	m, e, err := s.Staff.ResetTOTP(r.Context(), MemberOf(r), d.Member.Username)
	if err != nil {
		s.problem(w, r, "staff_member", View{Title: "web_bo_member_title", Data: d}, err)
		return
	}
	s.enrolment(w, r, http.StatusOK, enrolmentData{Member: s.memberRow(r, m), Enrolment: e, Reset: true})
}

// A confirmation page before what cannot be undone: deactivating a member, or a new TOTP secret, which stops the
// old one at once.
const (
	actDeactivate = "deactivate"
	actResetTOTP  = "reset-totp"
)

type confirmData struct {
	Member memberRow
	Action string // the address's last segment: deactivate, reset-totp
	// Question and Button are the page's catalogue keys for the action (the title's is the View's).
	Question, Button string
}

func (s *Server) confirmPage(action string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		d, err := s.target(r)
		if err != nil {
			s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
			return
		}
		key := "web_bo_" + strings.ReplaceAll(action, "-", "_")
		s.render(w, r, http.StatusOK, "staff_confirm", View{Title: key + "_title", Data: confirmData{Member: d.Member,
			Action: action, Question: key + "_question", Button: key + "_button"}})
	}
}
