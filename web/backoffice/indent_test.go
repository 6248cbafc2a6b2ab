package backoffice

import (
	"bytes"
	"encoding/xml"
	"io"
	"testing"
)

// TestAMessageIsLaidOutOneElementALine: each element on a line of its own, indented by its depth, its text beside
// it, prefixes and attributes as written; a document that does not read is shown as it was kept.
func TestAMessageIsLaidOutOneElementALine(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"a message", `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
			`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10"><GrpHdr><MsgId>S1</MsgId>` +
			`<CreDtTm>2026-03-02T09:00:00Z</CreDtTm></GrpHdr><Amt Ccy="ALL">10.00</Amt><Empty></Empty></Document>`,
			`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
				`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10">` + "\n" +
				"  <GrpHdr>\n    <MsgId>S1</MsgId>\n    <CreDtTm>2026-03-02T09:00:00Z</CreDtTm>\n  </GrpHdr>\n" +
				`  <Amt Ccy="ALL">10.00</Amt>` + "\n  <Empty></Empty>\n</Document>"},
		{"prefixes, escapes and comments", `<a:Doc xmlns:a="urn:x" b:c="1 &amp; &quot;2&quot;"><!-- note --><a:T>x &lt; y</a:T></a:Doc>`,
			`<a:Doc xmlns:a="urn:x" b:c="1 &amp; &#34;2&#34;">` + "\n  <!-- note -->\n  <a:T>x &lt; y</a:T>\n</a:Doc>"},
		{"not XML", "settled, all of it <", "settled, all of it <"},
		{"unclosed", "<a><b>1</b>", "<a><b>1</b>"},
	} {
		if got := indentXML([]byte(c.in)); got != c.want {
			t.Errorf("%s:\n%s\nwant\n%s", c.name, got, c.want)
		}
	}
}

// tokens are a document's elements, attributes and text without the spaces between elements.
func tokens(doc []byte) ([]string, bool) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	var out []string
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return out, true
		}
		if err != nil {
			return nil, false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			s := "<" + t.Name.Space + ":" + t.Name.Local
			for _, a := range t.Attr {
				s += " " + a.Name.Space + ":" + a.Name.Local + "=" + a.Value
			}
			out = append(out, s)
		case xml.EndElement:
			out = append(out, "</"+t.Name.Space+":"+t.Name.Local)
		case xml.CharData:
			if v := string(bytes.TrimSpace(t)); v != "" {
				out = append(out, v)
			}
		}
	}
}

// FuzzIndentXML: whatever a kept message holds, laying it out never fails, and a document that reads keeps every
// element, attribute and text, in order.
func FuzzIndentXML(f *testing.F) {
	f.Add([]byte(`<?xml version="1.0"?><Document xmlns="urn:x"><A b="1">t</A><C/></Document>`))
	f.Add([]byte(`<a:b xmlns:a="u"><!--c--><a:c>&lt;&amp;</a:c></a:b>`))
	f.Add([]byte("<a><b>"))
	f.Fuzz(func(t *testing.T, doc []byte) {
		out := indentXML(doc)
		want, ok := tokens(doc)
		if !ok || out == string(doc) {
			return
		}
		got, ok := tokens([]byte(out))
		if !ok {
			t.Fatalf("the layout of %q does not read: %q", doc, out)
		}
		if len(got) != len(want) {
			t.Fatalf("%q laid out as %q: %v, want %v", doc, out, got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%q laid out as %q: %v, want %v", doc, out, got, want)
			}
		}
	})
}
