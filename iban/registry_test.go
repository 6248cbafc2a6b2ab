package iban

import (
	"encoding/csv"
	"os"
	"strconv"
	"strings"
	"testing"
)

// registryCSV is the SWIFT IBAN registry export kept beside the repository; registry.go is generated from it.
const registryCSV = "../../shared/standards/iban-registry-r100.csv"

type registryRow struct {
	country, example, printExample, structure string
	length                                    int
}

// readRegistry returns the CSV's rows, or ok == false when the file is not beside the checkout.
func readRegistry(tb testing.TB) (rows []registryRow, ok bool) {
	tb.Helper()
	f, err := os.Open(registryCSV)
	if os.IsNotExist(err) {
		return nil, false
	}
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	for _, r := range records[1:] {
		n, err := strconv.Atoi(r[1])
		if err != nil {
			tb.Fatalf("%s: length %q", r[0], r[1])
		}
		rows = append(rows, registryRow{country: r[0], length: n, example: r[2], structure: r[3], printExample: r[6]})
	}
	return rows, true
}

func TestParseAcceptsEveryRegistryExample(t *testing.T) {
	rows, ok := readRegistry(t)
	if !ok {
		t.Skip(registryCSV + " is not there")
	}
	for _, r := range rows {
		for _, in := range []string{r.example, r.printExample} {
			got, err := Parse(in)
			if err != nil {
				t.Errorf("%s: Parse(%q): %v", r.country, in, err)
				continue
			}
			if got.String() != r.example || got.Country() != r.country {
				t.Errorf("%s: Parse(%q) = %q", r.country, in, got)
			}
		}
	}
}

// The generated table must follow the CSV it came from; this fails when a new registry release is dropped in
// without running go generate.
func TestRegistryTableMatchesCSV(t *testing.T) {
	rows, ok := readRegistry(t)
	if !ok {
		t.Skip(registryCSV + " is not there")
	}
	if len(rows) != len(registry) {
		t.Errorf("CSV has %d countries, table has %d", len(rows), len(registry))
	}
	classes := map[charClass]string{digits: "n", letters: "a", alphanumerics: "c"}
	for _, r := range rows {
		f, ok := registry[r.country]
		if !ok {
			t.Errorf("%s missing from the table", r.country)
			continue
		}
		var b strings.Builder
		b.WriteString(r.country + "2!n")
		for _, s := range f.bban {
			b.WriteString(strconv.Itoa(s.n) + "!" + classes[s.class])
		}
		if f.length != r.length || b.String() != r.structure {
			t.Errorf("%s: table has %d %s, CSV has %d %s", r.country, f.length, b.String(), r.length, r.structure)
		}
	}
}
