package core

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strconv"
	"sync"

	"github.com/kumbara/kumbara/i18n"
)

// minGzip is the smallest page worth compressing: below it the gzip header and a round of CPU buy nothing.
const minGzip = 1 << 10

// gzipPool keeps gzip writers for pages: a writer holds about 800 KiB of tables, too much to make per page.
type gzipPool struct{ pool sync.Pool }

func (p *gzipPool) compress(dst *bytes.Buffer, page []byte) error {
	zw, _ := p.pool.Get().(*gzip.Writer)
	if zw == nil {
		var err error
		if zw, err = gzip.NewWriterLevel(dst, gzip.DefaultCompression); err != nil {
			return err
		}
	} else {
		zw.Reset(dst)
	}
	defer p.pool.Put(zw)
	if _, err := zw.Write(page); err != nil {
		return err
	}
	return zw.Close()
}

// writeHTML sends a rendered page, gzipped when the browser accepts it and the page is big enough to gain. Pages
// carry no secret an attacker could guess byte by byte through the compressed size (BREACH): forms are guarded by
// the browser's Origin and Sec-Fetch-Site headers, not by tokens in the page.
func (s *Site) writeHTML(w http.ResponseWriter, r *http.Request, status int, lang i18n.Lang, page []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", string(lang))
	h.Add("Vary", "Accept-Encoding")
	if len(page) >= minGzip && acceptsGzip(r) {
		var buf bytes.Buffer
		if err := s.gzip.compress(&buf, page); err == nil {
			h.Set("Content-Encoding", "gzip")
			page = buf.Bytes()
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(page)))
	w.WriteHeader(status)
	_, _ = w.Write(page)
}
