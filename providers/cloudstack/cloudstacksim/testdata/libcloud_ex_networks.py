#!/usr/bin/env python3
"""Drive the goclouds CloudStack simulator with Apache Libcloud's ex_* calls
for networks, VPCs, routers, network ACLs, NICs, affinity updates and
site-to-site VPN, unmodified.

Usage: libcloud_ex_networks.py ENDPOINT_URL API_KEY SECRET_KEY

Exits non-zero (with a traceback) on the first failure; prints one line per
step. Libcloud treats createVPC and createNetworkACLList as synchronous and
does not wait for their jobs: the script waits for what the jobs do (the
VPC's router) before it relies on it, as a careful Libcloud user must.
"""

import sys
import time

from libcloud.common.types import MalformedResponseError
from libcloud.compute.providers import get_driver
from libcloud.compute.types import Provider


def step(msg):
    print("ok:", msg, flush=True)


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def wait_for(what, fn, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = fn()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


def main():
    url, key, secret = sys.argv[1:4]
    driver = get_driver(Provider.CLOUDSTACK)(key=key, secret=secret, url=url, secure=False)
    driver.connection.poll_interval = 0.05

    zone = {z.name: z for z in driver.list_locations()}["sim-zone-2"]
    image = [i for i in driver.list_images(location=zone) if i.name == "tiny Linux"][0]
    size = [s for s in driver.list_sizes() if s.name == "tinyOffering"][0]

    # Offerings.
    offerings = {o.name: o for o in driver.ex_list_network_offerings()}
    isolated = offerings["DefaultIsolatedNetworkOfferingWithSourceNatService"]
    tier_offering = offerings["DefaultIsolatedNetworkOfferingForVpcNetworksNoLB"]
    check(tier_offering.for_vpc and not isolated.for_vpc, "for_vpc flags: %r %r" % (tier_offering.for_vpc, isolated.for_vpc))
    vpc_offering = [o for o in driver.ex_list_vpc_offerings() if o.name == "Default VPC offering"][0]
    step("offerings")

    # An isolated network, a VM with a second NIC on it.
    net = driver.ex_create_network("Backend", "lc-backend", isolated, zone, gateway="192.168.60.1", netmask="255.255.255.0")
    check(net.name == "lc-backend" and net.extra["gateway"] == "192.168.60.1", "network %r %r" % (net, net.extra))
    check(net.id in [n.id for n in driver.ex_list_networks()], "network not listed")
    node = driver.create_node(name="lc-nics", size=size, image=image, location=zone, ex_start_vm=True)
    check(driver.ex_attach_nic_to_node(node, net, ip_address="192.168.60.50"), "attach")
    nics = driver.ex_list_nics(node)
    check(len(nics) == 2, "nics %r" % nics)
    added = [n for n in nics if n.network_id == net.id][0]
    check(added.ip_address == "192.168.60.50" and not added.is_default, "added nic %r" % added.__dict__)
    default = [n for n in nics if n.is_default][0]
    try:
        driver.ex_detach_nic_from_node(default, node)
        raise AssertionError("the default NIC was removed")
    except Exception as e:
        check("nic is default" in str(e), "removing the default NIC: %s" % e)
    check(driver.ex_detach_nic_from_node(added, node), "detach")
    check(len(driver.ex_list_nics(node)) == 1, "nics after detach")
    step("nics")

    # Affinity groups change on a stopped VM.
    group = driver.ex_create_affinity_group("lc-spread", driver.ex_list_affinity_group_types()[0])
    check(driver.ex_stop(node) == "Stopped", "stop")
    # Real servers answer updateVMAffinityGroup under
    # "updatevirtualmachineresponse" (UpdateVMAffinityGroupCmd's name), which
    # Libcloud rejects as malformed after the job was submitted; the job
    # still runs.
    try:
        driver.ex_update_node_affinity_group(node, [group])
        raise AssertionError("Libcloud accepted the updatevirtualmachineresponse envelope")
    except MalformedResponseError as e:
        check("updatevirtualmachineresponse" in str(e), "unexpected error: %s" % e)
    wait_for("the affinity group", lambda: [n for n in driver.list_nodes()
                                            if n.id == node.id and n.extra["affinity_group"] == [group.id]])
    step("affinity group (Libcloud fails on the real envelope name; the job ran)")
    driver.destroy_node(node, ex_expunge=True)
    check(driver.ex_delete_network(net), "delete network")
    check(net.id not in [n.id for n in driver.ex_list_networks()], "network still listed")
    step("network deleted")

    # A VPC, its router, a tier.
    vpc = driver.ex_create_vpc("10.77.0.0/16", "Libcloud VPC", "lc-vpc", vpc_offering, zone.id, network_domain="lc.internal")
    routers = wait_for("the VPC router", lambda: driver.ex_list_routers(vpc_id=vpc.id))
    check(routers[0].vpc_id == vpc.id and routers[0].state == "Running" and routers[0].public_ip, "router %r" % routers[0].__dict__)
    vpcs = [v for v in driver.ex_list_vpcs() if v.id == vpc.id]
    check(vpcs and vpcs[0].cidr == "10.77.0.0/16" and vpcs[0].display_text == "Libcloud VPC", "vpcs %r" % vpcs)
    tier = driver.ex_create_network("Tier", "lc-tier", tier_offering, zone, gateway="10.77.1.1", netmask="255.255.255.0",
                                    vpc_id=vpc.id)
    check(tier.extra["vpc_id"] == vpc.id, "tier %r" % tier.extra)
    step("vpc %s with router %s" % (vpc.id, routers[0].name))

    # Network ACLs.
    acllist = driver.ex_create_network_acllist("lc-acl", vpc.id, description="Libcloud ACL")
    lists = {l.id: l for l in driver.ex_list_network_acllists()}
    check(acllist.id in lists and "default_deny" in [l.name for l in lists.values()], "acl lists %r" % lists)
    acl = driver.ex_create_network_acl("tcp", acllist.id, "0.0.0.0/0", 22, 22, action="Allow", traffic_type="Ingress")
    rules = [r for r in driver.ex_list_network_acl() if r.acl_id == acllist.id]
    check([r.id for r in rules] == [acl.id] and rules[0].protocol == "tcp" and rules[0].action == "Allow", "acls %r" % rules)
    check(driver.ex_replace_network_acllist(acllist.id, tier.id), "replace")
    tier_now = [n for n in driver.ex_list_networks() if n.id == tier.id][0]
    check(tier_now.extra.get("acl_id", acllist.id) == acllist.id, "tier acl %r" % tier_now.extra)
    step("network ACLs")

    # Site-to-site VPN.
    gateway = driver.ex_create_vpn_gateway(vpc)
    check(gateway.public_ip == routers[0].public_ip and gateway.vpc_id == vpc.id, "vpn gateway %r" % gateway.__dict__)
    check([g.id for g in driver.ex_list_vpn_gateways(vpc_id=vpc.id)] == [gateway.id], "vpn gateways")
    customer = driver.ex_create_vpn_customer_gateway("192.168.100.0/24", "aes256-sha256", "203.0.113.9",
                                                     "aes256-sha256;modp2048", "lc-psk", name="lc-office")
    check(customer.gateway == "203.0.113.9" and customer.cidr_list == "192.168.100.0/24", "customer gateway %r" % customer.__dict__)
    check(customer.id in [c.id for c in driver.ex_list_vpn_customer_gateways()], "customer gateways")
    conn = driver.ex_create_vpn_connection(customer, gateway)
    check(conn.vpn_gateway_id == gateway.id and conn.vpn_customer_gateway_id == customer.id, "connection %r" % conn.__dict__)
    state = wait_for("the tunnel", lambda: [c.state for c in driver.ex_list_vpn_connections(vpc_id=vpc.id)
                                            if c.id == conn.id and c.state == "Connected"])
    step("vpn connection %s" % state[0])
    try:
        driver.ex_delete_vpn_gateway(gateway)
        raise AssertionError("a gateway with connections was deleted")
    except Exception as e:
        check("still related VPN connections" in str(e), "deleting a gateway in use: %s" % e)
    check(driver.ex_delete_vpn_connection(conn), "delete connection")
    check(driver.ex_delete_vpn_customer_gateway(customer), "delete customer gateway")
    check(driver.ex_delete_vpn_gateway(gateway), "delete gateway")
    check(not driver.ex_list_vpn_gateways(vpc_id=vpc.id), "gateways left")
    step("vpn deleted")

    # Tear down: a VPC with tiers is refused, then deleted.
    try:
        driver.ex_delete_vpc(vpc)
        raise AssertionError("a VPC with tiers was deleted")
    except Exception as e:
        check("networks" in str(e), "deleting a VPC with tiers: %s" % e)
    check(driver.ex_delete_network(tier), "delete tier")
    check(driver.ex_delete_vpc(vpc), "delete vpc")
    check(vpc.id not in [v.id for v in driver.ex_list_vpcs()], "vpc still listed")
    step("vpc deleted")


if __name__ == "__main__":
    main()
