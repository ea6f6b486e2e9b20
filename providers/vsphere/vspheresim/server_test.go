package vspheresim_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/session"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"

	"github.com/goclouds/goclouds/providers/vsphere/vspheresim"
)

// TestStartServesTheTemplateOverVerifiedTLS checks what Start promises: a
// TLS endpoint that its CA file verifies, its credentials accepted and
// others refused, a template TemplateName, and Env naming all of it.
func TestStartServesTheTemplateOverVerifiedTLS(t *testing.T) {
	ctx := t.Context()
	s, err := vspheresim.Start(ctx, &vspheresim.Options{Username: "alice", Password: "wonder-land"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.URL.Scheme != "https" || s.URL.Path != "/sdk" || s.URL.User != nil || !strings.HasPrefix(s.URL.Host, "127.0.0.1:") {
		t.Errorf("URL %s", s.URL)
	}
	want := []string{"GOVC_URL=" + s.URL.String(), "GOVC_USERNAME=alice", "GOVC_PASSWORD=wonder-land", "GOVC_TLS_CA_CERTS=" + s.CAFile}
	if got := s.Env(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Env() = %q, want %q", got, want)
	}

	sc := soap.NewClient(s.URL, false) // verifying certificates
	if err := sc.SetRootCAs(s.CAFile); err != nil {
		t.Fatal(err)
	}
	c, err := newVimClient(ctx, sc)
	if err != nil {
		t.Fatal(err)
	}
	sm := session.NewManager(c.Client)
	if err := sm.Login(ctx, userInfo("alice", "wrong")); err == nil {
		t.Error("a wrong password was accepted")
	}
	if err := sm.Login(ctx, userInfo("alice", "wonder-land")); err != nil {
		t.Fatalf("login over TLS verified by the CA file: %v", err)
	}
	defer func() { _ = sm.Logout(context.Background()) }()

	vm, err := find.NewFinder(c.Client).VirtualMachine(ctx, "/DC0/vm/"+vspheresim.TemplateName)
	if err != nil {
		t.Fatal(err)
	}
	var o mo.VirtualMachine
	if err := vm.Properties(ctx, vm.Reference(), []string{"config"}, &o); err != nil {
		t.Fatal(err)
	}
	if !o.Config.Template || o.Config.InstanceUuid != s.TemplateID || s.TemplateID == "" {
		t.Errorf("template %v, instance UUID %q, TemplateID %q", o.Config.Template, o.Config.InstanceUuid, s.TemplateID)
	}
	if s.DatacenterID == "" || s.Thumbprint == "" {
		t.Errorf("DatacenterID %q, Thumbprint %q", s.DatacenterID, s.Thumbprint)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

// TestToolsGiveAddresses checks the Tools stand-in gives a VM powered on
// an address and Tools "running", and that without it none appears.
func TestToolsGiveAddresses(t *testing.T) {
	for _, tools := range []bool{false, true} {
		s, err := vspheresim.Start(t.Context(), &vspheresim.Options{Tools: tools, Logf: t.Logf})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		ctx := t.Context()
		vm, err := find.NewFinder(s.Client.Client).VirtualMachine(ctx, "/DC0/vm/DC0_H0_VM0")
		if err != nil {
			t.Fatal(err)
		}
		// Forget what the model set, power-cycle: the address must come
		// from the stand-in.
		for _, op := range []func(context.Context) (*object.Task, error){vm.PowerOff, vm.PowerOn} {
			task, err := op(ctx)
			if err == nil {
				err = task.Wait(ctx)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		ip, running := "", ""
		deadline := time.Now().Add(30 * time.Second)
		if !tools {
			deadline = time.Now().Add(300 * time.Millisecond)
		}
		for time.Now().Before(deadline) && ip == "" {
			var o mo.VirtualMachine
			if err := vm.Properties(ctx, vm.Reference(), []string{"guest"}, &o); err != nil {
				t.Fatal(err)
			}
			if o.Guest != nil {
				ip, running = o.Guest.IpAddress, o.Guest.ToolsRunningStatus
			}
			time.Sleep(10 * time.Millisecond)
		}
		if tools && (!strings.HasPrefix(ip, "10.0.") || running != "guestToolsRunning") {
			t.Errorf("with Tools: address %q, tools %q", ip, running)
		}
		if !tools && strings.HasPrefix(ip, "10.0.") {
			t.Errorf("without Tools: address %q", ip)
		}
	}
}

// TestStartRefusesABusyAddress: an address in use is an error, not
// vcsim's panic.
func TestStartRefusesABusyAddress(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	s, err := vspheresim.Start(t.Context(), &vspheresim.Options{Listen: l.Addr().String()})
	if err == nil {
		s.Close()
		t.Fatal("Start listened on a busy address")
	}
	if !strings.Contains(err.Error(), l.Addr().String()) {
		t.Errorf("error %q does not name the address", err)
	}
}
