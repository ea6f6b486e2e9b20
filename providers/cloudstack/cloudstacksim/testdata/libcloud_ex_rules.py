#!/usr/bin/env python3
"""Drive the goclouds CloudStack simulator with Apache Libcloud's ex_* calls
for addresses, static NAT, IP and port forwarding, firewall and egress rules,
affinity groups, projects, limits, OS types, ISOs, snapshot templates, volumes
and tags, unmodified.

Usage: libcloud_ex_rules.py ENDPOINT_URL API_KEY SECRET_KEY

Exits non-zero (with a traceback) on the first failure; prints one line per
step. Static NAT, which Libcloud has no method for, is enabled with
Libcloud's own request helper.
"""

import sys

from libcloud.compute.providers import get_driver
from libcloud.compute.types import Provider

from libcloud_compat import check, step  # the sibling script's helpers


def main():
    url, key, secret = sys.argv[1:4]
    driver = get_driver(Provider.CLOUDSTACK)(key=key, secret=secret, url=url, secure=False)
    driver.connection.poll_interval = 0.05

    zones = {z.name: z for z in driver.list_locations()}
    zone1, zone2 = zones["sim-zone-1"], zones["sim-zone-2"]
    image = [i for i in driver.list_images(location=zone2) if i.name == "tiny Linux"][0]
    size = [s for s in driver.list_sizes() if s.name == "tinyOffering"][0]
    node = driver.create_node(name="lc-rules", size=size, image=image, location=zone2, ex_start_vm=True)
    other = driver.create_node(name="lc-other", size=size, image=image, location=zone2, ex_start_vm=True)
    step("nodes %s %s" % (node.id, other.id))

    # Public addresses.
    before = {a.id for a in driver.ex_list_public_ips()}
    addr = driver.ex_allocate_public_ip(location=zone2)
    addr2 = driver.ex_allocate_public_ip(location=zone2)
    ips = {a.id: a for a in driver.ex_list_public_ips()}
    check(addr.id in ips and addr2.id in ips and addr.id not in before, "allocated addresses not listed: %r" % ips)
    check(ips[addr.id].address == addr.address, "address %r" % ips[addr.id].address)
    step("allocated %s and %s" % (addr.address, addr2.address))

    # Static NAT (no Libcloud method) and IP forwarding.
    driver._sync_request(command="enableStaticNat", params={"ipaddressid": addr.id, "virtualmachineid": node.id})
    rule = driver.ex_create_ip_forwarding_rule(node, addr, "TCP", 22, 23)
    check(rule is not None and rule.id, "ip forwarding rule %r" % rule)
    rules = driver.ex_list_ip_forwarding_rules()
    check([r.id for r in rules] == [rule.id], "ip forwarding rules %r" % rules)
    check(rules[0].node.id == node.id and rules[0].address.address == addr.address, "rule target %r" % rules[0])
    by_id = {n.id: n for n in driver.list_nodes()}
    check(addr.address in by_id[node.id].public_ips, "static NAT address not on its node: %r" % by_id[node.id].public_ips)
    check(addr.address not in by_id[other.id].public_ips, "static NAT address on another node")
    check([r.id for r in by_id[node.id].extra["ip_forwarding_rules"]] == [rule.id],
          "list_nodes ip_forwarding_rules %r" % by_id[node.id].extra["ip_forwarding_rules"])
    check(by_id[other.id].extra["ip_forwarding_rules"] == [], "ip forwarding rule on another node")
    got = driver.ex_get_node(node.id)
    check([r.id for r in got.extra["ip_forwarding_rules"]] == [rule.id],
          "ex_get_node ip_forwarding_rules %r" % got.extra["ip_forwarding_rules"])
    driver.ex_delete_ip_forwarding_rule(node, rule)
    check(driver.ex_list_ip_forwarding_rules() == [], "ip forwarding rule not deleted")
    driver._async_request(command="disableStaticNat", params={"ipaddressid": addr.id})
    step("static NAT and ip forwarding")

    # Port forwarding.
    pf = driver.ex_create_port_forwarding_rule(other, addr2, 22, 2222, "TCP")
    check(pf.public_port == 2222 and pf.private_port == 22, "port forwarding rule %r" % pf)
    pfs = driver.ex_list_port_forwarding_rules()
    check([r.id for r in pfs] == [pf.id], "port forwarding rules %r" % pfs)
    check(pfs[0].node.id == other.id, "port forwarding node %r" % pfs[0].node)
    by_id = {n.id: n for n in driver.list_nodes()}
    check(addr2.address in by_id[other.id].public_ips, "forwarded address not on its node")
    check(addr2.address not in by_id[node.id].public_ips, "forwarded address on another node")
    driver.ex_delete_port_forwarding_rule(other, pf)
    check(driver.ex_list_port_forwarding_rules() == [], "port forwarding rule not deleted")
    step("port forwarding")

    # Firewall rules.
    fw = driver.ex_create_firewall_rule(addr2, "0.0.0.0/0", "TCP", start_port=80, end_port=81)
    icmp = driver.ex_create_firewall_rule(addr2, "10.0.0.0/8", "ICMP", icmp_code=0, icmp_type=8)
    listed = {r.id: r for r in driver.ex_list_firewall_rules()}
    check(fw.id in listed and icmp.id in listed, "firewall rules %r" % listed)
    check(str(listed[fw.id].start_port) == "80" and str(listed[fw.id].end_port) == "81", "ports %r" % listed[fw.id])
    check(str(listed[icmp.id].icmp_type) == "8", "icmp type %r" % listed[icmp.id].icmp_type)
    driver.ex_delete_firewall_rule(fw)
    driver.ex_delete_firewall_rule(icmp)
    left = {r.id for r in driver.ex_list_firewall_rules()}
    check(fw.id not in left and icmp.id not in left, "firewall rules not deleted")
    step("firewall rules")

    # Egress firewall rules of the isolated network.
    network_id = ips[addr.id].associated_network_id
    eg = driver.ex_create_egress_firewall_rule(network_id, "10.1.1.0/24", "TCP", start_port=443, end_port=443)
    egs = driver.ex_list_egress_firewall_rules()
    check([r.id for r in egs] == [eg.id] and egs[0].network_id == network_id, "egress rules %r" % egs)
    driver.ex_delete_egress_firewall_rule(eg)
    try:
        left = driver.ex_list_egress_firewall_rules()
    except KeyError:  # Libcloud indexes the empty answer {} (its bug; real servers answer {} too)
        left = []
    check(left == [], "egress rule not deleted")
    step("egress firewall rules")

    check(driver.ex_release_public_ip(addr) and driver.ex_release_public_ip(addr2), "release")
    left = {a.id for a in driver.ex_list_public_ips()}
    check(addr.id not in left and addr2.id not in left, "released addresses still listed")
    step("released")

    # Affinity groups.
    types = driver.ex_list_affinity_group_types()
    anti = [t for t in types if t.type == "host anti-affinity"]
    check(anti, "affinity group types %r" % [t.type for t in types])
    ag = driver.ex_create_affinity_group("lc-ag", anti[0])
    check(ag.name == "lc-ag" and ag.type.type == "host anti-affinity", "affinity group %r" % ag)
    check([g.id for g in driver.ex_list_affinity_groups()] == [ag.id], "affinity groups")
    driver.ex_delete_affinity_group(ag)
    check(driver.ex_list_affinity_groups() == [], "affinity group not deleted")
    step("affinity groups")

    # Projects, limits, OS types.
    driver._async_request(command="createProject", params={"name": "lc-project", "displaytext": "Libcloud"})
    projects = driver.ex_list_projects()
    check([p.name for p in projects] == ["lc-project"], "projects %r" % projects)
    check(projects[0].display_text == "Libcloud", "project %r" % projects[0].display_text)
    limits = driver.ex_limits()
    check(limits.get("max_instances") == -1 and len(limits) == 12, "limits %r" % limits)
    os_types = driver.ex_list_os_types()
    ubuntu = [o for o in os_types if o["description"] == "Ubuntu 22.04 LTS"]
    check(ubuntu, "os types %r" % os_types)
    step("projects, limits, os types")

    # ISOs, volumes, snapshot templates.
    iso = driver.ex_register_iso("lc-iso", "http://mirror.example.com/lc.iso", location=zone1)
    check(iso["iso"][0]["name"] == "lc-iso" and iso["iso"][0]["zoneid"] == zone1.id, "iso %r" % iso)
    boot = driver.ex_register_iso("lc-boot", "http://mirror.example.com/boot.iso", bootable=True,
                                  ostypeid=ubuntu[0]["id"])
    check(boot["iso"][0]["bootable"] is True, "bootable iso %r" % boot)
    root = [v for v in driver.list_volumes(node=node) if v.extra.get("volume_type") == "ROOT"][0]
    vol = driver.ex_get_volume(root.id)
    check(vol.id == root.id and vol.name == root.name, "ex_get_volume %r" % vol)
    snap = driver.create_volume_snapshot(root)
    tpl = driver.ex_create_snapshot_template(snap, "lc-template", ubuntu[0]["id"])
    check(tpl.name == "lc-template" and tpl.extra["os"] == "Ubuntu 22.04 LTS", "template %r" % tpl)
    check(tpl.id in {i.id for i in driver.list_images()}, "template not listed")
    step("iso, volume, snapshot template")

    # Tags.
    check(driver.ex_create_tags([node.id], "UserVm", {"env": "lc", "team": "x"}), "create tags")
    tagged = [n for n in driver.list_nodes() if n.id == node.id][0]
    check(tagged.extra.get("tags") == {"env": "lc", "team": "x"}, "tags %r" % tagged.extra.get("tags"))
    check(driver.ex_delete_tags([node.id], "UserVm", ["team"]), "delete tags")
    tagged = [n for n in driver.list_nodes() if n.id == node.id][0]
    check(tagged.extra.get("tags") == {"env": "lc"}, "tags after delete %r" % tagged.extra.get("tags"))
    step("tags")

    for n in (node, other):
        driver.destroy_node(n)
    step("done")


if __name__ == "__main__":
    main()
