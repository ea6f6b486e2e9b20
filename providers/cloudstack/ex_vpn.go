package cloudstack

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/goclouds/goclouds/compute"
)

// ListVPNGatewaysOptions filters ExListVPNGateways and
// ExListVPNConnections. The zero value lists what the driver's settings
// select.
type ListVPNGatewaysOptions struct {
	ListScope
	// ID lists one gateway or connection (id).
	ID string
	// VPCID lists those of a VPC (vpcid).
	VPCID string
	// Keyword is CloudStack's keyword filter (keyword).
	Keyword string
	// ForDisplay filters on the display flag when not nil (fordisplay;
	// root admins only).
	ForDisplay *bool
}

func (d *Driver) vpnListParams(opts *ListVPNGatewaysOptions) url.Values {
	if opts == nil {
		opts = &ListVPNGatewaysOptions{}
	}
	p := d.listScope(&opts.ListScope)
	setString(p, "id", opts.ID)
	setString(p, "vpcid", opts.VPCID)
	setString(p, "keyword", opts.Keyword)
	setBool(p, "fordisplay", opts.ForDisplay)
	return p
}

// ExListVPNGateways lists site-to-site VPN gateways (listVpnGateways, every
// page), as Libcloud's ex_list_vpn_gateways. Not portable.
func (d *Driver) ExListVPNGateways(ctx context.Context, opts *ListVPNGatewaysOptions) ([]VPNGateway, error) {
	return listAll[VPNGateway](ctx, d, "ExListVPNGateways", "listVpnGateways", d.vpnListParams(opts), "vpngateway")
}

// ExCreateVPNGateway creates the site-to-site VPN gateway of a VPC on its
// source NAT address (createVpnGateway, waiting for the job) and returns
// it, as Libcloud's ex_create_vpn_gateway. forDisplay, when not nil, shows
// or hides it to its users. A VPC has at most one gateway. Not portable.
func (d *Driver) ExCreateVPNGateway(ctx context.Context, vpcID string, forDisplay *bool) (*VPNGateway, error) {
	const op = "ExCreateVPNGateway"
	if err := d.requireID(op, "VPC", vpcID); err != nil {
		return nil, err
	}
	p := url.Values{"vpcid": {vpcID}}
	setBool(p, "fordisplay", forDisplay)
	return callAsyncAs[VPNGateway](ctx, d, op, "createVpnGateway", p, "vpngateway")
}

// ExDeleteVPNGateway deletes a site-to-site VPN gateway (deleteVpnGateway,
// waiting for the job), as Libcloud's ex_delete_vpn_gateway. The server
// refuses a gateway that still has connections. Not portable.
func (d *Driver) ExDeleteVPNGateway(ctx context.Context, id string) error {
	return d.deleteAsync(ctx, "ExDeleteVPNGateway", "VPN gateway", "deleteVpnGateway", id, nil)
}

// ListVPNCustomerGatewaysOptions filters ExListVPNCustomerGateways. The
// zero value lists what the driver's settings select.
type ListVPNCustomerGatewaysOptions struct {
	ListScope
	// ID lists one customer gateway (id).
	ID string
	// Keyword is CloudStack's keyword filter (keyword).
	Keyword string
}

// ExListVPNCustomerGateways lists site-to-site VPN customer gateways
// (listVpnCustomerGateways, every page), as Libcloud's
// ex_list_vpn_customer_gateways. Not portable.
func (d *Driver) ExListVPNCustomerGateways(ctx context.Context, opts *ListVPNCustomerGatewaysOptions) ([]VPNCustomerGateway, error) {
	if opts == nil {
		opts = &ListVPNCustomerGatewaysOptions{}
	}
	p := d.listScope(&opts.ListScope)
	setString(p, "id", opts.ID)
	setString(p, "keyword", opts.Keyword)
	return listAll[VPNCustomerGateway](ctx, d, "ExListVPNCustomerGateways", "listVpnCustomerGateways", p, "vpncustomergateway")
}

// CreateVPNCustomerGatewayRequest describes the remote end of a
// site-to-site VPN for ExCreateVPNCustomerGateway. Gateway, CIDRList,
// IKEPolicy, ESPPolicy and IPsecPSK are required.
type CreateVPNCustomerGatewayRequest struct {
	// Name names the gateway (name); the server's default is
	// "VPN-<gateway>".
	Name string
	// Gateway is the remote gateway's public IP address (gateway).
	Gateway string
	// CIDRList are the remote private ranges (cidrlist).
	CIDRList []string
	// IKEPolicy and ESPPolicy are the phase 1 and phase 2 policies, such as
	// "aes256-sha256;modp2048" (ikepolicy, esppolicy).
	IKEPolicy, ESPPolicy string
	// IPsecPSK is the pre-shared key (ipsecpsk); it is sent in the request
	// body and never logged.
	IPsecPSK string
	// IKELifetime and ESPLifetime are the phase 1 and phase 2 lifetimes,
	// sent in whole seconds (ikelifetime, esplifetime); zero leaves the
	// server's defaults, 24 h and 1 h.
	IKELifetime, ESPLifetime time.Duration
	// IKEVersion is "ike", "ikev1" or "ikev2" (ikeversion).
	IKEVersion string
	// DPD, ForceEncap and SplitConnections set those flags when not nil
	// (dpd: dead peer detection; forceencap: UDP encapsulation for NAT
	// traversal; splitconnections: one IKEv2 connection per remote CIDR).
	DPD, ForceEncap, SplitConnections *bool
	// Owner creates the gateway for a project or another account.
	Owner OwnerOptions
}

// String renders the request with the pre-shared key redacted.
func (r CreateVPNCustomerGatewayRequest) String() string {
	type plain CreateVPNCustomerGatewayRequest
	r.IPsecPSK = redactPSK(r.IPsecPSK)
	return fmt.Sprintf("%+v", plain(r))
}

// GoString is String, so that %#v does not print the pre-shared key.
func (r CreateVPNCustomerGatewayRequest) GoString() string { return r.String() }

// ExCreateVPNCustomerGateway creates a site-to-site VPN customer gateway
// (createVpnCustomerGateway, waiting for the job) and returns it, as
// Libcloud's ex_create_vpn_customer_gateway. Not portable.
func (d *Driver) ExCreateVPNCustomerGateway(ctx context.Context, req *CreateVPNCustomerGatewayRequest) (*VPNCustomerGateway, error) {
	const op = "ExCreateVPNCustomerGateway"
	if req == nil || req.Gateway == "" || len(req.CIDRList) == 0 || req.IKEPolicy == "" || req.ESPPolicy == "" || req.IPsecPSK == "" {
		return nil, d.errorf(op, "", compute.ErrInvalidArgument, "a VPN customer gateway needs a gateway, a CIDR list, IKE and ESP policies and a pre-shared key")
	}
	if req.IKELifetime < 0 || req.ESPLifetime < 0 {
		return nil, d.errorf(op, "", compute.ErrInvalidArgument, "negative VPN lifetime")
	}
	p := url.Values{"gateway": {req.Gateway}, "ikepolicy": {req.IKEPolicy}, "esppolicy": {req.ESPPolicy}, "ipsecpsk": {req.IPsecPSK}}
	setList(p, "cidrlist", req.CIDRList)
	setString(p, "name", req.Name)
	setSeconds(p, "ikelifetime", req.IKELifetime)
	setSeconds(p, "esplifetime", req.ESPLifetime)
	setString(p, "ikeversion", req.IKEVersion)
	setBool(p, "dpd", req.DPD)
	setBool(p, "forceencap", req.ForceEncap)
	setBool(p, "splitconnections", req.SplitConnections)
	d.ownerParams(p, req.Owner)
	return callAsyncAs[VPNCustomerGateway](ctx, d, op, "createVpnCustomerGateway", p, "vpncustomergateway")
}

// setSeconds sets a duration parameter in whole seconds when v is not zero.
func setSeconds(p url.Values, name string, v time.Duration) {
	if v != 0 {
		p.Set(name, strconv.FormatInt(int64(v/time.Second), 10))
	}
}

// ExDeleteVPNCustomerGateway deletes a site-to-site VPN customer gateway
// (deleteVpnCustomerGateway, waiting for the job), as Libcloud's
// ex_delete_vpn_customer_gateway. The server refuses a gateway that still
// has connections. Not portable.
func (d *Driver) ExDeleteVPNCustomerGateway(ctx context.Context, id string) error {
	return d.deleteAsync(ctx, "ExDeleteVPNCustomerGateway", "VPN customer gateway", "deleteVpnCustomerGateway", id, nil)
}

// ExListVPNConnections lists site-to-site VPN connections
// (listVpnConnections, every page), as Libcloud's ex_list_vpn_connections.
// Not portable.
func (d *Driver) ExListVPNConnections(ctx context.Context, opts *ListVPNGatewaysOptions) ([]VPNConnection, error) {
	return listAll[VPNConnection](ctx, d, "ExListVPNConnections", "listVpnConnections", d.vpnListParams(opts), "vpnconnection")
}

// CreateVPNConnectionOptions tunes ExCreateVPNConnection.
type CreateVPNConnectionOptions struct {
	// Passive makes the VPC's end wait for the remote end to connect
	// (passive=true).
	Passive bool
	// ForDisplay shows or hides the connection to its users (fordisplay)
	// when not nil.
	ForDisplay *bool
}

// ExCreateVPNConnection connects a VPN gateway to a customer gateway
// (createVpnConnection, waiting for the job) and returns the connection,
// as Libcloud's ex_create_vpn_connection. Its State then tells whether the
// tunnel is up. Not portable.
func (d *Driver) ExCreateVPNConnection(ctx context.Context, customerGatewayID, vpnGatewayID string, opts *CreateVPNConnectionOptions) (*VPNConnection, error) {
	const op = "ExCreateVPNConnection"
	if err := d.requireID(op, "VPN customer gateway", customerGatewayID); err != nil {
		return nil, err
	}
	if err := d.requireID(op, "VPN gateway", vpnGatewayID); err != nil {
		return nil, err
	}
	p := url.Values{"s2scustomergatewayid": {customerGatewayID}, "s2svpngatewayid": {vpnGatewayID}}
	if opts != nil {
		setTrue(p, "passive", opts.Passive)
		setBool(p, "fordisplay", opts.ForDisplay)
	}
	return callAsyncAs[VPNConnection](ctx, d, op, "createVpnConnection", p, "vpnconnection")
}

// ExDeleteVPNConnection deletes a site-to-site VPN connection
// (deleteVpnConnection, waiting for the job), as Libcloud's
// ex_delete_vpn_connection. Not portable.
func (d *Driver) ExDeleteVPNConnection(ctx context.Context, id string) error {
	return d.deleteAsync(ctx, "ExDeleteVPNConnection", "VPN connection", "deleteVpnConnection", id, nil)
}
