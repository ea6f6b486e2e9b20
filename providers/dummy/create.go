package dummy

import (
	"bytes"
	"context"
	"maps"
	"slices"

	"golang.org/x/crypto/ssh"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// CreateNodeOptions is the dummy provider's
// [compute.CreateNodeRequest].ProviderOptions. Any other non-nil type gives
// ErrInvalidArgument.
type CreateNodeOptions struct {
	// Extra is copied into the new node's Extra (after the driver's own keys,
	// which it may override).
	Extra map[string]any
}

// idempotentOp is a create remembered by its IdempotencyKey.
type idempotentOp struct {
	nodeID string
	asked  createAsk
}

// createAsk is what a create asked for, to tell a resend of the same create
// from another create reusing its IdempotencyKey.
type createAsk struct {
	name, image, size, location string
}

// createPlan is a request checked and resolved against the catalogue.
type createPlan struct {
	img   *compute.Image
	size  *compute.Size
	loc   *compute.Location
	extra map[string]any
	ask   createAsk
}

// CreateNode implements [compute.Driver.CreateNode].
//
// The request is checked by [compute.CreateNodeRequest.Validate] (name,
// image and size required, UserData at most [MaxUserData] bytes, no empty
// tag key, network or security group); Image, Size and Location must name
// catalogue entries (else ErrInvalidArgument); a nil Location means the
// first one ("Paul's Room"). The node is pending for
// Options.TransitionDelay, then running. Ids count up from the initial
// nodes and are never reused.
//
// The portable fields are kept as follows:
//
//   - UserData is stored as given and read back with [Driver.ExUserData];
//     it is not put into Extra, since user data often holds secrets and
//     Extra is printed (by the CLI, as JSON);
//   - Tags become Node.Tags;
//   - Networks and SecurityGroups, any non-empty names (the dummy cloud has
//     no network catalogue), are recorded in Extra["networks"] and
//     Extra["security_groups"] ([]string), in the order given;
//   - Auth.SSHKey must be an OpenSSH public key; it is installed through a
//     key pair found or registered by [compute.EnsureSSHKeyPair]: a key pair
//     holding the same key, under any name, is reused, else the key is
//     imported as [compute.SSHKeyPairName] and stays registered after the
//     node is gone (delete it with DeleteKeyPair). Extra["key_name"] names
//     the key pair used;
//   - IdempotencyKey makes the create idempotent, as EC2's ClientToken: a
//     create with the key of an earlier create asking for the same name,
//     image, size and location returns that node (as it is now) instead of
//     starting a second one; with a different request it gives ErrConflict,
//     as it does once that node is destroyed. Keys are remembered for the
//     driver's lifetime. Without a key, a create whose answer was lost
//     cannot be told from a new one: resending it makes a second node.
func (d *Driver) CreateNode(ctx context.Context, req *compute.CreateNodeRequest) (*compute.Node, error) {
	const op = "CreateNode"
	d.mu.Lock()
	_, done, err := d.planCreate(ctx, op, req, true)
	d.mu.Unlock()
	if err != nil || done != nil {
		return done, err
	}
	keyName := ""
	if req.Auth.SSHKey != "" {
		// Outside d.mu: EnsureSSHKeyPair calls the driver's key pair methods.
		kp, _, err := compute.EnsureSSHKeyPair(ctx, d, req.Auth.SSHKey)
		if err != nil {
			return nil, compute.NewError(types.ProviderDummy, op, "", nil, err)
		}
		keyName = kp.Name
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	// Again: the catalogue, or a create with the same IdempotencyKey, may
	// have changed meanwhile.
	p, done, err := d.planCreate(ctx, op, req, false)
	if err != nil || done != nil {
		return done, err
	}
	id := d.newNodeID()
	n := d.newNode(id, req.Name, p.img, p.size, p.loc, d.opts.Now(), p.extra)
	n.Tags = maps.Clone(req.Tags)
	if len(req.Networks) > 0 {
		n.Extra["networks"] = slices.Clone(req.Networks)
	}
	if len(req.SecurityGroups) > 0 {
		n.Extra["security_groups"] = slices.Clone(req.SecurityGroups)
	}
	if keyName != "" {
		n.Extra["key_name"] = keyName
	}
	r := &nodeRecord{node: n, userData: bytes.Clone(req.UserData)}
	d.transition(r, types.NodeStatePending, types.NodeStateRunning)
	d.nodes[id] = r
	if req.IdempotencyKey != "" {
		d.idem[req.IdempotencyKey] = idempotentOp{nodeID: id, asked: p.ask}
	}
	return r.view(), nil
}

// planCreate checks req and resolves it, with d.mu held. first says whether
// this is the call's entry (counted by ExFailNext and ThrottleEvery). When
// req's IdempotencyKey names an earlier create of the same request, it
// returns that node as done.
func (d *Driver) planCreate(ctx context.Context, op string, req *compute.CreateNodeRequest, first bool) (*createPlan, *compute.Node, error) {
	if first {
		if err := d.enter(ctx, op); err != nil {
			return nil, nil, err
		}
	} else if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	if err := req.Validate(types.ProviderDummy, op, MaxUserData); err != nil {
		return nil, nil, err
	}
	o, err := compute.ProviderOptionsOf[CreateNodeOptions](types.ProviderDummy, op, req.ProviderOptions)
	if err != nil {
		return nil, nil, err
	}
	img := d.findImage(req.Image.ID)
	if img == nil {
		return nil, nil, invalid(op, "", "unknown image %q", req.Image.ID)
	}
	i := slices.IndexFunc(d.sizes, func(s *compute.Size) bool { return s.ID == req.Size.ID })
	if i < 0 {
		return nil, nil, invalid(op, "", "unknown size %q", req.Size.ID)
	}
	loc, err := d.lookupLocation(op, req.Location, true)
	if err != nil {
		return nil, nil, err
	}
	if req.Auth.SSHKey != "" {
		if _, _, _, _, perr := ssh.ParseAuthorizedKey([]byte(req.Auth.SSHKey)); perr != nil {
			return nil, nil, invalid(op, "", "auth: SSH public key: %v", perr)
		}
	}
	p := &createPlan{img: img, size: d.sizes[i], loc: loc, extra: o.Extra,
		ask: createAsk{name: req.Name, image: img.ID, size: d.sizes[i].ID, location: loc.ID}}
	if req.IdempotencyKey == "" {
		return p, nil, nil
	}
	prev, ok := d.idem[req.IdempotencyKey]
	switch {
	case !ok:
		return p, nil, nil
	case prev.asked != p.ask:
		return nil, nil, conflict(op, prev.nodeID, "idempotency key %q was used by another create (node %q)",
			req.IdempotencyKey, prev.nodeID)
	}
	r, err := d.node(op, prev.nodeID)
	if err != nil {
		return nil, nil, conflict(op, prev.nodeID, "the node %q made with idempotency key %q was destroyed",
			prev.nodeID, req.IdempotencyKey)
	}
	return nil, r.view(), nil
}

// ExUserData returns the user data node id was created with (nil when
// none), as CloudStack's getVirtualMachineUserData. Not portable.
func (d *Driver) ExUserData(ctx context.Context, id string) ([]byte, error) {
	var out []byte
	err := d.onNode(ctx, "ExUserData", id, func(r *nodeRecord) error {
		out = bytes.Clone(r.userData)
		return nil
	})
	return out, err
}
