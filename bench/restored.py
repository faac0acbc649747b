#!/usr/bin/env python3
"""Waits until a restarted monitor is ready and holds exactly COUNT power readings; prints the epoch
time (seconds) it first did, and the readings it re-read from the topic to get there.

One process polling every 20 ms over HTTP, like bench/applied.py: the shell loop it replaces started
curl and python3 every 50 ms, half a core of the two the restart is measured on.

Usage: bench/restored.py BASE_URL COUNT TIMEOUT_SECONDS PID
BASE_URL is the monitor's, e.g. http://localhost:18080. Exit status 1 if that is not reached in time,
the count goes past COUNT, or the process ends first."""
import json
import sys
import time
import urllib.error
import urllib.request

from process import alive

base, count, timeout, pid = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]


def get(path):
    return json.load(urllib.request.urlopen(base + path, timeout=5))


def ready():
    try:
        urllib.request.urlopen(base + "/q/health/ready", timeout=5).close()
        return True
    except (OSError, urllib.error.HTTPError):
        return False


deadline = time.time() + timeout
held = 0
while time.time() < deadline:
    if not alive(pid):
        print(f"process {pid} ended holding {held} of {count}", file=sys.stderr)
        sys.exit(1)
    if ready():
        now = time.time()
        try:
            held = sum(series["count"] for series in get("/api/channels/power"))
        except (OSError, ValueError):
            held = 0
        if held == count:
            print(f"{now:.3f} {get('/api/status')['applied']['power']}")
            sys.exit(0)
        if held > count:
            print(f"holds {held} readings, more than the {count} sent", file=sys.stderr)
            sys.exit(1)
    time.sleep(0.02)
print(f"held {held} of {count} in {timeout:.0f} s", file=sys.stderr)
sys.exit(1)
