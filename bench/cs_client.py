"""The cs client (Debian python3-cs 2.7.1, the client behind Ansible's
CloudStack modules) doing the benchmark workloads with its defaults: lists
with fetch_list=True (it pages, 500 rows a page), async jobs with
fetch_result=True (it polls every 2 s).
Usage: cs_client.py WORKLOAD --endpoint URL --key K --secret S --n N
"""

import threading
from importlib import metadata

from cs import CloudStack

import pyclient


class State:
    def __init__(self, args):
        self.args = args
        self.local = threading.local()
        self.zone = self.template = self.offering = None

    def client(self):
        c = getattr(self.local, "client", None)
        if c is None:
            c = CloudStack(endpoint=self.args.endpoint, key=self.args.key, secret=self.args.secret)
            self.local.client = c
        return c


def find(rows, name):
    return next(r["id"] for r in rows if r["name"] == name)


def prepare(args, workload):
    s = State(args)
    if workload.startswith("create"):
        c = s.client()
        s.zone = find(c.listZones(fetch_list=True), pyclient.SIM_ZONE)
        s.template = find(c.listTemplates(fetch_list=True, templatefilter="executable", zoneid=s.zone), pyclient.SIM_TEMPLATE)
        s.offering = find(c.listServiceOfferings(fetch_list=True), pyclient.SIM_OFFERING)
    return s


def zones(args, s, run):
    c = s.client()
    for _ in range(args.n):
        run.rows = len(c.listZones(fetch_list=True, available="true"))


def listing(args, s, run):
    run.rows = len(s.client().listVirtualMachines(fetch_list=True))


def create(parallel):
    def fn(args, s, run):
        def one(name):
            res = s.client().deployVirtualMachine(zoneid=s.zone, templateid=s.template,
                                                  serviceofferingid=s.offering, name=name, fetch_result=True)
            return res["virtualmachine"]["state"] == "Running"

        run.creates(args, one, parallel)

    return fn


if __name__ == "__main__":
    try:
        version = metadata.version("cs")
    except metadata.PackageNotFoundError:
        version = "unknown"
    pyclient.main("cs", version, prepare, {
        "zones": zones,
        "list": listing,
        "create-seq": create(False),
        "create-par": create(True),
        "create-throttled": create(True),
    })
