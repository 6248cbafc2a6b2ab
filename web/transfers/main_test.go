package transfers_test

import (
	"context"
	"os"
	"testing"

	"github.com/kumbara/kumbara/web/webtest"
)

// browsers is this package's one Chromium, shared by its browser tests.
var browsers webtest.Chromium

func TestMain(m *testing.M) {
	code := m.Run()
	browsers.Close()
	os.Exit(code)
}

// browser is a tab of its own for one test.
func browser(t *testing.T) context.Context { return browsers.Tab(t) }

// bank is the demo bank a test runs against, with this package's helpers as methods.
type bank struct{ *webtest.Bank }

func newBank(t testing.TB) *bank { return &bank{webtest.NewBank(t)} }
