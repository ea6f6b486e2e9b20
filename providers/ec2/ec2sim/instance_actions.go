package ec2sim

import (
	"encoding/base64"
	"fmt"
)

func init() {
	register(map[string]handler{
		"StartInstances": startInstances, "StopInstances": stopInstances, "RebootInstances": rebootInstances,
		"TerminateInstances": terminateInstances, "ModifyInstanceAttribute": modifyInstanceAttribute,
		"DescribeInstanceAttribute": describeInstanceAttribute, "GetConsoleOutput": getConsoleOutput,
	})
}

// stateChanges applies f to each instance of the request and returns the
// InstanceStateChange list; f returns the error refusing one instance.
func (c *call) stateChanges(f func(in *instance) error) ([]M, error) {
	ins, err := c.instances(c.in.strs("InstanceIds"))
	if err != nil {
		return nil, err
	}
	for _, in := range ins {
		if err := c.refuse(in, f); err != nil {
			return nil, err
		}
	}
	out := make([]M, 0, len(ins))
	for _, in := range ins {
		prev := in.state
		_ = f(in)
		out = append(out, M{"InstanceId": in.id, "PreviousState": stateValue(prev), "CurrentState": stateValue(in.state)})
	}
	return out, nil
}

// refuse checks f on a copy of in: every instance must accept the action
// before any changes (the action is all or nothing).
func (c *call) refuse(in *instance, f func(in *instance) error) error {
	cp := *in
	saved := c.st.moving[in.id]
	err := f(&cp)
	if !saved {
		delete(c.st.moving, in.id)
	}
	return err
}

func incorrectState(in *instance, verb string) error {
	return errorf(CodeIncorrectInstanceState, "The instance '%s' is not in a state from which it can be %s.", in.id, verb)
}

func startInstances(c *call) (M, error) {
	d := c.s.TransitionDelay()
	out, err := c.stateChanges(func(in *instance) error {
		switch in.state {
		case "pending", "running":
			return nil
		case "stopped":
			c.st.transition(in, c.now, "pending", "running", d)
			if in.publicIP == "" && c.st.subnets[in.subnetID] != nil && c.st.subnets[in.subnetID].mapPublic {
				in.publicIP = c.st.nextPublicIP()
			}
			in.reason = ""
			return nil
		}
		return incorrectState(in, "started")
	})
	if err != nil {
		return nil, err
	}
	return M{"StartingInstances": out}, nil
}

func stopInstances(c *call) (M, error) {
	d := c.s.TransitionDelay()
	out, err := c.stateChanges(func(in *instance) error {
		switch in.state {
		case "stopping", "stopped":
			return nil
		case "running":
			c.st.transition(in, c.now, "stopping", "stopped", d)
			in.reason = fmt.Sprintf("User initiated (%s)", c.now.UTC().Format("2006-01-02 15:04:05 GMT"))
			return nil
		}
		return incorrectState(in, "stopped")
	})
	if err != nil {
		return nil, err
	}
	return M{"StoppingInstances": out}, nil
}

func rebootInstances(c *call) (M, error) {
	ins, err := c.instances(c.in.strs("InstanceIds"))
	if err != nil {
		return nil, err
	}
	for _, in := range ins {
		if in.state == "terminated" || in.state == "shutting-down" {
			return nil, incorrectState(in, "rebooted")
		}
	}
	return M{}, nil
}

func terminateInstances(c *call) (M, error) {
	d := c.s.TransitionDelay()
	out, err := c.stateChanges(func(in *instance) error {
		if in.disableAPITermination {
			return errorf("OperationNotPermitted", "The instance '%s' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.", in.id)
		}
		switch in.state {
		case "shutting-down", "terminated":
			return nil
		}
		c.st.transition(in, c.now, "shutting-down", "terminated", d)
		in.reason = fmt.Sprintf("User initiated (%s)", c.now.UTC().Format("2006-01-02 15:04:05 GMT"))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return M{"TerminatingInstances": out}, nil
}

// instanceAttributes maps DescribeInstanceAttribute's Attribute values to
// the InstanceAttribute member that answers them.
var instanceAttributes = map[string]string{
	"instanceType": "InstanceType", "userData": "UserData", "disableApiTermination": "DisableApiTermination",
	"instanceInitiatedShutdownBehavior": "InstanceInitiatedShutdownBehavior", "rootDeviceName": "RootDeviceName",
	"blockDeviceMapping": "BlockDeviceMappings", "groupSet": "Groups", "sourceDestCheck": "SourceDestCheck",
	"ebsOptimized": "EbsOptimized", "enaSupport": "EnaSupport", "kernel": "KernelId", "ramdisk": "RamdiskId",
	"productCodes": "ProductCodes", "sriovNetSupport": "SriovNetSupport", "disableApiStop": "DisableApiStop",
}

func describeInstanceAttribute(c *call) (M, error) {
	in, err := c.instance(c.in.str("InstanceId"))
	if err != nil {
		return nil, err
	}
	attr := c.in.str("Attribute")
	member, ok := instanceAttributes[attr]
	if !ok {
		return nil, errorf(CodeInvalidParameterValue, "Value (%s) for parameter attribute is invalid. Unknown attribute.", attr)
	}
	full := in.out(c.st)
	out := M{"InstanceId": in.id}
	switch member {
	case "InstanceType":
		out[member] = M{"Value": in.instType}
	case "UserData":
		if in.userData != "" {
			out[member] = M{"Value": in.userData}
		} else {
			out[member] = M{}
		}
	case "DisableApiTermination":
		out[member] = M{"Value": in.disableAPITermination}
	case "InstanceInitiatedShutdownBehavior":
		out[member] = M{"Value": in.shutdownBehavior}
	case "RootDeviceName":
		out[member] = M{"Value": in.rootDevice}
	case "BlockDeviceMappings", "ProductCodes":
		out[member] = full[member]
	case "Groups":
		out[member] = full["SecurityGroups"]
	case "SourceDestCheck", "EnaSupport":
		out[member] = M{"Value": true}
	case "EbsOptimized", "DisableApiStop":
		out[member] = M{"Value": false}
	default:
		out[member] = M{}
	}
	return out, nil
}

func modifyInstanceAttribute(c *call) (M, error) {
	in, err := c.instance(c.in.str("InstanceId"))
	if err != nil {
		return nil, err
	}
	attr, value := c.in.str("Attribute"), c.in.str("Value")
	set := func(name string) (string, bool) {
		if v, ok := c.in.attrValue(name); ok {
			return v, true
		}
		if attr == instanceAttributeName(name) {
			return value, true
		}
		return "", false
	}
	if t, ok := set("InstanceType"); ok {
		it := findInstanceType(t)
		if it == nil {
			return nil, errorf(CodeInvalidParameterValue, "Invalid value '%s' for InstanceType.", t)
		}
		if in.state != "stopped" {
			return nil, errorf(CodeIncorrectInstanceState, "The instance '%s' is not in the 'stopped' state.", in.id)
		}
		if it.arch != in.arch {
			return nil, errorf(CodeInvalidParameterValue, "The instance type '%s' does not support the architecture '%s' of instance '%s'.", t, in.arch, in.id)
		}
		in.instType = t
	}
	if v, ok := c.in.sub("DisableApiTermination")["Value"].(bool); ok {
		in.disableAPITermination = v
	} else if attr == "disableApiTermination" {
		in.disableAPITermination = value == "true"
	}
	if b, ok := set("InstanceInitiatedShutdownBehavior"); ok {
		if b != "stop" && b != "terminate" {
			return nil, errorf(CodeInvalidParameterValue, "Value (%s) for parameter instanceInitiatedShutdownBehavior is invalid.", b)
		}
		in.shutdownBehavior = b
	}
	if ud, ok := c.in.sub("UserData")["Value"].([]byte); ok {
		if in.state != "stopped" {
			return nil, errorf(CodeIncorrectInstanceState, "The instance '%s' is not in the 'stopped' state.", in.id)
		}
		in.userData = base64.StdEncoding.EncodeToString(ud)
	}
	if gs := c.in.strs("Groups"); len(gs) > 0 {
		for _, g := range gs {
			if sg := c.st.groups[g]; sg == nil || sg.vpcID != in.vpcID {
				return nil, notFound("InvalidGroup.NotFound", "security group", g)
			}
		}
		in.groups = gs
		if e := c.st.enis[in.eniID]; e != nil {
			e.groups = gs
		}
	}
	return M{}, nil
}

// instanceAttributeName is the Attribute value naming an InstanceAttribute member.
func instanceAttributeName(member string) string {
	for k, v := range instanceAttributes {
		if v == member {
			return k
		}
	}
	return ""
}

func getConsoleOutput(c *call) (M, error) {
	in, err := c.instance(c.in.str("InstanceId"))
	if err != nil {
		return nil, err
	}
	out := M{"InstanceId": in.id, "Timestamp": c.now}
	if in.state != "pending" {
		out["Output"] = base64.StdEncoding.EncodeToString([]byte(in.consoleOutput()))
	}
	return out, nil
}
