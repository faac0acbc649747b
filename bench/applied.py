#!/usr/bin/env python3
"""Waits until a monitor (or the SmallRye probe) has applied COUNT readings; prints the rate from the
first reading seen applied to the last, and the CPU the process used meanwhile, in cores.

One process polling every 20 ms over HTTP. The shell loop it replaces started curl and python3 every
50 ms; a python3 start costs 60-80 ms of CPU here, so that loop took over half a core of the two being
measured.

Usage: bench/applied.py URL COUNT TIMEOUT_SECONDS PID
URL answers /api/status (the monitor: applied.power) or a bare number (the probe).
Prints "- -" if COUNT was reached at the first look. Exit status 1 if it is not reached in time or
the process ends first."""
import json
import sys
import time
import urllib.request

from process import alive, cpu_seconds

url, count, timeout, pid = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]


def applied():
    try:
        answer = json.load(urllib.request.urlopen(url, timeout=5))
    except (OSError, ValueError):
        return 0
    return answer if isinstance(answer, int) else answer["applied"]["power"]


first = None
deadline = time.time() + timeout
n = 0
while time.time() < deadline:
    if not alive(pid):
        print(f"process {pid} ended after {n} of {count}", file=sys.stderr)
        sys.exit(1)
    n = applied()
    now = time.time()
    if first is None and n > 0:
        first, first_n, first_cpu = now, n, cpu_seconds(pid)
    if n >= count:
        wall = now - first
        if wall == 0:  # all applied at the first look: no rate to tell
            print("- -")
        else:
            print(f"{(count - first_n) / wall:.0f} {(cpu_seconds(pid) - first_cpu) / wall:.2f}")
        sys.exit(0)
    time.sleep(0.02)
print(f"applied {n} of {count} in {timeout:.0f} s", file=sys.stderr)
sys.exit(1)
