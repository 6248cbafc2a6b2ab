package staff_test

import (
	"encoding/base32"
	"testing"

	"github.com/kumbara/kumbara/staff"
)

// TestRolesGrantWhatTheIssueSays checks the role table against the words of issue #10: teller (customer lookup,
// branch cash, unique codes), customer service (contact details, channel block/unblock, card block), back office
// (accounts, overdrafts, reversals, rates, applications), branch manager (approves), compliance (audit, read-only
// everything), admin (staff) — and what each must not do.
func TestRolesGrantWhatTheIssueSays(t *testing.T) {
	for _, tc := range []struct {
		role    staff.Role
		may     []staff.Permission
		mayNot  []staff.Permission
		because string
	}{
		{staff.Teller, []staff.Permission{staff.CustomerRead, staff.CashBranch, staff.UniqueCodeIssue},
			[]staff.Permission{staff.EntryReverse, staff.OverdraftSet, staff.ApprovalsDecide, staff.StaffManage,
				staff.AuditRead, staff.ChannelManage},
			"customer lookup, branch cash, unique codes"},
		{staff.CustomerService, []staff.Permission{staff.CustomerRead, staff.ContactEdit, staff.ChannelManage,
			staff.CardBlock},
			[]staff.Permission{staff.CashBranch, staff.CardIssue, staff.EntryReverse, staff.ApprovalsDecide,
				staff.StaffManage},
			"contact details, channel block/unblock, card block"},
		{staff.BackOffice, []staff.Permission{staff.AccountManage, staff.OverdraftSet, staff.EntryReverse,
			staff.RatesSet, staff.ApplicationsDecide},
			[]staff.Permission{staff.ApprovalsDecide, staff.StaffManage, staff.CashBranch, staff.AuditRead},
			"accounts, overdrafts, reversals, rates, applications"},
		{staff.Manager, []staff.Permission{staff.ApprovalsDecide, staff.StaffUnblock},
			[]staff.Permission{staff.EntryReverse, staff.OverdraftSet, staff.CashBranch, staff.StaffManage},
			"approves"},
		{staff.Compliance, []staff.Permission{staff.AuditRead, staff.CustomerRead, staff.LedgerRead, staff.StaffRead},
			[]staff.Permission{staff.ApprovalsDecide, staff.EntryReverse, staff.StaffUnblock},
			"audit, read-only everything"},
		{staff.Admin, []staff.Permission{staff.StaffManage, staff.StaffUnblock, staff.StaffRead},
			[]staff.Permission{staff.CustomerRead, staff.EntryReverse, staff.CashBranch, staff.ApprovalsDecide,
				staff.AuditRead},
			"staff"},
	} {
		t.Run(string(tc.role), func(t *testing.T) {
			for _, p := range tc.may {
				if !tc.role.Grants(p) {
					t.Errorf("%s (%s) lacks %s", tc.role, tc.because, p)
				}
			}
			for _, p := range tc.mayNot {
				if tc.role.Grants(p) {
					t.Errorf("%s (%s) has %s", tc.role, tc.because, p)
				}
			}
		})
	}
}

// TestComplianceReadsEverythingAndChangesNothing: compliance holds every permission that only reads and none
// that changes anything.
func TestComplianceReadsEverythingAndChangesNothing(t *testing.T) {
	for _, p := range staff.Permissions() {
		if got := staff.Compliance.Grants(p); got != p.ReadOnly() {
			t.Errorf("compliance grants %s: %v, want %v", p, got, p.ReadOnly())
		}
	}
}

// TestEveryPermissionIsSomeRolesAndKnown: no permission is left to no role (an operation nobody could do), and
// every role grants only permissions of the list.
func TestEveryPermissionIsSomeRolesAndKnown(t *testing.T) {
	for _, p := range staff.Permissions() {
		granted := false
		for _, r := range staff.Roles() {
			granted = granted || r.Grants(p)
		}
		if !granted {
			t.Errorf("no role grants %s", p)
		}
	}
	if staff.Permission("customer.delete").Known() || staff.Role("root").Known() {
		t.Error("an unknown permission or role is known")
	}
}

// TestOnlyTheirRoleDecidesWhatAMemberMayDo: a member may do what any of their roles grants, and nothing when
// locked or deactivated.
func TestOnlyTheirRoleDecidesWhatAMemberMayDo(t *testing.T) {
	both := staff.Member{Active: true, Roles: []staff.Role{staff.Teller, staff.CustomerService}}
	for _, tc := range []struct {
		name string
		m    staff.Member
		p    staff.Permission
		want bool
	}{
		{"the first role's", both, staff.CashBranch, true},
		{"the second role's", both, staff.CardBlock, true},
		{"neither role's", both, staff.EntryReverse, false},
		{"no role", staff.Member{Active: true}, staff.CustomerRead, false},
		{"locked", staff.Member{Active: true, Locked: true, Roles: both.Roles}, staff.CashBranch, false},
		{"deactivated", staff.Member{Roles: both.Roles}, staff.CashBranch, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.m.Can(tc.p); got != tc.want {
				t.Errorf("Can(%s) = %v, want %v", tc.p, got, tc.want)
			}
			if err := tc.m.Require(tc.p); (err == nil) != tc.want {
				t.Errorf("Require(%s) = %v", tc.p, err)
			}
		})
	}
}

func TestParseRolesReadsAListOfRoleNames(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
		code string
	}{
		{"admin", "admin", ""},
		{" Service, teller ,service", "teller,service", ""},
		{"teller,,manager", "teller,manager", ""},
		{"", "", "staff_roles_required"},
		{" , ", "", "staff_roles_required"},
		{"teller,root", "", "staff_role_unknown"},
	} {
		roles, err := staff.ParseRoles(tc.in)
		var names []string
		for _, r := range roles {
			names = append(names, string(r))
		}
		if got := join(names); got != tc.want || code(err) != tc.code {
			t.Errorf("ParseRoles(%q) = %q, %v; want %q, %q", tc.in, got, err, tc.want, tc.code)
		}
	}
}

func b32decode(s string) ([]byte, error) {
	return base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(s)
}

// TestTheBackOfficeAndTheAdministratorKeepTheBanksAndTheTariff: the directory of banks and the payment tariff are
// the back office's and the administrator's to change (issue #11 item 2), and every role reads them.
func TestTheBackOfficeAndTheAdministratorKeepTheBanksAndTheTariff(t *testing.T) {
	for _, r := range staff.Roles() {
		keeps := r == staff.BackOffice || r == staff.Admin
		for _, p := range []staff.Permission{staff.DirectoryManage, staff.TariffManage} {
			if r.Grants(p) != keeps {
				t.Errorf("%s grants %s: %v, want %v", r, p, r.Grants(p), keeps)
			}
		}
		if !r.Grants(staff.PaymentsRead) {
			t.Errorf("%s does not read the banks and the tariff", r)
		}
	}
}
