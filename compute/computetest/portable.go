package computetest

import (
	"bytes"
	"crypto/rand"
	"fmt"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// testPortableFields creates a node with user data, tags, and checks they
// round-trip where the harness declares that the provider shows them.
func testPortableFields(e *env) {
	ctx := e.ctx()
	req := e.request(e.name("fields"))
	req.UserData = []byte("#cloud-config\n# goclouds conformance " + e.tag + "\n" + rand.Text() + "\n")
	req.Tags = map[string]string{"goclouds-ct": e.tag, "role": "web"}
	n, err := e.d.CreateNode(ctx, req)
	if err != nil {
		e.t.Fatalf("CreateNode with user data and tags: %v", err)
	}
	e.cleanupNode(n.ID)
	if e.caps.Tags {
		got := try(e.d.GetNode(ctx, n.ID)).must(e.t, "GetNode")
		checkTags(e, "GetNode", got, req.Tags)
		if l := find(try(e.d.ListNodes(ctx)).must(e.t, "ListNodes"), nodeID, n.ID); l != nil {
			checkTags(e, "ListNodes", l, req.Tags)
		}
		running := e.waitState(n.ID, types.NodeStateRunning)
		checkTags(e, "the running node", running, req.Tags)
	}
	if e.caps.UserData {
		r, ok := e.h.(UserDataReader)
		if !ok {
			e.t.Fatalf("capability UserData is declared but the harness (%T) is not a UserDataReader", e.h)
		}
		got, err := r.ReadUserData(ctx, e.d, n.ID)
		if err != nil {
			e.t.Fatalf("ReadUserData: %v", err)
		}
		if !bytes.Equal(got, req.UserData) {
			e.t.Errorf("the user data read back is %q, want %q", got, req.UserData)
		}
	}
}

// checkTags fails unless n carries every tag of want.
func checkTags(e *env, what string, n *compute.Node, want map[string]string) {
	e.t.Helper()
	for k, v := range want {
		if got, ok := n.Tags[k]; !ok || got != v {
			e.t.Errorf("%s: node %q has tags %v, want them to include %v", what, n.ID, n.Tags, want)
			return
		}
	}
}

// testUserDataLimit checks that user data of the documented limit is
// accepted and one byte more refused, creating nothing.
func testUserDataLimit(e *env) {
	if e.f.MaxUserData <= 0 {
		e.t.Skip("Fixtures.MaxUserData not set")
	}
	ctx := e.ctx()
	over := e.request(e.name("udbig"))
	over.UserData = bytes.Repeat([]byte("#"), e.f.MaxUserData+1)
	n, err := e.d.CreateNode(ctx, over)
	if err == nil {
		e.cleanupNode(n.ID)
	}
	expectKind(e.t, fmt.Sprintf("CreateNode with user data over the limit (%d bytes)", e.f.MaxUserData+1), err, "",
		compute.ErrInvalidArgument)
	for _, l := range try(e.d.ListNodes(ctx)).must(e.t, "ListNodes") {
		if l.Name == over.Name {
			e.t.Errorf("a CreateNode refused for its user data left node %q behind", l.ID)
		}
	}
	at := e.request(e.name("udmax"))
	at.UserData = bytes.Repeat([]byte("#"), e.f.MaxUserData)
	n, err = e.d.CreateNode(ctx, at)
	if err != nil {
		e.t.Fatalf("CreateNode with user data of exactly the limit (%d bytes): %v", e.f.MaxUserData, err)
	}
	e.cleanupNode(n.ID)
}

// testIdempotentCreate checks that a create resent with the same
// IdempotencyKey gives the same node.
func testIdempotentCreate(e *env) {
	e.require(e.caps.IdempotentCreate, "IdempotentCreate")
	ctx := e.ctx()
	req := e.request(e.name("idem"))
	req.IdempotencyKey = "goclouds-ct-" + e.tag + "-" + rand.Text()
	first, err := e.d.CreateNode(ctx, req)
	if err != nil {
		e.t.Fatalf("CreateNode: %v", err)
	}
	e.cleanupNode(first.ID)
	again, err := e.d.CreateNode(ctx, req)
	if err != nil {
		e.t.Fatalf("CreateNode resent with the same IdempotencyKey: %v", err)
	}
	if again.ID != first.ID {
		e.cleanupNode(again.ID)
		e.t.Errorf("CreateNode resent with the same IdempotencyKey made node %q, the first made %q", again.ID, first.ID)
	}
	count := 0
	for _, n := range try(e.d.ListNodes(ctx)).must(e.t, "ListNodes") {
		if n.Name == req.Name {
			count++
		}
	}
	if count != 1 {
		e.t.Errorf("%d nodes named %q after a create and its resend with the same IdempotencyKey, want 1", count, req.Name)
	}
}
