package cloudstacksim

import (
	"net/netip"
	"strings"
	"time"
)

// Entity kinds of site-to-site VPN.
const (
	kindVPNGateway         = "vpngateway"
	kindVPNCustomerGateway = "vpncustomergateway"
	kindVPNConnection      = "vpnconnection"
)

// IKE and ESP lifetime bounds and defaults, in seconds.
const (
	defaultIKELifetime = 86400
	defaultESPLifetime = 3600
	maxVPNLifetime     = 86400
)

// vpnGateway is a VPC's site-to-site VPN gateway, on the VPC's source NAT
// address.
type vpnGateway struct {
	base
	owned
	vpc     *vpc
	ip      *publicIP
	display bool
}

// vpnCustomerGateway is the remote end of site-to-site VPNs.
type vpnCustomerGateway struct {
	base
	owned
	name, gateway          string
	cidrs                  []string
	ikePolicy, espPolicy   string
	ikeLifetime, espLife   int64
	psk                    string
	ikeVersion             string
	dpd, forceEncap, split bool
}

// vpnConnection joins a VPN gateway to a customer gateway. An active
// connection is Connecting once started and Connected after the job delay
// (the simulated peer answers); a passive one waits Disconnected.
type vpnConnection struct {
	base
	owned
	gw       *vpnGateway
	cgw      *vpnCustomerGateway
	passive  bool
	display  bool
	state    string // Pending, Connecting, Disconnected, Error
	started  time.Time
	settling time.Duration
}

func init() {
	registerKind(kindVPNGateway, lookupIn(func(st *state) *table[*vpnGateway] { return &st.vpnGateways }))
	registerKind(kindVPNCustomerGateway, lookupIn(func(st *state) *table[*vpnCustomerGateway] { return &st.vpnCustomerGateways }))
	registerKind(kindVPNConnection, lookupIn(func(st *state) *table[*vpnConnection] { return &st.vpnConnections }))
	defaultKinds["s2svpngatewayid"] = kindVPNGateway
	defaultKinds["s2scustomergatewayid"] = kindVPNCustomerGateway
	registerTaggable("VpnGateway", kindVPNGateway)
	registerTaggable("CustomerGateway", kindVPNCustomerGateway)
	registerTaggable("VpnConnection", kindVPNConnection)
	const pkg = "org.apache.cloudstack.api.command.user.vpn."
	register(
		cmdDef{Name: "listVpnGateways", ReadOnly: true, IDKind: kindVPNGateway, Handler: listVpnGateways, ItemKey: "vpngateway"},
		cmdDef{Name: "createVpnGateway", Create: true, Handler: createVpnGateway, InstanceType: "Site2SiteVpnGateway",
			ItemKey: "vpngateway", JobClass: pkg + "CreateVpnGatewayCmd"},
		cmdDef{Name: "deleteVpnGateway", IDKind: kindVPNGateway, Handler: deleteVpnGateway, InstanceType: "Site2SiteVpnGateway",
			ItemKey: "(success)", JobClass: pkg + "DeleteVpnGatewayCmd"},
		cmdDef{Name: "listVpnCustomerGateways", ReadOnly: true, IDKind: kindVPNCustomerGateway, Handler: listVpnCustomerGateways,
			ItemKey: "vpncustomergateway"},
		cmdDef{Name: "createVpnCustomerGateway", Handler: createVpnCustomerGateway, InstanceType: "Site2SiteCustomerGateway",
			ItemKey: "vpncustomergateway", JobClass: pkg + "CreateVpnCustomerGatewayCmd"},
		cmdDef{Name: "deleteVpnCustomerGateway", IDKind: kindVPNCustomerGateway, Handler: deleteVpnCustomerGateway,
			InstanceType: "Site2SiteCustomerGateway", ItemKey: "(success)", JobClass: pkg + "DeleteVpnCustomerGatewayCmd"},
		cmdDef{Name: "listVpnConnections", ReadOnly: true, IDKind: kindVPNConnection, Handler: listVpnConnections, ItemKey: "vpnconnection"},
		cmdDef{Name: "createVpnConnection", Create: true, Handler: createVpnConnection, InstanceType: "Site2SiteVpnConnection",
			ItemKey: "vpnconnection", JobClass: pkg + "CreateVpnConnectionCmd"},
		cmdDef{Name: "deleteVpnConnection", IDKind: kindVPNConnection, Handler: deleteVpnConnection,
			InstanceType: "Site2SiteVpnConnection", ItemKey: "(success)", JobClass: pkg + "DeleteVpnConnectionCmd"},
	)
}

// vpnGatewayView is the vpngateway response object.
type vpnGatewayView struct {
	ID       string `json:"id"`
	PublicIP string `json:"publicip"`
	VPCID    string `json:"vpcid"`
	VPCName  string `json:"vpcname"`
	ownerFields
	ForDisplay bool   `json:"fordisplay"`
	JobID      string `json:"jobid,omitempty"`
	JobStatus  *int   `json:"jobstatus,omitempty"`
}

func viewVPNGateway(g *vpnGateway) any {
	v := vpnGatewayView{ID: g.id, PublicIP: g.ip.addr.String(), VPCID: g.vpc.id, VPCName: g.vpc.name,
		ownerFields: ownerView(g.acct), ForDisplay: g.display}
	v.JobID, v.JobStatus = pendingJob(&g.base)
	return v
}

func listVpnGateways(c *call) (reply, error) {
	lf, err := newListFilter[*vpnGateway](c)
	if err != nil {
		return nil, err
	}
	v, _ := refAs[*vpc](c, "vpcid")
	keyword, hasKeyword := c.str("keyword")
	keep := func(g *vpnGateway) bool {
		switch {
		case lf.drops(g, g.acct),
			v != nil && g.vpc != v,
			hasKeyword && !keywordMatch(keyword, g.ip.addr.String(), g.vpc.name),
			c.displayMisses(g.display):
			return false
		}
		return true
	}
	return listItems(c, "vpngateway", c.st.vpnGateways.list, keep, viewVPNGateway), nil
}

// vpcSourceNAT returns the source NAT address of a VPC, or nil.
func (st *state) vpcSourceNAT(v *vpc) *publicIP {
	for _, ip := range st.publicIPs.list {
		if ip.vpc == v && ip.sourceNAT {
			return ip
		}
	}
	return nil
}

func createVpnGateway(c *call) (reply, error) {
	v, _ := refAs[*vpc](c, "vpcid")
	if err := c.checkAccess(v.acct, v.String()); err != nil {
		return nil, err
	}
	if !contains(v.offering.services, "Vpn") {
		return nil, invalidParam("Vpn service is not supported in %s", v)
	}
	for _, g := range c.st.vpnGateways.list {
		if g.vpc == v {
			return nil, invalidParam("The VPN gateway of VPC %s already existed!", v.id)
		}
	}
	ip := c.st.vpcSourceNAT(v)
	if ip == nil {
		return nil, internalError("Cannot found source nat ip of vpc %s", v.id)
	}
	g := &vpnGateway{base: c.st.newBase(), owned: owned{acct: v.acct}, vpc: v, ip: ip, display: c.boolean("fordisplay", true)}
	c.st.vpnGateways.insert(g)
	return &asyncReply{id: g.id, instance: g, run: func() (reply, error) {
		return objReply{"vpngateway", viewVPNGateway(g)}, nil
	}}, nil
}

func deleteVpnGateway(c *call) (reply, error) {
	g, _ := refAs[*vpnGateway](c, "id")
	if err := c.checkAccess(g.acct, "Site2SiteVpnGateway "+g.id); err != nil {
		return nil, err
	}
	return &asyncReply{instance: g, run: func() (reply, error) {
		for _, conn := range c.st.vpnConnections.list {
			if conn.gw == g {
				return nil, invalidParam("Unable to delete VPN gateway %s because there is still related VPN connections!", g.id)
			}
		}
		c.st.removeVPNGateway(g)
		return successReply{}, nil
	}}, nil
}

// removeVPNGateway deletes a gateway with its connections.
func (st *state) removeVPNGateway(g *vpnGateway) {
	dropWhere(st, &st.vpnConnections, func(conn *vpnConnection) bool { return conn.gw == g })
	drop(st, &st.vpnGateways, g.id)
}

// vpnCustomerGatewayView is the vpncustomergateway response object. The
// server returns the pre-shared key.
type vpnCustomerGatewayView struct {
	ID               string `json:"id"`
	Name             string `json:"name"`
	Gateway          string `json:"gateway"`
	IPAddress        string `json:"ipaddress"`
	CIDRList         string `json:"cidrlist"`
	IPsecPSK         string `json:"ipsecpsk"`
	IKEPolicy        string `json:"ikepolicy"`
	ESPPolicy        string `json:"esppolicy"`
	IKELifetime      int64  `json:"ikelifetime"`
	ESPLifetime      int64  `json:"esplifetime"`
	DPD              bool   `json:"dpd"`
	ForceEncap       bool   `json:"forceencap"`
	IKEVersion       string `json:"ikeversion"`
	SplitConnections bool   `json:"splitconnections"`
	ownerFields
	HasAnnotations bool   `json:"hasannotations"`
	JobID          string `json:"jobid,omitempty"`
	JobStatus      *int   `json:"jobstatus,omitempty"`
}

func viewVPNCustomerGateway(g *vpnCustomerGateway) any {
	v := vpnCustomerGatewayView{ID: g.id, Name: g.name, Gateway: g.gateway, IPAddress: g.gateway,
		CIDRList: strings.Join(g.cidrs, ","), IPsecPSK: g.psk, IKEPolicy: g.ikePolicy, ESPPolicy: g.espPolicy,
		IKELifetime: g.ikeLifetime, ESPLifetime: g.espLife, DPD: g.dpd, ForceEncap: g.forceEncap,
		IKEVersion: g.ikeVersion, SplitConnections: g.split, ownerFields: ownerView(g.acct)}
	v.JobID, v.JobStatus = pendingJob(&g.base)
	return v
}

func listVpnCustomerGateways(c *call) (reply, error) {
	lf, err := newListFilter[*vpnCustomerGateway](c)
	if err != nil {
		return nil, err
	}
	keyword, hasKeyword := c.str("keyword")
	keep := func(g *vpnCustomerGateway) bool {
		switch {
		case lf.drops(g, g.acct),
			hasKeyword && !keywordMatch(keyword, g.name, g.gateway):
			return false
		}
		return true
	}
	return listItems(c, "vpncustomergateway", c.st.vpnCustomerGateways.list, keep, viewVPNCustomerGateway), nil
}

// ikeCiphers, ikeHashes and dhGroups are what NetUtils.isValidS2SVpnPolicy
// accepts in "cipher-hash[;dhgroup]" policies.
var (
	ikeCiphers = []string{"3des", "aes128", "aes192", "aes256"}
	ikeHashes  = []string{"md5", "sha1", "sha256", "sha384", "sha512"}
	dhGroups   = []string{"modp1024", "modp1536", "modp2048", "modp3072", "modp4096", "modp6144", "modp8192"}
)

// validVPNPolicy checks an IKE or ESP policy: one or more
// "cipher-hash[;dhgroup]" entries separated by commas.
func validVPNPolicy(policy string) bool {
	for _, entry := range strings.Split(policy, ",") {
		spec, group, hasGroup := strings.Cut(strings.TrimSpace(entry), ";")
		cipher, hash, ok := strings.Cut(spec, "-")
		if !ok || !contains(ikeCiphers, cipher) || !contains(ikeHashes, hash) || (hasGroup && !contains(dhGroups, group)) {
			return false
		}
	}
	return true
}

func createVpnCustomerGateway(c *call) (reply, error) {
	owner, err := c.owner()
	if err != nil {
		return nil, err
	}
	g := &vpnCustomerGateway{owned: owned{acct: owner}, name: c.str0("name"), gateway: c.str0("gateway"),
		ikePolicy: c.str0("ikepolicy"), espPolicy: c.str0("esppolicy"), psk: c.str0("ipsecpsk"),
		ikeLifetime: c.integer("ikelifetime", defaultIKELifetime), espLife: c.integer("esplifetime", defaultESPLifetime),
		ikeVersion: or(c.str0("ikeversion"), "ike"), dpd: c.boolean("dpd", false), forceEncap: c.boolean("forceencap", false),
		split: c.boolean("splitconnections", false)}
	for _, cidr := range strings.Split(c.str0("cidrlist"), ",") {
		g.cidrs = append(g.cidrs, strings.TrimSpace(cidr))
	}
	if g.name == "" {
		g.name = "VPN-" + g.gateway
	}
	// The checks run in the job, as CreateVpnCustomerGatewayCmd.execute does.
	return &asyncReply{run: func() (reply, error) {
		if err := c.st.checkCustomerGateway(g); err != nil {
			return nil, err
		}
		g.base = c.st.newBase()
		c.st.vpnCustomerGateways.insert(g)
		return objReply{"vpncustomergateway", viewVPNCustomerGateway(g)}, nil
	}}, nil
}

// checkCustomerGateway validates a new customer gateway as
// Site2SiteVpnManagerImpl.createCustomerGateway does. Its messages never
// repeat the pre-shared key.
func (st *state) checkCustomerGateway(g *vpnCustomerGateway) error {
	if a, err := netip.ParseAddr(g.gateway); err != nil || !a.Is4() {
		return invalidParam("The customer gateway ip %s is invalid!", g.gateway)
	}
	for _, cidr := range g.cidrs {
		if p, err := netip.ParsePrefix(cidr); err != nil || !p.Addr().Is4() {
			return invalidParam("The customer gateway peer cidr list %s contains an invalid cidr!", strings.Join(g.cidrs, ","))
		}
	}
	switch {
	case !validVPNPolicy(g.ikePolicy):
		return invalidParam("The customer gateway IKE policy %s is invalid!", g.ikePolicy)
	case !validVPNPolicy(g.espPolicy):
		return invalidParam("The customer gateway ESP policy %s is invalid!", g.espPolicy)
	case strings.ContainsAny(g.psk, "\"'\n\r"):
		return invalidParam("The customer gateway ipsec psk contains invalid characters, which are ' and \" and line breaks")
	case g.ikeLifetime < 0 || g.ikeLifetime > maxVPNLifetime:
		return invalidParam("The IKE lifetime %d of vpn connection is invalid!", g.ikeLifetime)
	case g.espLife < 0 || g.espLife > maxVPNLifetime:
		return invalidParam("The ESP lifetime %d of vpn connection is invalid!", g.espLife)
	case !contains([]string{"ike", "ikev1", "ikev2"}, g.ikeVersion):
		return invalidParam("The customer gateway IKE version %s is invalid!", g.ikeVersion)
	}
	for _, o := range st.vpnCustomerGateways.list {
		if o.acct != g.acct {
			continue
		}
		if o.name == g.name {
			return invalidParam("The customer gateway with name %s already existed!", g.name)
		}
		if o.gateway == g.gateway {
			return invalidParam("The customer gateway with ip %s already existed in the system!", g.gateway)
		}
	}
	return nil
}

func deleteVpnCustomerGateway(c *call) (reply, error) {
	g, _ := refAs[*vpnCustomerGateway](c, "id")
	if err := c.checkAccess(g.acct, "Site2SiteCustomerGateway "+g.id); err != nil {
		return nil, err
	}
	return &asyncReply{instance: g, run: func() (reply, error) {
		for _, conn := range c.st.vpnConnections.list {
			if conn.cgw == g {
				return nil, invalidParam("Unable to delete VPN customer gateway with id %s because there is still related VPN connections!", g.id)
			}
		}
		c.st.vpnCustomerGateways.remove(g.id)
		delete(c.st.tags, g.id)
		return successReply{}, nil
	}}, nil
}

// vpnConnectionView is the vpnconnection response object: the connection
// with its customer gateway's settings.
type vpnConnectionView struct {
	ID                string `json:"id"`
	VPNGatewayID      string `json:"s2svpngatewayid"`
	PublicIP          string `json:"publicip"`
	CustomerGatewayID string `json:"s2scustomergatewayid"`
	Gateway           string `json:"gateway"`
	CIDRList          string `json:"cidrlist"`
	IPsecPSK          string `json:"ipsecpsk"`
	IKEPolicy         string `json:"ikepolicy"`
	ESPPolicy         string `json:"esppolicy"`
	IKELifetime       int64  `json:"ikelifetime"`
	ESPLifetime       int64  `json:"esplifetime"`
	DPD               bool   `json:"dpd"`
	ForceEncap        bool   `json:"forceencap"`
	IKEVersion        string `json:"ikeversion"`
	SplitConnections  bool   `json:"splitconnections"`
	State             string `json:"state"`
	Passive           bool   `json:"passive"`
	ownerFields
	Created    string `json:"created"`
	ForDisplay bool   `json:"fordisplay"`
	JobID      string `json:"jobid,omitempty"`
	JobStatus  *int   `json:"jobstatus,omitempty"`
}

func viewVPNConnection(conn *vpnConnection, now time.Time) any {
	g := conn.cgw
	v := vpnConnectionView{ID: conn.id, VPNGatewayID: conn.gw.id, PublicIP: conn.gw.ip.addr.String(),
		CustomerGatewayID: g.id, Gateway: g.gateway, CIDRList: strings.Join(g.cidrs, ","), IPsecPSK: g.psk,
		IKEPolicy: g.ikePolicy, ESPPolicy: g.espPolicy, IKELifetime: g.ikeLifetime, ESPLifetime: g.espLife, DPD: g.dpd,
		ForceEncap: g.forceEncap, IKEVersion: g.ikeVersion, SplitConnections: g.split, State: conn.stateAt(now),
		Passive: conn.passive, ownerFields: ownerView(conn.acct), Created: fmtDate(conn.created), ForDisplay: conn.display}
	v.JobID, v.JobStatus = pendingJob(&conn.base)
	return v
}

// stateAt returns the connection's state at time now: a Connecting
// connection is Connected once it has settled.
func (conn *vpnConnection) stateAt(now time.Time) string {
	if conn.state == "Connecting" && now.Sub(conn.started) >= conn.settling {
		return "Connected"
	}
	return conn.state
}

func listVpnConnections(c *call) (reply, error) {
	lf, err := newListFilter[*vpnConnection](c)
	if err != nil {
		return nil, err
	}
	v, _ := refAs[*vpc](c, "vpcid")
	keyword, hasKeyword := c.str("keyword")
	keep := func(conn *vpnConnection) bool {
		switch {
		case lf.drops(conn, conn.acct),
			v != nil && conn.gw.vpc != v,
			hasKeyword && !keywordMatch(keyword, conn.cgw.name, conn.cgw.gateway),
			c.displayMisses(conn.display):
			return false
		}
		return true
	}
	return listItems(c, "vpnconnection", c.st.vpnConnections.list, keep, func(conn *vpnConnection) any {
		return viewVPNConnection(conn, c.now)
	}), nil
}

func createVpnConnection(c *call) (reply, error) {
	g, _ := refAs[*vpnGateway](c, "s2svpngatewayid")
	cgw, _ := refAs[*vpnCustomerGateway](c, "s2scustomergatewayid")
	if err := c.checkAccess(g.acct, "Site2SiteVpnGateway "+g.id); err != nil {
		return nil, err
	}
	if err := c.checkAccess(cgw.acct, "Site2SiteCustomerGateway "+cgw.id); err != nil {
		return nil, err
	}
	if g.acct != cgw.acct {
		return nil, invalidParam("VPN connection can only be esitablished between same account's VPN gateway and customer gateway!")
	}
	for _, conn := range c.st.vpnConnections.list {
		if conn.gw == g && conn.cgw == cgw {
			return nil, invalidParam("The vpn connection with customer gateway id %s and vpn gateway id %s already existed!", cgw.id, g.id)
		}
	}
	for _, cidr := range cgw.cidrs {
		p := cidrOf(cidr)
		if p.Overlaps(g.vpc.cidr) {
			return nil, invalidParam("The subnet of customer gateway %s is overlapped with VPC cidr %s!", cidr, g.vpc.cidr)
		}
		for _, conn := range c.st.vpnConnections.list {
			if conn.gw != g {
				continue
			}
			for _, other := range conn.cgw.cidrs {
				if cidrOf(other).Overlaps(p) {
					return nil, invalidParam("The subnet of customer gateway %s is overlapped with customer gateway %s subnet %s!", cidr, conn.cgw.id, other)
				}
			}
		}
	}
	conn := &vpnConnection{base: c.st.newBase(), owned: owned{acct: g.acct}, gw: g, cgw: cgw,
		passive: c.boolean("passive", false), display: c.boolean("fordisplay", true), state: "Pending"}
	c.st.vpnConnections.insert(conn)
	return &asyncReply{id: conn.id, instance: conn, run: func() (reply, error) {
		now := c.st.now()
		conn.state, conn.started, conn.settling = "Connecting", now, c.s.JobDelay()
		if conn.passive {
			conn.state = "Disconnected"
		}
		return objReply{"vpnconnection", viewVPNConnection(conn, now)}, nil
	}, fail: func() { conn.state = "Error" }}, nil
}

func deleteVpnConnection(c *call) (reply, error) {
	conn, _ := refAs[*vpnConnection](c, "id")
	if err := c.checkAccess(conn.acct, "Site2SiteVpnConnection "+conn.id); err != nil {
		return nil, err
	}
	return &asyncReply{instance: conn, run: func() (reply, error) {
		c.st.vpnConnections.remove(conn.id)
		delete(c.st.tags, conn.id)
		return successReply{}, nil
	}}, nil
}
