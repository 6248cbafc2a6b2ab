package main

import (
	"context"
	"errors"
	"io"
	"testing"
)

// --min-app-version is read before anything starts: a setting the rule cannot read is a usage error, never a bank
// served without the minimum.
func TestAnUnreadableMinimumAppVersionIsAUsageError(t *testing.T) {
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	for _, bad := range []string{"2.x", "ios=2.3,ios=2.4", "windows=1.0", "ios=2.3;android=2.1"} {
		var usage usageError
		err := serve(context.Background(), []string{"--min-app-version", bad}, getenv, io.Discard, io.Discard, nil)
		if !errors.As(err, &usage) {
			t.Errorf("--min-app-version %q: %v, want a usage error", bad, err)
		}
	}
	env["KUMBARA_MIN_APP_VERSION"] = "android"
	var usage usageError
	if err := serve(context.Background(), nil, getenv, io.Discard, io.Discard, nil); !errors.As(err, &usage) {
		t.Errorf("KUMBARA_MIN_APP_VERSION=android: %v, want a usage error", err)
	}
}
