package password

import "github.com/kumbara/kumbara"

// Codes of the policy error and of each rule. They key the message catalogue and, in forms, the hint shown beside
// each rule; decide on an error with errors.Is and the sentinels below.
const (
	CodePolicy             = "password_policy"
	CodeLength             = "password_length"
	CodeLettersAndDigits   = "password_letters_and_digits"
	CodeUpperAndLower      = "password_upper_and_lower"
	CodeForbiddenCharacter = "password_forbidden_character"
	CodeBirthDate          = "password_birth_date"
	CodeDigitRun           = "password_digit_run"
	CodeCommon             = "password_common"
	CodePersonalData       = "password_personal_data"
	CodeReused             = "password_reused"
)

// ErrPolicy refuses a new password; its field errors name the rules it breaks, each the code of one of the rule
// errors below on the field Field.
var ErrPolicy = kumbara.NewError(kumbara.KindInvalid, CodePolicy)

// The rules (package documentation), in the order Check reports them.
var (
	ErrLength             = rule(CodeLength)
	ErrLettersAndDigits   = rule(CodeLettersAndDigits)
	ErrUpperAndLower      = rule(CodeUpperAndLower)
	ErrForbiddenCharacter = rule(CodeForbiddenCharacter)
	ErrBirthDate          = rule(CodeBirthDate)
	ErrDigitRun           = rule(CodeDigitRun)
	ErrCommon             = rule(CodeCommon)
	ErrPersonalData       = rule(CodePersonalData)
	ErrReused             = rule(CodeReused)
)

func rule(code string) *kumbara.Error {
	return kumbara.NewError(kumbara.KindInvalid, code).Field(Field)
}

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{ErrPolicy, ErrLength, ErrLettersAndDigits, ErrUpperAndLower, ErrForbiddenCharacter,
		ErrBirthDate, ErrDigitRun, ErrCommon, ErrPersonalData, ErrReused}
}
