package cloudstack

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// CreateNodeOptions are CloudStack's options for CreateNode, given as
// compute.CreateNodeRequest.ProviderOptions (a *CreateNodeOptions or a
// CreateNodeOptions). They cover every keyword argument of Libcloud's
// create_node (networks, project, diskoffering, ex_keyname, ex_userdata,
// ex_security_groups, ex_displayname, ex_ip_address, ex_start_vm,
// ex_rootdisksize, ex_affinity_groups) and more. The mapstructure tags are
// the names ParseCreateNodeOptions accepts.
type CreateNodeOptions struct {
	// NetworkIDs are the networks to attach, first is the default
	// (networkids; Libcloud's networks).
	NetworkIDs []string `mapstructure:"network_ids"`
	// ProjectID deploys into a project (projectid; Libcloud accepted it but
	// never sent it). Default the driver's ProjectID setting.
	ProjectID string `mapstructure:"project_id"`
	// DiskOfferingID adds a data disk (diskofferingid; Libcloud's
	// diskoffering). DiskSize sets its size in GB for a customized offering.
	DiskOfferingID string `mapstructure:"disk_offering_id"`
	DiskSize       int    `mapstructure:"disk_size"`
	// KeyPair is the name of a registered SSH key pair (keypair; Libcloud's
	// ex_keyname).
	KeyPair string `mapstructure:"key_pair"`
	// KeyPairs are several key pair names (keypairs, CloudStack 4.17+).
	KeyPairs []string `mapstructure:"key_pairs"`
	// UserData is the user data, raw: the driver base64-encodes it and POSTs
	// it, so up to the server's limit (32 KB by default) works (Libcloud's
	// ex_userdata, which was limited to GET sizes).
	UserData string `mapstructure:"user_data"`
	// SecurityGroupNames and SecurityGroupIDs are the security groups
	// (securitygroupnames, Libcloud's ex_security_groups; securitygroupids).
	SecurityGroupNames []string `mapstructure:"security_group_names"`
	SecurityGroupIDs   []string `mapstructure:"security_group_ids"`
	// AffinityGroupIDs and AffinityGroupNames are the affinity groups
	// (affinitygroupids, Libcloud's ex_affinity_groups; affinitygroupnames).
	AffinityGroupIDs   []string `mapstructure:"affinity_group_ids"`
	AffinityGroupNames []string `mapstructure:"affinity_group_names"`
	// DisplayName is the display name (displayname; Libcloud's
	// ex_displayname).
	DisplayName string `mapstructure:"display_name"`
	// IPAddress and IP6Address fix the VM's address on the default network
	// (ipaddress, Libcloud's ex_ip_address; ip6address).
	IPAddress  string `mapstructure:"ip_address"`
	IP6Address string `mapstructure:"ip6_address"`
	// IPToNetwork fixes addresses per network (iptonetworklist).
	IPToNetwork []IPToNetwork `mapstructure:"ip_to_network"`
	// StartVM false creates the VM stopped (startvm=false). Unset, the VM
	// starts, CloudStack's default (Libcloud sent startvm=false unless told).
	StartVM *bool `mapstructure:"start_vm"`
	// RootDiskSize is the root disk size in GB (rootdisksize; Libcloud's
	// ex_rootdisksize).
	RootDiskSize int `mapstructure:"root_disk_size"`
	// Details are VM details such as cpuNumber, cpuSpeed and memory for a
	// customized offering (details[0].key=value).
	Details map[string]string `mapstructure:"details"`
	// Group is the VM's group (group).
	Group string `mapstructure:"group"`
	// Hypervisor picks the hypervisor (hypervisor).
	Hypervisor string `mapstructure:"hypervisor"`
	// HostID places the VM on a host (hostid; admins).
	HostID string `mapstructure:"host_id"`
	// Account and DomainID deploy for another account (admins).
	Account  string `mapstructure:"account"`
	DomainID string `mapstructure:"domain_id"`
	// NoWait returns as soon as the deploy is accepted, with the new VM's id
	// and state pending, instead of waiting for its job; a generated
	// password is then not returned.
	NoWait bool `mapstructure:"no_wait"`
	// Params adds raw deployVirtualMachine parameters.
	Params url.Values `mapstructure:"-"`
}

// IPToNetwork is one entry of iptonetworklist.
type IPToNetwork struct {
	NetworkID string `mapstructure:"network_id"`
	IP        string `mapstructure:"ip"`
	IPv6      string `mapstructure:"ipv6"`
}

// ParseCreateNodeOptions builds CreateNodeOptions from key=value options,
// as a CLI or a configuration file gives them: keys are the mapstructure
// tags (case, '-' and '_' ignored), lists may be comma-separated strings,
// details may be "k=v,k2=v2" (see compute.DecodeOptions). Unknown keys are
// an error.
func ParseCreateNodeOptions(m map[string]any) (*CreateNodeOptions, error) {
	o := &CreateNodeOptions{}
	if err := compute.DecodeOptions(m, o); err != nil {
		return nil, err
	}
	return o, nil
}

// CreateNode implements compute.Driver.CreateNode with deployVirtualMachine.
// Without a Location the VM goes to the driver's ZoneID or the first zone
// (as Libcloud). The VM starts unless StartVM is false. The portable fields
// map as docs/providers/cloudstack.md's table says:
//
//   - UserData (or CreateNodeOptions.UserData, not both) is base64-encoded
//     and POSTed (userdata); over the server's limit (vm.userdata.max.length,
//     32768 base64 characters by default, so 24576 bytes; see
//     Settings.UserDataMaxLength) it is refused before anything is sent;
//   - Tags are set on the new VM with createTags once it is deployed
//     (deployVirtualMachine takes none); if that fails the VM exists and the
//     error names it;
//   - Networks are network ids (networkids, the first is the default);
//     names are not resolved;
//   - SecurityGroups that look like UUIDs are ids (securitygroupids), the
//     others names (securitygroupnames); CloudStack refuses a mix;
//   - IdempotencyKey is ignored: CloudStack has no idempotent deploy (see
//     below);
//   - Auth.SSHKey is installed through a key pair: a key pair of the
//     account (or project) holding the same key is reused whatever its name,
//     else the key is registered as compute.SSHKeyPairName (it stays
//     registered after the VM is gone); Auth.Password is not supported
//     (CloudStack generates passwords; a generated one is returned in
//     Extra["password"]).
//
// CreateNode waits for the deploy job (unless NoWait). If the wait ends
// (context, JobTimeout) or the job's answer is lost, the error still carries
// the new VM's id (compute.Error.ID), so the caller knows which VM exists.
// deployVirtualMachine is never sent twice; when its answer is lost the
// driver looks for the VM by name and reports its id when it finds exactly
// one. A lost answer can thus leave a node behind: look it up (by the id in
// the error, or by name) before creating it again.
func (d *Driver) CreateNode(ctx context.Context, req *compute.CreateNodeRequest) (*compute.Node, error) {
	const op = "CreateNode"
	o, err := d.portableCreate(op, req)
	if err != nil {
		return nil, err
	}
	zoneID, err := d.zoneOf(ctx, op, req.Location)
	if err != nil {
		return nil, err
	}
	p, err := d.deployParams(ctx, op, req, o, zoneID)
	if err != nil {
		return nil, err
	}
	submitted := time.Now()
	sub, err := d.submit(ctx, op, "deployVirtualMachine", p)
	if err != nil {
		return nil, d.recoverLostDeploy(ctx, err, req.Name, zoneID, submitted)
	}
	if o.NoWait && sub.inline == nil {
		n := &compute.Node{
			ID: sub.id, Name: req.Name, State: types.NodeStatePending, PublicIPs: []string{}, PrivateIPs: []string{},
			Provider: d.provider, Size: req.Size.Clone(), Image: req.Image.Clone(),
			Location: &compute.Location{ID: zoneID, Provider: d.provider}, Extra: map[string]any{"job_id": sub.jobID},
		}
		n.Size.Provider, n.Image.Provider = d.provider, d.provider
		return d.tagged(ctx, op, n, req.Tags)
	}
	var vm VirtualMachine
	if err := d.await(ctx, op, sub, "virtualmachine", &vm); err != nil {
		return nil, err
	}
	if vm.ID == "" {
		vm.ID = sub.id
	}
	return d.tagged(ctx, op, d.toNode(&vm, nil), req.Tags)
}

// deployParams builds the deployVirtualMachine parameters.
func (d *Driver) deployParams(ctx context.Context, op string, req *compute.CreateNodeRequest, o *CreateNodeOptions, zoneID string) (url.Values, error) {
	p := url.Values{}
	for k, v := range o.Params {
		p[k] = v
	}
	setString(p, "zoneid", zoneID)
	setString(p, "serviceofferingid", req.Size.ID)
	setString(p, "templateid", req.Image.ID)
	setString(p, "name", req.Name)
	setString(p, "displayname", o.DisplayName)
	setList(p, "networkids", o.NetworkIDs)
	setString(p, "diskofferingid", o.DiskOfferingID)
	if o.DiskSize > 0 {
		p.Set("size", strconv.Itoa(o.DiskSize))
	}
	if o.RootDiskSize > 0 {
		p.Set("rootdisksize", strconv.Itoa(o.RootDiskSize))
	}
	setList(p, "securitygroupnames", o.SecurityGroupNames)
	setList(p, "securitygroupids", o.SecurityGroupIDs)
	setList(p, "affinitygroupids", o.AffinityGroupIDs)
	setList(p, "affinitygroupnames", o.AffinityGroupNames)
	setString(p, "ipaddress", o.IPAddress)
	setString(p, "ip6address", o.IP6Address)
	for i, e := range o.IPToNetwork {
		prefix := "iptonetworklist[" + itoa(i) + "]."
		setString(p, prefix+"networkid", e.NetworkID)
		setString(p, prefix+"ip", e.IP)
		setString(p, prefix+"ipv6", e.IPv6)
	}
	setBool(p, "startvm", o.StartVM)
	for i, k := range sortedKeys(o.Details) {
		p.Set("details["+itoa(i)+"]."+k, o.Details[k])
	}
	setString(p, "group", o.Group)
	setString(p, "hypervisor", o.Hypervisor)
	setString(p, "hostid", o.HostID)
	setString(p, "account", o.Account)
	setString(p, "domainid", o.DomainID)
	setString(p, "projectid", o.ProjectID)
	setUserData(p, o.UserData)
	keys := append([]string(nil), o.KeyPairs...)
	if o.KeyPair != "" {
		keys = append([]string{o.KeyPair}, keys...)
	}
	if req.Auth.SSHKey != "" {
		name, err := d.keyPairFor(ctx, op, req.Auth.SSHKey, o)
		if err != nil {
			return nil, err
		}
		keys = append(keys, name)
	}
	switch len(keys) {
	case 0:
	case 1:
		p.Set("keypair", keys[0])
	default:
		p.Set("keypairs", strings.Join(keys, ","))
	}
	return d.scoped(p, false), nil
}

// zoneOf returns the location's zone, else the driver's ZoneID, else the
// first zone listed (as Libcloud), kept for CatalogCacheTTL.
func (d *Driver) zoneOf(ctx context.Context, op string, loc *compute.Location) (string, error) {
	if loc != nil && loc.ID != "" {
		return loc.ID, nil
	}
	if d.settings.ZoneID != "" {
		return d.settings.ZoneID, nil
	}
	return d.cache.zone.get(ctx, d.catalogTTL(), d.now, func(ctx context.Context) (string, error) {
		zones, err := listAll[Zone](ctx, d, op, "listZones", url.Values{"available": {"true"}}, "zone")
		if err != nil {
			return "", err
		}
		if len(zones) == 0 {
			return "", d.errorf(op, "", compute.ErrInvalidArgument, "no zone is available to this account")
		}
		return zones[0].ID, nil
	})
}

// recoverLostDeploy handles a deploy whose outcome is unknown (its answer
// was lost): it is not sent again, but the driver looks for a VM with the
// requested name created since the submission and, when exactly one
// exists, reports its id in the error.
func (d *Driver) recoverLostDeploy(ctx context.Context, err error, name, zoneID string, since time.Time) error {
	var ce *compute.Error
	if !errors.As(err, &ce) || !errors.Is(err, compute.ErrUnavailable) || ce.ID != "" || ctx.Err() != nil {
		return err
	}
	var ae *APIError
	if errors.As(err, &ae) {
		return err // the server answered: nothing to recover
	}
	vms, lerr := listAll[VirtualMachine](ctx, d, "CreateNode", "listVirtualMachines",
		d.scoped(url.Values{"name": {name}, "zoneid": {zoneID}}, true), "virtualmachine")
	if lerr != nil {
		return err
	}
	var found []string
	for _, vm := range vms {
		if vm.Name == name && !gone(vm.State) && (vm.Created.IsZero() || !vm.Created.Before(since.Add(-2*time.Minute))) {
			found = append(found, vm.ID)
		}
	}
	if len(found) != 1 {
		return err
	}
	c := *ce
	c.ID = found[0]
	c.Err = fmt.Errorf("%w; a VM named %q (id %s) exists since the request", ce.Err, name, found[0])
	return &c
}

// keyPairFor returns the name of a key pair of the deploy's owner (its
// project, or account and domain for an admin deploying for another
// account) holding the public key: one with the same MD5 fingerprint,
// whatever its name, else one registered as compute.SSHKeyPairName. A
// register that finds the name or the key taken (a concurrent create) looks
// again, so the same key under another name never fails the create. The
// name is kept for CatalogCacheTTL, per key and owner.
func (d *Driver) keyPairFor(ctx context.Context, op, publicKey string, o *CreateNodeOptions) (string, error) {
	fp, err := compute.SSHFingerprintMD5(publicKey)
	if err != nil {
		return "", d.errorf(op, "", compute.ErrInvalidArgument, "Auth.SSHKey: %v", err)
	}
	owner := url.Values{}
	setString(owner, "projectid", o.ProjectID)
	setString(owner, "account", o.Account)
	setString(owner, "domainid", o.DomainID)
	owner = d.scoped(owner, false)
	c, _ := d.cache.keyPairs.LoadOrStore(fp+"|"+owner.Encode(), &cached[string]{})
	return c.(*cached[string]).get(ctx, d.catalogTTL(), d.now, func(ctx context.Context) (string, error) {
		return d.findOrRegisterKeyPair(ctx, op, publicKey, fp, owner)
	})
}

// findOrRegisterKeyPair is keyPairFor's look-up of the key with
// fingerprint fp among owner's key pairs.
func (d *Driver) findOrRegisterKeyPair(ctx context.Context, op, publicKey, fp string, owner url.Values) (string, error) {
	find := func() (string, error) {
		scope := url.Values{"fingerprint": {fp}}
		maps.Copy(scope, owner)
		pairs, err := listAll[SSHKeyPair](ctx, d, op, "listSSHKeyPairs", scope, "sshkeypair")
		if err != nil {
			return "", err
		}
		for _, k := range pairs {
			if strings.EqualFold(k.Fingerprint, fp) {
				return k.Name, nil
			}
		}
		return "", nil
	}
	if name, err := find(); err != nil || name != "" {
		return name, err
	}
	name, _ := compute.SSHKeyPairName(publicKey) // the key parsed above
	p := url.Values{"name": {name}, "publickey": {strings.TrimSpace(publicKey)}}
	maps.Copy(p, owner)
	if err := d.callObject(ctx, op, "registerSSHKeyPair", p, "keypair", &SSHKeyPair{}); err != nil {
		if errors.Is(err, compute.ErrAlreadyExists) {
			// Registered meanwhile, under this name or another.
			if name2, err2 := find(); err2 == nil && name2 != "" {
				return name2, nil
			}
		}
		return "", err
	}
	return name, nil
}

// defaultZone returns the driver's ZoneID or the first zone listed.
func (d *Driver) defaultZone(ctx context.Context, op string) (string, error) {
	return d.zoneOf(ctx, op, nil)
}
