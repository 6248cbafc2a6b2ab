package kyc

import (
	"errors"
	"testing"

	"github.com/kumbara/kumbara"
)

// assertInvalid checks that err is the validation error the API can translate: kind, code and the field.
func assertInvalid(t *testing.T, err error, code, field string) {
	t.Helper()
	var e *kumbara.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is a %T, want *kumbara.Error", err, err)
	}
	if e.Kind != kumbara.KindInvalid || e.Code != code {
		t.Errorf("error kind %v code %q, want KindInvalid %q", e.Kind, e.Code, code)
	}
	want := kumbara.FieldError{Field: field, Code: code}
	if len(e.Fields) != 1 || e.Fields[0] != want {
		t.Errorf("error fields %v, want [%v]", e.Fields, want)
	}
}

// assertPanics runs f and fails unless it panics.
func assertPanics(t *testing.T, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Error("did not panic")
		}
	}()
	f()
}
