"""openstacksdk flow against openstacksim (argv: none; reads OS_* variables)."""
import base64
import sys

import openstack
from openstack import exceptions

conn = openstack.connect()
flavor = conn.compute.find_flavor("m1.tiny")
image = conn.image.find_image("cirros-0.6.2-x86_64-disk")
net = conn.network.find_network("private")
assert flavor and image and net, (flavor, image, net)
kp = conn.compute.create_keypair(name="sdk-key")
assert kp.private_key
server = conn.compute.create_server(name="sdk-vm", flavor_id=flavor.id, image_id=image.id,
                                    networks=[{"uuid": net.id}], key_name="sdk-key",
                                    user_data=base64.b64encode(b"#!/bin/sh\necho hi\n").decode())
server = conn.compute.wait_for_server(server, wait=60, interval=0.2)
assert server.status == "ACTIVE", server.status
conn.compute.stop_server(server)
conn.compute.wait_for_server(server, status="SHUTOFF", wait=60, interval=0.2)
conn.compute.start_server(server)
conn.compute.wait_for_server(server, wait=60, interval=0.2)
conn.compute.reboot_server(server, "SOFT")
conn.compute.wait_for_server(server, wait=60, interval=0.2)
vol = conn.block_storage.create_volume(size=1, name="sdk-vol")
conn.block_storage.wait_for_status(vol, "available", wait=60, interval=0.2)
conn.compute.create_volume_attachment(server, volume_id=vol.id)
conn.block_storage.wait_for_status(vol, "in-use", wait=60, interval=0.2)
conn.compute.delete_volume_attachment(vol.id, server)
conn.block_storage.wait_for_status(vol, "available", wait=60, interval=0.2)
snap = conn.block_storage.create_snapshot(volume_id=vol.id, name="sdk-snap")
conn.block_storage.wait_for_status(snap, "available", wait=60, interval=0.2)
conn.block_storage.delete_snapshot(snap)
conn.block_storage.wait_for_delete(snap, wait=60, interval=0.2)
conn.block_storage.delete_volume(vol)
public = conn.network.find_network("public")
port = next(conn.network.ports(device_id=server.id))
fip = conn.network.create_ip(floating_network_id=public.id, port_id=port.id)
server = conn.compute.get_server(server.id)
assert any(a["OS-EXT-IPS:type"] == "floating" for a in server.addresses["private"]), server.addresses
conn.network.delete_ip(fip)
try:
    conn.compute.get_server("00000000-0000-0000-0000-000000000000")
    sys.exit("unknown server: no error")
except exceptions.NotFoundException:
    pass
try:
    conn.compute.create_keypair(name="sdk-key")
    sys.exit("duplicate key pair: no error")
except exceptions.ConflictException:
    pass
conn.compute.delete_server(server)
conn.compute.wait_for_delete(server, wait=60, interval=0.2)
print("sdk flow ok")
