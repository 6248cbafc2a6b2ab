package httpx

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/kumbara/kumbara"
)

// Mux is the bank's one router: every face (the API, the internet branch, the back office) registers its
// routes on it, and none of them knows the others. A pattern may be served twice, as a page for browsers
// (HandlePage) and for every other client (Handle): the request's Accept header picks one, so /dev/inbox is the
// web app's page in a browser and the API's JSON for a script, without either face calling the other. A pattern
// served once answers everyone. Routes are registered before the server starts; a Mux is not changed after.
type Mux struct {
	mux      *http.ServeMux
	patterns map[string]*faces
	notFound http.Handler
}

// faces holds the handlers of one pattern.
type faces struct {
	page, other http.Handler
}

// NewMux returns an empty Mux.
func NewMux() *Mux {
	return &Mux{mux: http.NewServeMux(), patterns: map[string]*faces{}}
}

// Handle serves pattern (net/http's "METHOD /path" syntax) with h for clients that do not ask for HTML, and for
// browsers too unless a page is registered for the same pattern.
func (m *Mux) Handle(pattern string, h http.Handler) { m.add(pattern, h, false) }

// HandleFunc is Handle for a function.
func (m *Mux) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	m.add(pattern, http.HandlerFunc(h), false)
}

// HandlePage serves pattern with h for browsers (a request that accepts text/html), and for every client unless
// Handle registers another handler for the same pattern.
func (m *Mux) HandlePage(pattern string, h http.Handler) { m.add(pattern, h, true) }

// HandleNotFound sets the page a browser gets for an address nobody serves (a GET or HEAD outside /api/ that
// accepts HTML); everyone else gets a not_found problem.
func (m *Mux) HandleNotFound(page http.Handler) {
	if m.notFound != nil {
		panic("httpx: two not-found pages")
	}
	m.notFound = page
}

func (m *Mux) add(pattern string, h http.Handler, page bool) {
	f, ok := m.patterns[pattern]
	if !ok {
		f = &faces{}
		m.patterns[pattern] = f
		m.mux.Handle(pattern, f) // panics, as ServeMux does, on a pattern that conflicts with another
	}
	slot := &f.other
	if page {
		slot = &f.page
	}
	if *slot != nil {
		panic(fmt.Sprintf("httpx: %s registered twice", pattern))
	}
	*slot = h
}

func (f *faces) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case f.page == nil:
		f.other.ServeHTTP(w, r)
	case f.other == nil || acceptsHTML(r):
		f.page.ServeHTTP(w, r)
	default:
		f.other.ServeHTTP(w, r)
	}
}

// ServeHTTP serves r with the handler its pattern names; Dispatch adds the problems for unrouted requests.
func (m *Mux) ServeHTTP(w http.ResponseWriter, r *http.Request) { m.mux.ServeHTTP(w, r) }

func acceptsHTML(r *http.Request) bool { return strings.Contains(r.Header.Get("Accept"), "text/html") }

// Dispatch serves requests through mux, telling the access log and the metrics which pattern matched, and answers
// the mux's own 404 and 405 as problems instead of its plain-text pages, so a client always gets a problem
// document, and a browser asking for a page that does not exist the site's not-found page.
func (s *Responder) Dispatch(mux *Mux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pattern := mux.mux.Handler(r)
		if r.Method == http.MethodConnect {
			// For CONNECT the mux may report a redirect target built from the request path as the pattern.
			pattern = ""
		}
		if ri, ok := r.Context().Value(routeKey).(*routeInfo); ok && pattern != "" {
			ri.pattern = pattern
		}
		if pattern == "" {
			w = &unmatchedWriter{ResponseWriter: w, s: s, r: r, notFound: mux.notFound}
		}
		mux.ServeHTTP(w, r)
	})
}

// unmatchedWriter turns the mux's plain-text 404 and 405 into problems; any other answer (a redirect to a cleaned
// path) passes through.
type unmatchedWriter struct {
	http.ResponseWriter
	s        *Responder
	r        *http.Request
	notFound http.Handler
	decided  bool
	swallow  bool
}

func (u *unmatchedWriter) WriteHeader(status int) {
	if u.decided {
		return
	}
	u.decided = true
	switch status {
	case http.StatusNotFound:
		u.swallow = true
		if u.notFound != nil && wantsPage(u.r) {
			// The mux's own headers (its text/plain type) must not reach the page.
			u.ResponseWriter.Header().Del("Content-Type")
			u.ResponseWriter.Header().Del("X-Content-Type-Options")
			u.notFound.ServeHTTP(u.ResponseWriter, u.r)
			return
		}
		u.s.Error(u.ResponseWriter, u.r, kumbara.ErrNotFound)
	case http.StatusMethodNotAllowed:
		u.swallow = true // the mux has already set Allow, which stays
		u.s.Error(u.ResponseWriter, u.r, kumbara.ErrMethodNotAllowed)
	default:
		u.ResponseWriter.WriteHeader(status)
	}
}

// wantsPage reports whether an unrouted request is a browser asking for a page: a GET or HEAD outside the API
// that accepts HTML. API clients and anything else get the problem document.
func wantsPage(r *http.Request) bool {
	return (r.Method == http.MethodGet || r.Method == http.MethodHead) && !strings.HasPrefix(r.URL.Path, "/api/") &&
		acceptsHTML(r)
}

func (u *unmatchedWriter) Write(b []byte) (int, error) {
	if !u.decided {
		u.WriteHeader(http.StatusOK)
	}
	if u.swallow {
		return len(b), nil
	}
	return u.ResponseWriter.Write(b)
}

func (u *unmatchedWriter) Unwrap() http.ResponseWriter { return u.ResponseWriter }
