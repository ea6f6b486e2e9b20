"""Shared harness of the Python benchmark clients (bench/libcloud_client.py,
bench/cs_client.py): the same flags and JSON result line as the Go clients
(bench/client.go). Wall time and the process's own CPU time (user + system,
getrusage(RUSAGE_SELF), every thread) are measured around the workload only,
after imports and catalogue lookups.
"""

import argparse
import json
import resource
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

SIM_ZONE = "sim-zone-1"
SIM_TEMPLATE = "tiny Linux"
SIM_OFFERING = "tinyOffering"


def cpu_seconds():
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


class Run:
    """One workload run: counts rows, errors and per-create latencies."""

    def __init__(self):
        self.rows = 0
        self.errors = 0
        self.first_error = ""
        self.lat = []
        self.lock = threading.Lock()

    def error(self, exc):
        with self.lock:
            self.errors += 1
            if not self.first_error:
                self.first_error = "%s: %s" % (type(exc).__name__, exc)

    def creates(self, args, create_one, parallel):
        """Runs args.n creates (create_one(name) returns True when the VM is
        running), one after another or all at once."""

        def one(i):
            t0 = time.perf_counter()
            try:
                ok = create_one("%s-%d" % (args.tag, i))
            except Exception as exc:  # noqa: BLE001 - counted and reported
                ok = False
                self.error(exc)
            with self.lock:
                self.lat.append(time.perf_counter() - t0)
                if ok:
                    self.rows += 1

        if parallel:
            with ThreadPoolExecutor(max_workers=args.n) as pool:
                list(pool.map(one, range(args.n)))
        else:
            for i in range(args.n):
                one(i)


def main(client, version, prepare, workloads):
    """prepare(args, workload) returns a state object; workloads maps a
    workload name to fn(args, state, run)."""
    p = argparse.ArgumentParser()
    p.add_argument("workload")
    p.add_argument("--endpoint", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--secret", required=True)
    p.add_argument("--n", type=int, default=1)
    p.add_argument("--tag", default="bench")
    args = p.parse_args()
    fn = workloads.get(args.workload)
    if fn is None:
        sys.exit("%s: unknown workload %r" % (client, args.workload))
    state = prepare(args, args.workload)
    run = Run()
    cpu0, t0 = cpu_seconds(), time.perf_counter()
    try:
        fn(args, state, run)
    except Exception as exc:  # noqa: BLE001 - counted and reported
        run.error(exc)
    wall, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
    out = {"client": client, "version": version, "workload": args.workload, "n": args.n,
           "wall_s": wall, "cpu_s": cpu, "rows": run.rows, "errors": run.errors}
    if run.first_error:
        out["first_error"] = run.first_error
    if run.lat:
        out["lat_median_s"] = statistics.median(run.lat)
        out["lat_max_s"] = max(run.lat)
    print(json.dumps(out))
