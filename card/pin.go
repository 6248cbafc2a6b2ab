package card

// PIN rule. A card PIN is exactly 4 ASCII digits and is refused (card_pin_weak) when it is easy to guess:
//   - all four digits the same: 0000, 1111, … 9999;
//   - four consecutive digits going up or down by one: 0123, 1234, … 6789 and 9876, 8765, … 3210. As in the
//     password rule (A11) there is no wrap-around, so 8901 and 1098 are allowed.
//
// Anything else, including years and repeated pairs such as 1212, is accepted: the rule is what the issue asks
// for, and a stricter list would make PINs harder to remember without the try counter needing the help.
func checkPIN(pin string) error {
	if len(pin) != 4 || !allDigits(pin) {
		return ErrPINWeak
	}
	same, up, down := true, true, true
	for i := 1; i < len(pin); i++ {
		d := int(pin[i]) - int(pin[i-1])
		same = same && d == 0
		up = up && d == 1
		down = down && d == -1
	}
	if same || up || down {
		return ErrPINWeak
	}
	return nil
}
