package kumbara_test

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"testing"

	"github.com/kumbara/kumbara"
)

var errExample = kumbara.NewError(kumbara.KindUnprocessable, "example_refused")

func TestEveryInstanceMatchesItsSentinel(t *testing.T) {
	for name, err := range map[string]error{
		"the sentinel itself":      errExample,
		"with a detail":            errExample.With("account %s", "a1"),
		"with a cause":             errExample.Wrap(io.EOF),
		"naming a field":           errExample.Field("amount"),
		"with field errors":        errExample.WithFields(kumbara.ErrFieldRequired.At("name")),
		"with a parameter":         errExample.WithParam("max", "3"),
		"of another kind":          errExample.WithKind(kumbara.KindNotFound),
		"wrapped by fmt.Errorf":    fmt.Errorf("transfer: %w", errExample.With("x")),
		"made in place, same code": &kumbara.Error{Kind: kumbara.KindUnprocessable, Code: "example_refused"},
	} {
		if !errors.Is(err, errExample) {
			t.Errorf("%s: errors.Is(%v, sentinel) = false", name, err)
		}
		if name == "of another kind" {
			continue // its kind is what it changes (TestWithKindChangesOnlyTheKind)
		}
		if kumbara.CodeOf(err) != "example_refused" || kumbara.KindOf(err) != kumbara.KindUnprocessable {
			t.Errorf("%s: code %q kind %v", name, kumbara.CodeOf(err), kumbara.KindOf(err))
		}
	}
}

func TestAnErrorDoesNotMatchAnotherCode(t *testing.T) {
	for _, target := range []error{kumbara.ErrNotFound, kumbara.NewError(kumbara.KindUnprocessable, ""), io.EOF} {
		if errors.Is(errExample.With("x"), target) {
			t.Errorf("errors.Is(example_refused, %v) = true", target)
		}
	}
	if errors.Is(kumbara.NewError(kumbara.KindInvalid, ""), kumbara.NewError(kumbara.KindInvalid, "")) {
		t.Error("two errors without a code match each other")
	}
}

func TestACauseStaysReachable(t *testing.T) {
	err := errExample.Wrap(kumbara.ErrUnavailable.Wrap(io.ErrUnexpectedEOF))
	for _, target := range []error{errExample, kumbara.ErrUnavailable, io.ErrUnexpectedEOF} {
		if !errors.Is(err, target) {
			t.Errorf("errors.Is(%v, %v) = false", err, target)
		}
	}
	if got, want := err.Error(), "example_refused: unavailable: unexpected EOF"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestMakingAnInstanceNeverChangesTheSentinel(t *testing.T) {
	sentinel := kumbara.NewError(kumbara.KindInvalid, "example_invalid").Field("amount")
	before := *sentinel
	before.Fields = append([]kumbara.FieldError(nil), sentinel.Fields...)

	a := sentinel.Field("currency").WithParam("max", "3").With("detail %d", 1).Wrap(io.EOF)
	b := sentinel.Field("iban")
	a.Fields[0].Field = "changed"
	a.Params["max"] = "4"

	if !reflect.DeepEqual(*sentinel, before) {
		t.Errorf("sentinel changed: %+v, was %+v", *sentinel, before)
	}
	want := []kumbara.FieldError{{Field: "iban", Code: "example_invalid"}}
	if !reflect.DeepEqual(b.Fields, want) {
		t.Errorf("second instance's fields = %v, want %v", b.Fields, want)
	}
	if b.Detail != "" || b.Err != nil || b.Params != nil {
		t.Errorf("second instance inherited the first's detail, cause or parameters: %+v", b)
	}
}

func TestWithKindChangesOnlyTheKind(t *testing.T) {
	e := errExample.With("detail").WithKind(kumbara.KindNotFound)
	if e.Kind != kumbara.KindNotFound || e.Code != "example_refused" || e.Detail != "detail" {
		t.Errorf("WithKind: %+v", e)
	}
	if errExample.Kind != kumbara.KindUnprocessable {
		t.Errorf("the sentinel's kind changed to %v", errExample.Kind)
	}
}

func TestFieldErrorsNameTheFieldAndTheCode(t *testing.T) {
	e := kumbara.ErrValidationFailed.WithFields(kumbara.ErrFieldRequired.At("first_name"), kumbara.ErrInvalid.At("status"))
	want := []kumbara.FieldError{{Field: "first_name", Code: "field_required"}, {Field: "status", Code: "invalid"}}
	if !reflect.DeepEqual(e.Fields, want) || e.Kind != kumbara.KindInvalid || e.Code != "validation_failed" {
		t.Errorf("got %+v", e)
	}
}

func TestFieldMovesAnErrorToAnotherFieldAndKeepsTheOthers(t *testing.T) {
	sentinel := kumbara.NewError(kumbara.KindInvalid, "example_invalid").Field("amount")
	e := sentinel.WithFields(kumbara.ErrFieldRequired.At("currency")).Field("min_amount")
	want := []kumbara.FieldError{{Field: "currency", Code: "field_required"}, {Field: "min_amount", Code: "example_invalid"}}
	if !reflect.DeepEqual(e.Fields, want) {
		t.Errorf("fields = %v, want %v", e.Fields, want)
	}
}
