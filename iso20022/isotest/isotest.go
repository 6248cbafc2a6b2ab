// Package isotest checks ISO 20022 messages against their schemas with xmllint, for the tests of every package
// that writes one. The schemas are the ones in iso20022/testdata/xsd, found beside this file.
package isotest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// Validate fails t unless doc is valid against the schema xsdName (e.g. "pacs.008.001.08.xsd"). Without xmllint
// it skips, or fails under CI=true, where the test command installs it.
func Validate(t testing.TB, xsdName string, doc []byte) {
	t.Helper()
	path, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("xmllint is not installed (Debian package libxml2-utils)")
		}
		t.Skip("xmllint is not installed (Debian package libxml2-utils)")
	}
	_, self, _, _ := runtime.Caller(0)
	schema := filepath.Join(filepath.Dir(self), "..", "testdata", "xsd", xsdName)
	cmd := exec.Command(path, "--noout", "--nonet", "--schema", schema, "-")
	cmd.Stdin = bytes.NewReader(doc)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("xmllint refuses the document against %s: %v\n%s\n--- document ---\n%s", xsdName, err, out, doc)
	}
}
