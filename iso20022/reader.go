package iso20022

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
)

// MaxDocument is the largest document a Parse function reads: a clearing session of 100,000 credit transfers with
// names, postal addresses and remittance information is about 100 MB of XML. Uploads from customers (pain.001)
// have a smaller limit of their own at the transport.
const MaxDocument = 128 << 20

// namespacePrefix is the start of every ISO 20022 message's namespace; the message's name follows it.
const namespacePrefix = "urn:iso:std:iso:20022:tech:xsd:"

// The messages this package reads and writes, by the name their namespace ends with.
const (
	NamePacs008 = "pacs.008.001.08"
	NamePacs002 = "pacs.002.001.10"
	NamePacs004 = "pacs.004.001.09"
	NameCamt053 = "camt.053.001.08"
	NameCamt054 = "camt.054.001.08"
	NamePain001 = "pain.001.001.09"
	NamePain002 = "pain.002.001.10"
)

// known lists the messages MessageName answers, each with the element under Document that carries it.
var known = map[string]string{
	NamePacs008: "FIToFICstmrCdtTrf",
	NamePacs002: "FIToFIPmtStsRpt",
	NamePacs004: "PmtRtr",
	NameCamt053: "BkToCstmrStmt",
	NameCamt054: "BkToCstmrDbtCdtNtfctn",
	NamePain001: "CstmrCdtTrfInitn",
	NamePain002: "CstmrPmtStsRpt",
}

// MessageName reads a document's root and answers the name of the message it is, e.g. "pacs.008.001.08", so a
// receiver can dispatch a message it got. Only the prolog and the root element are read, under the same rules as
// every Parse: a document with a DTD or a processing instruction is ErrUnsafe, one whose root is not the Document
// of a message this package knows is ErrWrongMessage.
func MessageName(doc []byte) (string, error) {
	if len(doc) > MaxDocument {
		return "", tooLarge(len(doc))
	}
	r := newReader(doc)
	start, err := r.root()
	if err != nil {
		return "", err
	}
	name, ok := strings.CutPrefix(start.Name.Space, namespacePrefix)
	if !ok || start.Name.Local != "Document" || known[name] == "" {
		return "", ErrWrongMessage.With("root %s in namespace %q", start.Name.Local, start.Name.Space)
	}
	return name, nil
}

func tooLarge(n int) error {
	return ErrTooLarge.With("%d bytes", n).WithParam("max_bytes", strconv.Itoa(MaxDocument))
}

// decode reads doc, the message name, into v (the type of the element under Document): it refuses a document
// that is too large, a DTD, an entity declaration or a processing instruction anywhere, another encoding than
// UTF-8, a root that is not the message's Document, and anything but one message element under it.
func decode(doc []byte, name string, v any) error {
	if len(doc) > MaxDocument {
		return tooLarge(len(doc))
	}
	r := newReader(doc)
	start, err := r.root()
	if err != nil {
		return err
	}
	if start.Name.Space != namespacePrefix+name || start.Name.Local != "Document" {
		return ErrWrongMessage.With("want %s, root %s in namespace %q", name, start.Name.Local, start.Name.Space).
			WithParam("expected", name)
	}
	body := known[name]
	found := false
	for {
		tok, err := r.d.Token()
		if err != nil {
			return r.fail(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if found || t.Name.Local != body || t.Name.Space != start.Name.Space {
				return ErrWrongMessage.With("element %s under Document", t.Name.Local).WithParam("expected", name)
			}
			found = true
			if err := r.d.DecodeElement(v, &t); err != nil {
				return r.fail(err)
			}
		case xml.EndElement:
			if !found {
				return ErrWrongMessage.With("no %s under Document", body).WithParam("expected", name)
			}
			return r.end()
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return ErrMalformed.With("text under Document")
			}
		}
	}
}

// reader is a strict decoder of one document that scanMarkup has found free of what a payment message never needs
// and an attacker would use.
type reader struct {
	d   *xml.Decoder
	err error // scanMarkup's refusal, reported before anything is decoded
}

func newReader(doc []byte) *reader {
	doc = bytes.TrimPrefix(doc, []byte("\xef\xbb\xbf")) // a UTF-8 byte order mark
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	d.CharsetReader = func(charset string, _ io.Reader) (io.Reader, error) {
		return nil, ErrMalformed.With("encoding %q: only UTF-8 is read", charset)
	}
	return &reader{d: d, err: scanMarkup(doc)}
}

// scanMarkup refuses, before the decoder reads anything, every DOCTYPE (and with it every DTD, entity declaration
// and external entity: no billion laughs, no XXE) and any other directive, and every processing instruction but
// the XML declaration at the very start. Outside comments and CDATA sections a '<' always starts markup in a
// well-formed document, so looking at what follows each one finds them all; a document that is not well-formed
// is refused by the decoder afterwards. (encoding/xml itself neither expands declared entities nor fetches
// anything, but it would skip these silently inside an element.)
//
// It also counts the elements that each become a large value when decoded (a transaction, an entry, a batch, a
// balance): a document of nothing but empty ones would otherwise take a hundred times its size in memory. More
// than MaxTransactions of either kind is ErrTooLarge.
func scanMarkup(doc []byte) error {
	var items, containers int
	for i := 0; ; {
		j := bytes.IndexByte(doc[i:], '<')
		if j < 0 {
			return nil
		}
		i += j
		rest := doc[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			i = skipPast(doc, i+4, "-->")
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			i = skipPast(doc, i+9, "]]>")
		case bytes.HasPrefix(rest, []byte("<!")):
			return ErrUnsafe.With("directive %q", head(rest))
		case bytes.HasPrefix(rest, []byte("<?")):
			if i != 0 || len(rest) < 6 || string(rest[:5]) != "<?xml" || !isSpace(rest[5]) {
				return ErrUnsafe.With("processing instruction %q", head(rest))
			}
			i = skipPast(doc, i+5, "?>")
		default:
			i++
			switch heavy(localName(doc[i:])) {
			case itemElement:
				items++
			case containerElement:
				containers++
			}
			if items > MaxTransactions || containers > MaxTransactions {
				return ErrTooLarge.With("more than %d transactions", MaxTransactions)
			}
		}
		if i >= len(doc) {
			return nil
		}
	}
}

// MaxTransactions is the most transactions (or entries, or status lines) a message may hold, and the most batches,
// statements or balances: twice a clearing session of 100,000 credit transfers.
const MaxTransactions = 200_000

type weight int

const (
	lightElement weight = iota
	itemElement
	containerElement
)

// heavy tells the elements whose decoded value is large.
func heavy(local []byte) weight {
	switch string(local) {
	case "CdtTrfTxInf", "TxInfAndSts", "TxInf", "Ntry":
		return itemElement
	case "PmtInf", "Bal", "Stmt", "Ntfctn", "OrgnlPmtInfAndSts", "OrgnlGrpInfAndSts":
		return containerElement
	}
	return lightElement
}

// localName is the local part of the element name b starts with (after '<'), or nil for an end tag.
func localName(b []byte) []byte {
	end := 0
	for end < len(b) && end < 64 && !isSpace(b[end]) && b[end] != '>' && b[end] != '/' {
		end++
	}
	name := b[:end]
	if k := bytes.LastIndexByte(name, ':'); k >= 0 {
		name = name[k+1:]
	}
	return name
}

// skipPast is the index after the first end at or after from, or len(doc) when there is none (the decoder then
// finds the document truncated).
func skipPast(doc []byte, from int, end string) int {
	k := bytes.Index(doc[from:], []byte(end))
	if k < 0 {
		return len(doc)
	}
	return from + k + len(end)
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\n' }

// root reads up to the root element, which it returns.
func (r *reader) root() (xml.StartElement, error) {
	if r.err != nil {
		return xml.StartElement{}, r.err
	}
	for {
		tok, err := r.d.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return xml.StartElement{}, ErrMalformed.With("no root element")
			}
			return xml.StartElement{}, r.fail(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, nil
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return xml.StartElement{}, ErrMalformed.With("text before the root element")
			}
		case xml.Directive:
			return xml.StartElement{}, ErrUnsafe.With("directive")
		case xml.ProcInst:
			if t.Target != "xml" {
				return xml.StartElement{}, ErrUnsafe.With("processing instruction")
			}
		}
	}
}

// end reads what follows the root's end: only white space and comments.
func (r *reader) end() error {
	for {
		tok, err := r.d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return r.fail(err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return ErrMalformed.With("text after the root element")
			}
		case xml.Comment:
		default:
			return ErrMalformed.With("content after the root element")
		}
	}
}

// fail turns a decoding error into the package's: a malformed document.
func (r *reader) fail(err error) error {
	if errors.Is(err, ErrMalformed) {
		return err
	}
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return ErrMalformed.Wrap(err)
}

// head is the start of b, for a log.
func head(b []byte) string { return string(b[:min(len(b), 20)]) }
