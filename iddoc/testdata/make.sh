#!/bin/sh
# Makes the OpenSSL-signed documents TestVerifyAcceptsEFSODsSignedByOpenSSL reads: an independent encoder of CMS,
# so the parser is not only tested against iddoctest. Run from this directory; needs openssl and python3. The
# certificates are valid for 100 years from the day this ran (2026-11-22).
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The MRZ: ICAO's TD1 specimen (Anna Maria Eriksson of Utopia), expiring 2031-04-15 instead of 2012.
python3 - "$tmp" <<'PY'
import sys
def cd(s):
    v = lambda c: int(c) if c.isdigit() else (ord(c) - 55 if c.isalpha() else 0)
    return str(sum(v(c) * (7, 3, 1)[i % 3] for i, c in enumerate(s)) % 10)
l1 = "I<UTOD23145890" + cd("D23145890") + "<" * 15
l2 = "740812" + cd("740812") + "F" + "310415" + cd("310415") + "UTO" + "<" * 11
l2 += cd(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29])
l3 = "ERIKSSON<<ANNA<MARIA" + "<" * 10
mrz = (l1 + l2 + l3).encode()
assert len(mrz) == 90
inner = b"\x5f\x1f" + bytes([len(mrz)]) + mrz
open("dg1.bin", "wb").write(b"\x61" + bytes([len(inner)]) + inner)
face = b"face image, JPEG 2000 in a real document"
open("dg2.bin", "wb").write(b"\x75" + bytes([len(face)]) + face)
PY

for alg in ecdsa rsa rsapss; do
  if [ $alg = ecdsa ]; then
    openssl ecparam -name secp384r1 -genkey -noout -out "$tmp/csca.key"
    openssl ecparam -name prime256v1 -genkey -noout -out "$tmp/ds.key"
    md=sha384; keyopt=""
  else
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/csca.key"
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/ds.key"
    md=sha256; keyopt=""
    [ $alg = rsapss ] && keyopt="-keyopt rsa_padding_mode:pss"
  fi
  openssl req -new -x509 -key "$tmp/csca.key" -subj "/C=UT/O=Utopia/CN=OpenSSL CSCA $alg" -days 36500 \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$alg-csca.pem"
  openssl req -new -key "$tmp/ds.key" -subj "/C=UT/O=Utopia/CN=OpenSSL DS $alg" -out "$tmp/ds.csr"
  printf 'keyUsage=critical,digitalSignature\n' > "$tmp/ds.ext"
  openssl x509 -req -in "$tmp/ds.csr" -CA "$alg-csca.pem" -CAkey "$tmp/csca.key" -set_serial 4660 -days 36500 \
    -extfile "$tmp/ds.ext" -out "$tmp/ds.pem"
  # LDSSecurityObject v0 with the data groups' hashes.
  h1=$(openssl dgst -$md -hex dg1.bin | sed 's/.*= //')
  h2=$(openssl dgst -$md -hex dg2.bin | sed 's/.*= //')
  cat > "$tmp/lds.cnf" <<CNF
asn1=SEQUENCE:lds
[lds]
version=INTEGER:0
alg=SEQUENCE:alg
hashes=SEQUENCE:hashes
[alg]
oid=OID:$md
[hashes]
dg1=SEQUENCE:dg1
dg2=SEQUENCE:dg2
[dg1]
n=INTEGER:1
h=FORMAT:HEX,OCTETSTRING:$h1
[dg2]
n=INTEGER:2
h=FORMAT:HEX,OCTETSTRING:$h2
CNF
  openssl asn1parse -genconf "$tmp/lds.cnf" -out "$tmp/lds.der" -noout
  openssl cms -sign -binary -nodetach -nosmimecap -in "$tmp/lds.der" -econtent_type 2.23.136.1.1.1 -md $md \
    -signer "$tmp/ds.pem" -inkey "$tmp/ds.key" $keyopt -outform DER -out "$tmp/cms.der"
  python3 - "$tmp/cms.der" "$alg-sod.bin" <<'PY'
import sys
cms = open(sys.argv[1], "rb").read()
n = len(cms)
length = bytes([n]) if n < 128 else (b"\x81" + bytes([n]) if n < 256 else b"\x82" + n.to_bytes(2, "big"))
open(sys.argv[2], "wb").write(b"\x77" + length + cms)
PY
done
