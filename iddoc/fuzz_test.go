package iddoc_test

import (
	"testing"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/iddoc"
	"github.com/kumbara/kumbara/iddoc/iddoctest"
)

// FuzzVerify feeds the verifier any EF.SOD and DG1 (with the issuer's DG2): it must answer with a domain error or
// an MRZ, never panic.
func FuzzVerify(f *testing.F) {
	issuer := iddoctest.NewIssuer(f)
	chip := issuer.Chip(iddoctest.MRZFor(dritan()))
	f.Add(chip.SOD, chip.DataGroups[1])
	f.Add(chip.SOD[:len(chip.SOD)/2], chip.DataGroups[1][:10])
	f.Add([]byte{0x77, 0x00}, []byte{0x61, 0x00})
	v := issuer.Verifier(clock.NewFake(today))
	f.Fuzz(func(t *testing.T, sod, dg1 []byte) {
		m, err := v.Verify(iddoc.Chip{SOD: sod, DataGroups: map[int][]byte{1: dg1, 2: iddoctest.DG2}})
		if err != nil {
			if e, ok := iddocError(err); !ok {
				t.Fatalf("Verify: %v is not a domain error (%v)", err, e)
			}
			return
		}
		if m.DocumentNumber == "" || m.Surname == "" {
			t.Fatalf("Verify accepted an MRZ without number or surname: %+v", m)
		}
	})
}

// FuzzParseMRZ: ParseMRZ never panics, and whatever it accepts has its mandatory fields.
func FuzzParseMRZ(f *testing.F) {
	f.Add(specimenTD1)
	f.Add(specimenTD3)
	f.Add(iddoctest.TD1(iddoctest.MRZFor(dritan())))
	f.Fuzz(func(t *testing.T, s string) {
		m, err := iddoc.ParseMRZ(s, today)
		if err != nil {
			if _, ok := iddocError(err); !ok {
				t.Fatalf("ParseMRZ: %v is not a domain error", err)
			}
			return
		}
		if m.DocumentNumber == "" || m.Surname == "" || m.BirthDate.IsZero() || m.ExpiryDate.IsZero() ||
			m.BirthDate.After(today) {
			t.Fatalf("ParseMRZ(%q) = %+v", s, m)
		}
		_ = m.Matches(dritan())
	})
}
