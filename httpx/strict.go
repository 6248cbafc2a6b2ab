package httpx

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/kumbara/kumbara"
)

// checkStrict refuses what encoding/json lets through in a body it has already decoded into a value of type t: a
// key given twice in one object (it keeps the last), and a key that names a field only when case is ignored (it
// matches case-insensitively). Either lets two readers of one request disagree on what it says. The body is read
// again with jsontext (the JSON tokenizer of the Go team's JSON v2 work), which refuses a repeated name itself and
// allocates little: every request body goes through here. Invalid UTF-8 is left to the fields' own rules, as
// encoding/json leaves it.
func checkStrict(data []byte, t reflect.Type) error {
	dec := jsontext.NewDecoder(bytes.NewReader(data), jsontext.AllowInvalidUTF8(true))
	return walkStrict(dec, t, "", "")
}

// walkStrict reads one value from dec, t being the Go type it decodes into (nil when any shape goes: an
// interface, a json.RawMessage, a type with its own UnmarshalJSON). parent and key name the value for an error
// (key is "" at the top, or an array element's parent is its index path); the path is joined only when needed.
func walkStrict(dec *jsontext.Decoder, t reflect.Type, parent, key string) error {
	switch dec.PeekKind() {
	case '{', '[':
	default:
		if err := dec.SkipValue(); err != nil {
			return strictError(err, joinPath(parent, key))
		}
		return nil
	}
	path := joinPath(parent, key)
	tok, err := dec.ReadToken()
	if err != nil {
		return strictError(err, path)
	}
	t = decodedType(t)
	if tok.Kind() == '[' {
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for i := 0; dec.PeekKind() != ']'; i++ {
			if err := walkStrict(dec, elem, path+"["+strconv.Itoa(i)+"]", ""); err != nil {
				return err
			}
		}
	} else {
		var elem reflect.Type
		var fields []jsonField
		isStruct := t != nil && t.Kind() == reflect.Struct
		if isStruct {
			fields = jsonFields(t)
		}
		if t != nil && t.Kind() == reflect.Map {
			elem = t.Elem()
		}
		for dec.PeekKind() != '}' {
			tok, err := dec.ReadToken() // a name; jsontext refuses one the object already has
			if err != nil {
				return strictError(err, path)
			}
			name := tok.String()
			next := elem
			if isStruct {
				ft, exact, folded := fieldOf(fields, name)
				if !exact && folded {
					at := joinPath(path, name)
					return kumbara.ErrUnknownField.Field(at).With("field %q matches only when case is ignored", at)
				}
				next = ft
			}
			if err := walkStrict(dec, next, path, name); err != nil {
				return err
			}
		}
	}
	if _, err := dec.ReadToken(); err != nil { // the closing delimiter
		return strictError(err, path)
	}
	return nil
}

// strictError is a refusal of the tokenizer inside the value at path: a repeated name (duplicate_field, naming
// it), or anything else, which encoding/json would have refused first (malformed_json).
func strictError(err error, path string) error {
	var se *jsontext.SyntacticError
	if errors.As(err, &se) && errors.Is(se.Err, jsontext.ErrDuplicateName) {
		at := joinPath(path, se.JSONPointer.LastToken())
		return kumbara.ErrMalformedJSON.With("duplicate key %q", at).WithFields(kumbara.ErrDuplicateField.At(at))
	}
	return kumbara.ErrMalformedJSON.Wrap(err)
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// decodedType is the type whose shape the JSON must have: pointers followed, nil for a type that decodes itself
// (whose keys are its own business; duplicates are still refused) or an interface.
func decodedType(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() == reflect.Interface {
		return nil
	}
	p := reflect.PointerTo(t)
	if p.Implements(jsonUnmarshaler) || p.Implements(textUnmarshaler) {
		return nil
	}
	return t
}

// jsonField is a struct field as encoding/json names it.
type jsonField struct {
	name string
	typ  reflect.Type
}

// jsonFields are the JSON names of a struct's fields as encoding/json sees them, embedded structs' promoted (the
// outer field wins). A slice rather than a map: a request's struct has a few fields, and every body is walked.
func jsonFields(t reflect.Type) []jsonField {
	out := make([]jsonField, 0, t.NumField())
	var embedded []reflect.Type
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			if et := decodedType(f.Type); et != nil && et.Kind() == reflect.Struct {
				embedded = append(embedded, et)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, jsonField{name, f.Type})
	}
	for _, et := range embedded {
		for _, ef := range jsonFields(et) {
			if !slices.ContainsFunc(out, func(f jsonField) bool { return f.name == ef.name }) {
				out = append(out, ef)
			}
		}
	}
	return out
}

// fieldOf finds the field key decodes into: its type if a field has exactly that name, and whether one has it only
// when case is ignored.
func fieldOf(fields []jsonField, key string) (ft reflect.Type, exact, folded bool) {
	for _, f := range fields {
		if f.name == key {
			return f.typ, true, false
		}
		folded = folded || strings.EqualFold(f.name, key)
	}
	return nil, false, folded
}

func joinPath(path, key string) string {
	switch {
	case path == "":
		return key
	case key == "":
		return path
	}
	return path + "." + key
}
