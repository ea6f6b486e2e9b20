package cloudstacksim

import (
	"fmt"
	"net"
	"net/netip"
)

// kindNIC is the entity kind of VM NICs.
const kindNIC = "nic"

func init() {
	defaultKinds["nicid"] = kindNIC
	nicDef := func(name string, h handlerFunc) cmdDef {
		return cmdDef{Name: name, Handler: h, InstanceType: "VirtualMachine", ItemKey: "virtualmachine"}
	}
	add := nicDef("addNicToVirtualMachine", addNicToVirtualMachine)
	add.JobClass = "org.apache.cloudstack.api.command.user.vm.AddNicToVMCmd"
	remove := nicDef("removeNicFromVirtualMachine", removeNicFromVirtualMachine)
	remove.JobClass = "org.apache.cloudstack.api.command.user.vm.RemoveNicFromVMCmd"
	def := nicDef("updateDefaultNicForVirtualMachine", updateDefaultNicForVirtualMachine)
	def.JobClass = "org.apache.cloudstack.api.command.user.vm.UpdateDefaultNicForVMCmd"
	register(add, remove, def, cmdDef{Name: "listNics", ReadOnly: true, Handler: listNics, ItemKey: "nic"})
}

// nicView is the nic response object of listNics: the VM's NIC view with
// the VM's id.
type nicView struct {
	vmNICView
	VirtualMachineID string `json:"virtualmachineid"`
}

func listNics(c *call) (reply, error) {
	v, err := c.targetVM("virtualmachineid")
	if err != nil {
		return nil, err
	}
	want, _ := refAs[*nic](c, "nicid")
	n, _ := refAs[*network](c, "networkid")
	keyword, hasKeyword := c.str("keyword")
	keep := func(nc *nic) bool {
		switch {
		case want != nil && nc != want,
			n != nil && nc.network != n,
			hasKeyword && !keywordMatch(keyword, nc.ip.String(), nc.network.name, nc.mac):
			return false
		}
		return true
	}
	return listItems(c, "nic", v.nics, keep, func(nc *nic) any {
		return nicView{vmNICView: viewNIC(nc), VirtualMachineID: v.id}
	}), nil
}

// vmString renders a VM the way server messages name it.
func vmString(v *vm) string {
	return fmt.Sprintf(`VM instance {"instanceName":"%s","type":"User","uuid":"%s"}`, v.instanceName, v.id)
}

// networkString renders a network the way server messages name it.
func networkString(n *network) string {
	return fmt.Sprintf(`Network {"name":"%s","trafficType":"Guest","uuid":"%s"}`, n.name, n.id)
}

// checkNICState refuses NIC changes on a VM that is neither Running nor
// Stopped.
func checkNICState(v *vm) error {
	if v.state != vmRunning && v.state != vmStopped {
		return invalidParam("%s is in state %s: its NICs can be changed when it is Running or Stopped", vmString(v), v.state)
	}
	return nil
}

func addNicToVirtualMachine(c *call) (reply, error) {
	v, err := c.targetVM("virtualmachineid")
	if err != nil {
		return nil, err
	}
	n, _ := refAs[*network](c, "networkid")
	if err := c.canUseNetwork(n, v.acct); err != nil {
		return nil, err
	}
	wantIP, wantMAC := c.str0("ipaddress"), c.str0("macaddress")
	if wantIP != "" {
		if a, err := netip.ParseAddr(wantIP); err != nil || !a.Is4() {
			return nil, invalidParam("Invalid format for IPv4 address parameter: %s", wantIP)
		}
	}
	if wantMAC != "" {
		if hw, err := net.ParseMAC(wantMAC); err != nil || len(hw) != 6 {
			return nil, invalidParam("Mac address is not valid: %s", wantMAC)
		}
	}
	// The checks of AddNicToVMCmd run in its job.
	return &asyncReply{instance: v, run: func() (reply, error) {
		if err := checkNICState(v); err != nil {
			return nil, err
		}
		if n.zone != v.zone {
			return nil, internalError("%s is in zone:%s but %s is in zone: %s", vmString(v), v.zone.id, networkString(n), n.zone.id)
		}
		for _, nc := range v.nics {
			if nc.network == n {
				return nil, internalError("%s already in %s", vmString(v), networkString(n))
			}
		}
		if n.hostnames[v.name] > 0 {
			return nil, internalError("%s already has a vm with host name: %s", networkString(n), v.name)
		}
		ip, err := n.allocIP(wantIP)
		if err != nil {
			return nil, err
		}
		nc := &nic{base: c.st.newBase(), vm: v, network: n, ip: ip, allocated: ip.IsValid()}
		nc.mac = macFor(nc.seq)
		if wantMAC != "" {
			hw, _ := net.ParseMAC(wantMAC)
			nc.mac = hw.String()
		}
		for _, x := range v.nics {
			nc.deviceID = max(nc.deviceID, x.deviceID+1)
		}
		if n.hostnames == nil {
			n.hostnames = map[string]int{}
		}
		n.hostnames[v.name]++
		v.nics = append(v.nics, nc)
		c.st.nics.insert(nc)
		v.lastUpdated = c.st.now()
		return c.vmObject(v, false), nil
	}}, nil
}

// nicJob answers a command on the VM and NIC named by virtualmachineid and
// nicid: a job that checks the VM's state, applies change and returns the
// VM.
func (c *call) nicJob(change func(v *vm, nc *nic) error) (reply, error) {
	v, err := c.targetVM("virtualmachineid")
	if err != nil {
		return nil, err
	}
	nc, _ := refAs[*nic](c, "nicid")
	if nc.vm != v {
		return nil, invalidParam("Nic %s does not belong to %s", nc.id, vmString(v))
	}
	return &asyncReply{instance: v, run: func() (reply, error) {
		if err := checkNICState(v); err != nil {
			return nil, err
		}
		if err := change(v, nc); err != nil {
			return nil, err
		}
		v.lastUpdated = c.st.now()
		return c.vmObject(v, false), nil
	}}, nil
}

func removeNicFromVirtualMachine(c *call) (reply, error) {
	return c.nicJob(func(v *vm, nc *nic) error {
		where := fmt.Sprintf("%s in %s", vmString(v), networkString(nc.network))
		if nc.isDefault {
			return invalidParam("Unable to remove nic from %s, nic is default.", where)
		}
		if c.st.nicHasRules(nc) {
			return invalidParam("Unable to remove nic from %s, nic has associated Port forwarding or Load balancer or Static NAT rules.", where)
		}
		c.st.releaseNIC(nc)
		v.nics = removeFrom(v.nics, nc)
		return nil
	})
}

// nicHasRules reports whether static NAT or port forwarding targets the
// NIC's address.
func (st *state) nicHasRules(nc *nic) bool {
	for _, ip := range st.publicIPs.list {
		if ip.vm == nc.vm && ip.vmIP == nc.ip {
			return true
		}
	}
	for _, r := range st.pfRules.list {
		if r.vm == nc.vm && r.vmIP == nc.ip {
			return true
		}
	}
	return false
}

// releaseNIC frees what a NIC holds in its network (its address and the
// VM's host name) and removes it from the state; the caller removes it from
// the VM.
func (st *state) releaseNIC(nc *nic) {
	n := nc.network
	if nc.allocated {
		n.releaseIP(nc.ip)
	}
	if n.hostnames[nc.vm.name] > 1 {
		n.hostnames[nc.vm.name]--
	} else {
		delete(n.hostnames, nc.vm.name)
	}
	st.nics.remove(nc.id)
}

func updateDefaultNicForVirtualMachine(c *call) (reply, error) {
	return c.nicJob(func(v *vm, nc *nic) error {
		if nc.isDefault {
			return invalidParam("The specified nic %s is already the default nic of %s", nc.id, vmString(v))
		}
		for _, x := range v.nics {
			x.isDefault = x == nc
		}
		return nil
	})
}
