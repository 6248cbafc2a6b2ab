package core

import (
	"net/http"

	"github.com/kumbara/kumbara/i18n"
)

// Another face built like the internet branch (the back office) uses these pieces of a Site as they are, with its
// own layout and session: the static files' hashed names, sending a page, and Protect (headers.go).

// StaticURL is the address of a static file with its content hash, what {{static "app.css"}} writes in a page.
// The files are served at /static/ by the internet branch's Register, on the one mux every face shares.
func (s *Site) StaticURL(name string) string { return s.assets.URL(name) }

// WriteHTML sends a rendered page in lang, gzipped when the browser accepts it and the page is big enough to gain.
func (s *Site) WriteHTML(w http.ResponseWriter, r *http.Request, status int, lang i18n.Lang, page []byte) {
	s.writeHTML(w, r, status, lang, page)
}
