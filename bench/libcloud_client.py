"""Apache Libcloud (Debian python3-libcloud 3.4.1) doing the benchmark
workloads through its CloudStack driver, unmodified and with its defaults.
Usage: libcloud_client.py WORKLOAD --endpoint URL --key K --secret S --n N
"""

import threading

import libcloud
from libcloud.compute.providers import get_driver
from libcloud.compute.types import NodeState, Provider

import pyclient


class State:
    def __init__(self, args):
        self.args = args
        self.local = threading.local()
        self.location = self.image = self.size = None

    def driver(self):
        """One driver per thread: Libcloud's connection is not meant to be
        shared between threads."""
        d = getattr(self.local, "driver", None)
        if d is None:
            cls = get_driver(Provider.CLOUDSTACK)
            # Libcloud takes the scheme of url for the port only: secure must
            # say whether to use TLS.
            d = cls(self.args.key, self.args.secret, url=self.args.endpoint,
                    secure=self.args.endpoint.startswith("https:"))
            self.local.driver = d
        return d


def prepare(args, workload):
    s = State(args)
    if workload.startswith("create"):
        d = s.driver()
        s.location = next(l for l in d.list_locations() if l.name == pyclient.SIM_ZONE)
        s.image = next(i for i in d.list_images(location=s.location) if i.name == pyclient.SIM_TEMPLATE)
        s.size = next(z for z in d.list_sizes(location=s.location) if z.name == pyclient.SIM_OFFERING)
    return s


def zones(args, s, run):
    d = s.driver()
    for _ in range(args.n):
        run.rows = len(d.list_locations())


def listing(args, s, run):
    # Libcloud's list_nodes sends one listVirtualMachines without paging:
    # the server's default page size (500) caps it.
    run.rows = len(s.driver().list_nodes())


def create(parallel):
    def fn(args, s, run):
        def one(name):
            # ex_start_vm: Libcloud sends startvm=false unless told.
            node = s.driver().create_node(name=name, size=s.size, image=s.image, location=s.location, ex_start_vm=True)
            return node.state == NodeState.RUNNING

        run.creates(args, one, parallel)

    return fn


if __name__ == "__main__":
    pyclient.main("libcloud", libcloud.__version__, prepare, {
        "zones": zones,
        "list": listing,
        "create-seq": create(False),
        "create-par": create(True),
        "create-throttled": create(True),
    })
