package terms

import (
	"strconv"
	"testing"
)

func TestRememberedAcceptancesAreBounded(t *testing.T) {
	s := &Service{}
	for i := range maxRemembered + 10 {
		s.remember(acceptance{customerID: strconv.Itoa(i), version: Current})
	}
	if n := len(s.accepted); n == 0 || n > maxRemembered {
		t.Fatalf("%d acceptances remembered, want 1 to %d", n, maxRemembered)
	}
	if !s.remembered(acceptance{customerID: strconv.Itoa(maxRemembered + 9), version: Current}) {
		t.Fatal("the newest acceptance was forgotten")
	}
}
