package cloudstack

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/cloudstack/internal/csapi"
	"github.com/goclouds/goclouds/providers/cloudstack/internal/csjson"
)

// ExRawRequest sends any CloudStack API command, signed and checked like
// every other call, and returns its response object (the content of the
// "<command>response" member) as raw JSON. An asynchronous command (one the
// 4.18 spec marks async, or whose answer is only a job id) is awaited and
// its job result returned instead. Errors are *compute.Error values wrapping
// an *APIError, as everywhere.
//
// Reads (list*, get*, query*, find*) are retried like every read; any other
// command is sent once. A list command returns the single page the server
// sends: pass page and pagesize to page yourself. Not portable: this is the
// escape hatch for commands without a typed method.
func (d *Driver) ExRawRequest(ctx context.Context, command string, params url.Values) (json.RawMessage, error) {
	const op = "ExRawRequest"
	command = strings.TrimSpace(command)
	if command == "" {
		return nil, d.errorf(op, "", compute.ErrInvalidArgument, "empty command")
	}
	for k := range params {
		switch strings.ToLower(k) {
		case "command", "apikey", "signature", "response", "signatureversion", "expires":
			return nil, d.errorf(op, "", compute.ErrInvalidArgument, "parameter %q is set by the driver", k)
		}
	}
	var inner json.RawMessage
	if err := d.call(ctx, op, command, params, &inner); err != nil {
		return nil, err
	}
	if csapi.IsIdempotent(command) {
		return inner, nil
	}
	var sub csapi.Submitted
	if err := csjson.Unmarshal(inner, &sub); err != nil || sub.JobID == "" || (!csapi.IsAsync(command) && !sub.LooksLikeJob()) {
		return inner, nil
	}
	s := &submission{command: command, jobID: sub.JobID, id: sub.ID}
	if s.id == "" {
		s.id = params.Get("id")
	}
	var result json.RawMessage
	if err := d.await(ctx, op, s, "", &result); err != nil {
		return nil, err
	}
	return result, nil
}
