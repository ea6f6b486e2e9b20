#!/usr/bin/env python3
"""Drive the goclouds CloudStack simulator with Apache Libcloud, unmodified.

Usage: libcloud_compat.py ENDPOINT_URL API_KEY SECRET_KEY

Exercises Libcloud's CloudStack driver end to end: catalogue, key pairs,
security groups, node create/list/start/stop/reboot/resize/destroy, volumes
and snapshots, plus error reporting. Exits non-zero (with a traceback) on the
first failure; prints one line per step.
"""

import sys

import libcloud
from libcloud.common.types import InvalidCredsError, ProviderError
from libcloud.compute.providers import get_driver
from libcloud.compute.types import NodeState, Provider, StorageVolumeState

IMPORTED_KEY = (
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCyp1nyVgFPosLfnIiTkZ59VWKdWNklxmfHypkLVaRAfDRjMesVHOiLcCueUPnzkf"
    "zmycG0/6+V4voYLBbUDuj0LerllMJSuQmz69vfWejrcVXsBnp5uIznczFNRl+5XDHCOIf1ib89i3AWUbjQx3mg96S2TwRJNQ1tk1meZ"
    "stbs62Bpvjo9CC2F1qqexhj6SFG4aJDYyteRxHzgMSG0QdoGBLJaM+namd4AMxEX7KztFBiGgKCGtU9xjCaR50Gc+gAPDaEq5ZJcxC7W"
    "j+RSzKcDCclhcXt5tzlPXDGnfZO2kwN2kFKB5K/lNUHXr/MVkl0o4RJRghRQx5anmXMReiB libcloud-compat"
)


def step(msg):
    print("ok:", msg, flush=True)


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def main():
    url, key, secret = sys.argv[1:4]
    cls = get_driver(Provider.CLOUDSTACK)
    driver = cls(key=key, secret=secret, url=url, secure=False)
    # Poll async jobs quickly; the simulator's jobs take a fraction of a second.
    driver.connection.poll_interval = 0.05
    step("libcloud %s" % libcloud.__version__)

    # Catalogue.
    locations = driver.list_locations()
    check(len(locations) >= 2, "want at least two zones, got %r" % locations)
    zone = locations[0]
    sizes = {s.name: s for s in driver.list_sizes()}
    for name, ram in (("tinyOffering", 100), ("Small Instance", 512), ("Medium Instance", 1024)):
        check(name in sizes and sizes[name].ram == ram, "size %s (%d MB) missing: %r" % (name, ram, sizes))
    images = driver.list_images(location=zone)
    tiny = [i for i in images if i.name == "tiny Linux"]
    check(len(tiny) == 1, "tiny Linux not listed once in zone: %r" % images)
    image = tiny[0]
    step("catalogue: %d zones, %d sizes, %d images" % (len(locations), len(sizes), len(images)))

    # Key pairs.
    kp = driver.create_key_pair("lc-key")
    check(kp.private_key and kp.private_key.startswith("-----BEGIN RSA PRIVATE KEY-----"), "no private key")
    check(kp.fingerprint.count(":") == 15, "fingerprint %r" % kp.fingerprint)
    imported = driver.import_key_pair_from_string("lc-imported", IMPORTED_KEY)
    check(imported.name == "lc-imported", "imported key %r" % imported)
    names = sorted(k.name for k in driver.list_key_pairs())
    check(names == ["lc-imported", "lc-key"], "key pairs %r" % names)
    check(driver.get_key_pair("lc-key").fingerprint == kp.fingerprint, "get_key_pair fingerprint")
    try:
        driver.get_key_pair("no-such-key")
        raise AssertionError("get_key_pair of a missing key succeeded")
    except Exception as e:  # KeyPairDoesNotExistError
        check("no-such-key" in str(e) or "KeyPair" in type(e).__name__, "unexpected error %r" % e)
    step("key pairs")

    # Security groups.
    sg = driver.ex_create_security_group("lc-sg", description="libcloud compat")
    check(sg["name"] == "lc-sg", "security group %r" % sg)
    res = driver.ex_authorize_security_group_ingress("lc-sg", "TCP", "0.0.0.0/0", 22, 22)
    rules = res["ingressrule"]
    check(len(rules) == 1 and rules[0]["startport"] == 22, "ingress rules %r" % rules)
    res = driver.ex_authorize_security_group_ingress("lc-sg", "ICMP", "10.0.0.0/8", icmptype=8, icmpcode=0)
    icmp_rule = res["ingressrule"][0]
    # Libcloud's test_ex_authorize_security_group_ingress: port 0 is a port.
    res = driver.ex_authorize_security_group_ingress("lc-sg", "udp", "0.0.0.0/0", "0", "65535")
    rules = res["ingressrule"]
    check(len(rules) == 1 and rules[0]["startport"] == 0 and rules[0]["endport"] == 65535 and rules[0]["protocol"] == "udp",
          "udp 0-65535 rules %r" % rules)
    groups = {g["name"]: g for g in driver.ex_list_security_groups()}
    check("default" in groups and len(groups["lc-sg"]["ingressrule"]) == 3, "groups %r" % groups)
    check(driver.ex_revoke_security_group_ingress(icmp_rule["ruleid"]), "revoke")
    check(driver.ex_revoke_security_group_ingress(rules[0]["ruleid"]), "revoke udp")
    groups = {g["name"]: g for g in driver.ex_list_security_groups()}
    check(len(groups["lc-sg"]["ingressrule"]) == 1, "after revoke %r" % groups["lc-sg"])
    step("security groups")

    # Nodes.
    node = driver.create_node(name="lc-node-1", size=sizes["tinyOffering"], image=image, location=zone,
                              ex_keyname="lc-key", ex_security_groups=["lc-sg"],
                              ex_userdata="#!/bin/sh\necho hello\n", ex_start_vm=True)
    check(node.state == NodeState.RUNNING, "node state %r" % node.state)
    check(node.private_ips, "node has no private IP: %r" % node)
    check(node.extra["security_group"] == ["lc-sg"], "node groups %r" % node.extra["security_group"])
    stopped = driver.create_node(name="lc-node-2", size=sizes["Small Instance"], image=image, location=zone)
    check(stopped.state == NodeState.STOPPED, "libcloud's default startvm=False should leave the node stopped: %r" % stopped.state)
    nodes = {n.name: n for n in driver.list_nodes()}
    check(set(nodes) >= {"lc-node-1", "lc-node-2"}, "list_nodes %r" % list(nodes))
    check(nodes["lc-node-1"].state == NodeState.RUNNING and nodes["lc-node-2"].state == NodeState.STOPPED,
          "states %r" % {k: v.state for k, v in nodes.items()})
    check(driver.list_nodes(location=locations[1]) == [], "zone filter")
    step("create/list nodes")

    check(driver.ex_stop(node) == "Stopped", "ex_stop")
    check(driver.ex_start(node) == "Running", "ex_start")
    check(driver.reboot_node(node), "reboot_node")
    check(driver.ex_start(stopped) == "Running", "ex_start second node")
    offering = driver.ex_change_node_size(node, sizes["Small Instance"])
    check(offering == sizes["Small Instance"].id, "ex_change_node_size %r" % offering)
    got = driver.ex_get_node(node.id)
    check(got.state == NodeState.RUNNING and got.extra["size_id"] == sizes["Small Instance"].id, "ex_get_node %r" % got.extra)
    step("start/stop/reboot/resize")

    # Volumes and snapshots.
    vol = driver.create_volume(10, "lc-vol", location=zone)
    check(vol.name == "lc-vol", "volume %r" % vol)
    check(driver.attach_volume(node, vol), "attach_volume")
    vols = {v.name: v for v in driver.list_volumes(node=node)}
    check("lc-vol" in vols and vols["lc-vol"].state == StorageVolumeState.INUSE, "volumes %r" % vols)
    check(any(v.extra["volume_type"] == "ROOT" for v in vols.values()), "no ROOT volume: %r" % vols)
    snap = driver.create_volume_snapshot(vols["lc-vol"])
    snaps = driver.list_snapshots()
    check([s.id for s in snaps] == [snap.id], "snapshots %r" % snaps)
    check(snaps[0].extra["volume_id"] == vol.id, "snapshot volume %r" % snaps[0].extra)
    check(driver.destroy_volume_snapshot(snap), "destroy_volume_snapshot")
    check(driver.detach_volume(vols["lc-vol"]), "detach_volume")
    check(driver.destroy_volume(vols["lc-vol"]), "destroy_volume")
    check("lc-vol" not in {v.name for v in driver.list_volumes()}, "volume still listed")
    step("volumes and snapshots")

    # Errors.
    try:
        driver.ex_get_node("00000000-0000-4000-8000-000000000000")
        raise AssertionError("ex_get_node of a missing id succeeded")
    except ProviderError as e:
        check(e.http_code == 431 and "entity does not exist" in str(e), "missing id error %r" % e)
    bad = cls(key=key, secret=secret + "x", url=url, secure=False)
    try:
        bad.list_nodes()
        raise AssertionError("a wrong secret key was accepted")
    except InvalidCredsError:
        pass
    step("errors")

    # Destroy.
    check(driver.destroy_node(node, ex_expunge=True), "destroy_node expunge")
    check(driver.destroy_node(stopped), "destroy_node")
    remaining = {n.name: n.state for n in driver.list_nodes()}
    check("lc-node-1" not in remaining, "expunged node still listed: %r" % remaining)
    check(remaining.get("lc-node-2") == NodeState.TERMINATED, "destroyed node %r" % remaining)
    check(driver.ex_delete_security_group("lc-sg") is not None, "delete security group")
    check(driver.delete_key_pair(kp) is not None, "delete_key_pair")
    check(sorted(k.name for k in driver.list_key_pairs()) == ["lc-imported"], "key pairs after delete")
    step("destroy and clean up")
    print("PASS", flush=True)


if __name__ == "__main__":
    main()
