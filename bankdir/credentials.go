package bankdir

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/db"
)

// VoP credentials: how another bank of the directory is known when it asks this bank's name checks (Verification
// of Payee, vop.Service.Answer). The EPC scheme authenticates a requesting bank by mTLS with its directory's
// certificates; this bank runs behind a load balancer, which ends TLS, so staff issue the bank a bearer token
// instead. A token is shown once, when it is issued, and never stored: the table bank_credentials (migration 00042)
// keeps its SHA-256, which is how Authenticate finds it. A bank may hold several live credentials at once, so that
// it can change to a new one before the old one is revoked.

// TokenPrefix starts every credential's token: it tells a leaked token for what it is (a secret scanner's pattern)
// and a bank's token from a customer's session token.
const TokenPrefix = "kvop_"

// tokenBytes is how much randomness a token carries: 256 bits.
const tokenBytes = 32

// maxToken is the longest token Authenticate looks up; anything longer is refused without asking the database.
const maxToken = 128

// Credential is one VoP credential of a bank, without its secret.
type Credential struct {
	ID        string
	BankCode  string
	CreatedAt time.Time
	CreatedBy string    // the member of staff who issued it (audit.Operator's id)
	RevokedAt time.Time // zero while it is live
	RevokedBy string
}

// Live reports whether the credential still authenticates its bank.
func (c Credential) Live() bool { return c.RevokedAt.IsZero() }

const credentialColumns = `id, bank_code, created_at, created_by, revoked_at, revoked_by`

func scanCredential(r db.Scanner) (Credential, error) {
	var c Credential
	var created int64
	var revoked sql.NullInt64
	err := r.Scan(&c.ID, &c.BankCode, &created, &c.CreatedBy, &revoked, &c.RevokedBy)
	c.CreatedAt = db.FromMicros(created)
	if revoked.Valid {
		c.RevokedAt = db.FromMicros(revoked.Int64)
	}
	return c, err
}

// IssueCredential issues a VoP credential to the bank with the code and returns it with its token, which is
// shown this once: only its SHA-256 is kept, and neither is ever logged. The bank must be in the directory
// (ErrUnknown; this bank's own code is ErrOwnBank); an inactive one may be given one, since it only stops payments
// to it. The issue is audited in its transaction with the actor the context carries.
func (s *Service) IssueCredential(ctx context.Context, code string) (Credential, string, error) {
	code = strings.TrimSpace(code)
	if code == s.ownCode() {
		return Credential{}, "", ErrOwnBank.Field("code")
	}
	if !validCode(code) {
		return Credential{}, "", ErrUnknown.Field("code")
	}
	token, err := newToken()
	if err != nil {
		return Credential{}, "", wrap("issue credential", err)
	}
	now := s.Clock.Now()
	c := Credential{ID: uuid.Must(uuid.NewV7()).String(), BankCode: code, CreatedAt: now,
		CreatedBy: audit.Operator(ctx).ID}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		b, err := scan(tx.QueryRow(ctx, "SELECT "+columns+" FROM banks WHERE code = ?", code))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrUnknown.Field("code")
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "INSERT INTO bank_credentials (id, bank_code, token_hash, created_at, created_by) "+
			"VALUES (?, ?, ?, ?, ?)", c.ID, c.BankCode, tokenHash(token), db.Micros(now), c.CreatedBy); err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, credentialEntry(ctx, ActionCredentialIssued, nil, c, b))
	})
	if err != nil {
		return Credential{}, "", wrap("issue credential", err)
	}
	return c, token, nil
}

// Credentials lists the VoP credentials of the bank with the code, the newest first, revoked ones among them,
// without their secrets: ErrUnknown when the directory has no such bank.
func (s *Service) Credentials(ctx context.Context, code string) ([]Credential, error) {
	if _, err := s.ByCode(ctx, code); err != nil {
		return nil, err
	}
	rows, err := s.DB.Query(ctx, "SELECT "+credentialColumns+" FROM bank_credentials WHERE bank_code = ? "+
		"ORDER BY created_at DESC, id DESC", strings.TrimSpace(code))
	if err != nil {
		return nil, wrap("credentials", err)
	}
	list, err := db.Collect(rows, scanCredential)
	if err != nil {
		return nil, wrap("credentials", err)
	}
	if list == nil {
		list = []Credential{}
	}
	return list, nil
}

// RevokeCredential revokes the VoP credential with the id at once: its token authenticates nothing from then on,
// on every instance. ErrCredentialNotFound when there is no such credential; one already revoked is returned as
// it is. The revocation is audited in its transaction with the actor the context carries.
func (s *Service) RevokeCredential(ctx context.Context, id string) (Credential, error) {
	id = strings.TrimSpace(id)
	if uuid.Validate(id) != nil {
		return Credential{}, ErrCredentialNotFound
	}
	now := s.Clock.Now()
	var after Credential
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		old, err := scanCredential(tx.QueryRow(ctx, "SELECT "+credentialColumns+" FROM bank_credentials WHERE id = ?"+
			tx.DB().ForUpdate(), id))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrCredentialNotFound
		}
		if err != nil {
			return err
		}
		if after = old; !old.Live() {
			return nil
		}
		b, err := scan(tx.QueryRow(ctx, "SELECT "+columns+" FROM banks WHERE code = ?", old.BankCode))
		if err != nil {
			return err
		}
		after.RevokedAt, after.RevokedBy = now, audit.Operator(ctx).ID
		if _, err := tx.Exec(ctx, "UPDATE bank_credentials SET revoked_at = ?, revoked_by = ? WHERE id = ?",
			db.Micros(now), after.RevokedBy, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, credentialEntry(ctx, ActionCredentialRevoked, &old, after, b))
	})
	if err != nil {
		return Credential{}, wrap("revoke credential", err)
	}
	return after, nil
}

// Authenticate is the bank a VoP credential's token belongs to, as the directory holds it now (its BIC is the
// requesting bank's for vop.Service.Answer): ErrCredentialInvalid for no token, one that is no credential's and
// one revoked, alike, so that an answer tells nothing of which. It is read from the database on every call, so a
// revocation holds at once on every instance.
func (s *Service) Authenticate(ctx context.Context, token string) (Bank, error) {
	if !strings.HasPrefix(token, TokenPrefix) || len(token) > maxToken {
		return Bank{}, ErrCredentialInvalid
	}
	b, err := scan(s.DB.QueryRow(ctx, "SELECT b.code, b.bic, b.name, b.instant, b.active, b.updated_at "+
		"FROM bank_credentials c JOIN banks b ON b.code = c.bank_code "+
		"WHERE c.token_hash = ? AND c.revoked_at IS NULL", tokenHash(token)))
	if errors.Is(err, sql.ErrNoRows) {
		return Bank{}, ErrCredentialInvalid
	}
	if err != nil {
		return Bank{}, wrap("authenticate", err)
	}
	return b, nil
}

// newToken is a fresh credential's token: TokenPrefix and 256 random bits, base64url.
func newToken() (string, error) {
	raw := make([]byte, tokenBytes)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	return TokenPrefix + base64.RawURLEncoding.EncodeToString(raw), nil
}

// tokenHash is what the table keeps of a token: its SHA-256, hex. A token carries 256 random bits, so a plain hash
// (no salt, no slow function) is enough to keep the table from authenticating anyone who reads it.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
