package main

import (
	"context"
	"errors"
	"io"
	"testing"
)

func TestServeRefusesTrustedProxiesThatAreNotAddresses(t *testing.T) {
	for name, tc := range map[string]struct {
		env  map[string]string
		args []string
	}{
		"flag":     {env: map[string]string{}, args: []string{"--trusted-proxies", "10.0.0.0/8,proxy.internal"}},
		"variable": {env: map[string]string{"KUMBARA_TRUSTED_PROXIES": "10.0.0.0/33"}},
	} {
		getenv := func(k string) string { return tc.env[k] }
		args := append([]string{"--db", t.TempDir() + "/k.db", "--addr", "127.0.0.1:0"}, tc.args...)
		err := serve(context.Background(), args, getenv, io.Discard, io.Discard, nil)
		var usage usageError
		if !errors.As(err, &usage) {
			t.Errorf("%s: %v, want a usage error", name, err)
		}
	}
}
