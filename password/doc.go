// Package password hashes customers' passwords and enforces the bank's password policy (FEATURES A11).
//
// # Hashing
//
// Passwords are hashed with argon2id and stored in the PHC string format
//
//	$argon2id$v=19$m=19456,t=1,p=1$<salt>$<hash>
//
// with salt and hash in unpadded standard base64. The parameters travel inside every stored hash, so Verify
// works for hashes made under older parameters and NeedsRehash tells the login flow when to re-hash a password
// it has just verified. The defaults (19 MiB, one pass, one lane) are OWASP's minimum for argon2id, chosen so the
// two-core production machines can still serve about 30 logins a second.
//
// # Policy
//
// Check refuses a new password for every rule it breaks, all at once, so a form can mark them together:
//
//   - password_length: it must be 8 to 16 characters long, counted in characters (runes), not bytes.
//   - password_letters_and_digits: it must contain at least one letter and at least one digit.
//   - password_upper_and_lower: it must contain at least one upper-case and one lower-case letter.
//   - password_forbidden_character: it may contain only the ASCII letters, the Albanian letters ë, ç, Ë and Ç
//     (which count as letters and towards upper and lower case), the digits 0-9 and the symbols
//     !@#$%^&*()-_=+[]{};:,.?/ — no spaces, control characters or other symbols or letters. Decomposed
//     input (e followed by a combining diaeresis) is refused: clients must send NFC, as browsers do.
//   - password_birth_date: it must not contain the customer's birth date written as DDMMYYYY, DD/MM/YYYY,
//     DD.MM.YYYY, YYYYMMDD or DDMMYY.
//   - password_digit_run: a password is refused if it contains three or more digits in a row (adjacent, with
//     nothing between them) that are all the same, such as "111", or that each go up by one or each go down
//     by one, such as "123" or "987". Counting does not wrap around: "890" and "901" are allowed. Digits
//     separated by any other character do not form a run: "1a2b3" and "11a1" are allowed.
//   - password_common: it must not be one of the common passwords in common.txt, compared case-insensitively
//     and with ë and ç read as e and c.
//   - password_personal_data: it must not contain the username (the client number), the customer's first name
//     or last name, compared case-insensitively and with ë and ç read as e and c. Each part of a name of
//     three or more letters counts on its own, so "Anna-Maria" forbids both "anna" and "maria".
//   - password_reused: it must not equal any of the previous passwords the caller passes (the last five).
//
// errors.go declares the policy error (ErrPolicy) and one error per rule, with the codes above.
package password
