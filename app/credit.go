package app

import (
	"context"
	"fmt"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/creditcard"
)

// creditConfig is the credit cards' tariff, the default when none is configured.
func creditConfig(c creditcard.Config) creditcard.Config {
	if c.DueDays == 0 {
		return creditcard.DefaultConfig()
	}
	return c
}

// creditStatementsStep draws the statement of every credit card whose cycle is cut on the business date (or
// before it and not drawn yet), with its interest and instalments: once per card and cut however often it runs.
func (b *Bank) creditStatementsStep(ctx context.Context, day calendar.Date) (string, error) {
	n, err := b.Credit.RunStatements(ctx, day)
	return fmt.Sprintf("%d statements drawn", n), err
}

// creditDueStep settles the statements due on the business date: the automatic payments first, then the late
// fees of those whose minimum is still unpaid; once per statement.
func (b *Bank) creditDueStep(ctx context.Context, day calendar.Date) (string, error) {
	n, err := b.Credit.RunDue(ctx, day)
	return fmt.Sprintf("%d statements settled", n), err
}
