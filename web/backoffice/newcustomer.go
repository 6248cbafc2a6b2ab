package backoffice

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/staff"
)

// New customers, from the search page (customer.create), as the branch opens them after its identity checks: an
// individual (national ID, names, mobile; a birth date the national ID holds already) or a business (NIPT, company
// name, mobile, and an individual customer who acts for it). The customer package checks every identifier; its
// refusals show beside their fields.
func (s *Server) newCustomerRoutes() []Route {
	return []Route{
		{Method: "GET", Path: customersPath + "/new", Policy: Staffed(""), Permission: staff.CustomerCreate,
			Handler: s.newCustomerPage(false)},
		{Method: "POST", Path: customersPath, Policy: Staffed(""), Permission: staff.CustomerCreate, Handler: s.createIndividual},
		{Method: "GET", Path: customersPath + "/new-business", Policy: Staffed(""), Permission: staff.CustomerCreate,
			Handler: s.newCustomerPage(true)},
		{Method: "POST", Path: customersPath + "/business", Policy: Staffed(""), Permission: staff.CustomerCreate,
			Handler: s.createBusiness},
	}
}

// newCustomerForm is a new customer's form as typed: the fields of both kinds, by the names the customer package
// gives its field errors.
type newCustomerForm struct {
	Business bool
	Values   map[string]string
}

// Value is a field as typed.
func (f newCustomerForm) Value(name string) string { return f.Values[name] }

// DefaultContract is the version of the contract a new customer signs at the branch today.
const DefaultContract = "002"

// newCustomerFields are the form's fields of each kind, in its order.
var newCustomerFields = map[bool][]string{
	false: {"first_name", "last_name", "national_id", "birth_date", "mobile", "email", "address", "client_number",
		"branch", "contract_version"},
	true: {"company_name", "nipt", "representative", "mobile", "email", "address", "client_number", "branch",
		"contract_version"},
}

func (s *Server) newCustomerPage(business bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f := newCustomerForm{Business: business, Values: map[string]string{"branch": MemberOf(r).Branch,
			"contract_version": DefaultContract}}
		s.render(w, r, http.StatusOK, "customer_new", View{Title: newCustomerTitle(business), Data: f})
	}
}

func newCustomerTitle(business bool) string {
	if business {
		return "web_bo_new_business_title"
	}
	return "web_bo_new_customer_title"
}

// typedCustomer reads the posted form, each field trimmed.
func (s *Server) typedCustomer(r *http.Request, business bool) newCustomerForm {
	f := newCustomerForm{Business: business, Values: map[string]string{}}
	for _, name := range newCustomerFields[business] {
		f.Values[name] = strings.TrimSpace(r.PostForm.Get(name))
	}
	if f.Values["contract_version"] == "" {
		f.Values["contract_version"] = DefaultContract
	}
	return f
}

// createIndividual opens an individual customer and goes to their page.
func (s *Server) createIndividual(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := s.typedCustomer(r, false)
	var born time.Time
	var err error
	if v := f.Value("birth_date"); v != "" {
		if born, err = time.Parse(time.DateOnly, v); err != nil {
			err = kumbara.ErrValidationFailed.WithFields(kumbara.ErrInvalid.At("birth_date"))
		}
	}
	var c customer.Customer
	if err == nil {
		c, err = s.Operations.CreateIndividual(r.Context(), MemberOf(r), customer.NewIndividual{
			ClientNumber: f.Value("client_number"), NationalID: f.Value("national_id"), FirstName: f.Value("first_name"),
			LastName: f.Value("last_name"), BirthDate: born, Mobile: f.Value("mobile"), Email: f.Value("email"),
			Address: f.Value("address"), ContractVersion: f.Value("contract_version"), Branch: f.Value("branch")})
	}
	s.created(w, r, f, c, err)
}

// createBusiness opens a business customer, with the individual customer whose client number was given as its
// representative, and goes to its page.
func (s *Server) createBusiness(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := s.typedCustomer(r, true)
	var reps []string
	var err error
	if v := f.Value("representative"); v != "" {
		var rep customer.Customer
		if rep, err = s.Customers.ByClientNumber(r.Context(), v); err == nil {
			reps = append(reps, rep.ID)
		} else if errors.Is(err, customer.ErrNotFound) {
			// On this form a client number nobody has is a field to correct, not a page that is not there.
			err = kumbara.ErrValidationFailed.WithFields(customer.ErrNotFound.At("representative"))
		}
	}
	var c customer.Customer
	if err == nil {
		c, err = s.Operations.CreateBusiness(r.Context(), MemberOf(r), customer.NewBusiness{
			ClientNumber: f.Value("client_number"), NIPT: f.Value("nipt"), CompanyName: f.Value("company_name"),
			Mobile: f.Value("mobile"), Email: f.Value("email"), Address: f.Value("address"),
			ContractVersion: f.Value("contract_version"), Branch: f.Value("branch"), Representatives: reps})
	}
	s.created(w, r, f, c, err)
}

// created goes to the new customer's page, or shows the form again with err.
func (s *Server) created(w http.ResponseWriter, r *http.Request, f newCustomerForm, c customer.Customer, err error) {
	if err != nil {
		if errors.Is(err, customer.ErrNotFound) {
			// A representative who vanished meanwhile: still the form's field, not a missing page.
			err = kumbara.ErrValidationFailed.WithFields(customer.ErrNotFound.At("representative"))
		}
		s.problem(w, r, "customer_new", View{Title: newCustomerTitle(f.Business), Data: f}, err)
		return
	}
	http.Redirect(w, r, withNotice(customerPath(c.ID), "created"), http.StatusSeeOther)
}
