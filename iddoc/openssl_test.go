package iddoc_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/iddoc"
)

// TestVerifyAcceptsEFSODsSignedByOpenSSL checks the parser against another CMS encoder than iddoctest: documents
// signed by `openssl cms -sign` (testdata/make.sh) with ECDSA P-256 and SHA-384 under a P-384 CSCA, with RSA
// PKCS#1 v1.5 (named rsaEncryption, the hash left to the digest algorithm) and with RSA-PSS (SHA-256, maximal salt) — OpenSSL also adds a signing-time attribute and names the signer by issuer and
// serial number.
func TestVerifyAcceptsEFSODsSignedByOpenSSL(t *testing.T) {
	read := func(name string) []byte {
		t.Helper()
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	dgs := map[int][]byte{1: read("dg1.bin"), 2: read("dg2.bin")}
	clk := clock.NewFake(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	for _, alg := range []string{"ecdsa", "rsa", "rsapss"} {
		cscas, err := iddoc.ParseCSCAs(read(alg + "-csca.pem"))
		if err != nil {
			t.Fatal(err)
		}
		v := &iddoc.Verifier{CSCAs: cscas, Clock: clk}
		m, err := v.Verify(iddoc.Chip{SOD: read(alg + "-sod.bin"), DataGroups: dgs})
		if err != nil {
			t.Errorf("%s: %v", alg, err)
			continue
		}
		if m.DocumentNumber != "D23145890" || m.Surname != "ERIKSSON" || m.GivenNames != "ANNA MARIA" ||
			m.ExpiryDate != time.Date(2031, 4, 15, 0, 0, 0, 0, time.UTC) {
			t.Errorf("%s: MRZ %+v", alg, m)
		}
		// The same document with another data group's bytes is refused.
		spoiled := map[int][]byte{1: dgs[1], 2: append([]byte{}, dgs[2][:len(dgs[2])-1]...)}
		if _, err := v.Verify(iddoc.Chip{SOD: read(alg + "-sod.bin"), DataGroups: spoiled}); err == nil {
			t.Errorf("%s: a changed DG2 is accepted", alg)
		}
	}
}
