#!/usr/bin/env python3
"""Waits until a monitor (or the SmallRye probe) has applied COUNT readings; prints the rate from the
first reading seen applied to the last, and the CPU the process used meanwhile, in cores.

One process polling every 20 ms over HTTP: a shell loop starting curl and python every 50 ms cost the
machine as much CPU as a third of what it measured.

Usage: bench/applied.py URL COUNT TIMEOUT_SECONDS PID
URL answers /api/status (the monitor: applied.power) or a bare number (the probe).
Prints "- -" if COUNT was reached at the first look. Exit status 1 if it is not reached in time."""
import json
import sys
import time
import urllib.request

url, count, timeout, pid = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]


def applied():
    try:
        answer = json.load(urllib.request.urlopen(url, timeout=5))
    except (OSError, ValueError):
        return 0
    return answer if isinstance(answer, int) else answer["applied"]["power"]


def cpu_seconds():
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100  # utime + stime, in clock ticks of 1/100 s


first = None
deadline = time.time() + timeout
while time.time() < deadline:
    n = applied()
    now = time.time()
    if first is None and n > 0:
        first, first_n, first_cpu = now, n, cpu_seconds()
    if n >= count:
        wall = now - first
        if wall == 0:  # all applied at the first look: no rate to tell
            print("- -")
        else:
            print(f"{(count - first_n) / wall:.0f} {(cpu_seconds() - first_cpu) / wall:.2f}")
        sys.exit(0)
    time.sleep(0.02)
print(f"applied {n} of {count} in {timeout:.0f} s", file=sys.stderr)
sys.exit(1)
