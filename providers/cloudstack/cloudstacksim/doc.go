// Package cloudstacksim is a stateful simulator of the Apache CloudStack
// management server API, faithful enough that real, unmodified CloudStack
// clients (Apache Libcloud, cs, cloudmonkey, goclouds) work against it. It
// backs goclouds' tests, demo and benchmarks, and `goclouds sim` serves it.
//
// It follows the reference notes on real servers (signing, envelopes, error
// codes and texts, async jobs, paging, VM states) and validates every request
// against the embedded CloudStack 4.18 listApis spec. It imports only the
// standard library and goclouds/types; in particular no goclouds CloudStack
// client code, so that testing the driver against it is honest.
//
// # Using it
//
// [New] returns a [*Server], an http.Handler safe for concurrent use, with a
// catalogue (two zones, templates including "tiny Linux", service, disk and
// network offerings, networks) and two accounts: the root admin "admin"
// ([Server.AdminCredentials]) and the normal account "user"
// ([Server.UserCredentials]). Serve it with httptest.NewServer or with
// [Server.ListenAndServe] / [Server.Serve]; the API path is [Server.Path]
// (/client/api by default). [SignValues], [Sign] and [StringToSign] sign
// requests the way the server checks them.
//
// # Knobs
//
// Tests steer the server through methods on [*Server]: [Server.SetJobDelay],
// [Server.InjectFault] (errors, failed jobs, dropped connections before or
// after the effect, truncated or malformed bodies), [Server.SetLatency],
// [Server.SetThrottle] (the real 429; [Server.ThrottledCount]), [Server.RequestCount],
// [Server.PopulateVMs] and [Server.SetVMAddress].
//
// # Adding a command
//
// Commands live in one file per resource family (vms.go, volumes.go,
// firewall.go, ...), each registering its commands from init:
//
//	register(cmdDef{Name: "createThing", Handler: createThing, Create: true,
//		InstanceType: "Thing", ItemKey: "thing"})
//
// The spec supplies the parameters and whether the command is async; before
// a handler runs, the framework has authenticated the caller, unpacked and
// validated the parameters (required, types, lengths, uuids resolved to
// entities of the registered kind) and checked paging. A handler reads its
// parameters from the *call (str, boolean, integer, list, mapList, refAs,
// refsAs), checks ownership (owner, checkAccess, scope, checkLimits) and
// answers an objReply, listReply (via listItems), successReply or flatReply;
// async commands do their synchronous part and return an *asyncReply whose
// run function applies the effect when the job completes. A new kind of
// entity embeds base (and owned), gets a table in state and a registerKind
// call. docs/simulator.md describes the steps in detail; after adding
// commands, run go generate to refresh its command table.
package cloudstacksim
