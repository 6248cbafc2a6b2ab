package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/kumbara/kumbara"
)

// DefaultMaxBodyBytes is the body limit when a route sets none. Requests are small forms; 64 KiB is generous for
// them and small enough that a flood of large bodies costs us little.
const DefaultMaxBodyBytes = 64 << 10

// DecodeJSON reads exactly one JSON value from the request body into dst. It refuses, as a *kumbara.Error:
//   - a Content-Type other than application/json (415 unsupported_media_type), because a form or text body posted
//     by a browser is how cross-site requests arrive;
//   - a body over the route's limit (413 body_too_large; see LimitBody), DefaultMaxBodyBytes if it has none;
//   - a field dst does not have (400 unknown_field, the field in Fields), so a client's typo is not silently
//     dropped, e.g. a misspelt optional limit; this includes a key that matches a field only when case is
//     ignored ("Password" for "password"), which encoding/json would take;
//   - a key given twice in one object (400 malformed_json, the key in Fields with code duplicate_field): parsers
//     disagree on which one wins, so a proxy or log may read a request differently from us;
//   - an empty body, invalid JSON, or anything after the value (400 malformed_json);
//   - a value of the wrong type for a field (400 validation_failed, the field with code type_invalid).
func DecodeJSON(r *http.Request, dst any) error {
	maxBytes := bodyLimit(r)
	if !isJSON(r.Header.Get("Content-Type")) {
		return kumbara.ErrUnsupportedMediaType.With("content type %q", r.Header.Get("Content-Type"))
	}
	if r.ContentLength > maxBytes {
		return tooLarge(maxBytes)
	}
	if r.Body == nil {
		return kumbara.ErrMalformedJSON.With("no body")
	}
	// A nil ResponseWriter only costs MaxBytesReader's hint to close the connection; the limit itself still holds.
	// The body is read whole (it is small) because it is read twice: decoded, then checked for what the decoder
	// lets through.
	data, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBytes))
	if err != nil {
		return decodeError(err, maxBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err, maxBytes)
	}
	// A second value, or garbage, after the first is an ambiguous request: refuse it rather than guess. Only JSON's
	// white space may follow.
	if len(bytes.TrimLeft(data[dec.InputOffset():], " \t\r\n")) > 0 {
		return kumbara.ErrMalformedJSON.With("data after the JSON value")
	}
	return checkStrict(data, reflect.TypeOf(dst))
}

func isJSON(contentType string) bool {
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil || mediaType != contentTypeJSON {
		return false
	}
	// JSON is UTF-8 (RFC 8259 §8.1); a client declaring another charset would be misread.
	charset, ok := params["charset"]
	return !ok || strings.EqualFold(charset, "utf-8")
}

func tooLarge(maxBytes int64) *kumbara.Error {
	return kumbara.ErrBodyTooLarge.With("body over %d bytes", maxBytes).WithParam("max_bytes", strconv.FormatInt(maxBytes, 10))
}

func decodeError(err error, maxBytes int64) error {
	var (
		tooBig    *http.MaxBytesError
		typeErr   *json.UnmarshalTypeError
		invalid   *json.InvalidUnmarshalError
		syntaxErr *json.SyntaxError
	)
	switch {
	case errors.As(err, &tooBig):
		return tooLarge(maxBytes)
	case errors.As(err, &invalid):
		// dst is not a pointer: a bug in the handler, not the client's fault.
		return kumbara.ErrInternal.With("decode target").Wrap(err)
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return kumbara.ErrValidationFailed.WithFields(kumbara.ErrTypeInvalid.At(typeErr.Field)).Wrap(err)
	case errors.As(err, &syntaxErr), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.As(err, &typeErr):
		return kumbara.ErrMalformedJSON.Wrap(err)
	}
	// encoding/json reports an unknown field only as text.
	if field, ok := unknownField(err.Error()); ok {
		return kumbara.ErrUnknownField.Field(field).Wrap(err)
	}
	if strings.Contains(err.Error(), "unknown field") {
		return kumbara.ErrUnknownField.Wrap(err)
	}
	return kumbara.ErrMalformedJSON.Wrap(err)
}

func unknownField(msg string) (string, bool) {
	const marker = "unknown field "
	i := strings.Index(msg, marker)
	if i < 0 {
		return "", false
	}
	field, err := strconv.Unquote(msg[i+len(marker):])
	if err != nil || field == "" {
		return "", false
	}
	return field, true
}
