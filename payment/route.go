package payment

import (
	"context"
	"time"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/clock"
)

// route is the one routing policy (T5): the scheme a payment travels by.
//   - Domestic: the instant system when the customer asks and the beneficiary's bank takes it; else AIPS at
//     AIPSThreshold (1,500,000 ALL) and above or when marked urgent; else the clearing house's sessions (AECH).
//   - SEPA: SCT Inst when asked, else SCT.
//   - International: SWIFT, through a correspondent.
func (s *Service) route(o order) string {
	switch o.typ {
	case SEPA:
		if o.instant {
			return SCTInst
		}
		return SCT
	case International:
		return SWIFT
	}
	switch {
	case o.instant && o.bank.Instant:
		return Instant
	case o.urgent || o.amount.Minor >= s.Config.AIPSThreshold:
		return AIPS
	}
	return AECH
}

// settlesAtOnce reports whether a scheme runs every day at every hour, so a payment by it is value-dated now and
// sent at once.
func settlesAtOnce(scheme string) bool { return scheme == Instant || scheme == SCTInst }

// valueDate is the day a payment made at now by scheme is value-dated: an instant payment the ledger's own value
// date (T14); any other the day itself before the customers' cut-off on a working day, else the next working day.
func (s *Service) valueDate(ctx context.Context, scheme string, now time.Time) (calendar.Date, error) {
	if settlesAtOnce(scheme) {
		return s.Calendar.ValueDate(ctx, now)
	}
	return s.Calendar.ValueDateBy(ctx, now, s.Config.CutOff)
}

// sendable reports whether a held payment may leave the bank at now: its value date has come and its scheme is
// open. The clearing house's sessions (AECH) take payments only when a session runs (RunSession).
func (s *Service) sendable(ctx context.Context, scheme string, valueDate calendar.Date, now time.Time) (bool, error) {
	if settlesAtOnce(scheme) {
		return true, nil
	}
	today := calendar.DateOf(now)
	if valueDate.After(today) {
		return false, nil
	}
	working, err := s.Calendar.IsWorkingDay(ctx, today)
	if err != nil || !working {
		return false, err
	}
	switch scheme {
	case AECH:
		return false, nil
	case AIPS:
		tod := timeOfDay(now)
		return tod >= s.Config.AIPSFrom && tod < s.Config.AIPSUntil, nil
	}
	return true, nil
}

// timeOfDay is how long after midnight in Tirane t is.
func timeOfDay(t time.Time) time.Duration {
	l := t.In(clock.Tirane)
	return time.Duration(l.Hour())*time.Hour + time.Duration(l.Minute())*time.Minute + time.Duration(l.Second())*time.Second
}
