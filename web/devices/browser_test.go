package devices_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/device"
	"github.com/kumbara/kumbara/web/webtest"
)

// register registers a phone for a demo customer through the device service, as the app does over the API.
func register(t *testing.T, b *bank, client, name, typ string, trust bool) device.Device {
	t.Helper()
	d, _ := registerKey(t, b, client, name, typ, trust)
	return d
}

// registerKey is register that also returns the phone's private key.
func registerKey(t *testing.T, b *bank, client, name, typ string, trust bool) (device.Device, *ecdsa.PrivateKey) {
	t.Helper()
	ctx := context.Background()
	c, err := b.Customers.ByClientNumber(ctx, client)
	if err != nil {
		t.Fatal(err)
	}
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	d, err := b.Devices.Register(ctx, c.ID, device.NewDevice{Name: name, Type: typ,
		PublicKey: base64.StdEncoding.EncodeToString(der), ScreenLock: true, Password: demo.Password}, device.Seen{Location: "Tiranë"})
	if err != nil {
		t.Fatal(err)
	}
	if trust {
		for range b.Devices.Config.OfferAt { // the customer's logins from it bring it to the trust offer (A7)
			if _, err := b.Devices.RecordLogin(ctx, c.ID, device.ActionLogin, device.Seen{DeviceID: d.ID}); err != nil {
				t.Fatal(err)
			}
		}
		if d, err = b.Devices.Trust(ctx, c.ID, d.ID, device.TrustProof{Password: demo.Password},
			device.Seen{DeviceID: d.ID, Location: "Durrës"}); err != nil {
			t.Fatal(err)
		}
	}
	return d, k
}

func TestDevicesPageListsShowsActivityAndDeactivatesAfterConfirmation(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	phone := register(t, b, "100000001", "iPhone i Arbenit", device.IOS, true)
	tablet := register(t, b, "100000001", "Samsung Tab", device.Android, false)
	other := register(t, b, "100000002", "Pixel i Elirës", device.Android, false)
	b.LogIn(t, ctx, "100000001")

	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/profile"), chromedp.WaitVisible(chromedp.CSS("#profile-devices")))
	webtest.SubmitAndWait(t, ctx, "#profile-devices", "#devices")
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#devices tbody tr").length`))
	if err != nil || rows != 2 {
		t.Fatalf("%d rows (%v)", rows, err)
	}
	phoneRow := `#devices tr[data-device="` + phone.ID + `"]`
	if got := webtest.Text(t, ctx, phoneRow+" .dv-name"); got != "iPhone i Arbenit" {
		t.Fatalf("name %q", got)
	}
	if got := webtest.Text(t, ctx, phoneRow+" .dv-type"); got != "Pajisje iOS" {
		t.Fatalf("type %q", got)
	}
	if got := webtest.Text(t, ctx, phoneRow+" .dv-trusted"); !strings.Contains(got, "20.11.2026") {
		t.Fatalf("trusted since %q", got)
	}
	if got := webtest.Text(t, ctx, `#devices tr[data-device="`+tablet.ID+`"] .dv-trusted`); got != "Jo e besuar" {
		t.Fatalf("untrusted tablet shows %q", got)
	}
	if body := webtest.Text(t, ctx, "main"); strings.Contains(body, "Pixel") {
		t.Fatal("another customer's device is listed")
	}
	webtest.Screenshot(t, ctx, "devices-sq")

	// Activity: action, time and location.
	webtest.SubmitAndWait(t, ctx, phoneRow+" .dv-activity", "#device-activity")
	activity := webtest.Text(t, ctx, "#device-activity tbody")
	for _, want := range []string{"U autorizua si e besuar", "Durrës", "Regjistrim i pajisjes", "Tiranë"} {
		if !strings.Contains(activity, want) {
			t.Errorf("activity lacks %q: %s", want, activity)
		}
	}
	// Another customer's device is not found.
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/profile/devices/"+other.ID), chromedp.WaitVisible(chromedp.CSS("main")))
	if body := webtest.Text(t, ctx, "main"); strings.Contains(body, "Pixel") || !strings.Contains(body, "Pajisja nuk u gjet") {
		t.Fatalf("other customer's device page: %s", body)
	}

	// Deactivate: cancelling changes nothing; confirming removes it.
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/profile/devices/"+phone.ID), chromedp.WaitVisible(chromedp.CSS("#device-deactivate")))
	webtest.SubmitAndWait(t, ctx, "#device-deactivate", "#deactivate-confirm")
	if q := webtest.Text(t, ctx, "#deactivate-question"); !strings.Contains(q, "iPhone i Arbenit") {
		t.Fatalf("question %q", q)
	}
	webtest.SubmitAndWait(t, ctx, "#deactivate-cancel", "#devices")
	if _, err := b.Devices.Get(context.Background(), phone.CustomerID, phone.ID); err != nil {
		t.Fatalf("cancel deactivated the device: %v", err)
	}
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/profile/devices/"+phone.ID+"/deactivate"), chromedp.WaitVisible(chromedp.CSS("#deactivate-confirm")))
	webtest.SubmitAndWait(t, ctx, "#deactivate-confirm", "#devices")
	if notice := webtest.Text(t, ctx, "main"); !strings.Contains(notice, "Pajisja u ç'aktivizua") {
		t.Fatalf("no notice: %s", notice)
	}
	rows, err = chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#devices tbody tr").length`))
	if err != nil || rows != 1 {
		t.Fatalf("%d rows after deactivating (%v)", rows, err)
	}
	if _, err := b.Devices.Get(context.Background(), phone.CustomerID, phone.ID); err == nil {
		t.Fatal("device still active")
	}
}

func TestSoftPINCodeLogsInToTheInternetBranch(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	phone, key := registerKey(t, b, "100000003", "iPhone i Dritanit", device.IOS, true)
	// The app sets the Soft PIN up from the phone, signing the bank's challenge (A6).
	on := device.Seen{DeviceID: phone.ID}
	ch, err := b.Devices.SoftPINChallenge(context.Background(), phone.CustomerID, phone.ID, on)
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256(ch.Challenge)
	sig, err := ecdsa.SignASN1(rand.Reader, key, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	sp, err := b.Devices.ProvisionSoftPIN(context.Background(), phone.CustomerID, phone.ID,
		device.SoftPINProof{ChallengeID: ch.ID, Signature: sig, Password: demo.Password}, on)
	if err != nil {
		t.Fatal(err)
	}
	webtest.Run(t, ctx,
		chromedp.Navigate(b.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SetValue(chromedp.CSS("#username"), "100000003"),
		chromedp.SendKeys(chromedp.CSS("#password"), demo.Password),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS("#otp")),
	)
	if label := webtest.Text(t, ctx, `label[for="otp"]`); !strings.Contains(label, "SMS") || !strings.Contains(label, "Soft PIN") {
		t.Fatalf("code label %q", label)
	}
	code, err := device.SoftPINCode(sp.Secret, b.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	webtest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS("#otp"), code))
	webtest.SubmitAndWait(t, ctx, "#otp-submit", "#accounts")
	webtest.Screenshot(t, ctx, "soft-pin-login")
	h, err := b.Devices.History(context.Background(), phone.CustomerID, phone.ID)
	if err != nil || h[0].Action != device.ActionSoftPINLogin {
		t.Fatalf("history %+v (%v)", h, err)
	}
}

func TestMain(m *testing.M) { webtest.Main(m) }

// bank is the demo bank a test runs against, with this package's helpers as methods.
type bank struct{ *webtest.Bank }

func newBank(t testing.TB) *bank { return &bank{webtest.NewBank(t)} }
