package creditcard

import "github.com/kumbara/kumbara"

// The codes of credit cards. Every one refuses with nothing changed.
var (
	// ErrNotCredit is a card that is not a credit card of the customer's, or no card at all.
	ErrNotCredit = kumbara.NewError(kumbara.KindNotFound, "credit_card_not_found")
	// ErrLimitInvalid is a limit that is not positive, or a cash limit above the limit.
	ErrLimitInvalid = kumbara.NewError(kumbara.KindInvalid, "credit_limit_invalid").Field("limit")
	// ErrCustomerInvalid is a credit card asked for a business: the bank's credit cards are for individuals.
	ErrCustomerInvalid = kumbara.NewError(kumbara.KindInvalid, "credit_customer_invalid").Field("customer_id")
	// ErrCycleInvalid is a statement cycle other than the start or the end of the month.
	ErrCycleInvalid = kumbara.NewError(kumbara.KindInvalid, "credit_cycle_invalid").Field("cycle")
	// ErrInternetPercentInvalid is an internet-purchase limit outside 0–100 % (F12).
	ErrInternetPercentInvalid = kumbara.NewError(kumbara.KindInvalid, "credit_internet_percent_invalid").Field("internet_percent")
	// ErrSupplementaryPercentInvalid is a supplementary card limit outside 0–100 % (F13).
	ErrSupplementaryPercentInvalid = kumbara.NewError(kumbara.KindInvalid, "credit_supplementary_percent_invalid").Field("percent")
	// ErrAutoPercentInvalid is an automatic payment other than 25 (the minimum), 100 (the total) or 0 (none).
	ErrAutoPercentInvalid = kumbara.NewError(kumbara.KindInvalid, "credit_auto_percent_invalid").Field("percent")
	// ErrAccountInvalid is an account to pay from or into that is not one of the customer's active current
	// accounts in the card's currency.
	ErrAccountInvalid = kumbara.NewError(kumbara.KindInvalid, "credit_account_invalid").Field("account_id")
	// ErrPaymentKindInvalid is a payment kind other than minimum, remaining and other.
	ErrPaymentKindInvalid = kumbara.NewError(kumbara.KindInvalid, "credit_payment_kind_invalid").Field("kind")
	// ErrNothingToPay is a payment of a card that owes nothing (or of a minimum already paid).
	ErrNothingToPay = kumbara.NewError(kumbara.KindUnprocessable, "credit_nothing_to_pay").Field("amount")
	// ErrPaymentAboveDebt is a payment larger than what the card owes (parameter debt).
	ErrPaymentAboveDebt = kumbara.NewError(kumbara.KindUnprocessable, "credit_payment_above_debt").Field("amount")
	// ErrPaymentAboveBalance is a payment larger than what the paying account has available.
	ErrPaymentAboveBalance = kumbara.NewError(kumbara.KindUnprocessable, "credit_payment_above_balance").Field("amount")
	// ErrCashAboveLimit is a cash advance above the remaining cash limit (parameter remaining).
	ErrCashAboveLimit = kumbara.NewError(kumbara.KindUnprocessable, "credit_cash_above_limit").Field("amount")
	// ErrStatementNotFound is a statement that is not of the customer's card, or none.
	ErrStatementNotFound = kumbara.NewError(kumbara.KindNotFound, "credit_statement_not_found")
	// ErrTransactionNotFound is a transaction that is not a purchase of the customer's card, or none.
	ErrTransactionNotFound = kumbara.NewError(kumbara.KindNotFound, "credit_transaction_not_found")
	// ErrTransactionPending is an instalment offer asked for a purchase that is authorised but not settled.
	ErrTransactionPending = kumbara.NewError(kumbara.KindConflict, "credit_transaction_pending")
	// ErrTransactionSplit is an instalment offer asked for a purchase split already.
	ErrTransactionSplit = kumbara.NewError(kumbara.KindConflict, "credit_transaction_split")
	// ErrOfferNotFound is an instalment offer the bank does not make.
	ErrOfferNotFound = kumbara.NewError(kumbara.KindInvalid, "credit_offer_not_found").Field("offer_id")
	// ErrPlanNotFound is an instalment plan that is not of the customer's card, or none.
	ErrPlanNotFound = kumbara.NewError(kumbara.KindNotFound, "credit_plan_not_found")
	// ErrPlanClosed is an early closure of a plan billed in full or closed already.
	ErrPlanClosed = kumbara.NewError(kumbara.KindConflict, "credit_plan_closed")
)

// Errors lists the errors this package declares, for the registry of every code (package errcodes).
func Errors() []*kumbara.Error {
	return []*kumbara.Error{ErrNotCredit, ErrLimitInvalid, ErrCycleInvalid, ErrInternetPercentInvalid,
		ErrSupplementaryPercentInvalid, ErrAutoPercentInvalid, ErrAccountInvalid, ErrPaymentKindInvalid,
		ErrNothingToPay, ErrPaymentAboveDebt, ErrPaymentAboveBalance, ErrCashAboveLimit, ErrStatementNotFound,
		ErrTransactionNotFound, ErrTransactionPending, ErrTransactionSplit, ErrOfferNotFound, ErrPlanNotFound,
		ErrPlanClosed, ErrCustomerInvalid}
}
