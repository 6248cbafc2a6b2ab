package device

// Keys of the SMS this package sends (A18 alerts; i18n/locales/sms.*.toml), in the customer's language.
const (
	TextTrusted    = "sms_device_trusted" // {device}, {at}
	TextSoftPIN    = "sms_soft_pin"       // {device}, {at}
	TextNewBrowser = "sms_new_browser"    // {at}, {agent}
	TextNewDevice  = "sms_new_device"     // {at}, {agent}
)

// Texts lists every catalogue key this package writes, for the catalogue's tests.
func Texts() []string { return []string{TextTrusted, TextSoftPIN, TextNewBrowser, TextNewDevice} }
