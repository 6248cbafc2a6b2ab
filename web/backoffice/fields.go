package backoffice

import (
	"strconv"
	"strings"
)

// inputField is one labelled input of a form with its hint and its problem, as the "input" template of
// templates/_fields.html writes it: the same markup (label, aria-describedby, aria-invalid, the problem under the
// field) on every form.
type inputField struct {
	ID, Label, Value       string
	Type, Auto, Mode, Hint string
	Problem                string
	Max                    int
	Required               bool
}

// Input describes a form's input: name (its id and its form name), the catalogue key of its label, the value
// typed, and options: "type:tel", "auto:off", "mode:decimal", "max:100", "hint:KEY", "required", "unit:ALL" (the label
// says the field's unit). A password
// input never shows a value: what was typed is not sent back.
func (v View) Input(name, label, value string, opts ...string) inputField {
	f := inputField{ID: name, Label: v.T(label), Value: value, Type: "text", Problem: v.Field(name)}
	for _, o := range opts {
		key, arg, _ := strings.Cut(o, ":")
		switch key {
		case "type":
			f.Type = arg
		case "auto":
			f.Auto = arg
		case "mode":
			f.Mode = arg
		case "max":
			f.Max, _ = strconv.Atoi(arg)
		case "hint":
			f.Hint = v.T(arg)
		case "required":
			f.Required = true
		case "unit":
			f.Label += " (" + arg + ")"
		}
	}
	if f.Type == "password" {
		f.Value = ""
	}
	return f
}

// With is v showing d instead of its data: for a partial that shows one part of a page in the page's language.
func (v View) With(d any) View {
	v.Data = d
	return v
}
