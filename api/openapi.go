package api

import (
	_ "embed"
	"net/http"
)

// The OpenAPI 3.1 document is kept by hand beside the route table; TestOpenAPIMatchesRoutes fails when a route and
// the document disagree, and every request and answer of the API tests is validated against it.
//
//go:embed openapi.json
var openAPIDocument []byte

// OpenAPIDocument returns the API's OpenAPI 3.1 document.
func OpenAPIDocument() []byte { return openAPIDocument }

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(openAPIDocument)
}
