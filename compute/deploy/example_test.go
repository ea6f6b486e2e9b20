package deploy_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/compute/deploy"
	"github.com/goclouds/goclouds/providers/dummy"
)

// Deploy an nginx web server on a new VM: install a public key,
// upload a configuration file, run an install script, and clean up if
// anything fails. The same code works with every provider.
func ExampleDeployNode() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()

	// Any driver does; for CloudStack:
	//
	//	factory, err := providers.GetDriver(types.ProviderCloudStack)
	//	d, err := factory(compute.Config{URL: ..., Key: ..., Secret: ...})
	var d compute.Driver = dummy.New(nil)

	image, err := d.GetImage(ctx, "1")
	if err != nil {
		log.Fatal(err)
	}
	sizes, err := d.ListSizes(ctx, nil)
	if err != nil || len(sizes) == 0 {
		log.Fatal("no sizes: ", err)
	}

	home, _ := os.UserHomeDir()
	pub, err := os.ReadFile(filepath.Join(home, ".ssh", "id_ed25519.pub"))
	if err != nil {
		log.Fatal(err)
	}
	req := &compute.CreateNodeRequest{
		Name:  "web-1",
		Image: image,
		Size:  sizes[0],
		Auth:  compute.NodeAuthSSHKey(strings.TrimSpace(string(pub))),
	}

	install := &deploy.ScriptDeployment{
		Script:  "#!/bin/sh\nset -e\napt-get update -q\napt-get install -y -q nginx\nsystemctl reload nginx\n",
		Timeout: 15 * time.Minute,
		Delete:  true,
	}
	steps := &deploy.MultiStepDeployment{}
	steps.Add(
		&deploy.SSHKeyDeployment{Key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBsNr7F0zDm0S5Ul5ZLSmm1pKX1JjDq7V0ogEomVjZqe ops@example"},
		&deploy.FileDeployment{Source: "site.conf", Target: "/etc/nginx/conf.d/site.conf", Mode: 0o644},
		install,
	)

	node, err := deploy.DeployNode(ctx, d, req, steps, &deploy.Options{
		Username:           "root",
		AlternateUsernames: []string{"ubuntu", "debian"},
		PrivateKeyFiles:    []string{filepath.Join(home, ".ssh", "id_ed25519")},
		// Trust the VM's first host key and record it (OpenSSH's
		// accept-new); pin HostKeyFingerprints instead when the image or
		// user data fixes the host key.
		KnownHostsFile:   filepath.Join(home, ".ssh", "known_hosts"),
		AcceptNewHostKey: true,
		OnFailure:        deploy.DestroyOnFailure,
		Logger:           slog.Default(),
		Progress:         func(e deploy.Event) { fmt.Println(e) },
	})
	var de *deploy.DeploymentError
	if errors.As(err, &de) {
		var exit *deploy.ExitError
		if errors.As(err, &exit) {
			fmt.Printf("install failed with status %d:\n%s", exit.ExitStatus, exit.Stderr)
		}
		log.Fatalf("deployment failed (node %s destroyed: %v): %v", de.Node.ID, de.Destroyed, err)
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("nginx runs on", node.PublicIPs[0])
	fmt.Print(install.Stdout)
}

// A custom step: any type with a Run method is a Deployment. It gets a
// Client to run commands and upload files.
type waitForCloudInit struct{}

func (waitForCloudInit) String() string { return "wait for cloud-init" }

func (waitForCloudInit) Run(ctx context.Context, node *compute.Node, c deploy.Client) (*compute.Node, error) {
	res, err := c.Run(ctx, "cloud-init status --wait", &deploy.RunOptions{Timeout: 10 * time.Minute})
	if err != nil {
		return nil, err
	}
	if res.ExitStatus != 0 {
		return nil, fmt.Errorf("cloud-init: exit status %d: %s", res.ExitStatus, res.Stderr)
	}
	return node, nil
}

func ExampleDeployment() {
	steps := &deploy.MultiStepDeployment{}
	steps.Add(waitForCloudInit{}, &deploy.ScriptFileDeployment{ScriptFile: "bootstrap.sh"})
	fmt.Println(steps, "-", steps.Steps[0])
	// Output: 2 steps - wait for cloud-init
}
