package ec2

import (
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// provider is the driver's provider name.
const provider = types.ProviderEC2

// Driver is the EC2 compute driver. It is safe for concurrent use.
type Driver struct {
	client   *ec2.Client
	region   string
	settings Settings
	recent   *recentIDs
}

// The optional interfaces the driver implements.
var (
	_ compute.Driver          = (*Driver)(nil)
	_ compute.VolumeManager   = (*Driver)(nil)
	_ compute.VolumeResizer   = (*Driver)(nil)
	_ compute.SnapshotManager = (*Driver)(nil)
	_ compute.KeyPairManager  = (*Driver)(nil)
	_ compute.ImageManager    = (*Driver)(nil)
	_ compute.NodeResizer     = (*Driver)(nil)
	_ compute.NodeStreamer    = (*Driver)(nil)
	_ compute.NodeGetter      = (*Driver)(nil)
)

// Provider returns types.ProviderEC2.
func (d *Driver) Provider() types.Provider { return provider }

// Region returns the region the driver works in.
func (d *Driver) Region() string { return d.region }

// Client returns the driver's aws-sdk-go-v2 EC2 client, for the operations
// the driver has no method for. It shares the driver's configuration.
func (d *Driver) Client() *ec2.Client { return d.client }
