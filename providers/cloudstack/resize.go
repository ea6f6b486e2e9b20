package cloudstack

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/goclouds/goclouds/compute"
)

var _ compute.NodeResizer = (*Driver)(nil)

// ResizeNode implements compute.NodeResizer, as Libcloud's
// ex_change_node_size: a stopped VM gets the size's service offering with
// changeServiceForVirtualMachine, a running one with scaleVirtualMachine,
// which needs a dynamically scalable VM (its template and offering allow
// it) and only scales up. A VM in any other state, or running without
// dynamic scaling, gives compute.ErrConflict (stop it first); so does the
// server's refusal for the VM's state. A customized size (Extra["customized"])
// passes its VCPUs and RAM as details. The node is returned as GetNode
// reads it afterwards; a VM that already has the size is returned
// unchanged.
func (d *Driver) ResizeNode(ctx context.Context, id string, size *compute.Size) (*compute.Node, error) {
	const op = "ResizeNode"
	if size == nil || strings.TrimSpace(size.ID) == "" {
		return nil, d.errorf(op, id, compute.ErrInvalidArgument, "a size is required")
	}
	vm, err := d.getVM(ctx, op, id, "", false)
	if err != nil {
		return nil, err
	}
	if vm.ServiceOfferingID == size.ID && size.Extra["customized"] != true {
		return d.getNode(ctx, op, id, nil)
	}
	p := url.Values{"id": {id}, "serviceofferingid": {size.ID}}
	if size.Extra["customized"] == true {
		i := 0
		for _, kv := range []struct {
			k string
			v int
		}{{"cpuNumber", size.VCPUs}, {"memory", size.RAM}} {
			if kv.v > 0 {
				p.Set("details["+strconv.Itoa(i)+"]."+kv.k, strconv.Itoa(kv.v))
				i++
			}
		}
	}
	switch state := NodeState(vm.State); {
	case strings.EqualFold(vm.State, "Stopped"):
		err = d.call(ctx, op, "changeServiceForVirtualMachine", p, nil)
	case strings.EqualFold(vm.State, "Running") && !vm.IsDynamicallyScalable:
		return nil, d.errorf(op, id, compute.ErrConflict,
			"node %s is running and not dynamically scalable (its template does not allow it): stop it to resize it", id)
	case strings.EqualFold(vm.State, "Running"):
		err = d.callAsync(ctx, op, "scaleVirtualMachine", p, "", nil)
	default:
		return nil, d.errorf(op, id, compute.ErrConflict,
			"node %s is %s (%s): CloudStack resizes a stopped VM, or a running one that is dynamically scalable", id, state, vm.State)
	}
	if err != nil {
		return nil, resizeConflict(err)
	}
	return d.getNode(ctx, op, id, nil)
}

// resizeConflict turns the server's refusals of a resize for the VM's
// state or scalability (431: "make sure the virtual machine is stopped",
// "not dynamically scalable", "Only scaling up ... is supported", "in state
// ...") into compute.ErrConflict.
func resizeConflict(err error) error {
	var ce *compute.Error
	var ae *APIError
	if !errors.As(err, &ce) || !errors.As(err, &ae) || !errors.Is(err, compute.ErrInvalidArgument) {
		return err
	}
	text := strings.ToLower(ae.ErrorText)
	for _, s := range []string{"stopped", "in state", "dynamically scalable", "only scaling up", "scale up"} {
		if strings.Contains(text, s) {
			c := *ce
			c.Kind = compute.ErrConflict
			return &c
		}
	}
	return err
}
