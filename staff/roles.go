package staff

import (
	"slices"
	"strings"
)

// Permission is one thing a member may do. Every staff route and command asks for a permission, never for a role
// name, so what a role may do is decided here alone.
type Permission string

// The permissions. Those ending in ".read" change nothing; compliance holds exactly those.
const (
	CustomerRead  Permission = "customer.read"  // find customers; see their identity, contacts, accounts, cards, devices, sessions
	LedgerRead    Permission = "ledger.read"    // the bank's GL accounts and journal entries
	MessagesRead  Permission = "messages.read"  // the SMS and email sent to customers (the sandbox inbox)
	StaffRead     Permission = "staff.read"     // the list of staff
	AuditRead     Permission = "audit.read"     // the audit log
	CalendarRead  Permission = "calendar.read"  // holidays and value dates
	JobsRead      Permission = "jobs.read"      // scheduled work and its failures
	ApprovalsRead Permission = "approvals.read" // requests waiting for a second member
	PaymentsRead  Permission = "payments.read"  // banks, tariff, exchange rates, every customer's payments to other banks, clearing, reconciliation

	CustomerCreate     Permission = "customer.create"     // open individual and business customers
	ContactEdit        Permission = "contact.edit"        // change a customer's contact details
	ChannelManage      Permission = "channel.manage"      // block, unblock, close and reopen the digital channel; set an initial password
	CardBlock          Permission = "card.block"          // block and unblock a card and its PIN
	CardIssue          Permission = "card.issue"          // issue a debit card
	UniqueCodeIssue    Permission = "uniquecode.issue"    // issue a unique code for registration or recovery
	CashBranch         Permission = "cash.branch"         // the branch's cash deposits and withdrawals
	AccountManage      Permission = "account.manage"      // open, block, unblock and close accounts
	OverdraftSet       Permission = "overdraft.set"       // set an account's overdraft limit
	EntryReverse       Permission = "entry.reverse"       // reverse a journal entry
	RatesSet           Permission = "rates.set"           // set exchange and preferential rates
	ApplicationsDecide Permission = "applications.decide" // decide customers' applications
	ApprovalsDecide    Permission = "approvals.decide"    // approve or reject another member's request (four-eyes)
	StaffManage        Permission = "staff.manage"        // create and deactivate staff, give a new TOTP secret
	StaffUnblock       Permission = "staff.unblock"       // lift another member's lockout
	CalendarManage     Permission = "calendar.manage"     // enter the announced holidays
	JobsManage         Permission = "jobs.manage"         // retry or discard scheduled work
	DirectoryManage    Permission = "directory.manage"    // add, change, deactivate and reactivate banks of the directory; issue and revoke their VoP credentials
	TariffManage       Permission = "tariff.manage"       // ask for a new rate of the payment tariff (four-eyes)
	ClearingOperate    Permission = "clearing.operate"    // run a clearing session, send what waits, reconcile a day; the sandbox's settings
)

// Permissions lists every permission, reads first.
func Permissions() []Permission {
	return []Permission{CustomerRead, LedgerRead, MessagesRead, StaffRead, AuditRead, CalendarRead, JobsRead,
		ApprovalsRead, PaymentsRead, CustomerCreate, ContactEdit, ChannelManage, CardBlock, CardIssue, UniqueCodeIssue,
		CashBranch, AccountManage, OverdraftSet, EntryReverse, RatesSet, ApplicationsDecide, ApprovalsDecide,
		StaffManage, StaffUnblock, CalendarManage, JobsManage, DirectoryManage, TariffManage,
		ClearingOperate}
}

// ReadOnly reports whether p only reads.
func (p Permission) ReadOnly() bool { return strings.HasSuffix(string(p), ".read") }

// Known reports whether p is one of Permissions.
func (p Permission) Known() bool { return slices.Contains(Permissions(), p) }

// Role is a set of permissions a member is given by name; a member may have several.
type Role string

// The roles (issue #10 item 2).
const (
	Teller          Role = "teller"     // at a branch's counter: finds customers, takes and pays out cash, issues unique codes
	CustomerService Role = "service"    // customer service: contact details, the digital channel, blocking cards
	BackOffice      Role = "backoffice" // accounts, overdrafts, reversals, cards, rates, applications, the holidays, banks and tariff
	Manager         Role = "manager"    // a branch manager: approves what needs a second member, unblocks staff
	Compliance      Role = "compliance" // reads everything, the audit log included, and changes nothing
	Admin           Role = "admin"      // looks after staff, the bank's scheduled work, the directory of banks and the tariff
)

// Roles lists every role.
func Roles() []Role { return []Role{Teller, CustomerService, BackOffice, Manager, Compliance, Admin} }

// permissions is the one table of what each role may do.
func (r Role) permissions() []Permission {
	switch r {
	case Teller:
		return []Permission{CustomerRead, CalendarRead, PaymentsRead, CustomerCreate, CashBranch, UniqueCodeIssue}
	case CustomerService:
		return []Permission{CustomerRead, MessagesRead, CalendarRead, PaymentsRead, CustomerCreate, ContactEdit,
			ChannelManage, CardBlock}
	case BackOffice:
		return []Permission{CustomerRead, LedgerRead, CalendarRead, ApprovalsRead, PaymentsRead, AccountManage,
			OverdraftSet, EntryReverse, CardIssue, RatesSet, ApplicationsDecide, CalendarManage, DirectoryManage,
			TariffManage, ClearingOperate}
	case Manager:
		return []Permission{CustomerRead, LedgerRead, StaffRead, CalendarRead, ApprovalsRead, PaymentsRead,
			ApprovalsDecide, StaffUnblock}
	case Compliance:
		return readPermissions()
	case Admin:
		return []Permission{StaffRead, CalendarRead, JobsRead, PaymentsRead, StaffManage, StaffUnblock, JobsManage,
			DirectoryManage, TariffManage, ClearingOperate}
	}
	return nil
}

func readPermissions() []Permission {
	var read []Permission
	for _, p := range Permissions() {
		if p.ReadOnly() {
			read = append(read, p)
		}
	}
	return read
}

// Grants reports whether the role grants p.
func (r Role) Grants(p Permission) bool { return slices.Contains(r.permissions(), p) }

// Known reports whether r is one of Roles.
func (r Role) Known() bool { return slices.Contains(Roles(), r) }

// ParseRoles reads a comma-separated list of role names ("teller,service"), case and spaces aside, without
// repeats and in the order of Roles: staff_roles_required when it names none, staff_role_unknown when it names
// one that is not a role.
func ParseRoles(s string) ([]Role, error) {
	var roles []Role
	for part := range strings.SplitSeq(s, ",") {
		part = strings.ToLower(strings.TrimSpace(part))
		if part == "" {
			continue
		}
		r := Role(part)
		if !r.Known() {
			return nil, ErrRoleUnknown.WithParam("role", part)
		}
		roles = append(roles, r)
	}
	if len(roles) == 0 {
		return nil, ErrRolesRequired
	}
	return sortRoles(roles), nil
}

func sortRoles(roles []Role) []Role {
	order := Roles()
	slices.SortFunc(roles, func(a, b Role) int { return slices.Index(order, a) - slices.Index(order, b) })
	return slices.Compact(roles)
}

func joinRoles(roles []Role) string {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	return strings.Join(names, ",")
}

// RoleNames is the member's roles as a comma-separated list ("teller,service"), as the audit records them.
func (m Member) RoleNames() string { return joinRoles(m.Roles) }
