package vsphere

import (
	"context"

	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/types"
)

// findByInstanceUUID asks the search index for the VM or template of the
// datacenter whose instance UUID is id; nil when there is none.
func findByInstanceUUID(ctx context.Context, vc *vim25.Client, dc *datacenter, id string) (*types.ManagedObjectReference, error) {
	dcRef := dc.ref
	res, err := methods.FindByUuid(ctx, vc, &types.FindByUuid{
		This: *vc.ServiceContent.SearchIndex, Datacenter: &dcRef, Uuid: id,
		VmSearch: true, InstanceUuid: types.NewBool(true),
	})
	if err != nil {
		return nil, err
	}
	return res.Returnval, nil
}
