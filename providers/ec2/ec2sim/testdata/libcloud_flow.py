"""Drives ec2sim with Apache Libcloud's EC2 driver: argv = host port key secret."""
import sys
import time

from libcloud.compute.base import NodeImage, NodeSize
from libcloud.compute.providers import get_driver
from libcloud.compute.types import NodeState, Provider

host, port, key, secret = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
cls = get_driver(Provider.EC2)

for version in ("2", "4"):
    drv = cls(key, secret, region="us-east-1", host=host, port=port, secure=False, signature_version=version)
    images = drv.list_images(ex_owner="amazon")
    assert images, "no images"
    image = [i for i in images if i.name.startswith("al2023") and i.extra["architecture"] == "x86_64"][0]
    sizes = drv.list_sizes()
    size = [s for s in sizes if s.id == "t3.micro"][0]
    locations = drv.list_locations()
    assert locations and locations[0].availability_zone.name.startswith("us-east-1"), locations

    name = "lc-key-v" + version
    kp = drv.create_key_pair(name)
    assert kp.private_key.startswith("-----BEGIN RSA PRIVATE KEY-----"), kp.private_key[:30]
    assert [k for k in drv.list_key_pairs() if k.name == name]
    assert drv.get_key_pair(name).fingerprint == kp.fingerprint

    node = drv.create_node(name="lc-node-v" + version, image=image, size=size, ex_keyname=name,
                           ex_userdata="#!/bin/sh\necho libcloud\n", location=locations[0])
    assert node.extra["key_name"] == name, node.extra
    for _ in range(50):
        nodes = [n for n in drv.list_nodes() if n.id == node.id]
        if nodes and nodes[0].state == NodeState.RUNNING:
            break
        time.sleep(0.1)
    else:
        raise AssertionError("node never ran")
    assert nodes[0].name == "lc-node-v" + version, nodes[0].name
    assert nodes[0].public_ips, nodes[0].public_ips
    assert drv.reboot_node(nodes[0])

    vol = drv.create_volume(size=2, name="lc-vol-v" + version, location=locations[0])
    for _ in range(50):
        vols = [v for v in drv.list_volumes() if v.id == vol.id]
        if vols and vols[0].extra["state"] == "available":
            break
        time.sleep(0.1)
    assert drv.attach_volume(nodes[0], vol, device="/dev/sdh")
    snap = drv.create_volume_snapshot(vol, name="lc-snap")
    assert [s for s in drv.list_snapshots() if s.id == snap.id]
    time.sleep(0.3)
    assert drv.detach_volume(vol)
    for _ in range(50):
        vols = [v for v in drv.list_volumes() if v.id == vol.id]
        if vols and vols[0].extra["state"] == "available":
            break
        time.sleep(0.1)
    assert drv.destroy_volume_snapshot(snap)
    assert drv.destroy_volume(vol)

    assert drv.destroy_node(nodes[0])
    assert drv.delete_key_pair(kp)
    print("libcloud signature v%s ok" % version)
print("libcloud flow ok")
