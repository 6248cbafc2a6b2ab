package web

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/web/core"
)

// Every icon a page names is drawn in the sprite: a misspelt name would show nothing, silently.
func TestEveryIconAPageNamesIsInTheSprite(t *testing.T) {
	sprite, err := fs.ReadFile(core.Static(), "icons.svg")
	if err != nil {
		t.Fatal(err)
	}
	drawn := map[string]bool{}
	for _, m := range regexp.MustCompile(`<symbol id="([a-z-]+)"`).FindAllStringSubmatch(string(sprite), -1) {
		drawn[m[1]] = true
	}
	// Icons are named through the layout's icon template or, in raw markup, by the sprite's address.
	named := regexp.MustCompile(`\{\{template "icon" "([a-z-]+)"\}\}|icons\.svg#([a-z-]+)`)
	s := &Server{}
	templates := []fs.FS{core.Templates()}
	for _, a := range s.areas() {
		if a.Templates != nil { // an area of routes only (the demo network's JSON)
			templates = append(templates, a.Templates)
		}
	}
	uses := 0
	for _, fsys := range templates {
		if err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
				return err
			}
			page, err := fs.ReadFile(fsys, path)
			if err != nil {
				return err
			}
			for _, m := range named.FindAllStringSubmatch(string(page), -1) {
				name := m[1] + m[2]
				uses++
				if name != "NAME" && !drawn[name] {
					t.Errorf("%s names the icon %q, which the sprite does not draw", path, name)
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if uses < 10 {
		t.Errorf("found %d icons in the templates: the walk of the templates is broken", uses)
	}
}
