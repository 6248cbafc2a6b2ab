package api

import (
	"net/http"
	"time"

	"github.com/kumbara/kumbara/beneficiary"
	"github.com/kumbara/kumbara/httpx"
)

// addressJSON is a beneficiary's structured address, as the contract names its fields.
type addressJSON struct {
	Street     string `json:"street"`
	City       string `json:"city"`
	PostalCode string `json:"postal_code"`
	Country    string `json:"country"`
}

type beneficiaryResponse struct {
	ID            string      `json:"id"`
	Name          string      `json:"name"`
	Nickname      string      `json:"nickname"`
	IBAN          string      `json:"iban,omitempty"`
	AccountNumber string      `json:"account_number,omitempty"`
	BIC           string      `json:"bic"`
	BankName      string      `json:"bank_name"`
	BankAddress   string      `json:"bank_address"`
	BankCountry   string      `json:"bank_country"`
	Address       addressJSON `json:"address"`
	Phone         string      `json:"phone"`
	CreatedAt     time.Time   `json:"created_at"`
	UpdatedAt     time.Time   `json:"updated_at"`
}

func savedJSON(b beneficiary.Beneficiary) beneficiaryResponse {
	return beneficiaryResponse{ID: b.ID, Name: b.Name, Nickname: b.Nickname, IBAN: b.IBAN, AccountNumber: b.AccountNumber,
		BIC: b.BIC, BankName: b.BankName, BankAddress: b.BankAddress, BankCountry: b.BankCountry(),
		Address: addressJSON(b.Address), Phone: b.Phone, CreatedAt: b.CreatedAt, UpdatedAt: b.UpdatedAt}
}

// beneficiaryRequest is a new beneficiary: the contract's beneficiary object plus the nickname.
type beneficiaryRequest struct {
	Name          string      `json:"name"`
	Nickname      string      `json:"nickname"`
	IBAN          string      `json:"iban"`
	AccountNumber string      `json:"account_number"`
	BIC           string      `json:"bic"`
	BankName      string      `json:"bank_name"`
	BankAddress   string      `json:"bank_address"`
	Address       addressJSON `json:"address"`
	Phone         string      `json:"phone"`
}

// beneficiaryPatch changes the fields it names; a field left out keeps its value, and "" clears an optional one.
type beneficiaryPatch struct {
	Name          *string       `json:"name"`
	Nickname      *string       `json:"nickname"`
	IBAN          *string       `json:"iban"`
	AccountNumber *string       `json:"account_number"`
	BIC           *string       `json:"bic"`
	BankName      *string       `json:"bank_name"`
	BankAddress   *string       `json:"bank_address"`
	Address       *addressPatch `json:"address"`
	Phone         *string       `json:"phone"`
}

type addressPatch struct {
	Street     *string `json:"street"`
	City       *string `json:"city"`
	PostalCode *string `json:"postal_code"`
	Country    *string `json:"country"`
}

// apply returns what was saved with the patch's fields over it, as the domain's input.
func (p beneficiaryPatch) apply(b beneficiary.Beneficiary) beneficiary.Input {
	in := beneficiary.Input{Name: b.Name, Nickname: b.Nickname, IBAN: b.IBAN, AccountNumber: b.AccountNumber, BIC: b.BIC,
		BankName: b.BankName, BankAddress: b.BankAddress, Address: b.Address, Phone: b.Phone}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&in.Name, p.Name)
	set(&in.Nickname, p.Nickname)
	set(&in.IBAN, p.IBAN)
	set(&in.AccountNumber, p.AccountNumber)
	set(&in.BIC, p.BIC)
	set(&in.BankName, p.BankName)
	set(&in.BankAddress, p.BankAddress)
	set(&in.Phone, p.Phone)
	if a := p.Address; a != nil {
		set(&in.Address.Street, a.Street)
		set(&in.Address.City, a.City)
		set(&in.Address.PostalCode, a.PostalCode)
		set(&in.Address.Country, a.Country)
	}
	return in
}

// listBeneficiaries is the customer's address book by name, or what the search q finds in it.
func (s *Server) listBeneficiaries(w http.ResponseWriter, r *http.Request) {
	list, err := s.Beneficiaries.List(r.Context(), sessionOf(r).CustomerID, r.URL.Query().Get("q"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := make([]beneficiaryResponse, 0, len(list))
	for _, b := range list {
		out = append(out, savedJSON(b))
	}
	s.JSON(w, r, http.StatusOK, map[string]any{"beneficiaries": out})
}

func (s *Server) addBeneficiary(w http.ResponseWriter, r *http.Request) {
	var req beneficiaryRequest
	if err := httpx.DecodeJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	b, err := s.Beneficiaries.Add(r.Context(), sessionOf(r).CustomerID, beneficiary.Input{Name: req.Name,
		Nickname: req.Nickname, IBAN: req.IBAN, AccountNumber: req.AccountNumber, BIC: req.BIC, BankName: req.BankName,
		BankAddress: req.BankAddress, Address: beneficiary.Address(req.Address), Phone: req.Phone})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusCreated, savedJSON(b))
}

func (s *Server) getBeneficiary(w http.ResponseWriter, r *http.Request) {
	b, err := s.Beneficiaries.Get(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusOK, savedJSON(b))
}

func (s *Server) updateBeneficiary(w http.ResponseWriter, r *http.Request) {
	var p beneficiaryPatch
	if err := httpx.DecodeJSON(r, &p); err != nil {
		s.Error(w, r, err)
		return
	}
	cust := sessionOf(r).CustomerID
	b, err := s.Beneficiaries.Get(r.Context(), cust, r.PathValue("id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if b, err = s.Beneficiaries.Update(r.Context(), cust, b.ID, p.apply(b)); err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusOK, savedJSON(b))
}

func (s *Server) deleteBeneficiary(w http.ResponseWriter, r *http.Request) {
	if err := s.Beneficiaries.Delete(r.Context(), sessionOf(r).CustomerID, r.PathValue("id")); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
