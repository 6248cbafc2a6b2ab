package operation

import (
	"context"
	"time"

	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/staff"
	"github.com/kumbara/kumbara/uniquecode"
)

// ContactChange is a customer's contact details as they were and as they are to be.
type ContactChange struct {
	CustomerID   string           `json:"customer_id"`
	ClientNumber string           `json:"client_number"`
	Before       customer.Contact `json:"before"`
	After        customer.Contact `json:"after"`
}

// ChangeContact asks for customer customerID's contact details to become n (staff.ContactEdit). A new mobile
// number or email address waits for a second member — they are where the bank's codes and alerts go, so
// changing them is how an account is taken over —; a new postal address alone is changed at once.
func (s *Service) ChangeContact(ctx context.Context, by staff.Member, customerID string, n customer.Contact) (Outcome, error) {
	if err := by.Require(staff.ContactEdit); err != nil {
		return Outcome{}, err
	}
	after, err := customer.CheckContact(n)
	if err != nil {
		return Outcome{}, err
	}
	c, err := s.Customers.Get(ctx, customerID)
	if err != nil {
		return Outcome{}, err
	}
	before := customer.ContactOf(c)
	if before == after {
		return Outcome{}, customer.ErrContactUnchanged
	}
	return s.do(ctx, by, KindContact, ContactChange{CustomerID: c.ID, ClientNumber: c.ClientNumber, Before: before,
		After: after}, held{customerID: c.ID})
}

func contactNeedsApproval(_ context.Context, payload []byte) (bool, error) {
	c, err := decode[ContactChange](payload)
	return c.Before.Mobile != c.After.Mobile || c.Before.Email != c.After.Email, err
}

func (s *Service) runContact(ctx context.Context, payload []byte) (string, error) {
	c, err := decode[ContactChange](payload)
	if err != nil {
		return "", err
	}
	now, err := s.Customers.Get(ctx, c.CustomerID)
	if err != nil {
		return "", err
	}
	if customer.ContactOf(now) != c.Before {
		return "", ErrStale
	}
	_, _, err = s.Customers.ChangeContact(ctx, c.CustomerID, c.After)
	return c.CustomerID, err
}

// Reactivation is a closed digital channel to reopen.
type Reactivation struct {
	CustomerID   string `json:"customer_id"`
	ClientNumber string `json:"client_number"`
}

// ReactivateChannel asks for customer customerID's closed channel to reopen (staff.ChannelManage; always
// four-eyes: a channel is closed for a reason, and reopening it gives someone the bank back).
func (s *Service) ReactivateChannel(ctx context.Context, by staff.Member, customerID string) (Outcome, error) {
	if err := by.Require(staff.ChannelManage); err != nil {
		return Outcome{}, err
	}
	c, err := s.Customers.Get(ctx, customerID)
	if err != nil {
		return Outcome{}, err
	}
	return s.do(ctx, by, KindReactivation, Reactivation{CustomerID: c.ID, ClientNumber: c.ClientNumber},
		held{customerID: c.ID})
}

func (s *Service) runReactivation(ctx context.Context, payload []byte) (string, error) {
	r, err := decode[Reactivation](payload)
	if err != nil {
		return "", err
	}
	return r.CustomerID, s.Auth.ReactivateChannel(ctx, r.CustomerID)
}

// channel runs change on customer customerID's channel for by (staff.ChannelManage).
func (s *Service) channel(ctx context.Context, by staff.Member, customerID string, change func(context.Context, string) error) error {
	if err := by.Require(staff.ChannelManage); err != nil {
		return err
	}
	c, err := s.Customers.Get(ctx, customerID)
	if err != nil {
		return err
	}
	return change(acting(ctx, by), c.ID)
}

// BlockChannel blocks the customer's digital channel at once (auth.BlockChannel).
func (s *Service) BlockChannel(ctx context.Context, by staff.Member, customerID string) error {
	return s.channel(ctx, by, customerID, s.Auth.BlockChannel)
}

// UnblockChannel lifts a block (by failed logins or by the bank) at once.
func (s *Service) UnblockChannel(ctx context.Context, by staff.Member, customerID string) error {
	return s.channel(ctx, by, customerID, s.Auth.Unblock)
}

// CloseChannel closes the customer's digital channel (A16) at once; reopening it is four-eyes.
func (s *Service) CloseChannel(ctx context.Context, by staff.Member, customerID string) error {
	return s.channel(ctx, by, customerID, s.Auth.CloseChannel)
}

// SetPassword sets an initial password that must be changed at the first login (staff.ChannelManage).
func (s *Service) SetPassword(ctx context.Context, by staff.Member, customerID, pw string) error {
	return s.channel(ctx, by, customerID, func(ctx context.Context, id string) error {
		return s.Auth.SetPassword(ctx, id, pw, true)
	})
}

// IssueCode issues a unique code for registration or recovery (staff.UniqueCodeIssue): returned this once, for
// the member to hand to the customer, with its expiry.
func (s *Service) IssueCode(ctx context.Context, by staff.Member, customerID string, p uniquecode.Purpose) (string, time.Time, error) {
	if err := by.Require(staff.UniqueCodeIssue); err != nil {
		return "", time.Time{}, err
	}
	c, err := s.Customers.Get(ctx, customerID)
	if err != nil {
		return "", time.Time{}, err
	}
	return s.Codes.Issue(acting(ctx, by), c.ID, p, by.ID)
}

// IssueCard issues a debit card on one of the customer's accounts (staff.CardIssue).
func (s *Service) IssueCard(ctx context.Context, by staff.Member, r card.IssueRequest) (card.Card, error) {
	if err := by.Require(staff.CardIssue); err != nil {
		return card.Card{}, err
	}
	return s.Cards.Issue(acting(ctx, by), r)
}

// UnblockPIN lets a card's PIN be used again after three wrong tries (staff.CardBlock).
func (s *Service) UnblockPIN(ctx context.Context, by staff.Member, cardID string) error {
	if err := by.Require(staff.CardBlock); err != nil {
		return err
	}
	return s.Cards.UnblockPIN(acting(ctx, by), cardID)
}
