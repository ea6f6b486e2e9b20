package computetest

import (
	"crypto/rand"
	"fmt"
	"strings"

	"github.com/goclouds/goclouds/compute"
)

// printed returns what fmt prints of v with %v, %+v and %#v, alone and in
// a slice.
func printed[T any](v *T) string {
	return fmt.Sprintf("%v %+v %#v %v %+v", v, v, v, []*T{v}, []*T{v})
}

// testStringsHaveNoSecrets checks that printing the entities the driver
// returns (Libcloud-style String methods) shows no password or private key.
func testStringsHaveNoSecrets(e *env) {
	ctx := e.ctx()
	secret := "Ct-" + rand.Text() + "-9"
	req := e.request(e.name("secret"))
	req.Auth = compute.NodeAuthPassword(secret)
	n, err := e.d.CreateNode(ctx, req)
	switch {
	case err != nil:
		e.t.Logf("CreateNode with a password: %v (printing checked on other nodes)", err)
		n = e.createNode("secret")
	default:
		e.cleanupNode(n.ID)
	}
	got := try(e.d.GetNode(ctx, n.ID)).must(e.t, "GetNode")
	for what, s := range map[string]string{"the created node": printed(n), "the node GetNode returned": printed(got),
		"the request": fmt.Sprintf("%v %+v %#v", req.Auth, req, *req)} {
		if strings.Contains(s, secret) {
			e.t.Errorf("printing %s reveals the password: %s", what, s)
		}
	}
	if !strings.HasPrefix(n.String(), "<Node: ") {
		e.t.Errorf("Node.String() = %q, want Libcloud's <Node: ...>", n.String())
	}
	if !e.caps.KeyPairs {
		return
	}
	name := e.name("key")
	k, err := e.d.CreateKeyPair(ctx, name)
	mustOK(e.t, "CreateKeyPair", err)
	e.cleanupKeyPair(name)
	if k.PrivateKey == "" {
		e.t.Fatal("CreateKeyPair returned no private key")
	}
	body := strings.Split(strings.TrimSpace(k.PrivateKey), "\n")
	if s := printed(k); strings.Contains(s, "PRIVATE KEY") || len(body) > 2 && strings.Contains(s, body[1]) {
		e.t.Errorf("printing a created key pair reveals its private key: %s", s)
	}
}
