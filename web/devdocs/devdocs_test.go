package devdocs_test

import (
	"io/fs"
	"regexp"
	"slices"
	"testing"

	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/outbox"
	"github.com/kumbara/kumbara/web/core"
	"github.com/kumbara/kumbara/web/devdocs"
)

// The components page is for people building the demo bank: a bank without the demo inbox has no such page.
func TestTheComponentsPageExistsOnlyInDemoMode(t *testing.T) {
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		inbox *outbox.Sandbox
		want  bool
	}{
		{"a real bank", nil, false},
		{"the demo bank", &outbox.Sandbox{}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			site, err := core.New(core.Deps{Catalogue: cat, Inbox: tt.inbox}, devdocs.Area())
			if err != nil {
				t.Fatal(err)
			}
			got := slices.ContainsFunc(site.Routes(devdocs.Area()), func(r core.Route) bool {
				return r.Path == "/dev/components"
			})
			if got != tt.want {
				t.Errorf("/dev/components registered: %v, want %v", got, tt.want)
			}
		})
	}
}

// The page shows every icon of the sprite, and only those: a new icon is documented the day it is drawn.
func TestTheComponentsPageShowsEveryIconOfTheSprite(t *testing.T) {
	sprite, err := fs.ReadFile(core.Static(), "icons.svg")
	if err != nil {
		t.Fatal(err)
	}
	var drawn []string
	for _, m := range regexp.MustCompile(`<symbol id="([a-z-]+)"`).FindAllStringSubmatch(string(sprite), -1) {
		drawn = append(drawn, m[1])
	}
	shown := slices.Clone(devdocs.Icons)
	slices.Sort(drawn)
	slices.Sort(shown)
	if !slices.Equal(drawn, shown) {
		t.Errorf("the sprite draws %v, the page shows %v", drawn, shown)
	}
}
