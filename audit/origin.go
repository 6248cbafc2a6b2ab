package audit

import "context"

// Origin is where a request came from, as the HTTP layer knows it: its id and the client's address. The HTTP
// layer puts it in the request's context (WithOrigin) and the domain reads it when it appends (Stamp), so the
// domain's signatures need not carry it.
type Origin struct {
	RequestID string
	Client    string
}

type originKey struct{}

// WithOrigin returns ctx carrying o.
func WithOrigin(ctx context.Context, o Origin) context.Context {
	return context.WithValue(ctx, originKey{}, o)
}

// OriginOf returns the origin ctx carries (zero outside a request: the CLI, background work).
func OriginOf(ctx context.Context) Origin {
	o, _ := ctx.Value(originKey{}).(Origin)
	return o
}

// Stamp fills e's request id and client address from ctx.
func Stamp(ctx context.Context, e Entry) Entry {
	o := OriginOf(ctx)
	e.RequestID, e.Client = o.RequestID, o.Client
	return e
}
