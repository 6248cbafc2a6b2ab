package card

import "io"

// SetRand makes s draw card numbers from r, so a test can force a collision.
func (s *Service) SetRand(r io.Reader) { s.rand = r }

// CheckDigit exposes the Luhn check digit to the fuzz target.
func CheckDigit(payload string) byte { return checkDigit(payload) }

// The column lists a card is read with, alone and joined with its links.
const (
	Columns        = columns
	NetworkColumns = networkColumns
)
