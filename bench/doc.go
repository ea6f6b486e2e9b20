// Command bench measures goclouds side by side with a raw net/http
// baseline, Apache Libcloud 3.4.1 and the cs 2.7.1 client, all doing the same
// CloudStack work against the same `goclouds sim` in the same run.
//
// `make bench` (bench/run.sh) builds goclouds and this command and runs
//
//	bench run -goclouds PATH -python /usr/bin/python3 -out bench/results.md
//
// which starts the simulators, runs each client as its own process (the Go
// clients as `bench client goclouds|raw WORKLOAD ...`, the Python ones as
// bench/libcloud_client.py and bench/cs_client.py), alternating the clients
// over several rounds, and writes a markdown table of medians and ratios.
// Every client process reports the wall time and its own CPU time (user +
// system, from getrusage) of the workload alone, without its start-up.
//
// The workloads are 1,000 sequential listZones calls; listing 20,000 VMs;
// 100 CreateNode calls with 1 s async jobs, sequentially and all at once
// (counting job polls, queryAsyncJobResult, listAsyncJobs and
// listVirtualMachines requests, on the server side with a
// counting proxy in front of the simulator); and the peak heap of listing
// 100,000 VMs through the streaming iterator versus the full list.
// docs/performance.md explains each figure.
package main
