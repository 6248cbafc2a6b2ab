// Package iso20022 reads and writes the ISO 20022 messages at the bank's boundaries, in the 2019 versions SEPA
// uses: pacs.008.001.08 credit transfers out and in, pacs.002.001.10 status reports, pacs.004.001.09 returns,
// camt.054.001.08 debit and credit notifications, camt.053.001.08 statements, pain.001.001.09 bulk payments that
// business customers upload, and pain.002.001.10 status reports back to them.
//
// The types are the package's own, on encoding/xml: amounts are money.Amount written as exact decimals with the
// currency's minor units, dates calendar.Date, times UTC with a Z. Every Marshal checks what the schema and the
// bank need before writing (the tests validate every document written against its XSD with xmllint); every Parse
// reads under the same rules (reader.go): at most MaxDocument bytes and MaxTransactions transactions, UTF-8 only,
// no DOCTYPE, entity declaration or processing instruction, the exact namespace of the message at the root, and
// afterwards the checks of what
// the bank relies on (ids and lengths, amounts exact in an offered currency, IBANs and BICs, codes, NbOfTxs and
// totals equal to the transactions').
//
// MessageName tells which message a document is, so a receiver can dispatch it.
package iso20022
