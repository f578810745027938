#!/usr/bin/env python3
"""Runs a command once: prints "wall_seconds peak_rss_kb user_seconds sys_seconds" (stdout of
the command to a file; user and sys are the command's own CPU time, its children included).

  bench/measure.py OUT_FILE cmd args...
"""
import resource, subprocess, sys, time

out = open(sys.argv[1], "wb")
before = resource.getrusage(resource.RUSAGE_CHILDREN)
start = time.perf_counter()
rc = subprocess.call(sys.argv[2:], stdout=out, stderr=subprocess.DEVNULL)
wall = time.perf_counter() - start
if rc != 0:
    sys.exit(f"bench: {' '.join(sys.argv[2:])} exited {rc}")
after = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{wall:.3f} {after.ru_maxrss} {after.ru_utime - before.ru_utime:.4f} {after.ru_stime - before.ru_stime:.4f}")
