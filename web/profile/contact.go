package profile

// contact is how customers reach the bank (P14). Numbers, addresses and handles are data, not catalogue text: they
// read the same in every language. Texts around them (labels, hours) come from the catalogue.
type contactInfo struct {
	Phone, PhoneTel       string // as shown, and as dialled (E.164) for the tel: link
	TollFree, TollFreeTel string
	WhatsApp              string
	Email, ComplaintsMail string
	Social                []contactSocial
}

type contactSocial struct {
	Network, Handle string
}

// demoContact is the demo bank's contact centre. Every number, address and handle is made up, and the mail
// domain is reserved for examples (RFC 2606), so nobody real is called or written to from the demo.
func demoContact() contactInfo {
	return contactInfo{
		Phone: "+355 4 000 0000", PhoneTel: "+35540000000",
		TollFree: "0800 0000", TollFreeTel: "08000000",
		WhatsApp: "+355 69 000 0000",
		Email:    "kontakt@kumbara.example", ComplaintsMail: "ankesa@kumbara.example",
		Social: []contactSocial{
			{"Facebook", "Banka Kumbara"},
			{"Instagram", "@bankakumbara"},
			{"LinkedIn", "Banka Kumbara"},
			{"X", "@bankakumbara"},
			{"YouTube", "@bankakumbara"},
		},
	}
}
