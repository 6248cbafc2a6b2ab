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

type actorKey struct{}

// WithActor returns ctx carrying a, who is acting: the staff operations put the member of staff there before
// calling the domain, so a service that a member of staff drives records them (Acting) without every signature
// carrying them.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorOf returns the actor ctx carries; ok is false when none does.
func ActorOf(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	return a, ok && a.Kind != ""
}

// Acting returns the actor ctx carries, or fallback when it carries none (a service also called by the bank's
// own background work or a test names itself).
func Acting(ctx context.Context, fallback Actor) Actor {
	if a, ok := ActorOf(ctx); ok {
		return a
	}
	return fallback
}

// StaffActor is the actor for a member of staff: their username and the roles they hold (comma-separated), as
// the audit of staff actions records who and in which role.
func StaffActor(username, roles string) Actor {
	return Actor{Kind: ActorStaff, ID: username, Role: roles}
}

// Bank is the id of the system actor for what the bank does by itself: work no member of staff asked for (the
// demo's seeding, a tool, a test), in a service that staff otherwise drive.
const Bank = "kumbara"

// Operator is who acts in a service staff drive: the member of staff ctx carries (WithActor), else the bank
// itself (System(Bank)).
func Operator(ctx context.Context) Actor { return Acting(ctx, System(Bank)) }
