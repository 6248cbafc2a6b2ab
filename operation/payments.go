package operation

import (
	"context"
	"time"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/bankdir"
	"github.com/kumbara/kumbara/staff"
	"github.com/kumbara/kumbara/tariff"
)

// What staff keep for payments to other banks: the directory of banks and the credentials with which those banks
// ask this bank's name checks, changed at once (staff.DirectoryManage),
// and the tariff, whose every new rate waits for a second member (staff.TariffManage; kind tariff.set).

// PutBank adds a bank to the directory or changes one (bankdir.Service.Put), at once.
func (s *Service) PutBank(ctx context.Context, by staff.Member, b bankdir.Bank) (bankdir.Bank, error) {
	if err := by.Require(staff.DirectoryManage); err != nil {
		return bankdir.Bank{}, err
	}
	return s.Directory.Put(acting(ctx, by), b)
}

// SetBankActive makes the bank with the code take payments (active) or stop taking them, at once.
func (s *Service) SetBankActive(ctx context.Context, by staff.Member, code string, active bool) error {
	if err := by.Require(staff.DirectoryManage); err != nil {
		return err
	}
	return s.Directory.SetActive(acting(ctx, by), code, active)
}

// IssueBankCredential issues a VoP credential to the bank with the code (bankdir.Service.IssueCredential), at
// once: the token it returns is shown to the member this once. Under the directory's permission, since a
// credential is part of what the directory says about a bank: that it may ask this bank's name checks.
func (s *Service) IssueBankCredential(ctx context.Context, by staff.Member, code string) (bankdir.Credential, string, error) {
	if err := by.Require(staff.DirectoryManage); err != nil {
		return bankdir.Credential{}, "", err
	}
	return s.Directory.IssueCredential(acting(ctx, by), code)
}

// RevokeBankCredential revokes a bank's VoP credential by its id (bankdir.Service.RevokeCredential), at once.
func (s *Service) RevokeBankCredential(ctx context.Context, by staff.Member, id string) (bankdir.Credential, error) {
	if err := by.Require(staff.DirectoryManage); err != nil {
		return bankdir.Credential{}, err
	}
	return s.Directory.RevokeCredential(acting(ctx, by), id)
}

// SetTariff asks for r to become the rate of its scheme, charges and currency (always four-eyes: what every
// customer pays). The rate is checked first (tariff.Normalize, what tariff.Service.Check runs), so a bad one is
// refused before it waits; the payload is the rate in the form the tariff keeps it, naming its maker (SetBy).
// When a second member approves it, tariff.Service.Set puts it in force from then, naming them (ApprovedBy).
func (s *Service) SetTariff(ctx context.Context, by staff.Member, r tariff.Rate) (Outcome, error) {
	if err := by.Require(staff.TariffManage); err != nil {
		return Outcome{}, err
	}
	r, err := tariff.Normalize(r)
	if err != nil {
		return Outcome{}, err
	}
	r.ID, r.ValidFrom, r.SetBy, r.ApprovedBy = "", time.Time{}, by.Username, ""
	return s.do(ctx, by, KindTariff, r, held{})
}

func (s *Service) runTariff(ctx context.Context, payload []byte) (string, error) {
	r, err := decode[tariff.Rate](payload)
	if err != nil {
		return "", err
	}
	r.ApprovedBy = audit.Operator(ctx).ID
	saved, err := s.Tariff.Set(ctx, r)
	return saved.ID, err
}
