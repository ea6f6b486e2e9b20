package vspheresim_test

import (
	"context"
	"net/url"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/soap"
)

// newVimClient returns a client over sc, not logged in.
func newVimClient(ctx context.Context, sc *soap.Client) (*govmomi.Client, error) {
	vc, err := vim25.NewClient(ctx, sc)
	if err != nil {
		return nil, err
	}
	return &govmomi.Client{Client: vc}, nil
}

// userInfo returns the credentials as url.Userinfo.
func userInfo(user, password string) *url.Userinfo {
	return url.UserPassword(user, password)
}
