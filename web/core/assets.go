package core

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

// asset is one static file (a style, a script, an icon) held in memory as the bank serves it: its bytes, the same
// bytes gzipped once at start (when that makes them smaller) and the name that carries its content hash.
type asset struct {
	name   string // as in the static folder: "app.css"
	hashed string // the same with the first 8 bytes of its SHA-256: "app.1a2b3c4d5e6f7a8b.css"
	ctype  string
	etag   string
	body   []byte
	gz     []byte // nil: gzip would not make it smaller
}

// assets are the site's static files by name and by hashed name.
type assets struct {
	byName, byHashed map[string]*asset
	// loaded is when the binary started serving them, their Last-Modified: an embedded file has no time of its own.
	loaded time.Time
}

// staticTypes names the types Go's table may not know on every system.
var staticTypes = map[string]string{
	".webmanifest": "application/manifest+json",
	".svg":         "image/svg+xml",
	".js":          "text/javascript; charset=utf-8",
	".css":         "text/css; charset=utf-8",
}

// loadAssets reads every file of the static folder into memory, hashing and compressing each once: a page names a
// file by its hashed name (the static template function), so browsers may keep it for a year and a new release is
// fetched at once.
func loadAssets(static fs.FS, now time.Time) (*assets, error) {
	a := &assets{byName: map[string]*asset{}, byHashed: map[string]*asset{}, loaded: now}
	err := fs.WalkDir(static, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(static, p)
		if err != nil {
			return err
		}
		f, err := newAsset(p, body)
		if err != nil {
			return err
		}
		a.byName[f.name], a.byHashed[f.hashed] = f, f
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("static files: %w", err)
	}
	return a, nil
}

func newAsset(name string, body []byte) (*asset, error) {
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:8])
	ext := path.Ext(name)
	ctype, ok := staticTypes[ext]
	if !ok {
		ctype = mime.TypeByExtension(ext)
	}
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	f := &asset{name: name, hashed: strings.TrimSuffix(name, ext) + "." + hash + ext, ctype: ctype,
		etag: `"` + hash + `"`, body: body}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(body); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	if buf.Len() < len(body) {
		f.gz = buf.Bytes()
	}
	return f, nil
}

// URL is the address of the static file name with its content hash, for a page to link to. A name the folder does
// not have is a mistake in a template: it panics, so the page's test fails rather than a browser getting a 404.
func (a *assets) URL(name string) string {
	f, ok := a.byName[name]
	if !ok {
		panic(fmt.Sprintf("static file %q does not exist", name))
	}
	return "/static/" + f.hashed
}

// ServeHTTP answers GET /static/{file}: a hashed name is kept by browsers for a year (its content never changes);
// a plain name (an old page, /favicon.ico's redirect) is revalidated each time. Either is sent gzipped to a browser
// that accepts it.
func (a *assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/static/")
	f, hashed := a.byHashed[name]
	if !hashed {
		f = a.byName[name]
	}
	if f == nil {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	if hashed {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	h.Set("Content-Type", f.ctype)
	h.Set("Vary", "Accept-Encoding")
	body, etag := f.body, f.etag
	if f.gz != nil && acceptsGzip(r) {
		// The gzipped bytes are another representation: their own ETag, so a cache never mixes the two.
		body, etag = f.gz, strings.TrimSuffix(f.etag, `"`)+`-gz"`
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("ETag", etag)
	http.ServeContent(w, r, "", a.loaded, bytes.NewReader(body))
}

// acceptsGzip reports whether the request's Accept-Encoding names gzip (and does not refuse it with q=0).
func acceptsGzip(r *http.Request) bool {
	for part := range strings.SplitSeq(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}
