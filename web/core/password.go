package core

import (
	"errors"
	"net/http"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/password"
)

// RuleMatch is the pages' own password rule that the new password is typed the same twice.
const RuleMatch = "match"

// PasswordRule is one of the password rules (A11) as a page lists them.
type PasswordRule struct {
	Code, Text string
	Broken     bool // the server found this rule broken on the last attempt
}

// liveRule reports whether the page can check a password rule while the customer types (profile.js mirrors
// password.Check for these); the others need the customer's data or password history and are checked on saving.
func liveRule(code string) bool {
	switch code {
	case password.CodeLength, password.CodeLettersAndDigits, password.CodeUpperAndLower,
		password.CodeForbiddenCharacter, password.CodeDigitRun:
		return true
	}
	return false
}

// PasswordRules are the password rules in the page's language, as every page that sets a new password lists them
// (the profile's password change, the recovery): those checked as the customer types, then those checked on
// saving. broken marks the rules the server refused on the last attempt; RuleMatch is the last live one.
func (s *Site) PasswordRules(r *http.Request, broken map[string]bool) (live, onSave []PasswordRule) {
	for _, rule := range password.Rules(string(Lang(r))) {
		item := PasswordRule{Code: rule.Code, Text: rule.Text, Broken: broken[rule.Code]}
		if liveRule(rule.Code) {
			live = append(live, item)
		} else {
			onSave = append(onSave, item)
		}
	}
	live = append(live, PasswordRule{Code: RuleMatch, Text: s.Catalogue.Message(Lang(r), "web_pr_rule_match", nil),
		Broken: broken[RuleMatch]})
	return live, onSave
}

// BrokenRules are the rules a refused new password breaks (password.ErrPolicy names each in a field error): marked
// for PasswordRules, and their texts in the page's language. Both are nil for any other error.
func (s *Site) BrokenRules(r *http.Request, err error) (map[string]bool, []string) {
	e, ok := kumbara.As(err)
	if !ok || !errors.Is(err, password.ErrPolicy) {
		return nil, nil
	}
	broken := map[string]bool{}
	var texts []string
	for _, fe := range e.Fields {
		broken[fe.Code] = true
		texts = append(texts, s.Catalogue.Message(Lang(r), fe.Code, nil))
	}
	return broken, texts
}
