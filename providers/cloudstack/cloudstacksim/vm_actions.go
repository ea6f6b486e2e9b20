package cloudstacksim

//lint:file-ignore SA1019 getVMPassword's wire format is PKCS #1 v1.5 (rsa.EncryptPKCS1v15).

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
)

// The VM state machine (reference §5): each async action checks the state
// when the job runs, as the server's job does, and moves the VM through the
// transitional state while the job is pending.

func startVirtualMachine(c *call) (reply, error) {
	v, err := c.targetVM("id")
	if err != nil {
		return nil, err
	}
	if v.state == vmStopped {
		v.setState(vmStarting, c.now)
	}
	return &asyncReply{instance: v, run: func() (reply, error) {
		switch v.state {
		case vmStarting, vmStopped:
			v.setState(vmRunning, c.st.now())
			c.st.markVolumesReady(v)
		case vmRunning:
		default:
			return nil, invalidParam("Unable to start VM instance %s: it is in state %s", v.name, v.state)
		}
		return c.vmObject(v, false), nil
	}, fail: func() {
		if v.state == vmStarting {
			v.setState(vmStopped, c.st.now())
		}
	}}, nil
}

func stopVirtualMachine(c *call) (reply, error) {
	v, err := c.targetVM("id")
	if err != nil {
		return nil, err
	}
	if v.state == vmRunning {
		v.setState(vmStopping, c.now)
	}
	return &asyncReply{instance: v, run: func() (reply, error) {
		switch v.state {
		case vmStopping, vmRunning, vmStarting:
			v.setState(vmStopped, c.st.now())
		case vmStopped:
		default:
			return nil, internalError("Unable to stop VM instance %s in state %s", v.name, v.state)
		}
		return c.vmObject(v, false), nil
	}, fail: func() {
		if v.state == vmStopping {
			v.setState(vmRunning, c.st.now())
		}
	}}, nil
}

func rebootVirtualMachine(c *call) (reply, error) {
	v, err := c.targetVM("id")
	if err != nil {
		return nil, err
	}
	return &asyncReply{instance: v, run: func() (reply, error) {
		if v.state != vmRunning {
			return nil, errorf(CodeInternalError, CSServerAPIException, "Failed to reboot vm instance")
		}
		v.setState(vmRunning, c.st.now())
		return c.vmObject(v, false), nil
	}}, nil
}

func destroyVirtualMachine(c *call) (reply, error) {
	v, err := c.targetVM("id")
	if err != nil {
		return nil, err
	}
	expunge := c.boolean("expunge", false)
	allowed := c.caller.isRootAdmin() || c.s.opts.AllowUserExpungeRecoverVM
	return &asyncReply{instance: v, run: func() (reply, error) {
		if expunge && !allowed {
			return nil, permissionDenied("Parameter expunge can be passed by Admin only. Or when the allow.user.expunge.recover.vm key is set.")
		}
		if (v.state == vmDestroyed && !expunge) || v.state == vmExpunging {
			return c.vmObject(v, false), nil
		}
		for _, vol := range refsAs[*volume](c, "volumeids") {
			if vol.vm == v && vol.typ == "DATADISK" {
				vol.state = "Destroy"
				detach(vol)
			}
		}
		v.setState(vmDestroyed, c.st.now())
		if expunge {
			view := c.vmObject(v, false)
			c.st.expungeVM(v)
			return view, nil
		}
		return c.vmObject(v, false), nil
	}}, nil
}

// expungeVM removes a VM and what it holds.
func (st *state) expungeVM(v *vm) {
	v.setState(vmExpunging, st.now())
	st.releaseVMResources(v)
	st.vms.remove(v.id)
}

func recoverVirtualMachine(c *call) (reply, error) {
	v, err := c.targetVM("id")
	if err != nil {
		return nil, err
	}
	if !c.caller.isRootAdmin() && !c.s.opts.AllowUserExpungeRecoverVM {
		return nil, permissionDenied("Recovering a vm can only be done by an Admin. Or when the allow.user.expunge.recover.vm key is set.")
	}
	switch v.state {
	case vmDestroyed:
		v.setState(vmStopped, c.now)
	case vmStopped:
	default:
		return nil, invalidParam("Vm with id %s is not in the right state", v.id)
	}
	return c.vmObject(v, false), nil
}

func expungeVirtualMachine(c *call) (reply, error) {
	v, err := c.targetVM("id")
	if err != nil {
		return nil, err
	}
	if !c.caller.isRootAdmin() && !c.s.opts.AllowUserExpungeRecoverVM {
		return nil, permissionDenied("Parameter expunge can be passed by Admin only. Or when the allow.user.expunge.recover.vm key is set.")
	}
	return &asyncReply{instance: v, run: func() (reply, error) {
		if v.state != vmDestroyed && v.state != vmExpunging && v.state != vmError {
			return nil, invalidParam("Please destroy vm with specified vmId before expunge")
		}
		c.st.expungeVM(v)
		return successReply{}, nil
	}}, nil
}

// newOffering resolves serviceofferingid for scale/changeService.
func (c *call) newOffering(v *vm) (*serviceOffering, error) {
	so, _ := refAs[*serviceOffering](c, "serviceofferingid")
	if so == v.offering {
		return nil, invalidParam("Not upgrading vm %s since it already has the requested service offering (%s)", v.name, so.name)
	}
	if so.system {
		return nil, invalidParam("Unable to use a system service offering for VM %s", v.name)
	}
	return so, nil
}

// applyOffering switches a VM to offering so.
func applyOffering(v *vm, so *serviceOffering) {
	v.offering = so
	v.cpuNumber, v.cpuSpeed, v.memory = so.cpuNumber, so.cpuSpeed, so.memory
}

func scaleVirtualMachine(c *call) (reply, error) {
	v, err := c.targetVM("id")
	if err != nil {
		return nil, err
	}
	so, err := c.newOffering(v)
	if err != nil {
		return nil, err
	}
	return &asyncReply{instance: v, run: func() (reply, error) {
		switch v.state {
		case vmStopped:
		case vmRunning:
			if !v.dynamic {
				return nil, invalidParam("Unable to Scale VM: the VM %s is not dynamically scalable (its template or service offering does not allow it)", v.name)
			}
			if so.cpuNumber < v.cpuNumber || so.memory < v.memory {
				return nil, invalidParam("Only scaling up the vm is supported, new service offering(speed=%d,cpu=%d,memory=%d) should have at least one value(cpu/ram) greater than old value and no resource value less than older(speed=%d,cpu=%d,memory=%d)",
					so.cpuSpeed, so.cpuNumber, so.memory, v.cpuSpeed, v.cpuNumber, v.memory)
			}
		default:
			return nil, invalidParam("Unable to scale VM %s in state %s", v.name, v.state)
		}
		applyOffering(v, so)
		v.lastUpdated = c.st.now()
		return c.vmObject(v, false), nil
	}}, nil
}

func changeServiceForVirtualMachine(c *call) (reply, error) {
	v, err := c.targetVM("id")
	if err != nil {
		return nil, err
	}
	if v.state != vmStopped {
		return nil, invalidParam("Unable to upgrade virtual machine %s in state %s; make sure the virtual machine is stopped", v.name, v.state)
	}
	so, err := c.newOffering(v)
	if err != nil {
		return nil, err
	}
	applyOffering(v, so)
	v.lastUpdated = c.now
	return c.vmObject(v, false), nil
}

func restoreVirtualMachine(c *call) (reply, error) {
	v, err := c.targetVM("virtualmachineid")
	if err != nil {
		return nil, err
	}
	t := v.template
	if nt, ok := refAs[*template](c, "templateid"); ok {
		if !nt.public && nt.acct != v.acct && !c.caller.isRootAdmin() {
			return nil, permissionDenied("%s does not have permission to launch instances from Tmpl[%s-%s]", c.caller, nt.id, nt.name)
		}
		t = nt
	}
	return &asyncReply{instance: v, run: func() (reply, error) {
		if v.state != vmRunning && v.state != vmStopped {
			return nil, internalError("Restore VM instance %s failed: it is in state %s", v.name, v.state)
		}
		if !t.ready || !t.inZone(v.zone) {
			return nil, internalError("Template %s has not been completely downloaded to zone %s", t.id, v.zone.id)
		}
		v.template, v.os, v.dynamic = t, t.os, t.dynamic
		v.password = ""
		if t.passwordEnabled {
			v.password = generatePassword()
		}
		c.st.replaceRootVolume(v)
		v.lastUpdated = c.st.now()
		return c.vmObject(v, true), nil
	}}, nil
}

func updateVirtualMachine(c *call) (reply, error) {
	v, err := c.targetVM("id")
	if err != nil {
		return nil, err
	}
	if v.gone() {
		return nil, invalidParam("Unable to find virtual machine with id %s", v.id)
	}
	if ud, ok := c.str("userdata"); ok {
		if err := c.checkUserData(ud); err != nil {
			return nil, err
		}
	}
	if name, ok := c.str("name"); ok && name != v.name {
		if !hostnamePattern.MatchString(name) {
			return nil, invalidParam("Invalid name. Vm name can contain ASCII letters 'a' through 'z', the digits '0' through '9', and the hyphen ('-'), must be between 1 and 63 characters long, and can't start or end with \"-\" and can't start with digit")
		}
		if v.state != vmStopped {
			return nil, invalidParam("Unable to update the name of the vm %s: the vm must be stopped", v.id)
		}
		for _, n := range v.nics {
			if n.network.hostnames[name] > 0 {
				return nil, invalidParam("The vm with hostName %s already exists in the network domain: %s; network=%s", name, n.network.networkDomain, n.network.name)
			}
		}
		for _, n := range v.nics {
			delete(n.network.hostnames, v.name)
			n.network.hostnames[name]++
		}
		v.name = name
	}
	if d, ok := c.str("displayname"); ok {
		v.displayName = d
	}
	if g, ok := c.str("group"); ok {
		v.group = g
	}
	if ud, ok := c.str("userdata"); ok {
		v.userData = ud
	}
	if c.has("haenable") {
		v.haEnable = c.boolean("haenable", false)
	}
	if c.has("displayvm") {
		v.displayVM = c.boolean("displayvm", true)
	}
	if c.has("isdynamicallyscalable") {
		v.dynamic = c.boolean("isdynamicallyscalable", false)
	}
	if os, ok := refAs[*osType](c, "ostypeid"); ok {
		v.os = os
	}
	if d := c.vmDetails(); d != nil {
		if v.details == nil || c.boolean("cleanupdetails", false) {
			v.details = map[string]string{}
		}
		for _, k := range sortedKeys(d) {
			v.details[k] = d[k]
		}
	} else if c.boolean("cleanupdetails", false) {
		v.details = nil
	}
	if sgs := refsAs[*securityGroup](c, "securitygroupids"); len(sgs) > 0 {
		v.securityGroups = sgs
	}
	v.lastUpdated = c.now
	return c.vmObject(v, false), nil
}

// getVMPasswordView is the password object of getVMPassword.
type getVMPasswordView struct {
	EncryptedPassword string `json:"encryptedpassword"`
}

func getVMPassword(c *call) (reply, error) {
	v, err := c.targetVM("id")
	if err != nil {
		return nil, err
	}
	enc, ok := c.encryptedPassword(v)
	if !ok {
		return nil, invalidParam("No password for VM with id '%s' found.", v.id)
	}
	return objReply{"password", getVMPasswordView{EncryptedPassword: enc}}, nil
}

// encryptedPassword returns the VM's password encrypted (RSA PKCS#1 v1.5)
// with the public key of its first RSA key pair, base64-encoded, as the
// server stores it for getVMPassword; ok is false without password or key.
func (c *call) encryptedPassword(v *vm) (string, bool) {
	if v.password == "" || len(v.keyPairs) == 0 {
		return "", false
	}
	kp := c.st.findKeyPair(v.acct, v.keyPairs[0])
	if kp == nil {
		return "", false
	}
	pub, ok := kp.publicKey.(*rsa.PublicKey)
	if !ok {
		return "", false
	}
	// CloudStack encrypts the password with PKCS #1 v1.5 and its clients
	// (Libcloud, cmk, `openssl rsautl -decrypt`) decrypt it so: the
	// simulator must answer as the server does.
	out, err := rsa.EncryptPKCS1v15(rand.Reader, pub, []byte(v.password))
	if err != nil {
		return "", false
	}
	return base64.StdEncoding.EncodeToString(out), true
}

func resetPasswordForVirtualMachine(c *call) (reply, error) {
	v, err := c.targetVM("id")
	if err != nil {
		return nil, err
	}
	return &asyncReply{instance: v, run: func() (reply, error) {
		if v.template == nil || !v.template.passwordEnabled {
			return nil, invalidParam("Fail to reset password for the virtual machine, the template is not password enabled")
		}
		if v.state != vmStopped && v.state != vmRunning {
			return nil, invalidParam("Vm %s is not in the right state to reset its password", v.id)
		}
		v.password = generatePassword()
		v.lastUpdated = c.st.now()
		return c.vmObject(v, true), nil
	}}, nil
}

func resetSSHKeyForVirtualMachine(c *call) (reply, error) {
	v, err := c.targetVM("id")
	if err != nil {
		return nil, err
	}
	p := &deployPlan{owner: v.acct}
	if err := c.planKeyPairs(p); err != nil {
		return nil, err
	}
	if len(p.keyPairs) == 0 {
		return nil, invalidParam("'keypair' or 'keyparis' must be specified")
	}
	return &asyncReply{instance: v, run: func() (reply, error) {
		if v.state != vmStopped {
			return nil, invalidParam("Vm %s should be stopped to do SSH Key reset", v.displayName)
		}
		v.keyPairs = p.keyPairs
		if v.template != nil && v.template.passwordEnabled {
			v.password = generatePassword()
		}
		v.lastUpdated = c.st.now()
		return c.vmObject(v, v.template != nil && v.template.passwordEnabled), nil
	}}, nil
}
