#!/usr/bin/env bash
# make bench: side-by-side benchmarks of goclouds, a raw net/http baseline,
# Apache Libcloud 3.4.1 and cs 2.7.1 against `goclouds sim` on loopback, and
# the vSphere driver against govmomi on vcsim (go test -bench BenchmarkListNodes1000) and
# the OpenStack driver against gophercloud on openstacksim (go test -bench BenchmarkGetNode and
# BenchmarkListNodes10000) and
# the EC2 driver against aws-sdk-go-v2 on ec2sim (BenchmarkGetNode, BenchmarkListNodes10000).
# Installs python3-libcloud and python3-cs with apt-get when missing, builds
# goclouds and the bench command, runs every workload, prints the markdown
# table and writes it to bench/results.md. Extra arguments go to `bench run`
# (e.g. -quick for a smoke run, which writes no file, or -rounds 3).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
GO="${GO:-go}"
# The Debian packages install into the system Python, whatever python3 is
# first on PATH.
PYTHON="${BENCH_PYTHON:-/usr/bin/python3}"

if ! "$PYTHON" -c 'import libcloud, cs' 2>/dev/null; then
	echo "bench: installing python3-libcloud and python3-cs" >&2
	if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
	export DEBIAN_FRONTEND=noninteractive
	if ! $SUDO apt-get install -y -q python3-libcloud python3-cs >/dev/null 2>&1; then
		$SUDO apt-get update -q >/dev/null
		$SUDO apt-get install -y -q python3-libcloud python3-cs >/dev/null
	fi
	"$PYTHON" -c 'import libcloud, cs'
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$GO" build -o "$work/goclouds" ./cmd/goclouds
"$GO" build -o "$work/bench" ./bench
"$work/bench" run -goclouds "$work/goclouds" -go "$GO" -python "$PYTHON" -dir bench "$@"
