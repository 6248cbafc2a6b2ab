package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kumbara/kumbara/i18n"
)

//go:embed templates/*.html
var templateFiles embed.FS

// pages holds every page parsed with the layout, once.
type pages struct {
	byName map[string]*template.Template
}

// view is what every page template receives.
type view struct {
	Lang      i18n.Lang
	Path      string // current path, for the language switch to come back to
	Title     string
	LoggedIn  bool
	Name      string // customer's name, when logged in
	Demo      bool
	IdleSecs  int
	Error     string // a translated problem message
	Notice    string // a translated notice
	Data      any
	catalogue *i18n.Catalogue
}

// T translates a catalogue key in the page's language.
func (v view) T(key string) string { return v.catalogue.Message(v.Lang, key, nil) }

// TP translates a key with one parameter.
func (v view) TP(key, name, value string) string {
	return v.catalogue.Message(v.Lang, key, map[string]string{name: value})
}

// Amount formats minor units the page's way: "1.234,50 ALL" in Albanian, "1,234.50 ALL" in English.
func (v view) Amount(minor int64, currency string) string {
	return i18n.FormatAmount(minor, currency, v.Lang)
}

// Date formats a time as a date in the bank's zone.
func (v view) Date(t time.Time) string { return i18n.FormatDate(t, v.Lang) }

// Other is the language the switch offers.
func (v view) Other() i18n.Lang {
	if v.Lang == i18n.EN {
		return i18n.SQ
	}
	return i18n.EN
}

func loadPages() (*pages, error) {
	entries, err := templateFiles.ReadDir("templates")
	if err != nil {
		return nil, err
	}
	p := &pages{byName: map[string]*template.Template{}}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.ParseFS(templateFiles, "templates/layout.html", "templates/"+e.Name())
		if err != nil {
			return nil, fmt.Errorf("page %s: %w", name, err)
		}
		p.byName[name] = t
	}
	return p, nil
}

// lang is the page language: the visitor's choice, remembered in a cookie, else Albanian — the bank's language,
// whatever the browser prefers (the switch is on every page).
func lang(r *http.Request) i18n.Lang {
	if c, err := r.Cookie("lang"); err == nil && c.Value == string(i18n.EN) {
		return i18n.EN
	}
	return i18n.SQ
}

// render writes a page; the page is rendered to a buffer first so a template error never sends half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, v view) {
	v.Lang = lang(r)
	v.Path = r.URL.RequestURI()
	if r.Method != http.MethodGet {
		// The language switch returns to v.Path; a form's URL answers only POST, so it goes home instead.
		v.Path = "/"
	}
	v.catalogue = s.Catalogue
	v.Demo = s.Inbox != nil
	v.IdleSecs = int(s.Auth.Config.IdleTimeout.Seconds())
	if ws := sessionOf(r); ws.CustomerID != "" {
		v.LoggedIn = true
		if names, err := s.Customers.Names(r.Context(), ws.CustomerID, ws.Authenticator()); err == nil {
			v.Name = names[ws.CustomerID]
			if ws.UserID != "" { // a business's user (A20): the business, then who acts for it
				v.Name += " · " + names[ws.UserID]
			}
		}
	}
	t, ok := s.pages.byName[page]
	if !ok {
		s.logger().Error("unknown page", slog.String("page", page))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		s.logger().Error("render page", slog.String("page", page), slog.String("error", err.Error()))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", string(v.Lang))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// errorPage shows a translated problem on its own page.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, code string) {
	s.render(w, r, status, "error", view{Title: "web_error_title", Error: s.Catalogue.Message(lang(r), code, nil)})
}

// localPath accepts only a path on this site as a place to return to, so a link cannot send a customer elsewhere.
// Browsers drop tabs and newlines from URLs and read a backslash as a slash, so "/\t/evil.example" would become
// "//evil.example": any control character or backslash is refused before the path is parsed.
func localPath(next string) string {
	if strings.IndexFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) >= 0 {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") ||
		strings.HasPrefix(u.Path, "//") || strings.HasPrefix(next, "//") {
		return "/"
	}
	return u.RequestURI()
}

func (s *Server) setLanguage(w http.ResponseWriter, r *http.Request) {
	l := r.PathValue("lang")
	if l != "sq" && l != "en" {
		s.errorPage(w, r, http.StatusNotFound, "not_found")
		return
	}
	// The choice is remembered for a year; it is not a secret, but it follows the same cookie rules.
	s.setCookie(w, "lang", l, 365*24*time.Hour)
	http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther)
}

// notFoundPage is the page a browser gets for an address the bank does not have, with the site's security
// headers; the API's unrouted requests still answer problem documents.
func (s *Server) notFoundPage() http.Handler {
	return s.protect(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.errorPage(w, r, http.StatusNotFound, "not_found")
	}))
}
