package device

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Platforms the mobile app is made for: the device types.
var Platforms = []string{IOS, Android}

// AppVersions is the oldest mobile app the bank still serves (P2): a minimum per platform, and one for every
// platform that has none of its own. The zero value serves every version.
type AppVersions struct {
	every    string            // for platforms without a minimum of their own; "" for none
	platform map[string]string // platform → minimum
}

// ParseAppVersions reads the bank's setting: a version alone ("2.3.0") is the minimum of every platform, and
// platform=version entries set one per platform ("ios=2.3.0,android=2.1.0"); both may be combined
// ("2.0,ios=2.3.0": iOS from 2.3.0, the others from 2.0). Empty means no minimum. A platform other than ios and
// android, a platform or a bare version given twice, or something that is not a version is refused, so a typo
// does not silently turn the check off.
func ParseAppVersions(s string) (AppVersions, error) {
	var v AppVersions
	s = strings.TrimSpace(s)
	if s == "" {
		return v, nil
	}
	for _, entry := range strings.Split(s, ",") {
		name, version, perPlatform := strings.Cut(strings.TrimSpace(entry), "=")
		if !perPlatform {
			name, version = "", name
		}
		name, version = strings.ToLower(strings.TrimSpace(name)), strings.TrimSpace(version)
		if _, ok := ParseAppVersion(version); !ok {
			return AppVersions{}, fmt.Errorf("%q is not a version like 2.3.0", version)
		}
		switch {
		case !perPlatform && v.every != "":
			return AppVersions{}, fmt.Errorf("two versions for every platform: %q and %q", v.every, version)
		case !perPlatform:
			v.every = version
		case !slices.Contains(Platforms, name):
			return AppVersions{}, fmt.Errorf("%q is not a platform (%s)", name, strings.Join(Platforms, ", "))
		case v.platform[name] != "":
			return AppVersions{}, fmt.Errorf("two versions for %s", name)
		default:
			if v.platform == nil {
				v.platform = map[string]string{}
			}
			v.platform[name] = version
		}
	}
	return v, nil
}

// String is the setting as ParseAppVersions reads it back.
func (v AppVersions) String() string {
	var parts []string
	if v.every != "" {
		parts = append(parts, v.every)
	}
	for _, p := range slices.Sorted(maps.Keys(v.platform)) {
		parts = append(parts, p+"="+v.platform[p])
	}
	return strings.Join(parts, ",")
}

// Off reports whether every version is served.
func (v AppVersions) Off() bool { return v.every == "" && len(v.platform) == 0 }

// Check answers what the app says about itself (X-App-Platform, X-App-Version): nil if it is served, else
// app_update_required (the app must update before it is served again), app_version_invalid or
// app_platform_invalid. A request without a version is not the mobile app's (an integration, a script) and is
// served. An app that does not say its platform is held to the minimum for every platform or, without one, to the
// lowest of the platforms' minimums: it cannot be told apart, and an app is not refused for what another
// platform's app lacks.
func (v AppVersions) Check(platform, version string) error {
	if v.Off() || version == "" {
		return nil
	}
	if _, ok := ParseAppVersion(version); !ok {
		return ErrAppVersionInvalid
	}
	platform = strings.ToLower(strings.TrimSpace(platform))
	if platform != "" && !slices.Contains(Platforms, platform) {
		return ErrAppPlatformInvalid
	}
	if below(version, v.minimum(platform)) {
		return ErrAppUpdateRequired
	}
	return nil
}

// minimum is the oldest version served on platform ("" for an app that did not say), "" for none.
func (v AppVersions) minimum(platform string) string {
	if m := v.platform[platform]; m != "" {
		return m
	}
	if platform != "" || v.every != "" {
		return v.every
	}
	lowest := ""
	for _, m := range v.platform {
		if lowest == "" || below(m, lowest) {
			lowest = m
		}
	}
	return lowest
}

func below(version, minimum string) bool {
	c, ok := CompareAppVersions(version, minimum)
	return minimum != "" && ok && c < 0
}

// ParseAppVersion reads a version of one to four dot-separated numbers ("2", "2.3", "2.3.0"), with an optional
// leading "v" and a pre-release or build suffix after "-" or "+" that is ignored.
func ParseAppVersion(v string) ([]int, bool) {
	v = strings.TrimPrefix(strings.TrimSpace(v), "v")
	if i := strings.IndexAny(v, "-+"); i >= 0 {
		v = v[:i]
	}
	parts := strings.Split(v, ".")
	if v == "" || len(parts) > 4 {
		return nil, false
	}
	out := make([]int, len(parts))
	for i, p := range parts {
		if p == "" || len(p) > 6 || strings.TrimLeft(p, "0123456789") != "" {
			return nil, false
		}
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil, false
		}
		out[i] = n
	}
	return out, true
}

// CompareAppVersions compares two versions as numbers, part by part, a missing part counting as 0: -1, 0 or 1,
// and false if either is not a version.
func CompareAppVersions(a, b string) (int, bool) {
	va, ok := ParseAppVersion(a)
	if !ok {
		return 0, false
	}
	vb, ok := ParseAppVersion(b)
	if !ok {
		return 0, false
	}
	for i := 0; i < max(len(va), len(vb)); i++ {
		var x, y int
		if i < len(va) {
			x = va[i]
		}
		if i < len(vb) {
			y = vb[i]
		}
		if x != y {
			if x < y {
				return -1, true
			}
			return 1, true
		}
	}
	return 0, true
}
