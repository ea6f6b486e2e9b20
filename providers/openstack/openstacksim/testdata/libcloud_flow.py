"""Libcloud's OpenStack_2_NodeDriver against openstacksim.
argv: auth_url (http://HOST:PORT/identity) user password project."""
import sys
import time

from libcloud.compute.providers import get_driver
from libcloud.compute.types import NodeState, Provider

auth_url, user, password, project = sys.argv[1:5]
cls = get_driver(Provider.OPENSTACK)
drv = cls(user, password, ex_force_auth_url=auth_url, ex_force_auth_version="3.x_password",
          ex_tenant_name=project, ex_domain_name="Default", ex_force_service_region="RegionOne")
images = drv.list_images()
sizes = drv.list_sizes()
assert images and sizes, (images, sizes)
size = [s for s in sizes if s.name == "m1.tiny"][0]
node = drv.create_node(name="lc-vm", image=images[0], size=size)
deadline = time.time() + 60
while True:
    node = drv.ex_get_node_details(node.id)
    if node.state == NodeState.RUNNING:
        break
    assert time.time() < deadline, node.state
    time.sleep(0.2)
assert node.private_ips, node.extra
assert any(n.id == node.id for n in drv.list_nodes())
assert drv.reboot_node(node)
assert drv.destroy_node(node)
print("libcloud flow ok")
