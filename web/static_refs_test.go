package web

import (
	"io/fs"
	"regexp"
	"testing"

	"github.com/kumbara/kumbara/web/core"
)

// A page names a static file through {{static "name"}}, which adds its content hash: a plain "/static/name" would
// be revalidated on every page view and could be served stale from a cache after a release.
func TestTemplatesNameStaticFilesThroughTheirHash(t *testing.T) {
	plain := regexp.MustCompile(`["'(]/static/`)
	s := &Server{}
	for _, a := range append(s.areas(), core.Area{Name: "core", Templates: core.Templates()}) {
		if a.Templates == nil {
			continue
		}
		err := fs.WalkDir(a.Templates, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(a.Templates, p)
			if err != nil {
				return err
			}
			if loc := plain.FindIndex(b); loc != nil {
				t.Errorf("%s/%s names %q: use {{static \"…\"}}", a.Name, p, b[loc[0]:min(len(b), loc[1]+30)])
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
