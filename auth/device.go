package auth

import (
	"strings"

	"github.com/mileusna/useragent"
)

// Device is what a session's label says about where it was opened, as a person recognises it: the browser (or
// app) and the platform it runs on, named as their makers name them ("Chrome" and "Linux", "Safari" and
// "iPhone"). Either is empty when the label does not tell; both are the same in every language, and the faces
// put them into a sentence of their own ("Chrome on Linux").
type Device struct {
	Browser  string
	Platform string
	// Mobile is a phone or a tablet.
	Mobile bool
}

// maxDevicePart bounds a browser or platform name taken from a label: a made-up user agent can name itself
// anything, and a list of sessions is no place for a paragraph.
const maxDevicePart = 40

// DeviceOf reads a session's label (the browser's User-Agent, or what the app says about itself) with
// github.com/mileusna/useragent. An iPhone or iPad is named as the device rather than its system ("Safari on
// iPhone"), which is how people call it; a headless browser is still the browser its maker ships.
func DeviceOf(label string) Device {
	ua := useragent.Parse(label)
	browser := ua.Name
	switch browser {
	case useragent.HeadlessChrome:
		browser = useragent.Chrome
	case useragent.MobileSafari:
		browser = useragent.Safari
	}
	platform := ua.OS
	switch {
	case ua.Device == "iPhone" || ua.Device == "iPad":
		platform = ua.Device
	case platform == useragent.CrOS:
		platform = useragent.ChromeOS
	}
	return Device{Browser: cut(browser), Platform: cut(platform), Mobile: ua.Mobile || ua.Tablet}
}

// cut trims a name and bounds it to maxDevicePart characters.
func cut(s string) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > maxDevicePart {
		s = strings.TrimSpace(string(r[:maxDevicePart]))
	}
	return s
}
