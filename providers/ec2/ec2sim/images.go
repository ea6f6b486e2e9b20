package ec2sim

import (
	"fmt"
	"time"
)

// image is an AMI.
type image struct {
	id, name, description, owner, alias, arch, platform, rootDevice, state, snapshotID string
	public                                                                             bool
	created                                                                            time.Time
	size                                                                               int
	sourceInstance                                                                     string
}

func init() {
	register(map[string]handler{"DescribeImages": describeImages, "CreateImage": createImage, "DeregisterImage": deregisterImage})
}

func (img *image) platformDetails() string {
	if img.platform == "windows" {
		return "Windows"
	}
	return "Linux/UNIX"
}

func (img *image) out(st *state) M {
	m := M{"ImageId": img.id, "ImageLocation": img.owner + "/" + img.name, "State": img.state, "OwnerId": img.owner,
		"CreationDate": img.created.UTC().Format(timeLayout), "Public": img.public, "Architecture": img.arch,
		"ImageType": "machine", "Name": img.name, "Description": img.description, "RootDeviceType": "ebs",
		"RootDeviceName": img.rootDevice, "VirtualizationType": "hvm", "Hypervisor": "xen", "EnaSupport": true,
		"SriovNetSupport": "simple", "PlatformDetails": img.platformDetails(), "UsageOperation": "RunInstances",
		"Tags": st.tagList(img.id),
		"BlockDeviceMappings": []M{{"DeviceName": img.rootDevice, "Ebs": M{"DeleteOnTermination": true,
			"SnapshotId": img.snapshotID, "VolumeSize": img.size, "VolumeType": "gp3", "Encrypted": false}}}}
	if img.alias != "" {
		m["ImageOwnerAlias"] = img.alias
	}
	if img.platform != "" {
		m["Platform"] = img.platform
	}
	return m
}

func (img *image) fields(name string) ([]string, bool) {
	switch name {
	case "image-id":
		return []string{img.id}, true
	case "name":
		return []string{img.name}, true
	case "description":
		return []string{img.description}, true
	case "architecture":
		return []string{img.arch}, true
	case "owner-id":
		return []string{img.owner}, true
	case "owner-alias":
		return []string{img.alias}, true
	case "state":
		return []string{img.state}, true
	case "is-public":
		return []string{fmt.Sprint(img.public)}, true
	case "platform":
		return []string{img.platform}, true
	case "platform-details":
		return []string{img.platformDetails()}, true
	case "image-type":
		return []string{"machine"}, true
	case "root-device-type":
		return []string{"ebs"}, true
	case "root-device-name":
		return []string{img.rootDevice}, true
	case "virtualization-type":
		return []string{"hvm"}, true
	case "hypervisor":
		return []string{"xen"}, true
	case "ena-support":
		return []string{"true"}, true
	}
	return nil, false
}

// ownedBy reports whether img matches an Owners value: an account id,
// "self", or an owner alias ("amazon", "aws-marketplace").
func (img *image) ownedBy(owner string) bool {
	switch owner {
	case "self":
		return img.owner == AccountID
	case "amazon", "aws-marketplace", "aws-backup-vault":
		return img.alias == owner
	}
	return img.owner == owner
}

func describeImages(c *call) (M, error) {
	fs := c.in.filters()
	if err := checkFilters(fs, (&image{}).fields); err != nil {
		return nil, err
	}
	ids := c.in.strs("ImageIds")
	for _, id := range ids {
		if !validID(id, "ami") {
			return nil, errorf("InvalidAMIID.Malformed", "Invalid id: \"%s\" (expecting \"ami-...\")", id)
		}
		if c.st.images[id] == nil {
			return nil, errorf("InvalidAMIID.NotFound", "The image id '[%s]' does not exist", id)
		}
	}
	owners, users := c.in.strs("Owners"), c.in.strs("ExecutableUsers")
	var out []M
	for _, id := range sortedIDs(c.st, c.st.images) {
		img := c.st.images[id]
		if len(ids) > 0 && !contains(ids, id) {
			continue
		}
		if len(owners) > 0 && !anyOf(owners, img.ownedBy) {
			continue
		}
		if len(users) > 0 && !anyOf(users, func(u string) bool {
			return img.public || (u == "self" || u == AccountID) && img.owner == AccountID
		}) {
			continue
		}
		if matches(fs, img.fields, c.st.tags[id]) {
			out = append(out, img.out(c.st))
		}
	}
	return M{"Images": out}, nil
}

func anyOf(list []string, f func(string) bool) bool {
	for _, x := range list {
		if f(x) {
			return true
		}
	}
	return false
}

func createImage(c *call) (M, error) {
	in, err := c.instance(c.in.str("InstanceId"))
	if err != nil {
		return nil, err
	}
	if in.state == "terminated" || in.state == "shutting-down" || in.state == "pending" {
		return nil, errorf(CodeIncorrectInstanceState, "The instance '%s' is not in a state from which it can be imaged.", in.id)
	}
	name := c.in.str("Name")
	if len(name) < 3 || len(name) > 128 {
		return nil, errorf(CodeInvalidParameterValue, "AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '.', '-', '/' and '_'")
	}
	for _, img := range c.st.images {
		if img.owner == AccountID && img.name == name {
			return nil, errorf("InvalidAMIName.Duplicate", "AMI name %s is already in use by AMI %s", name, img.id)
		}
	}
	src := c.st.images[in.imageID]
	img := &image{id: c.st.newID("ami", c.now), name: name, description: c.in.str("Description"), owner: AccountID,
		arch: in.arch, rootDevice: in.rootDevice, state: "available", created: c.now, size: 8,
		snapshotID: c.st.newID("snap", c.now), sourceInstance: in.id}
	if src != nil {
		img.platform, img.size = src.platform, src.size
	}
	c.st.images[img.id] = img
	c.st.setTags(img.id, c.in.tagSpecs("image"))
	return M{"ImageId": img.id}, nil
}

func deregisterImage(c *call) (M, error) {
	id := c.in.str("ImageId")
	if !validID(id, "ami") {
		return nil, errorf("InvalidAMIID.Malformed", "Invalid id: \"%s\" (expecting \"ami-...\")", id)
	}
	img := c.st.images[id]
	if img == nil {
		return nil, errorf("InvalidAMIID.NotFound", "The image id '[%s]' does not exist", id)
	}
	if img.owner != AccountID {
		return nil, errorf(CodeAuthFailure, "Not authorized for image:%s", id)
	}
	delete(c.st.images, id)
	c.st.forget(id)
	return M{}, nil
}
