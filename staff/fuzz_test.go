package staff_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/staff"
)

// FuzzParseRoles: whatever an operator types after --roles, ParseRoles answers known roles without repeats, in
// the table's order, or a refusal with a code — and reads its own output back the same.
func FuzzParseRoles(f *testing.F) {
	for _, s := range []string{"admin", "teller,service", " Manager ,manager", "", ",", "root", "teller,\x00", "ADMIN,compliance,backoffice"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		roles, err := staff.ParseRoles(s)
		if err != nil {
			if c := code(err); c != "staff_roles_required" && c != "staff_role_unknown" {
				t.Fatalf("ParseRoles(%q): %v", s, err)
			}
			return
		}
		order := staff.Roles()
		names := make([]string, len(roles))
		for i, r := range roles {
			if !r.Known() || i > 0 && slices.Index(order, roles[i-1]) >= slices.Index(order, r) {
				t.Fatalf("ParseRoles(%q) = %v", s, roles)
			}
			names[i] = string(r)
		}
		again, err := staff.ParseRoles(strings.Join(names, ","))
		if err != nil || !slices.Equal(again, roles) {
			t.Fatalf("ParseRoles of its own %v: %v, %v", roles, again, err)
		}
	})
}
