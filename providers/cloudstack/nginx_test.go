package cloudstack_test

import (
	"bytes"
	"context"
	"fmt"
	"github.com/goclouds/goclouds/providers/internal/realclient"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/cloudstack"
	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

// The driver behind a real reverse proxy: nginx (Debian's package, which CI
// installs) in front of the simulator, limiting each client connection to
// 3 requests and 1 s of idleness, and request bodies to 64 KB.

// needNginx returns the nginx binary; without one the test skips, except
// in CI (CI set), where that is a failure.
func needNginx(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"nginx", "/usr/sbin/nginx"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	realclient.Missing(t, "nginx", "nginx")
	return ""
}

// nginxConf is the configuration: one process in the foreground, every
// path in the test's directory (so that it runs as root or not), and the
// proxy limits under test. The arguments are the directory, the upstream
// address, the port, and the TLS directives ("" for plain HTTP).
const nginxConf = `daemon off;
master_process off;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path %[1]s/client_body;
	proxy_temp_path %[1]s/proxy;
	fastcgi_temp_path %[1]s/fastcgi;
	uwsgi_temp_path %[1]s/uwsgi;
	scgi_temp_path %[1]s/scgi;
	upstream sim {
		server %[2]s;
		keepalive 32;
	}
	server {
		listen 127.0.0.1:%[3]d%[4]s;
		keepalive_requests 3;
		keepalive_timeout 1s;
		client_max_body_size 64k;
		location / {
			proxy_pass http://sim;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
			proxy_next_upstream off;
		}
	}
}
`

// startNginx runs nginx in front of upstream (host:port) and returns its
// base URL; certPEM and keyPEM, when set, make it serve HTTPS. nginx is
// stopped when the test ends.
func startNginx(t *testing.T, upstream string, certPEM, keyPEM []byte) string {
	t.Helper()
	bin := needNginx(t)
	dir := t.TempDir()
	scheme, tlsDirectives := "http", ""
	if certPEM != nil {
		cert, key := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
		require.NoError(t, os.WriteFile(cert, certPEM, 0o600))
		require.NoError(t, os.WriteFile(key, keyPEM, 0o600))
		scheme, tlsDirectives = "https", fmt.Sprintf(" ssl;\n\t\tssl_certificate %s;\n\t\tssl_certificate_key %s", cert, key)
	}
	var lastErr error
	for range 3 { // another process may take the free port first
		port := freePort(t)
		conf := filepath.Join(dir, "nginx.conf")
		require.NoError(t, os.WriteFile(conf, []byte(fmt.Sprintf(nginxConf, dir, upstream, port, tlsDirectives)), 0o600))
		var out bytes.Buffer
		cmd := exec.Command(bin, "-p", dir+"/", "-c", conf, "-e", filepath.Join(dir, "error.log"))
		cmd.Stdout, cmd.Stderr = &out, &out
		require.NoError(t, cmd.Start())
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		addr := fmt.Sprintf("127.0.0.1:%d", port)
		if lastErr = waitListening(addr, exited); lastErr == nil {
			t.Cleanup(func() {
				_ = cmd.Process.Signal(syscall.SIGQUIT) // graceful shutdown
				select {
				case <-exited:
				case <-time.After(10 * time.Second):
					_ = cmd.Process.Kill()
					<-exited
				}
			})
			return scheme + "://" + addr
		}
		_ = cmd.Process.Kill()
		<-exited
		log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
		lastErr = fmt.Errorf("%v\n%s\n%s", lastErr, out.String(), log)
	}
	t.Fatalf("nginx did not start: %v", lastErr)
	return ""
}

// freePort returns a TCP port free at the time of the call.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// waitListening waits until addr accepts connections, or the process
// exits, or 15 s pass.
func waitListening(addr string, exited <-chan error) error {
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			return fmt.Errorf("nginx exited: %v", err)
		default:
		}
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("nothing listens on %s", addr)
}

// proxyN is the number of VMs of the lifecycle runs.
const proxyN = 50

// proxyJobDelay is the simulator's job duration in the proxy runs.
const proxyJobDelay = 300 * time.Millisecond

// lifecycleRun creates proxyN VMs concurrently on one driver, then stops,
// starts and destroys each (each phase concurrently), and returns the wall
// time and the simulator's counters of the four commands.
func lifecycleRun(t *testing.T, r *relSim, d *cloudstack.Driver, prefix string) time.Duration {
	t.Helper()
	ctx := context.Background()
	ids := make([]string, proxyN)
	phase := func(name string, f func(i int) error) {
		var wg sync.WaitGroup
		errs := make([]error, proxyN)
		for i := range proxyN {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = f(i)
			}()
		}
		wg.Wait()
		for i, err := range errs {
			require.NoError(t, err, "%s %d", name, i)
		}
	}
	r.sim.ResetRequestCounts()
	start := time.Now()
	phase("create", func(i int) error {
		n, err := d.CreateNode(ctx, r.request(fmt.Sprintf("%s-%d", prefix, i)))
		if err == nil {
			ids[i] = n.ID
		}
		return err
	})
	phase("stop", func(i int) error { return d.StopNode(ctx, ids[i]) })
	phase("start", func(i int) error { return d.StartNode(ctx, ids[i]) })
	phase("destroy", func(i int) error { return d.DestroyNode(ctx, ids[i]) })
	took := time.Since(start)
	for _, c := range []string{"deployVirtualMachine", "stopVirtualMachine", "startVirtualMachine", "destroyVirtualMachine"} {
		assert.Equal(t, proxyN, r.sim.RequestCount(c), "%s reached the simulator once per VM", c)
	}
	return took
}

// proxyDriver returns a driver for endpoint with the default polling and
// retry settings (mod may change the options).
func proxyDriver(t *testing.T, r *relSim, endpoint string, mod func(*cloudstack.Options)) *cloudstack.Driver {
	t.Helper()
	creds := r.sim.AdminCredentials()
	o := &cloudstack.Options{URL: endpoint, Key: creds.APIKey, Secret: creds.SecretKey, Timeout: 30 * time.Second}
	// A server that takes 1 MB of user data (vm.userdata.max.length), so
	// that the proxy's body limit, not the driver's check, refuses 100 KB.
	o.UserDataMaxLength = 1 << 20
	if mod != nil {
		mod(o)
	}
	d, err := cloudstack.New(o)
	require.NoError(t, err)
	return d
}

// TestBehindNginx: 50 concurrent creates, then stop, start and destroy of
// each, through nginx (plain HTTP; TLS with a private CA the driver is told
// to trust) give exactly 50 of each command at the simulator, no error, and
// a wall time within 3x of the same run direct (the target is 1.5x; the
// bound is generous for loaded CI machines; the ratio is logged). A 100 KB
// user-data POST that nginx refuses comes back as its 413, typed, with no
// deploy at the simulator. Not parallel: the wall times are compared.
func TestBehindNginx(t *testing.T) {
	needNginx(t)
	ca := newTestCA(t)
	certPEM, keyPEM, _ := ca.validServerCert(t)

	// The direct run is timed twice, before and after the proxied runs, and
	// the faster time kept: the comparison does not favour the proxy when
	// the machine was busier during the first run.
	directRun := func(name string) time.Duration {
		r := newRelSim(t, &cloudstacksim.Options{JobDelay: proxyJobDelay})
		took := lifecycleRun(t, r, proxyDriver(t, r, r.url, nil), name)
		t.Logf("direct: %d VMs created, stopped, started, destroyed in %v", proxyN, took.Round(time.Millisecond))
		return took
	}
	directTime := directRun("direct-1")
	var proxied []time.Duration

	for _, mode := range []string{"http", "https"} {
		t.Run(mode, func(t *testing.T) {
			r := newRelSim(t, &cloudstacksim.Options{JobDelay: proxyJobDelay})
			u, err := url.Parse(r.url)
			require.NoError(t, err)
			var base string
			var mod func(*cloudstack.Options)
			if mode == "https" {
				base = startNginx(t, u.Host, certPEM, keyPEM)
				mod = func(o *cloudstack.Options) { o.CAPEM = ca.PEM }
			} else {
				base = startNginx(t, u.Host, nil, nil)
			}
			d := proxyDriver(t, r, base+cloudstacksim.DefaultPath, mod)
			took := lifecycleRun(t, r, d, "nginx-"+mode)
			t.Logf("behind nginx (%s): %v", mode, took.Round(time.Millisecond))
			proxied = append(proxied, took)

			// A user-data POST over client_max_body_size: nginx's 413.
			r.sim.ResetRequestCounts()
			req := r.request("nginx-toolarge-" + mode)
			req.ProviderOptions = &cloudstack.CreateNodeOptions{UserData: strings.Repeat("x", 100<<10)}
			_, err = d.CreateNode(context.Background(), req)
			requireTyped(t, err)
			var ae *cloudstack.APIError
			require.ErrorAs(t, err, &ae, "the proxy's answer, not a lost one: %v", err)
			assert.Equal(t, 413, ae.HTTPStatus)
			assert.ErrorIs(t, err, compute.ErrInvalidArgument)
			assert.NotErrorIs(t, err, compute.ErrUnavailable)
			assert.NotContains(t, err.Error(), "outcome unknown")
			assert.Zero(t, r.sim.RequestCount("deployVirtualMachine"), "nothing reached the simulator")
		})
	}
	directTime = min(directTime, directRun("direct-2"))
	for i, mode := range []string{"http", "https"} {
		if i < len(proxied) {
			ratio := float64(proxied[i]) / float64(directTime)
			t.Logf("behind nginx (%s): %.2fx the direct run", mode, ratio)
			assert.Less(t, ratio, 3.0, "behind nginx (%s) within 3x of direct (target 1.5x)", mode)
		}
	}
}
