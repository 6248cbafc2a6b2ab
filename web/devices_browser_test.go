package web_test

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
)

// dvRegister registers a phone for a demo customer through the device service, as the app does over the API.
func dvRegister(t *testing.T, b *bank, client, name, typ string, trust bool) device.Device {
	t.Helper()
	d, _ := dvRegisterKey(t, b, client, name, typ, trust)
	return d
}

// dvRegisterKey is dvRegister that also returns the phone's private key.
func dvRegisterKey(t *testing.T, b *bank, client, name, typ string, trust bool) (device.Device, *ecdsa.PrivateKey) {
	t.Helper()
	ctx := context.Background()
	c, err := b.customers.ByClientNumber(ctx, client)
	if err != nil {
		t.Fatal(err)
	}
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	d, err := b.devices.Register(ctx, c.ID, device.NewDevice{Name: name, Type: typ,
		PublicKey: base64.StdEncoding.EncodeToString(der), ScreenLock: true, Password: demo.Password}, device.Seen{Location: "Tiranë"})
	if err != nil {
		t.Fatal(err)
	}
	if trust {
		for range b.devices.Config.OfferAt { // the customer's logins from it bring it to the trust offer (A7)
			if _, err := b.devices.RecordLogin(ctx, c.ID, device.ActionLogin, device.Seen{DeviceID: d.ID}); err != nil {
				t.Fatal(err)
			}
		}
		if d, err = b.devices.Trust(ctx, c.ID, d.ID, device.TrustProof{Password: demo.Password},
			device.Seen{DeviceID: d.ID, Location: "Durrës"}); err != nil {
			t.Fatal(err)
		}
	}
	return d, k
}

func TestDevicesPageListsShowsActivityAndDeactivatesAfterConfirmation(t *testing.T) {
	b := newBank(t)
	ctx := browser(t)
	phone := dvRegister(t, b, "100000001", "iPhone i Arbenit", device.IOS, true)
	tablet := dvRegister(t, b, "100000001", "Samsung Tab", device.Android, false)
	other := dvRegister(t, b, "100000002", "Pixel i Elirës", device.Android, false)
	b.logIn(t, ctx, "100000001")

	run(t, ctx, chromedp.Navigate(b.url+"/profile"), chromedp.WaitVisible(chromedp.CSS("#profile-devices")))
	submitAndWait(t, ctx, "#profile-devices", "#devices")
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#devices tbody tr").length`))
	if err != nil || rows != 2 {
		t.Fatalf("%d rows (%v)", rows, err)
	}
	phoneRow := `#devices tr[data-device="` + phone.ID + `"]`
	if got := text(t, ctx, phoneRow+" .dv-name"); got != "iPhone i Arbenit" {
		t.Fatalf("name %q", got)
	}
	if got := text(t, ctx, phoneRow+" .dv-type"); got != "Pajisje iOS" {
		t.Fatalf("type %q", got)
	}
	if got := text(t, ctx, phoneRow+" .dv-trusted"); !strings.Contains(got, "20.11.2026") {
		t.Fatalf("trusted since %q", got)
	}
	if got := text(t, ctx, `#devices tr[data-device="`+tablet.ID+`"] .dv-trusted`); got != "Jo e besuar" {
		t.Fatalf("untrusted tablet shows %q", got)
	}
	if body := text(t, ctx, "main"); strings.Contains(body, "Pixel") {
		t.Fatal("another customer's device is listed")
	}
	screenshot(t, ctx, "devices-sq")

	// Activity: action, time and location.
	submitAndWait(t, ctx, phoneRow+" .dv-activity", "#device-activity")
	activity := text(t, ctx, "#device-activity tbody")
	for _, want := range []string{"U autorizua si e besuar", "Durrës", "Regjistrim i pajisjes", "Tiranë"} {
		if !strings.Contains(activity, want) {
			t.Errorf("activity lacks %q: %s", want, activity)
		}
	}
	// Another customer's device is not found.
	run(t, ctx, chromedp.Navigate(b.url+"/profile/devices/"+other.ID), chromedp.WaitVisible(chromedp.CSS("main")))
	if body := text(t, ctx, "main"); strings.Contains(body, "Pixel") || !strings.Contains(body, "Pajisja nuk u gjet") {
		t.Fatalf("other customer's device page: %s", body)
	}

	// Deactivate: cancelling changes nothing; confirming removes it.
	run(t, ctx, chromedp.Navigate(b.url+"/profile/devices/"+phone.ID), chromedp.WaitVisible(chromedp.CSS("#device-deactivate")))
	submitAndWait(t, ctx, "#device-deactivate", "#deactivate-confirm")
	if q := text(t, ctx, "#deactivate-question"); !strings.Contains(q, "iPhone i Arbenit") {
		t.Fatalf("question %q", q)
	}
	submitAndWait(t, ctx, "#deactivate-cancel", "#devices")
	if _, err := b.devices.Get(context.Background(), phone.CustomerID, phone.ID); err != nil {
		t.Fatalf("cancel deactivated the device: %v", err)
	}
	run(t, ctx, chromedp.Navigate(b.url+"/profile/devices/"+phone.ID+"/deactivate"), chromedp.WaitVisible(chromedp.CSS("#deactivate-confirm")))
	submitAndWait(t, ctx, "#deactivate-confirm", "#devices")
	if notice := text(t, ctx, "main"); !strings.Contains(notice, "Pajisja u ç'aktivizua") {
		t.Fatalf("no notice: %s", notice)
	}
	rows, err = chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#devices tbody tr").length`))
	if err != nil || rows != 1 {
		t.Fatalf("%d rows after deactivating (%v)", rows, err)
	}
	if _, err := b.devices.Get(context.Background(), phone.CustomerID, phone.ID); err == nil {
		t.Fatal("device still active")
	}
}

func TestSoftPINCodeLogsInToTheInternetBranch(t *testing.T) {
	b := newBank(t)
	ctx := browser(t)
	phone, key := dvRegisterKey(t, b, "100000003", "iPhone i Dritanit", device.IOS, true)
	// The app sets the Soft PIN up from the phone, signing the bank's challenge (A6).
	on := device.Seen{DeviceID: phone.ID}
	ch, err := b.devices.SoftPINChallenge(context.Background(), phone.CustomerID, phone.ID, on)
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256(ch.Challenge)
	sig, err := ecdsa.SignASN1(rand.Reader, key, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	sp, err := b.devices.ProvisionSoftPIN(context.Background(), phone.CustomerID, phone.ID,
		device.SoftPINProof{ChallengeID: ch.ID, Signature: sig, Password: demo.Password}, on)
	if err != nil {
		t.Fatal(err)
	}
	run(t, ctx,
		chromedp.Navigate(b.url+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SetValue(chromedp.CSS("#username"), "100000003"),
		chromedp.SendKeys(chromedp.CSS("#password"), demo.Password),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS("#otp")),
	)
	if label := text(t, ctx, `label[for="otp"]`); !strings.Contains(label, "SMS") || !strings.Contains(label, "Soft PIN") {
		t.Fatalf("code label %q", label)
	}
	code, err := device.SoftPINCode(sp.Secret, b.clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	run(t, ctx, chromedp.SendKeys(chromedp.CSS("#otp"), code))
	submitAndWait(t, ctx, "#otp-submit", "#accounts")
	screenshot(t, ctx, "soft-pin-login")
	h, err := b.devices.History(context.Background(), phone.CustomerID, phone.ID)
	if err != nil || h[0].Action != device.ActionSoftPINLogin {
		t.Fatalf("history %+v (%v)", h, err)
	}
}
