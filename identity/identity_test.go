package identity_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/iddoc"
	"github.com/kumbara/kumbara/identity"
)

// fieldCodes lists a validation error's field errors as "field:code".
func fieldCodes(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	if !errors.Is(err, kumbara.ErrValidationFailed) {
		t.Fatalf("%v, want validation_failed", err)
	}
	e, _ := kumbara.As(err)
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field+":"+f.Code)
	}
	return out
}

func TestValidateAsksEachMethodForItsOwnFields(t *testing.T) {
	all := []string{identity.MethodCard, identity.MethodUniqueCode, identity.MethodIDDocument}
	chip := iddoc.Chip{SOD: []byte{1}, DataGroups: map[int][]byte{1: {1}}}
	cases := []struct {
		name    string
		proof   identity.Proof
		methods []string
		want    []string
	}{
		{"a card", identity.Proof{Method: identity.MethodCard, CardType: "visa", CardLast6: "123456", CardPIN: "4739"},
			all, nil},
		{"a unique code", identity.Proof{Method: identity.MethodUniqueCode, UniqueCode: "ACDEF-HJKMN"}, all, nil},
		{"an ID document", identity.Proof{Method: identity.MethodIDDocument, Document: chip, PreviousPassword: "x"},
			all, nil},
		{"no method", identity.Proof{}, all, []string{"method:field_required"}},
		{"an unknown method", identity.Proof{Method: "letter"}, all, []string{"method:invalid"}},
		{"a method the flow does not take", identity.Proof{Method: identity.MethodIDDocument, Document: chip,
			PreviousPassword: "x"}, []string{identity.MethodCard, identity.MethodUniqueCode}, []string{"method:invalid"}},
		{"a card without anything", identity.Proof{Method: identity.MethodCard}, all,
			[]string{"card_type:field_required", "card_last6:field_required", "card_pin:field_required"}},
		{"a card of an unknown type", identity.Proof{Method: identity.MethodCard, CardType: "amex", CardLast6: "123456",
			CardPIN: "4739"}, all, []string{"card_type:card_type_invalid"}},
		{"five digits", identity.Proof{Method: identity.MethodCard, CardType: "visa", CardLast6: "12345",
			CardPIN: "4739"}, all, []string{"card_last6:invalid"}},
		{"letters for digits", identity.Proof{Method: identity.MethodCard, CardType: "visa", CardLast6: "12345a",
			CardPIN: "4739"}, all, []string{"card_last6:invalid"}},
		{"a PIN too long to be one", identity.Proof{Method: identity.MethodCard, CardType: "visa", CardLast6: "123456",
			CardPIN: strings.Repeat("1", identity.MaxPINLength+1)}, all, []string{"card_pin:invalid"}},
		{"a blank unique code", identity.Proof{Method: identity.MethodUniqueCode, UniqueCode: "  "}, all,
			[]string{"unique_code:field_required"}},
		{"a unique code too long to be one", identity.Proof{Method: identity.MethodUniqueCode,
			UniqueCode: strings.Repeat("A", 65)}, all, []string{"unique_code:invalid"}},
		{"an ID document without anything", identity.Proof{Method: identity.MethodIDDocument}, all,
			[]string{"id_document.sod:field_required", "id_document.data_groups:field_required",
				"previous_password:field_required"}},
		{"a previous password too long to be one", identity.Proof{Method: identity.MethodIDDocument, Document: chip,
			PreviousPassword: strings.Repeat("p", 129)}, all, []string{"previous_password:invalid"}},
		// Only the method's own fields count: a card's fields do not make a unique code valid, nor the reverse.
		{"a card's fields with the unique code method", identity.Proof{Method: identity.MethodUniqueCode,
			CardType: "visa", CardLast6: "123456", CardPIN: "4739"}, all, []string{"unique_code:field_required"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := fieldCodes(t, identity.Validate(tc.proof, tc.methods...)); !slices.Equal(got, tc.want) {
				t.Errorf("field errors %v, want %v", got, tc.want)
			}
		})
	}
}

func TestValidateCompletionNeedsTheCodeAndThePassword(t *testing.T) {
	cases := []struct {
		name, code, password string
		want                 []string
	}{
		{"both", "123456", "Deti.Jon48", nil},
		{"no code", "", "Deti.Jon48", []string{"code:field_required"}},
		{"no password", "123456", "", []string{"new_password:field_required"}},
		{"neither", "", "", []string{"code:field_required", "new_password:field_required"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := fieldCodes(t, identity.ValidateCompletion(tc.code, tc.password)); !slices.Equal(got, tc.want) {
				t.Errorf("field errors %v, want %v", got, tc.want)
			}
		})
	}
}
