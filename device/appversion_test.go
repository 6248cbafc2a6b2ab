package device_test

import (
	"testing"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/device"
)

func TestCompareAppVersions(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
		ok   bool
	}{
		{"2.3.0", "2.3", 0, true}, {"2.3.1", "2.3.0", 1, true}, {"2.9", "2.10", -1, true},
		{"v1.0.0-rc1", "1", 0, true}, {"", "1", 0, false}, {"1..2", "1", 0, false}, {"1.2.3.4.5", "1", 0, false},
		{"-1", "1", 0, false}, {"1.a", "1", 0, false},
	} {
		got, ok := device.CompareAppVersions(tc.a, tc.b)
		if got != tc.want || ok != tc.ok {
			t.Errorf("CompareAppVersions(%q, %q) = %d, %v; want %d, %v", tc.a, tc.b, got, ok, tc.want, tc.ok)
		}
	}
}

func FuzzParseAppVersion(f *testing.F) {
	for _, s := range []string{"2.3.0", "v1", "1.2.3-beta", "", "..", "1.2.3.4.5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := device.ParseAppVersion(s)
		if ok && (len(v) == 0 || len(v) > 4) {
			t.Fatalf("ParseAppVersion(%q) = %v", s, v)
		}
		if c, ok2 := device.CompareAppVersions(s, s); ok != ok2 || (ok && c != 0) {
			t.Fatalf("CompareAppVersions(%q, itself) = %d, %v", s, c, ok2)
		}
	})
}

func TestTheMinimumAppVersionSettingIsOnePerPlatformOrOneForAll(t *testing.T) {
	for _, tc := range []struct {
		setting, want string // want: the setting read back, or "" when it must be refused
	}{
		{"", ""},
		{"2.3.0", "2.3.0"},
		{" ios=2.3.0 , ANDROID=2.1 ", "android=2.1,ios=2.3.0"},
		{"2.0,ios=2.3.0", "2.0,ios=2.3.0"},
		{"ios=2.3.0", "ios=2.3.0"},
	} {
		v, err := device.ParseAppVersions(tc.setting)
		if err != nil || v.String() != tc.want {
			t.Errorf("ParseAppVersions(%q) = %q, %v; want %q", tc.setting, v.String(), err, tc.want)
		}
	}
	for _, bad := range []string{"2.x", "ios=", "windows=1.0", "ios=2.3,ios=2.4", "2.0,3.0", "=2.3", "ios=2.3,", "ios:2.3",
		"ios=2.3;android=2.1"} {
		if v, err := device.ParseAppVersions(bad); err == nil {
			t.Errorf("ParseAppVersions(%q) = %q, want it refused", bad, v)
		}
	}
}

func TestAnAppBelowItsPlatformsMinimumMustUpdate(t *testing.T) {
	perPlatform, _ := device.ParseAppVersions("ios=2.3.0,android=2.1.0")
	withDefault, _ := device.ParseAppVersions("1.5,ios=2.3.0")
	everyPlatform, _ := device.ParseAppVersions("2.3.0")
	for _, tc := range []struct {
		name              string
		rule              device.AppVersions
		platform, version string
		code              string // "" when served
	}{
		{"iOS at its minimum", perPlatform, "ios", "2.3.0", ""},
		{"iOS below its minimum", perPlatform, "ios", "2.2.9", "app_update_required"},
		{"Android below iOS's minimum but at its own", perPlatform, "android", "2.1", ""},
		{"Android below its own", perPlatform, "Android", "2.0.9", "app_update_required"},
		{"no platform: the lowest minimum", perPlatform, "", "2.1.0", ""},
		{"no platform below every minimum", perPlatform, "", "2.0", "app_update_required"},
		{"no version: not the app", perPlatform, "ios", "", ""},
		{"a platform with none of its own takes the default", withDefault, "android", "1.5", ""},
		{"below the default", withDefault, "android", "1.4", "app_update_required"},
		{"the platform's own beats the default", withDefault, "ios", "2.0", "app_update_required"},
		{"no platform takes the default", withDefault, "", "1.5", ""},
		{"one for all: any platform", everyPlatform, "android", "2.2", "app_update_required"},
		{"one for all: no platform", everyPlatform, "", "2.3.0", ""},
		{"an unknown platform", perPlatform, "windows", "9.0", "app_platform_invalid"},
		{"not a version", perPlatform, "ios", "2.3.x", "app_version_invalid"},
		{"no rule serves everyone", device.AppVersions{}, "windows", "0.1.x", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.rule.Check(tc.platform, tc.version)
			if (tc.code == "") != (err == nil) || err != nil && kumbara.CodeOf(err) != tc.code {
				t.Errorf("Check(%q, %q) with %q = %v, want %q", tc.platform, tc.version, tc.rule, err, tc.code)
			}
		})
	}
}
