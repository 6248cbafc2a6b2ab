package iso20022

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/money"
)

// validate runs xmllint on doc against testdata/xsd/<xsdName>; without xmllint it skips, or fails under CI=true.
func validate(t testing.TB, xsdName string, doc []byte) {
	t.Helper()
	path, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("xmllint is not installed (Debian package libxml2-utils)")
		}
		t.Skip("xmllint is not installed (Debian package libxml2-utils)")
	}
	cmd := exec.Command(path, "--noout", "--nonet", "--schema", filepath.Join("testdata", "xsd", xsdName), "-")
	cmd.Stdin = bytes.NewReader(doc)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint refuses the document against %s: %v\n%s\n--- document ---\n%s", xsdName, err, out, doc)
	}
}

func mustDate(t testing.TB, s string) calendar.Date {
	t.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func albanianIBAN(t testing.TB, bank, branch, account string) string {
	t.Helper()
	i, err := iban.NewAlbanian(bank, branch, account)
	if err != nil {
		t.Fatal(err)
	}
	return i.String()
}

func all(minor int64) money.Amount { return money.New(minor, money.ALL) }
func eur(minor int64) money.Amount { return money.New(minor, money.EUR) }

var created = time.Date(2026, 3, 9, 13, 45, 7, 250_000_000, time.UTC)

var (
	kumbaraAgent = Agent{BIC: "KUMBALT0XXX"}
	bktAgent     = Agent{BIC: "NCBAALTX"}
	// an agent without a BIC, known by name, address and its Bank of Albania code
	savingsAgent = Agent{Name: "Unioni Financiar Tiranë", MemberID: "1210001", Address: Address{
		Street: "Rruga e Kavajës", BuildingNumber: "12", PostalCode: "1001", City: "Tiranë", Country: "AL"}}
)

// creditTransfers is a table of realistic pacs.008 messages.
func creditTransfers(t testing.TB) map[string]CreditTransfer {
	debtorIBAN := albanianIBAN(t, "999", "0001", "1234567")
	creditorIBAN := albanianIBAN(t, "205", "1001", "7654321")
	one := Transaction{
		InstructionID: "KUM-20260309-000001", EndToEndID: "E2E-2026-03-09-Ç1", TxID: "KUM-TX-000001",
		UETR: "8a562c67-ca16-48ba-b074-65581be6f011", Amount: all(125_000_00), ChargeBearer: "SLEV",
		ServiceLevel: "SEPA", LocalInstrument: "INST", CategoryPurpose: "SUPP",
		Debtor: Party{Name: "Arbër Çela", Address: Address{Street: "Rruga Myslym Shyri", BuildingNumber: "45/1",
			PostalCode: "1001", City: "Tiranë", Country: "AL"}},
		DebtorAccount: Account{IBAN: debtorIBAN}, DebtorAgent: kumbaraAgent,
		Creditor:        Party{Name: "Ëngjëll Hoxha sh.p.k.", Address: Address{Country: "AL", Lines: []string{"Bulevardi Zogu I, nr. 3", "1001 Tiranë"}}},
		CreditorAccount: Account{IBAN: creditorIBAN}, CreditorAgent: bktAgent,
		Purpose: "GDDS", Remittance: "Fatura nr. 2026/114 — pagesë për mallrat e dërguara në shkurt",
	}
	many := make([]Transaction, 5)
	for i := range many {
		tx := one
		tx.InstructionID = "KUM-B-" + string(rune('A'+i))
		tx.EndToEndID = "E2E-B-" + string(rune('A'+i))
		tx.TxID = "TX-B-" + string(rune('A'+i))
		tx.UETR = ""
		tx.Amount = all(int64(1000_00 * (i + 1)))
		tx.ServiceLevel, tx.LocalInstrument, tx.CategoryPurpose, tx.Purpose = "", "", "", ""
		tx.Remittance = ""
		if i%2 == 1 {
			tx.CreditorAgent = savingsAgent
			tx.CreditorAccount = Account{Other: "0012345678"}
			tx.Creditor = Party{Name: "Dritë Shehu"}
		}
		many[i] = tx
	}
	instructed := eur(2_500_00)
	cross := one
	cross.Amount = eur(2_500_00)
	cross.InstructedAmount = &instructed
	cross.ChargeBearer = "SHAR"
	cross.CreditorAgent = Agent{BIC: "COBADEFFXXX"}
	cross.CreditorAccount = Account{IBAN: "DE89370400440532013000"}
	cross.Creditor = Party{Name: "Müller GmbH", Address: Address{Street: "Hauptstraße", BuildingNumber: "1", PostalCode: "10115", City: "Berlin", Country: "DE"}}
	cross.IntermediaryAgent = &Agent{BIC: "DEUTDEFF"}
	cross.LocalInstrument, cross.ServiceLevel = "", ""
	return map[string]CreditTransfer{
		"one instant transfer in lek": {
			MessageID: "KUM20260309AIPS0001", CreatedAt: created, SettlementDate: mustDate(t, "2026-03-09"),
			SettlementMethod: "CLRG", ClearingSystem: "AIPS", InstructingAgent: kumbaraAgent, InstructedAgent: bktAgent,
			Transactions: []Transaction{one},
		},
		"a clearing session of five": {
			MessageID: "KUM20260309AECH0002", CreatedAt: created.Add(time.Hour), SettlementDate: mustDate(t, "2026-03-10"),
			SettlementMethod: "CLRG", ClearingSystem: "AECH", InstructingAgent: kumbaraAgent,
			InstructedAgent: Agent{Name: "Banka e Shqipërisë", MemberID: "001", ClearingSystem: "ALBCS",
				Address: Address{Country: "AL", Lines: []string{"Sheshi Skënderbej 1", "Tiranë"}}},
			Transactions: many,
		},
		"a euro transfer through a correspondent": {
			MessageID: "KUM20260309SWFT0003", CreatedAt: time.Date(2026, 3, 9, 8, 0, 0, 0, time.UTC),
			SettlementDate: mustDate(t, "2026-03-11"), SettlementMethod: "INDA",
			Transactions: []Transaction{cross},
		},
	}
}

func statusReports(t testing.TB) map[string]StatusReport {
	return map[string]StatusReport{
		"one accepted, one rejected": {
			MessageID: "BKT20260309STS0001", CreatedAt: created, InstructingAgent: bktAgent, InstructedAgent: kumbaraAgent,
			OriginalMessageID: "KUM20260309AECH0002", OriginalMessageName: NamePacs008, GroupStatus: "PART",
			Transactions: []TxStatus{
				{OriginalInstructionID: "KUM-B-A", OriginalEndToEndID: "E2E-B-A", OriginalTxID: "TX-B-A", Status: "ACSC"},
				{OriginalEndToEndID: "E2E-B-B", OriginalTxID: "TX-B-B", OriginalUETR: "8a562c67-ca16-48ba-b074-65581be6f011",
					Status: "RJCT", Reason: "AC04", AdditionalInfo: "Llogaria e përfituesit është mbyllur"},
			},
		},
		"the whole message rejected": {
			MessageID: "AECH-STS-77", CreatedAt: created.Add(time.Minute), OriginalMessageID: "KUM20260309AECH0003",
			OriginalMessageName: NamePacs008, GroupStatus: "RJCT", GroupReason: "AM18",
		},
	}
}

func paymentReturns(t testing.TB) map[string]PaymentReturn {
	creditor := albanianIBAN(t, "999", "0001", "1234567")
	r := Return{
		ReturnID: "RTR-2026-0001", OriginalMessageID: "BKT20260301AECH0042", OriginalMessageName: NamePacs008,
		OriginalInstructionID: "BKT-77", OriginalEndToEndID: "E2E-FATURA-114", OriginalTxID: "BKT-TX-77",
		OriginalUETR:   "1b4e28ba-2fa1-41d2-883f-0016d3cca427",
		OriginalAmount: all(5_000_00), Amount: all(5_000_00), ChargeBearer: "SLEV", Reason: "AC04",
		AdditionalInfo: "Llogaria është mbyllur më 28 shkurt",
		Debtor:         Party{Name: "Gëzim Çaushi"}, DebtorAccount: Account{IBAN: albanianIBAN(t, "205", "1001", "42")},
		DebtorAgent:     bktAgent,
		Creditor:        Party{Name: "Mirela Kola", Address: Address{City: "Durrës", Country: "AL"}},
		CreditorAccount: Account{IBAN: creditor}, CreditorAgent: kumbaraAgent,
	}
	bare := Return{ReturnID: "RTR-2026-0002", OriginalMessageID: "BKT20260301AECH0042", OriginalMessageName: NamePacs008,
		OriginalEndToEndID: "NOTPROVIDED", Amount: all(99_50), Reason: "MS03"}
	euro := r
	euro.ReturnID, euro.OriginalAmount, euro.Amount, euro.Reason = "RTR-EUR-1", eur(100_00), eur(95_00), "FOCR"
	euro.DebtorAgent = savingsAgent
	euro.CreditorAccount = Account{Other: "KUM-000123"}
	return map[string]PaymentReturn{
		"two returns in lek": {
			MessageID: "KUM20260309RTR0001", CreatedAt: created, SettlementDate: mustDate(t, "2026-03-09"),
			SettlementMethod: "CLRG", ClearingSystem: "AECH", InstructingAgent: kumbaraAgent, InstructedAgent: bktAgent,
			Returns: []Return{r, bare},
		},
		"a euro return after a recall": {
			MessageID: "KUM20260309RTR0002", CreatedAt: created, SettlementDate: mustDate(t, "2026-03-10"),
			SettlementMethod: "INGA", ClearingSystemCode: "ST2", Returns: []Return{euro},
		},
	}
}

func entries(t testing.TB) []Entry {
	return []Entry{
		{Reference: "KUM-NTRY-000001", Amount: all(125_000_00), Credit: true, Status: "BOOK",
			BookingDate: mustDate(t, "2026-03-09"), ValueDate: mustDate(t, "2026-03-09"), BankTxCode: "PMNT/RCDT/ESCT",
			EndToEndID: "E2E-FATURA-114", InstructionID: "BKT-77", TxID: "BKT-TX-77",
			Counterparty:        Party{Name: "Gëzim Çaushi", Address: Address{City: "Shkodër", Country: "AL"}},
			CounterpartyAccount: Account{IBAN: albanianIBAN(t, "205", "1001", "42")}, CounterpartyAgent: bktAgent,
			Remittance: "Qiraja e marsit", AdditionalInfo: "Transfertë e marrë nëpërmjet AECH"},
		{Reference: "KUM-NTRY-000002", Amount: all(4_500_00), Status: "BOOK", BookingDate: mustDate(t, "2026-03-09"),
			ValueDate: mustDate(t, "2026-03-10"), BankTxCode: "KUM-FEE",
			Counterparty: Party{Name: "Dritë Shehu"}, CounterpartyAccount: Account{Other: "0012345678"},
			CounterpartyAgent: savingsAgent},
		{Reference: "KUM-NTRY-000003", Amount: all(1_00), Status: "PDNG", ValueDate: mustDate(t, "2026-03-11")},
	}
}

func statements(t testing.TB) map[string]Statement {
	es := entries(t)
	return map[string]Statement{
		"a day of a business account": {
			MessageID: "KUM-STMT-20260309-1", CreatedAt: created, StatementID: "STMT-2026-068", SequenceNumber: 68,
			Account: Account{IBAN: albanianIBAN(t, "999", "0001", "1234567")}, Currency: money.ALL,
			Owner:    Party{Name: "Ëmbëlsira Çajupi sh.p.k.", Address: Address{Street: "Rruga e Durrësit", BuildingNumber: "7", City: "Tiranë", Country: "AL"}},
			Servicer: kumbaraAgent,
			From:     time.Date(2026, 3, 8, 23, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 9, 22, 59, 59, 0, time.UTC),
			Opening: all(-10_000_00), OpeningDate: mustDate(t, "2026-03-08"),
			Closing: all(-10_000_00 + 125_000_00 - 4_500_00), ClosingDate: mustDate(t, "2026-03-09"),
			Entries: es,
		},
		"the clearing house's settlement report without entries": {
			MessageID: "AECH-SETTLE-0309", CreatedAt: created, StatementID: "AECH-0309-2",
			Account: Account{Other: "KUMBALT0-SETTLEMENT"}, Currency: money.EUR,
			Opening: eur(1_000_000_00), OpeningDate: mustDate(t, "2026-03-09"),
			Closing: eur(1_000_000_00), ClosingDate: mustDate(t, "2026-03-09"),
		},
	}
}

func notifications(t testing.TB) map[string]Notification {
	es := entries(t)
	return map[string]Notification{
		"a credit as it is booked": {
			MessageID: "KUM-NTF-0001", CreatedAt: created, NotificationID: "NTF-0001",
			Account: Account{IBAN: albanianIBAN(t, "999", "0001", "1234567")}, Currency: money.ALL,
			Owner: Party{Name: "Arbër Çela"}, Entries: es[:1],
		},
		"a debit and a pending entry": {
			MessageID: "KUM-NTF-0002", CreatedAt: created, NotificationID: "NTF-0002",
			Account: Account{Other: "000123"}, Currency: money.ALL, Servicer: kumbaraAgent, Entries: es[1:],
		},
		"a euro credit": {
			MessageID: "KUM-NTF-0003", CreatedAt: created, NotificationID: "NTF-0003",
			Account: Account{IBAN: "DE89370400440532013000"}, Currency: money.EUR,
			Entries: []Entry{{Reference: "E1", Amount: eur(12_34), Credit: true, Status: "BOOK",
				BookingDate: mustDate(t, "2026-03-09")}},
		},
		"a period without entries": {
			MessageID: "KUM-NTF-0004", CreatedAt: created, NotificationID: "20260301-20260331-000123",
			Account: Account{IBAN: albanianIBAN(t, "999", "0001", "1234567")}, Currency: money.ALL,
			Owner: Party{Name: "Arbër Çela"}, Servicer: kumbaraAgent,
			From: time.Date(2026, 2, 28, 23, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 31, 21, 59, 59, 0, time.UTC),
		},
	}
}

func initiations(t testing.TB) map[string]Initiation {
	debtor := albanianIBAN(t, "999", "0001", "1234567")
	salaries := PaymentInfo{
		ID: "PAGA-2026-03", Method: "TRF", RequestedDate: mustDate(t, "2026-03-25"), CategoryPurpose: "SALA",
		Debtor:        Party{Name: "Ëmbëlsira Çajupi sh.p.k.", Address: Address{Street: "Rruga e Durrësit", BuildingNumber: "7", City: "Tiranë", Country: "AL"}},
		DebtorAccount: Account{IBAN: debtor}, DebtorAgent: kumbaraAgent, ChargeBearer: "SLEV",
		Transactions: []InitiationTx{
			{Line: 1, InstructionID: "PAGA-1", EndToEndID: "PAGA-2026-03-001", Amount: all(85_000_00),
				Creditor: Party{Name: "Blerina Çeliku"}, CreditorAccount: Account{IBAN: albanianIBAN(t, "205", "1001", "42")},
				CreditorAgent: bktAgent, Purpose: "SALA", Remittance: "Paga e marsit 2026"},
			{Line: 2, EndToEndID: "PAGA-2026-03-002", Amount: all(92_500_50),
				Creditor:        Party{Name: "Ëndrit Lleshi", Address: Address{Country: "AL", Lines: []string{"Rruga Kavajës 100", "Tiranë"}}},
				CreditorAccount: Account{IBAN: albanianIBAN(t, "999", "0001", "7777")}},
			{Line: 3, EndToEndID: "PAGA-2026-03-003", Amount: all(60_000_00), ChargeBearer: "SLEV",
				Creditor: Party{Name: "Dritë Shehu"}, CreditorAccount: Account{Other: "0012345678"}, CreditorAgent: savingsAgent},
		},
	}
	suppliers := PaymentInfo{
		ID: "FURN-EUR-11", Method: "TRF", RequestedDate: mustDate(t, "2026-03-10"), ServiceLevel: "SEPA",
		Debtor: Party{Name: "Ëmbëlsira Çajupi sh.p.k."}, DebtorAccount: Account{IBAN: albanianIBAN(t, "999", "0001", "1234568")},
		ChargeBearer: "SHAR",
		Transactions: []InitiationTx{
			{Line: 4, EndToEndID: "INV-DE-9", Amount: eur(1_234_56), Creditor: Party{Name: "Müller GmbH",
				Address: Address{Street: "Hauptstraße", BuildingNumber: "1", PostalCode: "10115", City: "Berlin", Country: "DE"}},
				CreditorAccount: Account{IBAN: "DE89370400440532013000"}, CreditorAgent: Agent{BIC: "COBADEFFXXX"}},
		},
	}
	return map[string]Initiation{
		"salaries and a supplier": {
			MessageID: "CAJUPI-2026-03-PAGA", CreatedAt: created, NumberOfTransactions: 4, ControlSum: "238735.06",
			InitiatingParty: Party{Name: "Ëmbëlsira Çajupi sh.p.k."}, Batches: []PaymentInfo{salaries, suppliers},
		},
		"one line without a control sum": {
			MessageID: "ONE", CreatedAt: created, NumberOfTransactions: 1, InitiatingParty: Party{Name: "Arbër Çela"},
			Batches: []PaymentInfo{{ID: "B1", Method: "TRF", RequestedDate: mustDate(t, "2026-03-09"),
				DebtorAccount: Account{IBAN: debtor},
				Transactions: []InitiationTx{{Line: 1, EndToEndID: "NOTPROVIDED", Amount: all(1),
					Creditor: Party{Name: "X"}, CreditorAccount: Account{IBAN: albanianIBAN(t, "205", "1001", "43")}}}}},
		},
	}
}

func customerStatusReports(t testing.TB) map[string]CustomerStatusReport {
	return map[string]CustomerStatusReport{
		"partly accepted": {
			MessageID: "KUM-PAIN002-0001", CreatedAt: created, OriginalMessageID: "CAJUPI-2026-03-PAGA",
			OriginalMessageName: NamePain001, GroupStatus: "PART",
			Batches: []BatchStatus{
				{OriginalPaymentInfoID: "PAGA-2026-03", Status: "PART", Transactions: []TxStatus{
					{OriginalInstructionID: "PAGA-1", OriginalEndToEndID: "PAGA-2026-03-001", Status: "ACTC"},
					{OriginalEndToEndID: "PAGA-2026-03-002", Status: "RJCT", Reason: "AC01", AdditionalInfo: "IBAN-i i përfituesit nuk është i vlefshëm"},
				}},
				{OriginalPaymentInfoID: "FURN-EUR-11", Status: "ACTC"},
			},
		},
		"refused as a whole": {
			MessageID: "KUM-PAIN002-0002", CreatedAt: created, OriginalMessageID: "CAJUPI-2026-03-X",
			OriginalMessageName: NamePain001, GroupStatus: "RJCT", GroupReason: "AM10",
		},
	}
}
