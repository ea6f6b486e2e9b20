package deploy_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/goclouds/goclouds/compute/deploy"
	"github.com/goclouds/goclouds/compute/deploy/sshtest"
)

// BenchmarkUpload uploads 1 MiB files over one connection, with the scp
// protocol and with the shell fallback used on nodes without scp. The
// server is in-process, so compare the two results of one run rather than
// absolute figures.
func BenchmarkUpload(b *testing.B) {
	data := bytes.Repeat([]byte("0123456789abcdef"), 1<<16)
	for _, c := range []struct {
		name string
		mode sshtest.SCPMode
	}{{"scp", sshtest.SCPBuiltin}, {"shell-fallback", sshtest.SCPMissing}} {
		b.Run(c.name, func(b *testing.B) {
			e := newEnv(b, sshtest.Options{SCP: c.mode})
			step := &stepFunc{name: "uploads", run: func(ctx context.Context, cl deploy.Client) error {
				b.SetBytes(int64(len(data)))
				b.ResetTimer()
				for range b.N {
					if err := cl.Upload(ctx, "blob", 0o644, int64(len(data)), bytes.NewReader(data)); err != nil {
						return err
					}
				}
				b.StopTimer()
				return nil
			}}
			if _, err := deploy.DeployNode(context.Background(), e.drv, e.req, step, e.opts()); err != nil {
				b.Fatal(err)
			}
		})
	}
}
