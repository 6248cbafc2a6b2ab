package httpx

import (
	"bytes"
	"encoding"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"

	"github.com/kumbara/kumbara"
)

// checkStrict refuses what encoding/json lets through in a body it has already decoded into a value of type t: a
// key given twice in one object (it keeps the last), and a key that names a field only when case is ignored (it
// matches case-insensitively). Either lets two readers of one request disagree on what it says.
func checkStrict(data []byte, t reflect.Type) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return walkStrict(dec, t, "")
}

// walkStrict reads one value from dec, t being the Go type it decodes into (nil when any shape goes: an
// interface, a json.RawMessage, a type with its own UnmarshalJSON).
func walkStrict(dec *json.Decoder, t reflect.Type, path string) error {
	tok, err := dec.Token()
	if err != nil {
		return kumbara.ErrMalformedJSON.Wrap(err)
	}
	delim, ok := tok.(json.Delim)
	if !ok {
		return nil
	}
	t = decodedType(t)
	switch delim {
	case '{':
		var fields map[string]reflect.Type
		var elem reflect.Type
		switch {
		case t != nil && t.Kind() == reflect.Struct:
			fields = jsonFields(t)
		case t != nil && t.Kind() == reflect.Map:
			elem = t.Elem()
		}
		seen := map[string]bool{}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return kumbara.ErrMalformedJSON.Wrap(err)
			}
			key, _ := tok.(string)
			at := joinPath(path, key)
			if seen[key] {
				return kumbara.ErrMalformedJSON.With("duplicate key %q", at).WithFields(kumbara.ErrDuplicateField.At(at))
			}
			seen[key] = true
			next := elem
			if fields != nil {
				ft, exact := fields[key]
				if !exact && foldedField(fields, key) {
					return kumbara.ErrUnknownField.Field(at).With("field %q matches only when case is ignored", at)
				}
				next = ft
			}
			if err := walkStrict(dec, next, at); err != nil {
				return err
			}
		}
	case '[':
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for i := 0; dec.More(); i++ {
			if err := walkStrict(dec, elem, path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
	}
	_, err = dec.Token() // the closing delimiter
	if err != nil {
		return kumbara.ErrMalformedJSON.Wrap(err)
	}
	return nil
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

// jsonFields are the JSON names of a struct's fields as encoding/json sees them, embedded structs' promoted.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			if et := decodedType(f.Type); et != nil && et.Kind() == reflect.Struct {
				for k, v := range jsonFields(et) {
					if _, taken := out[k]; !taken {
						out[k] = v
					}
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

func foldedField(fields map[string]reflect.Type, key string) bool {
	for name := range fields {
		if strings.EqualFold(name, key) {
			return true
		}
	}
	return false
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
