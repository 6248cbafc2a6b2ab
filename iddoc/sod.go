package iddoc

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	_ "crypto/sha256" // register the hashes the security object may use
	_ "crypto/sha512"
	"crypto/subtle"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
)

// EF.SOD is parsed with encoding/asn1 and a few structs (ICAO 9303-10 §4.6.2, RFC 5652): the structure is small,
// and keeping it in our hands lets us hold the raw signed attributes the signature covers and refuse anything
// unexpected. Only DER is accepted, and nothing may trail a structure.

var (
	oidSignedData        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidLDSSecurityObject = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 1}
	oidContentType       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidMessageDigest     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}

	oidSHA256 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidSHA384 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	oidSHA512 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}

	oidRSAEncryption   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidRSAPSS          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 10}
	oidSHA256WithRSA   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
	oidSHA384WithRSA   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 12}
	oidSHA512WithRSA   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 13}
	oidMGF1            = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 8}
	oidECPublicKey     = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidECDSAWithSHA256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	oidECDSAWithSHA384 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}
	oidECDSAWithSHA512 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}
)

type contentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"explicit,tag:0"`
}

type signedData struct {
	Version          int
	DigestAlgorithms []pkix.AlgorithmIdentifier `asn1:"set"`
	EncapContentInfo encapContentInfo
	Certificates     asn1.RawValue `asn1:"optional,tag:0"`
	CRLs             asn1.RawValue `asn1:"optional,tag:1"`
	SignerInfos      []signerInfo  `asn1:"set"`
}

type encapContentInfo struct {
	EContentType asn1.ObjectIdentifier
	EContent     []byte `asn1:"explicit,optional,tag:0"`
}

type signerInfo struct {
	Version            int
	SID                asn1.RawValue
	DigestAlgorithm    pkix.AlgorithmIdentifier
	SignedAttrs        asn1.RawValue `asn1:"optional,tag:0"`
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Signature          []byte
	UnsignedAttrs      asn1.RawValue `asn1:"optional,tag:1"`
}

type issuerAndSerialNumber struct {
	Issuer asn1.RawValue
	Serial *big.Int
}

type attribute struct {
	Type   asn1.ObjectIdentifier
	Values []asn1.RawValue `asn1:"set"`
}

type pssParams struct {
	Hash         pkix.AlgorithmIdentifier `asn1:"explicit,optional,tag:0"`
	MGF          pkix.AlgorithmIdentifier `asn1:"explicit,optional,tag:1"`
	SaltLength   int                      `asn1:"explicit,optional,default:20,tag:2"`
	TrailerField int                      `asn1:"explicit,optional,default:1,tag:3"`
}

type ldsSecurityObject struct {
	Version        int
	HashAlgorithm  pkix.AlgorithmIdentifier
	DataGroups     []dataGroupHash
	LDSVersionInfo asn1.RawValue `asn1:"optional"`
}

type dataGroupHash struct {
	Number int
	Hash   []byte
}

// sod is a parsed security object: what the signature covers and who signed it.
type sod struct {
	content     []byte // the DER of the LDSSecurityObject (eContent)
	signer      *x509.Certificate
	info        signerInfo
	signedAttrs []byte // DER of the signed attributes as a SET OF, which is what is signed
	digestHash  crypto.Hash
}

// unmarshal parses exactly one DER value into v, refusing trailing bytes.
func unmarshal(b []byte, v any, what string) error {
	rest, err := asn1.Unmarshal(b, v)
	if err != nil {
		return ErrInvalid.With("%s: %v", what, err)
	}
	if len(rest) > 0 {
		return ErrInvalid.With("%s: %d bytes after the end", what, len(rest))
	}
	return nil
}

func parseSOD(b []byte) (*sod, error) {
	var wrapper asn1.RawValue
	if err := unmarshal(b, &wrapper, "EF.SOD"); err != nil {
		return nil, err
	}
	if wrapper.Class != asn1.ClassApplication || wrapper.Tag != 23 || !wrapper.IsCompound {
		return nil, ErrInvalid.With("EF.SOD: not tag 0x77")
	}
	var ci contentInfo
	if err := unmarshal(wrapper.Bytes, &ci, "ContentInfo"); err != nil {
		return nil, err
	}
	if !ci.ContentType.Equal(oidSignedData) {
		return nil, ErrInvalid.With("ContentInfo: content type %v is not SignedData", ci.ContentType)
	}
	var sd signedData
	if err := unmarshal(ci.Content.Bytes, &sd, "SignedData"); err != nil {
		return nil, err
	}
	if !sd.EncapContentInfo.EContentType.Equal(oidLDSSecurityObject) {
		return nil, ErrInvalid.With("SignedData: content type %v is not LDSSecurityObject", sd.EncapContentInfo.EContentType)
	}
	if len(sd.EncapContentInfo.EContent) == 0 {
		return nil, ErrInvalid.With("SignedData: no content")
	}
	if len(sd.SignerInfos) != 1 {
		return nil, ErrInvalid.With("SignedData: %d signers, want 1", len(sd.SignerInfos))
	}
	s := &sod{content: sd.EncapContentInfo.EContent, info: sd.SignerInfos[0]}
	if !sd.Certificates.IsCompound || sd.Certificates.Class != asn1.ClassContextSpecific || len(sd.Certificates.Bytes) == 0 {
		return nil, ErrInvalid.With("SignedData: no document signer certificate")
	}
	certs, err := x509.ParseCertificates(sd.Certificates.Bytes)
	if err != nil {
		return nil, ErrInvalid.With("SignedData certificates: %v", err)
	}
	if len(certs) > maxCerts {
		return nil, ErrInvalid.With("SignedData: %d certificates, at most %d", len(certs), maxCerts)
	}
	if s.signer, err = findSigner(s.info.SID, certs); err != nil {
		return nil, err
	}
	if s.digestHash, err = hashOf(s.info.DigestAlgorithm); err != nil {
		return nil, err
	}
	if err := s.parseSignedAttrs(); err != nil {
		return nil, err
	}
	return s, nil
}

// findSigner returns the certificate the signer identifier names: by issuer and serial number, or by subject key
// identifier.
func findSigner(sid asn1.RawValue, certs []*x509.Certificate) (*x509.Certificate, error) {
	switch {
	case sid.Class == asn1.ClassUniversal && sid.Tag == asn1.TagSequence:
		var ias issuerAndSerialNumber
		if err := unmarshal(sid.FullBytes, &ias, "SignerIdentifier"); err != nil {
			return nil, err
		}
		if ias.Serial == nil {
			return nil, ErrInvalid.With("SignerIdentifier: no serial number")
		}
		for _, c := range certs {
			if c.SerialNumber.Cmp(ias.Serial) == 0 && sameName(c.RawIssuer, ias.Issuer.FullBytes) {
				return c, nil
			}
		}
	case sid.Class == asn1.ClassContextSpecific && sid.Tag == 0 && !sid.IsCompound:
		for _, c := range certs {
			if len(c.SubjectKeyId) > 0 && bytes.Equal(c.SubjectKeyId, sid.Bytes) {
				return c, nil
			}
		}
	default:
		return nil, ErrInvalid.With("SignerIdentifier: unknown form")
	}
	return nil, ErrInvalid.With("SignedData: no certificate for the signer")
}

// sameName compares two DER-encoded names: by bytes, else by their parsed attributes (some issuers encode the
// same name with different string types in the certificate and in the signer identifier).
func sameName(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	var na, nb pkix.RDNSequence
	if rest, err := asn1.Unmarshal(a, &na); err != nil || len(rest) > 0 {
		return false
	}
	if rest, err := asn1.Unmarshal(b, &nb); err != nil || len(rest) > 0 {
		return false
	}
	return len(na) > 0 && na.String() == nb.String()
}

// hashOf maps a digest AlgorithmIdentifier to a hash. Only SHA-256, SHA-384 and SHA-512 are accepted: SHA-1 and
// MD5 are broken for signatures, and SHA-224 is not used by the documents this bank reads.
func hashOf(alg pkix.AlgorithmIdentifier) (crypto.Hash, error) {
	if !absentOrNull(alg.Parameters) {
		return 0, ErrInvalid.With("hash algorithm %v: unexpected parameters", alg.Algorithm)
	}
	switch {
	case alg.Algorithm.Equal(oidSHA256):
		return crypto.SHA256, nil
	case alg.Algorithm.Equal(oidSHA384):
		return crypto.SHA384, nil
	case alg.Algorithm.Equal(oidSHA512):
		return crypto.SHA512, nil
	}
	return 0, ErrInvalid.With("hash algorithm %v not accepted", alg.Algorithm)
}

func absentOrNull(p asn1.RawValue) bool {
	return len(p.FullBytes) == 0 || bytes.Equal(p.FullBytes, asn1.NullBytes)
}

func digest(h crypto.Hash, b []byte) []byte {
	w := h.New()
	w.Write(b)
	return w.Sum(nil)
}

// parseSignedAttrs requires the content-type attribute (= LDSSecurityObject) and the message-digest attribute (=
// the hash of the content), each once with one value. The signature covers the attributes' DER with the SET OF
// tag in place of the [0] IMPLICIT one (RFC 5652 §5.4).
func (s *sod) parseSignedAttrs() error {
	raw := s.info.SignedAttrs
	if raw.Class != asn1.ClassContextSpecific || raw.Tag != 0 || !raw.IsCompound || len(raw.FullBytes) < 2 {
		return ErrInvalid.With("SignerInfo: no signed attributes")
	}
	s.signedAttrs = append([]byte{0x31}, raw.FullBytes[1:]...)
	var attrs []attribute
	rest, err := asn1.UnmarshalWithParams(s.signedAttrs, &attrs, "set")
	if err != nil || len(rest) > 0 {
		return ErrInvalid.With("signed attributes: malformed")
	}
	var contentType, messageDigest []asn1.RawValue
	for _, a := range attrs {
		switch {
		case a.Type.Equal(oidContentType):
			if contentType != nil {
				return ErrInvalid.With("signed attributes: content-type twice")
			}
			contentType = a.Values
		case a.Type.Equal(oidMessageDigest):
			if messageDigest != nil {
				return ErrInvalid.With("signed attributes: message-digest twice")
			}
			messageDigest = a.Values
		}
	}
	if len(contentType) != 1 || len(messageDigest) != 1 {
		return ErrInvalid.With("signed attributes: want one content-type and one message-digest value")
	}
	var ct asn1.ObjectIdentifier
	if err := unmarshal(contentType[0].FullBytes, &ct, "content-type attribute"); err != nil {
		return err
	}
	if !ct.Equal(oidLDSSecurityObject) {
		return ErrInvalid.With("content-type attribute %v is not LDSSecurityObject", ct)
	}
	var md []byte
	if err := unmarshal(messageDigest[0].FullBytes, &md, "message-digest attribute"); err != nil {
		return err
	}
	if subtle.ConstantTimeCompare(md, digest(s.digestHash, s.content)) != 1 {
		return ErrInvalid.With("message-digest attribute does not match the content")
	}
	return nil
}

// verifySignature checks the signer's signature over the signed attributes with the DS certificate's key. The
// signature algorithm's hash, where it names one, must be the SignerInfo's digest algorithm.
func (s *sod) verifySignature() error {
	alg := s.info.SignatureAlgorithm
	h := s.digestHash
	sum := digest(h, s.signedAttrs)
	var ok bool
	switch {
	case alg.Algorithm.Equal(oidRSAPSS):
		opts, err := pssOptions(alg.Parameters, h)
		if err != nil {
			return err
		}
		key, isRSA := s.signer.PublicKey.(*rsa.PublicKey)
		ok = isRSA && rsa.VerifyPSS(key, h, sum, s.info.Signature, opts) == nil
	case isRSAPKCS1(alg.Algorithm):
		if !absentOrNull(alg.Parameters) {
			return ErrInvalid.With("RSA signature algorithm: unexpected parameters")
		}
		if named := namedHash(alg.Algorithm); named != 0 && named != h {
			return ErrInvalid.With("signature algorithm %v does not use the digest algorithm", alg.Algorithm)
		}
		key, isRSA := s.signer.PublicKey.(*rsa.PublicKey)
		ok = isRSA && rsa.VerifyPKCS1v15(key, h, sum, s.info.Signature) == nil
	case isECDSA(alg.Algorithm):
		// ecdsa-with-SHA* has no parameters; id-ecPublicKey (which some issuers put here, leaving the hash to the
		// digest algorithm) may carry the curve, which the certificate already fixes.
		if !alg.Algorithm.Equal(oidECPublicKey) && len(alg.Parameters.FullBytes) != 0 {
			return ErrInvalid.With("ECDSA signature algorithm: unexpected parameters")
		}
		if named := namedHash(alg.Algorithm); named != 0 && named != h {
			return ErrInvalid.With("signature algorithm %v does not use the digest algorithm", alg.Algorithm)
		}
		key, isEC := s.signer.PublicKey.(*ecdsa.PublicKey)
		ok = isEC && ecdsa.VerifyASN1(key, sum, s.info.Signature)
	default:
		return ErrInvalid.With("signature algorithm %v not accepted", alg.Algorithm)
	}
	if !ok {
		return ErrInvalid.With("signature does not verify with the document signer's key")
	}
	return nil
}

func isRSAPKCS1(oid asn1.ObjectIdentifier) bool {
	return oid.Equal(oidRSAEncryption) || oid.Equal(oidSHA256WithRSA) || oid.Equal(oidSHA384WithRSA) ||
		oid.Equal(oidSHA512WithRSA)
}

func isECDSA(oid asn1.ObjectIdentifier) bool {
	return oid.Equal(oidECPublicKey) || oid.Equal(oidECDSAWithSHA256) || oid.Equal(oidECDSAWithSHA384) ||
		oid.Equal(oidECDSAWithSHA512)
}

// namedHash is the hash a signature algorithm names, or 0 for rsaEncryption and id-ecPublicKey, which leave it to
// the digest algorithm.
func namedHash(oid asn1.ObjectIdentifier) crypto.Hash {
	switch {
	case oid.Equal(oidSHA256WithRSA), oid.Equal(oidECDSAWithSHA256):
		return crypto.SHA256
	case oid.Equal(oidSHA384WithRSA), oid.Equal(oidECDSAWithSHA384):
		return crypto.SHA384
	case oid.Equal(oidSHA512WithRSA), oid.Equal(oidECDSAWithSHA512):
		return crypto.SHA512
	}
	return 0
}

// pssOptions reads RSASSA-PSS parameters (RFC 4055): the hash must be the digest algorithm, the mask generation
// MGF1 with that same hash, and the trailer field 1.
func pssOptions(params asn1.RawValue, h crypto.Hash) (*rsa.PSSOptions, error) {
	if len(params.FullBytes) == 0 {
		return nil, ErrInvalid.With("RSA-PSS: no parameters")
	}
	var p pssParams
	if err := unmarshal(params.FullBytes, &p, "RSA-PSS parameters"); err != nil {
		return nil, err
	}
	ph, err := hashOf(p.Hash)
	if err != nil || ph != h {
		// An absent hash means SHA-1 (RFC 4055), which is refused with the rest.
		return nil, ErrInvalid.With("RSA-PSS: hash is not the digest algorithm")
	}
	if !p.MGF.Algorithm.Equal(oidMGF1) {
		return nil, ErrInvalid.With("RSA-PSS: mask generation is not MGF1")
	}
	var mgfHash pkix.AlgorithmIdentifier
	if err := unmarshal(p.MGF.Parameters.FullBytes, &mgfHash, "MGF1 parameters"); err != nil {
		return nil, err
	}
	if mh, err := hashOf(mgfHash); err != nil || mh != h {
		return nil, ErrInvalid.With("RSA-PSS: MGF1 hash is not the digest algorithm")
	}
	if p.TrailerField != 1 || p.SaltLength < 0 || p.SaltLength > 1024 {
		return nil, ErrInvalid.With("RSA-PSS: trailer field or salt length out of range")
	}
	return &rsa.PSSOptions{SaltLength: p.SaltLength, Hash: h}, nil
}

// lds is a parsed LDSSecurityObject: the hash of each data group.
type lds struct {
	hash   crypto.Hash
	hashes map[int][]byte
}

func parseLDS(b []byte) (*lds, error) {
	var o ldsSecurityObject
	if err := unmarshal(b, &o, "LDSSecurityObject"); err != nil {
		return nil, err
	}
	if o.Version != 0 && o.Version != 1 {
		return nil, ErrInvalid.With("LDSSecurityObject: version %d", o.Version)
	}
	h, err := hashOf(o.HashAlgorithm)
	if err != nil {
		return nil, err
	}
	if len(o.DataGroups) < 2 || len(o.DataGroups) > 16 {
		return nil, ErrInvalid.With("LDSSecurityObject: %d data groups, want 2 to 16", len(o.DataGroups))
	}
	l := &lds{hash: h, hashes: make(map[int][]byte, len(o.DataGroups))}
	for _, dg := range o.DataGroups {
		if dg.Number < 1 || dg.Number > 16 {
			return nil, ErrInvalid.With("LDSSecurityObject: data group number %d", dg.Number)
		}
		if _, dup := l.hashes[dg.Number]; dup {
			return nil, ErrInvalid.With("LDSSecurityObject: DG%d listed twice", dg.Number)
		}
		if len(dg.Hash) != h.Size() {
			return nil, ErrInvalid.With("LDSSecurityObject: DG%d hash is %d bytes", dg.Number, len(dg.Hash))
		}
		l.hashes[dg.Number] = dg.Hash
	}
	return l, nil
}

// check requires each data group sent to be listed with the same hash (compared in constant time).
func (l *lds) check(groups map[int][]byte) error {
	for n, dg := range groups {
		want, ok := l.hashes[n]
		if !ok {
			return ErrInvalid.With("DG%d is not in the security object", n)
		}
		if subtle.ConstantTimeCompare(digest(l.hash, dg), want) != 1 {
			return ErrInvalid.With("DG%d does not match its hash in the security object", n)
		}
	}
	return nil
}
