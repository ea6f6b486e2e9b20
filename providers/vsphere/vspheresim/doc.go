// Package vspheresim starts vcsim, VMware's own vSphere simulator (the
// simulator package of github.com/vmware/govmomi), set up the way goclouds'
// vSphere provider, its tests, `goclouds sim --provider vsphere` and users
// want it. It is not a simulator of goclouds': every answer comes from vcsim;
// this package only starts it and prepares its inventory.
//
//	s, err := vspheresim.Start(ctx, &vspheresim.Options{Tools: true})
//	if err != nil { ... }
//	defer s.Close()
//	d, err := vsphere.New(&vsphere.Options{URL: s.URL.String(),
//		Username: s.Username, Password: s.Password, CAFile: s.CAFile})
//
// [Start] runs vcsim's VPX model (a vCenter: datacenter DC0 with a cluster
// and a standalone host, and their VMs; or the model given) on loopback over
// TLS with vcsim's self-signed certificate, which [Server.CAFile] and
// [Server.Thumbprint] let clients verify, and a user name and password
// ([DefaultUsername], [DefaultPassword] unless given). It powers off and
// renames one model VM (DC0_H0_VM1) to [TemplateName] and marks it as a
// template, so that there is an image to clone.
//
// vcsim has no guest operating system, so no VMware Tools report guest
// addresses. With [Options.Tools], a stand-in does it: every few
// milliseconds, each powered-on VM without an address gets one (10.0.x.y)
// and Tools "running", through vcsim's SET.guest.* extraConfig hook.
//
// [Server.Env] gives the govc variables (GOVC_URL, GOVC_USERNAME,
// GOVC_PASSWORD, GOVC_TLS_CA_CERTS) that point govc and goclouds at it.
package vspheresim
