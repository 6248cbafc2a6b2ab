// Package iddoctest makes identity documents for tests: a country signing CA, a document signer, and chips whose
// DG1 holds a correct TD1 MRZ and whose EF.SOD is a real, correctly signed CMS SignedData, all built with
// encoding/asn1 independently of the iddoc parser.
package iddoctest

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	_ "crypto/sha1" // only to build documents the verifier must refuse
	_ "crypto/sha256"
	_ "crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/iddoc"
	"github.com/kumbara/kumbara/kyc"
)

// Issuer is a test country: a self-signed CSCA and a Document Signer it issued.
type Issuer struct {
	t     testing.TB
	csca  *x509.Certificate
	ds    *x509.Certificate
	dsKey crypto.Signer
	hash  crypto.Hash
	rsa   bool
	pss   bool
}

type options struct {
	rsa, pss                bool
	hash                    crypto.Hash
	dsNotBefore, dsNotAfter time.Time
}

// Option changes how NewIssuer makes its certificates and signatures.
type Option func(*options)

// WithRSA makes the Document Signer an RSA-2048 key signing with PKCS#1 v1.5.
func WithRSA() Option { return func(o *options) { o.rsa = true } }

// WithRSAPSS makes the Document Signer an RSA-2048 key signing with RSASSA-PSS.
func WithRSAPSS() Option { return func(o *options) { o.rsa, o.pss = true, true } }

// WithHash sets the hash of the data groups and of the signature (default SHA-256). crypto.SHA1 makes documents
// the verifier must refuse.
func WithHash(h crypto.Hash) Option { return func(o *options) { o.hash = h } }

// WithDSValidity sets the Document Signer certificate's validity (default 2020-01-01 to 2040-01-01).
func WithDSValidity(notBefore, notAfter time.Time) Option {
	return func(o *options) { o.dsNotBefore, o.dsNotAfter = notBefore, notAfter }
}

// NewIssuer makes a CSCA (ECDSA P-256, valid 2015–2050) and a Document Signer certificate it signs (ECDSA P-256
// unless an option says RSA).
func NewIssuer(t testing.TB, opts ...Option) *Issuer {
	t.Helper()
	o := options{hash: crypto.SHA256,
		dsNotBefore: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
		dsNotAfter:  time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC)}
	for _, opt := range opts {
		opt(&o)
	}
	cscaKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	cscaTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{Country: []string{"UT"}, Organization: []string{"Utopia"}, CommonName: "Test CSCA"},
		NotBefore:             time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(2050, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLen:            0,
		MaxPathLenZero:        true,
	}
	cscaDER, err := x509.CreateCertificate(rand.Reader, cscaTmpl, cscaTmpl, &cscaKey.PublicKey, cscaKey)
	if err != nil {
		t.Fatal(err)
	}
	csca, err := x509.ParseCertificate(cscaDER)
	if err != nil {
		t.Fatal(err)
	}
	var dsKey crypto.Signer
	if o.rsa {
		dsKey, err = rsa.GenerateKey(rand.Reader, 2048)
	} else {
		dsKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	if err != nil {
		t.Fatal(err)
	}
	dsTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{Country: []string{"UT"}, Organization: []string{"Utopia"}, CommonName: "Test Document Signer"},
		NotBefore:    o.dsNotBefore,
		NotAfter:     o.dsNotAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	dsDER, err := x509.CreateCertificate(rand.Reader, dsTmpl, csca, dsKey.Public(), cscaKey)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := x509.ParseCertificate(dsDER)
	if err != nil {
		t.Fatal(err)
	}
	return &Issuer{t: t, csca: csca, ds: ds, dsKey: dsKey, hash: o.hash, rsa: o.rsa, pss: o.pss}
}

// CSCA is the country signing CA certificate to configure the verifier with.
func (i *Issuer) CSCA() *x509.Certificate { return i.csca }

// DS is the document signer certificate the SODs carry.
func (i *Issuer) DS() *x509.Certificate { return i.ds }

// Verifier returns an iddoc.Verifier trusting this issuer's CSCA, on the given clock's time.
func (i *Issuer) Verifier(clk clock.Clock) *iddoc.Verifier {
	return &iddoc.Verifier{CSCAs: []*x509.Certificate{i.csca}, Clock: clk}
}

// DG2 is a stand-in face data group: tag 0x75 around some bytes. Only its hash matters to the verifier.
var DG2 = mustMarshal(asn1.RawValue{Class: asn1.ClassApplication, Tag: 21, IsCompound: true,
	Bytes: mustMarshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagOctetString,
		Bytes: []byte("face image of the holder, JPEG 2000 in a real document")})})

// Chip returns a document for m: DG1 with m's TD1 MRZ (see TD1), DG2, and an EF.SOD listing and signing both.
func (i *Issuer) Chip(m iddoc.MRZ) iddoc.Chip {
	dgs := map[int][]byte{1: DG1(TD1(m)), 2: bytes.Clone(DG2)}
	return iddoc.Chip{SOD: i.SOD(dgs, SODOptions{}), DataGroups: dgs}
}

// MRZFor is the ID card an individual customer would carry: their national ID as personal number, birth date,
// names written as an MRZ writes them, sex from the national ID, document number "AB1234567" (ICAO's example
// style), expiring on 1 January 2035.
func MRZFor(c customer.Customer) iddoc.MRZ {
	last, _ := iddoc.Transliterate(c.LastName, false)
	first, _ := iddoc.Transliterate(c.FirstName, false)
	sex := "X"
	if id, err := kyc.ParseNationalID(c.NationalID); err == nil {
		sex = string(id.Sex)
	}
	return iddoc.MRZ{
		DocumentType: "ID", IssuingState: "ALB", Nationality: "ALB",
		DocumentNumber: "AB1234567",
		Surname:        strings.ReplaceAll(last, "<", " "),
		GivenNames:     strings.ReplaceAll(first, "<", " "),
		BirthDate:      c.BirthDate,
		Sex:            sex,
		ExpiryDate:     time.Date(2035, 1, 1, 0, 0, 0, 0, time.UTC),
		PersonalNumber: strings.ToUpper(c.NationalID),
	}
}

// DG1 wraps an MRZ text as DG1: tag 0x61 around tag 0x5F1F.
func DG1(mrz string) []byte {
	return mustMarshal(asn1.RawValue{Class: asn1.ClassApplication, Tag: 1, IsCompound: true,
		Bytes: mustMarshal(asn1.RawValue{Class: asn1.ClassApplication, Tag: 31, Bytes: []byte(mrz)})})
}

// TD1 writes m as an ID card's three 30-character lines, joined (ICAO 9303-5): document type (default "ID"),
// issuing state and nationality (default "ALB"), document number (at most 9 characters), the personal number in
// the first optional data field, birth date, sex ("M", "F", anything else as a filler), expiry, the second optional
// data field, and the names in upper-case A–Z with spaces as fillers, cut to 30 characters. Check digits are
// computed here, independently of the parser.
func TD1(m iddoc.MRZ) string {
	def := func(s, d string) string {
		if s == "" {
			return d
		}
		return s
	}
	field := func(s string, n int) string {
		s = strings.ReplaceAll(strings.ToUpper(s), " ", "<")
		if len(s) > n {
			panic(fmt.Sprintf("iddoctest.TD1: %q longer than %d", s, n))
		}
		return s + strings.Repeat("<", n-len(s))
	}
	date := func(t time.Time) string { return t.Format("060102") }
	number := field(m.DocumentNumber, 9)
	l1 := field(def(m.DocumentType, "ID"), 2) + field(def(m.IssuingState, "ALB"), 3) + number +
		CheckDigit(number) + field(m.PersonalNumber, 15)
	sex := "<"
	if m.Sex == "M" || m.Sex == "F" {
		sex = m.Sex
	}
	birth, expiry := date(m.BirthDate), date(m.ExpiryDate)
	l2 := birth + CheckDigit(birth) + sex + expiry + CheckDigit(expiry) + field(def(m.Nationality, "ALB"), 3) +
		field(m.OptionalData, 11)
	l2 += CheckDigit(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29])
	name := strings.ReplaceAll(strings.ToUpper(m.Surname), " ", "<") + "<<" +
		strings.ReplaceAll(strings.ToUpper(m.GivenNames), " ", "<")
	if len(name) > 30 {
		name = name[:30]
	}
	return l1 + l2 + name + strings.Repeat("<", 30-len(name))
}

// CheckDigit is ICAO 9303-3's 7-3-1 check digit of s.
func CheckDigit(s string) string {
	sum := 0
	for i, c := range s {
		v := 0
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case c >= 'A' && c <= 'Z':
			v = int(c-'A') + 10
		}
		sum += v * []int{7, 3, 1}[i%3]
	}
	return fmt.Sprint(sum % 10)
}

// SODOptions spoil an EF.SOD in one way each, for tests of the verifier's refusals. The zero value makes a
// correct one.
type SODOptions struct {
	Hashes           map[int][]byte        // replaces the listed data group hashes (default: the hash of each DG given)
	MessageDigest    []byte                // replaces the message-digest attribute
	ContentType      asn1.ObjectIdentifier // replaces the content-type attribute
	EContentType     asn1.ObjectIdentifier // replaces the encapsulated content type
	FlipSignatureBit bool                  // flips one bit of the signature
	NoCertificate    bool                  // leaves the document signer certificate out
}

// OIDs of the structures and algorithms written here.
var (
	OIDLDSSecurityObject = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 1}
	oidSignedData        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidContentType       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidMessageDigest     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidSigningTime       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
	oidMGF1              = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 8}
	oidRSAPSS            = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 10}
	hashOIDs             = map[crypto.Hash]asn1.ObjectIdentifier{
		crypto.SHA1:   {1, 3, 14, 3, 2, 26},
		crypto.SHA256: {2, 16, 840, 1, 101, 3, 4, 2, 1},
		crypto.SHA384: {2, 16, 840, 1, 101, 3, 4, 2, 2},
		crypto.SHA512: {2, 16, 840, 1, 101, 3, 4, 2, 3},
	}
	rsaOIDs = map[crypto.Hash]asn1.ObjectIdentifier{
		crypto.SHA1:   {1, 2, 840, 113549, 1, 1, 5},
		crypto.SHA256: {1, 2, 840, 113549, 1, 1, 11},
		crypto.SHA384: {1, 2, 840, 113549, 1, 1, 12},
		crypto.SHA512: {1, 2, 840, 113549, 1, 1, 13},
	}
	ecdsaOIDs = map[crypto.Hash]asn1.ObjectIdentifier{
		crypto.SHA1:   {1, 2, 840, 10045, 4, 1},
		crypto.SHA256: {1, 2, 840, 10045, 4, 3, 2},
		crypto.SHA384: {1, 2, 840, 10045, 4, 3, 3},
		crypto.SHA512: {1, 2, 840, 10045, 4, 3, 4},
	}
)

// The structures of ICAO 9303-10 and RFC 5652, for writing.
type (
	dataGroupHash struct {
		Number int
		Hash   []byte
	}
	ldsSecurityObject struct {
		Version       int
		HashAlgorithm pkix.AlgorithmIdentifier
		Hashes        []dataGroupHash
	}
	attribute struct {
		Type   asn1.ObjectIdentifier
		Values []asn1.RawValue `asn1:"set"`
	}
	issuerAndSerial struct {
		Issuer asn1.RawValue
		Serial *big.Int
	}
	signerInfo struct {
		Version            int
		SID                issuerAndSerial
		DigestAlgorithm    pkix.AlgorithmIdentifier
		SignedAttrs        asn1.RawValue // [0] IMPLICIT SET OF Attribute, written whole
		SignatureAlgorithm pkix.AlgorithmIdentifier
		Signature          []byte
	}
	encapContentInfo struct {
		EContentType asn1.ObjectIdentifier
		EContent     []byte `asn1:"explicit,tag:0"`
	}
	signedData struct {
		Version          int
		DigestAlgorithms []pkix.AlgorithmIdentifier `asn1:"set"`
		Encap            encapContentInfo
		Certificates     asn1.RawValue `asn1:"optional"` // [0] IMPLICIT, written whole
		SignerInfos      []signerInfo  `asn1:"set"`
	}
	contentInfo struct {
		ContentType asn1.ObjectIdentifier
		Content     asn1.RawValue // [0] EXPLICIT SignedData, written whole
	}
	pssParams struct {
		Hash       pkix.AlgorithmIdentifier `asn1:"explicit,tag:0"`
		MGF        pkix.AlgorithmIdentifier `asn1:"explicit,tag:1"`
		SaltLength int                      `asn1:"explicit,tag:2"`
	}
)

// SOD returns EF.SOD for the data groups: tag 0x77 around a ContentInfo whose SignedData holds an
// LDSSecurityObject listing each data group's hash, signed by the document signer over content-type,
// signing-time and message-digest attributes, with the DS certificate included.
func (i *Issuer) SOD(dgs map[int][]byte, o SODOptions) []byte {
	i.t.Helper()
	hashAlg := pkix.AlgorithmIdentifier{Algorithm: hashOIDs[i.hash]}
	lso := ldsSecurityObject{HashAlgorithm: hashAlg}
	hashes := o.Hashes
	if hashes == nil {
		hashes = map[int][]byte{}
		for n, dg := range dgs {
			hashes[n] = sum(i.hash, dg)
		}
	}
	for n := 1; n <= 16; n++ {
		if h, ok := hashes[n]; ok {
			lso.Hashes = append(lso.Hashes, dataGroupHash{Number: n, Hash: h})
		}
	}
	content := mustMarshal(lso)

	contentType := OIDLDSSecurityObject
	if o.ContentType != nil {
		contentType = o.ContentType
	}
	messageDigest := sum(i.hash, content)
	if o.MessageDigest != nil {
		messageDigest = o.MessageDigest
	}
	attrs := []attribute{
		{Type: oidContentType, Values: []asn1.RawValue{{FullBytes: mustMarshal(contentType)}}},
		{Type: oidSigningTime, Values: []asn1.RawValue{{FullBytes: mustMarshal(
			time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))}}},
		{Type: oidMessageDigest, Values: []asn1.RawValue{{FullBytes: mustMarshal(messageDigest)}}},
	}
	signed, err := asn1.MarshalWithParams(attrs, "set")
	if err != nil {
		i.t.Fatal(err)
	}
	sigAlg, signature := i.sign(signed)
	if o.FlipSignatureBit {
		signature[len(signature)/2] ^= 0x10
	}
	implicit := append([]byte{0xA0}, signed[1:]...)

	eContentType := OIDLDSSecurityObject
	if o.EContentType != nil {
		eContentType = o.EContentType
	}
	sd := signedData{
		Version:          3,
		DigestAlgorithms: []pkix.AlgorithmIdentifier{hashAlg},
		Encap:            encapContentInfo{EContentType: eContentType, EContent: content},
		SignerInfos: []signerInfo{{
			Version:            1,
			SID:                issuerAndSerial{Issuer: asn1.RawValue{FullBytes: i.ds.RawIssuer}, Serial: i.ds.SerialNumber},
			DigestAlgorithm:    hashAlg,
			SignedAttrs:        asn1.RawValue{FullBytes: implicit},
			SignatureAlgorithm: sigAlg,
			Signature:          signature,
		}},
	}
	if !o.NoCertificate {
		sd.Certificates = asn1.RawValue{FullBytes: mustMarshal(asn1.RawValue{
			Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: i.ds.Raw})}
	}
	ci := mustMarshal(contentInfo{ContentType: oidSignedData, Content: asn1.RawValue{FullBytes: mustMarshal(
		asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: mustMarshal(sd)})}})
	return mustMarshal(asn1.RawValue{Class: asn1.ClassApplication, Tag: 23, IsCompound: true, Bytes: ci})
}

func (i *Issuer) sign(signed []byte) (pkix.AlgorithmIdentifier, []byte) {
	digest := sum(i.hash, signed)
	var alg pkix.AlgorithmIdentifier
	var opts crypto.SignerOpts = i.hash
	switch {
	case i.pss:
		hashAlg := pkix.AlgorithmIdentifier{Algorithm: hashOIDs[i.hash]}
		params := pssParams{Hash: hashAlg, SaltLength: i.hash.Size(),
			MGF: pkix.AlgorithmIdentifier{Algorithm: oidMGF1, Parameters: asn1.RawValue{FullBytes: mustMarshal(hashAlg)}}}
		alg = pkix.AlgorithmIdentifier{Algorithm: oidRSAPSS, Parameters: asn1.RawValue{FullBytes: mustMarshal(params)}}
		opts = &rsa.PSSOptions{SaltLength: i.hash.Size(), Hash: i.hash}
	case i.rsa:
		alg = pkix.AlgorithmIdentifier{Algorithm: rsaOIDs[i.hash], Parameters: asn1.NullRawValue}
	default:
		alg = pkix.AlgorithmIdentifier{Algorithm: ecdsaOIDs[i.hash]}
	}
	sig, err := i.dsKey.Sign(rand.Reader, digest, opts)
	if err != nil {
		i.t.Fatal(err)
	}
	return alg, sig
}

func sum(h crypto.Hash, b []byte) []byte {
	w := h.New()
	w.Write(b)
	return w.Sum(nil)
}

func mustMarshal(v any) []byte {
	b, err := asn1.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("iddoctest: marshal %T: %v", v, err))
	}
	return b
}
