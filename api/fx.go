package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/money"
)

// fxRoutes are the bank's exchange rates, which anyone may read before login (P7).
func (s *Server) fxRoutes() []Route {
	return []Route{
		{"GET", "/api/v1/fx/rates", limited(httpx.Policy{Access: httpx.Public}, httpx.PublicRead), s.fxRates},
	}
}

// fxRate is one currency's rate against the answer's base, decimal strings.
type fxRate struct {
	Currency   money.Currency `json:"currency"`
	Buy        string         `json:"buy"`
	Sell       string         `json:"sell"`
	Mid        string         `json:"mid"`
	ValidUntil *time.Time     `json:"valid_until"`
}

// fxRates answers the rates valid now against ALL, or against ?cross=CUR (fx.Service.CurrentIn), with when the
// latest of them was published (null when none is current).
func (s *Server) fxRates(w http.ResponseWriter, r *http.Request) {
	base := money.ALL
	if c := strings.TrimSpace(r.URL.Query().Get("cross")); c != "" {
		base = money.Currency(strings.ToUpper(c))
	}
	rates, err := s.FX.CurrentIn(r.Context(), base)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := make([]fxRate, 0, len(rates))
	var published *time.Time
	for _, rt := range rates {
		o := fxRate{Currency: rt.Currency, Buy: rt.Buy, Sell: rt.Sell, Mid: rt.Mid}
		if !rt.ValidUntil.IsZero() {
			until := rt.ValidUntil.UTC()
			o.ValidUntil = &until
		}
		if !rt.ValidFrom.IsZero() && (published == nil || rt.ValidFrom.After(*published)) {
			from := rt.ValidFrom.UTC()
			published = &from
		}
		out = append(out, o)
	}
	s.JSON(w, r, http.StatusOK, map[string]any{"base": base, "rates": out, "published_at": published})
}
