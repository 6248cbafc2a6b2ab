package card

import (
	"context"
	"strings"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/text"
)

// SearchLimit is how many cards a search returns at most, the newest first.
const SearchLimit = 50

// Search finds cards for staff by their customer (customerID, "" for any) and the last digits of their number
// (last4: 4 digits, "" for any), the newest first; at least one of the two is needed. The last four digits are the
// ones a card's masked form shows, so the search reads nothing the staff could not see anyway.
func (s *Service) Search(ctx context.Context, customerID, last4 string) ([]Card, error) {
	last4 = strings.TrimSpace(last4)
	switch {
	case last4 != "" && (len(last4) != 4 || !allDigits(last4)):
		return nil, kumbara.ErrValidationFailed.WithFields(kumbara.ErrInvalid.At("last4"))
	case customerID == "" && last4 == "":
		return nil, kumbara.ErrValidationFailed.WithFields(kumbara.ErrFieldRequired.At("last4"))
	case !text.Storable(customerID):
		return nil, nil
	}
	where, args := "1 = 1", []any{}
	if customerID != "" {
		where += " AND customer_id = ?"
		args = append(args, customerID)
	}
	if last4 != "" {
		where += " AND masked LIKE ?"
		args = append(args, "%"+last4)
	}
	list, err := s.list(ctx, where, args...)
	if err != nil {
		return nil, err
	}
	// Newest first, and no more than SearchLimit.
	for i, j := 0, len(list)-1; i < j; i, j = i+1, j-1 {
		list[i], list[j] = list[j], list[i]
	}
	if len(list) > SearchLimit {
		list = list[:SearchLimit]
	}
	return list, nil
}
