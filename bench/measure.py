#!/usr/bin/env python3
"""Runs a command once: prints "wall_seconds peak_rss_kb" (stdout of the command to a file).

  bench/measure.py OUT_FILE cmd args...
"""
import resource, subprocess, sys, time

out = open(sys.argv[1], "wb")
start = time.perf_counter()
rc = subprocess.call(sys.argv[2:], stdout=out, stderr=subprocess.DEVNULL)
wall = time.perf_counter() - start
if rc != 0:
    sys.exit(f"bench: {' '.join(sys.argv[2:])} exited {rc}")
print(f"{wall:.3f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}")
