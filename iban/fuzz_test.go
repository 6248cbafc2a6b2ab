package iban

import "testing"

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		registryExample,
		"AL47 2121 1009 0000 0002 3569 8741",
		"al47 2121 1009 0000 0002 3569 8741",
		"AL47\u00a02121\u202f1009\t0000 0002 3569 8741\n",
		"AL99212110090000000000000027",
		"AL72212110080000000235698741",
		"AL35202111090000000001234567ı",
		"",
		"AL",
	} {
		f.Add(s)
	}
	if rows, ok := readRegistry(f); ok {
		for _, r := range rows {
			f.Add(r.example)
			f.Add(r.printExample)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		i, err := Parse(s)
		if err != nil {
			if i != "" {
				t.Fatalf("Parse(%q) returned %q with error %v", s, i, err)
			}
			return
		}
		if mod97(i.String()) != 1 {
			t.Fatalf("Parse(%q) = %q, which fails mod 97", s, i)
		}
		if format, ok := registry[i.Country()]; !ok || len(i) != format.length {
			t.Fatalf("Parse(%q) = %q, which does not fit the registry", s, i)
		}
		for _, form := range []string{i.Printable(), i.String()} {
			if again, err := Parse(form); err != nil || again != i {
				t.Fatalf("Parse(%q) = %q, %v; want %q", form, again, err, i)
			}
		}
		if i.Country() == albania {
			rebuilt, err := NewAlbanian(i.BankCode(), i.BranchCode(), i.AccountPart())
			if err != nil || rebuilt != i {
				t.Fatalf("NewAlbanian from the parts of %q = %q, %v", i, rebuilt, err)
			}
		}
	})
}

func FuzzParseBIC(f *testing.F) {
	for _, s := range []string{"NCBAALTX", "NCBAALTX001", " ncba al tx ", "NCB1ALTX", "NCBAALTX0", "NCBAALTı", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := ParseBIC(s)
		if err != nil {
			return
		}
		if len(b) != 8 && len(b) != 11 {
			t.Fatalf("ParseBIC(%q) = %q, of length %d", s, b, len(b))
		}
		if again, err := ParseBIC(b.String()); err != nil || again != b {
			t.Fatalf("ParseBIC(%q) = %q, %v; want %q", b, again, err, b)
		}
		if parts := b.Institution() + b.Country() + b.Location(); parts != string(b[:8]) {
			t.Fatalf("parts of %q give %q", b, parts)
		}
	})
}
