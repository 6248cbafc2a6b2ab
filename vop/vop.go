// Package vop is Verification of Payee: before a domestic, SEPA, instant or in-bank payment the customer learns
// whether the name they typed is the name on the account they are about to pay, and the bank answers the same
// question for its own IBANs when another bank asks.
//
// It follows the EPC Verification Of Payee scheme rulebook (EPC218-23, version 1.0 and later) and the EPC's
// recommendations for its matching process (EPC288-23), as the EPC publishes them and answers about them in its
// questions and answers on the scheme:
//
//   - Four answers (the rulebook's MTCH, CMTC, NMTC, NOAP): Match, CloseMatch, NoMatch, NotPossible.
//   - The name on the account is given back on a close match only, so the payer can see whom the account belongs
//     to and decide; a match gives no name (the payer typed it), and a no match gives none either.
//   - "Verification not possible" covers every case in which the responding bank cannot match: an account it does
//     not hold or that is closed (the EPC's answer on a closed account is NOAP, not NMTC), a bank the request
//     cannot be routed to, a responder that is unreachable, refuses the request or does not answer within the
//     time allowed (the rulebook's maximum is 5 seconds; the requesting bank decides what its customer is told when
//     no answer comes, and here that is NotPossible after Service.Timeout, 2 seconds by default).
//   - Whatever the answer, the payer may go on with the payment: no result blocks it, and the payment records what
//     the payer was told (Outcome, with the time of the check).
package vop

import "time"

// Result is the answer of a name check; its values are the API's contract.
type Result string

// The four answers of the scheme.
const (
	Match       Result = "match"        // MTCH: the name is the account's
	CloseMatch  Result = "close_match"  // CMTC: nearly the account's; the account's name comes with it
	NoMatch     Result = "no_match"     // NMTC: not the account's name
	NotPossible Result = "not_possible" // NOAP: no check could be made (see the package's documentation)
)

// Outcome is what a payer is told by a name check.
type Outcome struct {
	Result Result
	// Name is the name on the account, for a CloseMatch only (the scheme lets it be shown then and never
	// otherwise); empty for every other Result.
	Name string
	// CheckedAt is when the check was answered, by the bank's clock.
	CheckedAt time.Time
}
