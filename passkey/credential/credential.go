// Package credential is what the customers' passkeys (package passkey) and the staff's (package staff) share of
// WebAuthn: a credential record as both keep it in a row of their own table, rebuilt for go-webauthn, the user
// go-webauthn asks about, and the options a browser's navigator.credentials call takes. It owns no table: each
// owner reads and writes its own with the columns named here.
package credential

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"
	"github.com/kumbara/kumbara/db"
)

// Columns are a stored credential's columns, in the order Scan reads them.
const Columns = "id, credential_id, public_key, sign_count, transports, aaguid, flags, attestation_format"

// User is a customer or a member of staff as go-webauthn sees one, with their stored credentials.
type User struct {
	Handle      []byte
	Name, Label string
	Creds       []webauthn.Credential
	IDs         []string // the stored credentials' row ids, parallel to Creds
	Counts      []uint32 // their signature counts as read, parallel to Creds
}

func (u *User) WebAuthnID() []byte                         { return u.Handle }
func (u *User) WebAuthnName() string                       { return u.Name }
func (u *User) WebAuthnDisplayName() string                { return u.Label }
func (u *User) WebAuthnCredentials() []webauthn.Credential { return u.Creds }

// Scan reads one stored credential (Columns) into u.
func (u *User) Scan(r db.Scanner) error {
	var id, credID, pub, transports, aaguid, format string
	var count int64
	var flags int
	if err := r.Scan(&id, &credID, &pub, &count, &transports, &aaguid, &flags, &format); err != nil {
		return err
	}
	cred, err := rebuild(credID, pub, count, transports, aaguid, flags, format)
	if err != nil {
		return err
	}
	u.Creds, u.IDs, u.Counts = append(u.Creds, cred), append(u.IDs, id), append(u.Counts, uint32(count))
	return nil
}

// rebuild makes go-webauthn's credential record from a stored row.
func rebuild(credID, pub string, count int64, transports, aaguid string, flags int, format string) (webauthn.Credential, error) {
	id, err := base64.RawURLEncoding.DecodeString(credID)
	if err != nil {
		return webauthn.Credential{}, fmt.Errorf("passkey credential id: %w", err)
	}
	key, err := base64.RawURLEncoding.DecodeString(pub)
	if err != nil {
		return webauthn.Credential{}, fmt.Errorf("passkey public key: %w", err)
	}
	ag, err := hex.DecodeString(aaguid)
	if err != nil {
		return webauthn.Credential{}, fmt.Errorf("passkey aaguid: %w", err)
	}
	var ts []protocol.AuthenticatorTransport
	for t := range strings.SplitSeq(transports, ",") {
		if t != "" {
			ts = append(ts, protocol.AuthenticatorTransport(t))
		}
	}
	return webauthn.Credential{ID: id, PublicKey: key, AttestationFormat: format, Transport: ts,
		Flags:         webauthn.CredentialFlagsFromMsgpByte(byte(flags)),
		Authenticator: webauthn.Authenticator{AAGUID: ag, SignCount: uint32(count)}}, nil
}

// Stored is a new credential as its owner's table keeps it (the columns of Columns but the id and sign count).
type Stored struct {
	CredentialID, PublicKey string // base64url
	SignCount               int64
	Transports              []string
	AAGUID                  string // hex
	Flags                   int
	Format                  string
}

// Store is cred as stored.
func Store(cred *webauthn.Credential) Stored {
	s := Stored{CredentialID: base64.RawURLEncoding.EncodeToString(cred.ID),
		PublicKey: base64.RawURLEncoding.EncodeToString(cred.PublicKey),
		SignCount: int64(cred.Authenticator.SignCount), AAGUID: hex.EncodeToString(cred.Authenticator.AAGUID),
		Flags: int(cred.Flags.MsgpByte()), Format: cred.AttestationFormat}
	for _, t := range cred.Transport {
		s.Transports = append(s.Transports, string(t))
	}
	return s
}

// Options encodes the part of a ceremony's options the browser's navigator.credentials call takes as publicKey.
func Options(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("passkey options: %w", err)
	}
	return b, nil
}
