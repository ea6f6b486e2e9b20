#!/bin/sh
# The openstack CLI flow against openstacksim (OS_* variables set by the test).
set -eu
openstack flavor list -f value -c Name | grep -qx m1.tiny
openstack image list -f value -c Name | grep -qx cirros-0.6.2-x86_64-disk
openstack network list -f value -c Name | grep -qx public
openstack security group list -f value -c Name | grep -q default
openstack keypair create cli-key > /dev/null
if openstack keypair create cli-key > /dev/null 2>&1; then echo "duplicate key pair accepted"; exit 1; fi
printf '#!/bin/sh\necho hi\n' > "$TMPDIR/ud.sh"
openstack server create --image cirros-0.6.2-x86_64-disk --flavor m1.tiny --key-name cli-key \
  --user-data "$TMPDIR/ud.sh" --network private --wait cli-vm > /dev/null
test "$(openstack server show cli-vm -f value -c status)" = ACTIVE
openstack server list -f value -c Name | grep -qx cli-vm
openstack server stop cli-vm
until [ "$(openstack server show cli-vm -f value -c status)" = SHUTOFF ]; do sleep 0.2; done
openstack server start cli-vm
until [ "$(openstack server show cli-vm -f value -c status)" = ACTIVE ]; do sleep 0.2; done
openstack volume create --size 1 cli-vol > /dev/null
until [ "$(openstack volume show cli-vol -f value -c status)" = available ]; do sleep 0.2; done
openstack volume list -f value -c Name | grep -qx cli-vol
openstack volume delete cli-vol
fip=$(openstack floating ip create public -f value -c floating_ip_address)
openstack floating ip list -f value -c "Floating IP Address" | grep -qx "$fip"
openstack floating ip delete "$fip"
if openstack server show no-such-server > /dev/null 2>&1; then echo "unknown server found"; exit 1; fi
if OS_PASSWORD=wrong openstack server list > /dev/null 2>&1; then echo "wrong password accepted"; exit 1; fi
openstack server delete --wait cli-vm
echo "cli flow ok"
