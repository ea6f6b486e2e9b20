package compute_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/dummy"
	"github.com/goclouds/goclouds/types"
)

// logged is a driver decorator, such as a logging layer. Implementing
// compute.Unwrapper lets compute.As see through it.
type logged struct{ compute.Driver }

func (l logged) Unwrap() compute.Driver { return l.Driver }

// As reaches a provider's concrete driver, and its Ex methods, through
// decorators.
func ExampleAs() {
	var d compute.Driver = logged{dummy.New(nil)}

	dd, ok := compute.As[*dummy.Driver](d)
	if !ok {
		log.Fatalf("not a dummy driver: %s", d.Provider())
	}
	if err := dd.ExSetNodeState(context.Background(), "1", types.NodeStateSuspended); err != nil {
		log.Fatal(err)
	}
	n, err := d.GetNode(context.Background(), "1")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(n.Name, n.State)

	// Optional interfaces are found the same way.
	_, ok = compute.As[compute.KeyPairManager](d)
	fmt.Println("key pairs:", ok)
	// Output:
	// dummy-1 suspended
	// key pairs: true
}

// Errors match their kind with errors.Is, whatever the provider.
func ExampleError() {
	d := dummy.New(nil)
	_, err := d.GetNode(context.Background(), "42")
	fmt.Println(errors.Is(err, compute.ErrNotFound))

	var ce *compute.Error
	if errors.As(err, &ce) {
		fmt.Println(ce.Provider, ce.Op, ce.ID)
	}
	fmt.Println(err)
	// Output:
	// true
	// dummy GetNode 42
	// compute: dummy: GetNode "42": not found: no node with id "42"
}

// WaitUntilRunning waits, as Libcloud's wait_until_running, for new nodes
// to run and have an address.
func ExampleWaitUntilRunning() {
	ctx := context.Background()
	d := dummy.New(&dummy.Options{TransitionDelay: 20 * time.Millisecond})
	n, err := d.CreateNode(ctx, &compute.CreateNodeRequest{
		Name: "web", Image: &compute.Image{ID: "1"}, Size: &compute.Size{ID: "1"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(n.State)
	running, err := compute.WaitUntilRunning(ctx, d, []*compute.Node{n}, &compute.WaitOptions{Interval: 5 * time.Millisecond})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(running[0].Node.State, running[0].Addresses)
	// Output:
	// pending
	// running [127.0.0.3 10.0.0.3]
}
