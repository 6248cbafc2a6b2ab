// Package iddoc verifies identity documents read over NFC by the mobile app (A7, A9): ICAO 9303 passive
// authentication of the chip's data, and the holder's machine-readable zone (MRZ) compared with the bank's record.
//
// Passive authentication proves that the data groups the app sent are the ones a document signer of a configured
// country signing CA signed: the data is intact and was issued by that country. It does not prove that the data
// came from a genuine chip rather than a copy (that is active or chip authentication, which needs a live challenge
// relayed to the chip and is not done here), nor that the person holding the phone is the holder.
package iddoc

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"time"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
)

// Limits on what the app may send. Real documents are well inside them: an EF.SOD with one DS certificate is 2–4
// KiB, DG1 is 93 bytes (TD1) or 91 (TD3), DG2 (the face image) 15–30 KiB, and LDS 1.7 defines 16 data groups.
const (
	MaxSOD        = 64 << 10 // bytes of EF.SOD
	MaxDG1        = 1 << 10  // bytes of DG1
	MaxDataGroup  = 64 << 10 // bytes of any other data group
	MaxDataGroups = 16       // data groups in one request, numbered 1–16
	maxCerts      = 8        // certificates carried in the SignedData
)

// Chip is what the app read from the document's chip: EF.SOD (the document security object) and the data groups'
// files as read, keyed by number (1 = DG1, the MRZ; 2 = DG2, the face; others are only hashed). Only DG1 is
// required: an app that sends just EF.SOD and DG1 (a few KiB) has the MRZ verified without uploading the face.
type Chip struct {
	SOD        []byte
	DataGroups map[int][]byte
}

// Verifier checks chips against the configured Country Signing CA certificates. A nil *Verifier is a bank
// without them: Verify answers id_document_unavailable.
type Verifier struct {
	CSCAs []*x509.Certificate
	Clock clock.Clock
}

func (v *Verifier) now() time.Time {
	if v.Clock == nil {
		return time.Now().UTC()
	}
	return v.Clock.Now()
}

// Verify does passive authentication of the chip and returns its MRZ:
//  1. EF.SOD is parsed (at most MaxSOD bytes): a CMS SignedData with one signer whose content is an
//     LDSSecurityObject;
//  2. the Document Signer certificate it carries must chain to one of the CSCAs at the clock's time, be no CA and
//     allow digitalSignature;
//  3. the signed attributes must hold the LDSSecurityObject content type and its message digest, and their
//     signature must verify with the DS key (RSA PKCS#1 v1.5, RSA-PSS or ECDSA; SHA-256, -384 or -512 only);
//  4. every data group sent must be listed in the security object with the same hash, and DG1 must be sent;
//  5. DG1's MRZ must parse with every check digit right, and the document must not have expired.
//
// Every failure is an instance of ErrInvalid, ErrExpired or ErrUnavailable.
func (v *Verifier) Verify(chip Chip) (MRZ, error) {
	if v == nil || len(v.CSCAs) == 0 {
		return MRZ{}, ErrUnavailable.With("no country signing CA certificates configured")
	}
	if err := checkSizes(chip); err != nil {
		return MRZ{}, err
	}
	now := v.now()
	s, err := parseSOD(chip.SOD)
	if err != nil {
		return MRZ{}, err
	}
	if err := v.checkSigner(s.signer, now); err != nil {
		return MRZ{}, err
	}
	if err := s.verifySignature(); err != nil {
		return MRZ{}, err
	}
	lds, err := parseLDS(s.content)
	if err != nil {
		return MRZ{}, err
	}
	if err := lds.check(chip.DataGroups); err != nil {
		return MRZ{}, err
	}
	text, err := ParseDG1(chip.DataGroups[1])
	if err != nil {
		return MRZ{}, err
	}
	m, err := ParseMRZ(text, now)
	if err != nil {
		return MRZ{}, err
	}
	if m.Expired(now) {
		return MRZ{}, ErrExpired.With("document expired on %s",
			m.ExpiryDate.Format(time.DateOnly))
	}
	return m, nil
}

// VerifyHolder is Verify followed by MRZ.Match: the chip is authentic, in date, and the customer's own. It
// answers id_document_mismatch for someone else's document.
func (v *Verifier) VerifyHolder(chip Chip, c customer.Customer) (MRZ, error) {
	m, err := v.Verify(chip)
	if err != nil {
		return MRZ{}, err
	}
	if err := m.Match(c); err != nil {
		return MRZ{}, err
	}
	return m, nil
}

func checkSizes(chip Chip) error {
	if len(chip.SOD) == 0 || len(chip.SOD) > MaxSOD {
		return ErrInvalid.With("EF.SOD is %d bytes, want 1 to %d", len(chip.SOD), MaxSOD)
	}
	if len(chip.DataGroups) > MaxDataGroups {
		return ErrInvalid.With("%d data groups, at most %d", len(chip.DataGroups), MaxDataGroups)
	}
	if _, ok := chip.DataGroups[1]; !ok {
		return ErrInvalid.With("DG1 missing")
	}
	for n, dg := range chip.DataGroups {
		limit := MaxDataGroup
		if n == 1 {
			limit = MaxDG1
		}
		switch {
		case n < 1 || n > 16:
			return ErrInvalid.With("data group number %d outside 1-16", n)
		case len(dg) == 0 || len(dg) > limit:
			return ErrInvalid.With("DG%d is %d bytes, want 1 to %d", n, len(dg), limit)
		}
	}
	return nil
}

// checkSigner verifies the Document Signer certificate: issued by one of the CSCAs (ICAO's PKI has no
// intermediate CAs, so none are accepted), valid at now, no CA, and allowed to sign (digitalSignature). Any
// extended key usage is allowed: countries use their own or none.
func (v *Verifier) checkSigner(ds *x509.Certificate, now time.Time) error {
	if ds.IsCA {
		return ErrInvalid.With("document signer certificate is a CA")
	}
	if ds.KeyUsage&x509.KeyUsageDigitalSignature == 0 {
		return ErrInvalid.With("document signer certificate does not allow digitalSignature")
	}
	roots := x509.NewCertPool()
	for _, c := range v.CSCAs {
		roots.AddCert(c)
	}
	_, err := ds.Verify(x509.VerifyOptions{
		Roots:       roots,
		CurrentTime: now,
		KeyUsages:   []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	if err != nil {
		return ErrInvalid.With("document signer certificate does not chain to a configured CSCA").Wrap(err)
	}
	return nil
}

// ParseCSCAs reads a PEM bundle of Country Signing CA certificates (other PEM blocks are refused). Each must be a
// CA certificate; at least one is required.
func ParseCSCAs(bundle []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	rest := bytes.TrimSpace(bundle)
	for len(rest) > 0 {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			return nil, errors.New("not a PEM bundle of certificates")
		}
		if block.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("unexpected PEM block %q", block.Type)
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("certificate %d: %w", len(certs)+1, err)
		}
		if !c.IsCA {
			return nil, fmt.Errorf("certificate %d (%s) is not a CA certificate", len(certs)+1, c.Subject)
		}
		certs = append(certs, c)
		rest = bytes.TrimSpace(rest)
	}
	if len(certs) == 0 {
		return nil, errors.New("no certificates")
	}
	return certs, nil
}
