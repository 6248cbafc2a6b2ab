package calendar

import "github.com/kumbara/kumbara"

// The codes of the calendar.
var (
	// ErrDateInvalid is a date that is not a day written 2006-01-02.
	ErrDateInvalid = kumbara.NewError(kumbara.KindInvalid, "date_invalid").Field("date")
	// ErrHolidayNameInvalid is an announced holiday that is not one of those whose dates are announced each year.
	ErrHolidayNameInvalid = kumbara.NewError(kumbara.KindInvalid, "holiday_name_invalid").Field("name")
	// ErrHolidayExists is a holiday announced a second time for the same year.
	ErrHolidayExists = kumbara.NewError(kumbara.KindConflict, "holiday_exists")
	// ErrHolidayNotFound is an announced holiday the bank does not have.
	ErrHolidayNotFound = kumbara.NewError(kumbara.KindNotFound, "holiday_not_found")
	// ErrBusinessHoursClosed is a financial transaction of a business customer during the daily update of the
	// bank's books, 21:00–24:00 (Z7).
	ErrBusinessHoursClosed = kumbara.NewError(kumbara.KindUnprocessable, "business_hours_closed")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{ErrDateInvalid, ErrHolidayNameInvalid, ErrHolidayExists, ErrHolidayNotFound,
		ErrBusinessHoursClosed}
}
