#!/usr/bin/env python3
"""Load for an Alertmanager webhook receiver: CONCURRENCY posters (keep-alive connections)
post small Alertmanager payloads, each with its own groupKey, for DURATION seconds.
Prints one JSON object: {accepted_per_s, p50_ms, p99_ms, errors, statuses, posts, seconds}.
accepted_per_s counts 202s; latencies are of every answered post; errors are posts that
got no answer, or one that is not 202.

  bench/serve/load.py URL TOKEN [--concurrency 64] [--duration 10] [--count N]
"""
import argparse
import asyncio
import json
import os
import sys
import time

import aiohttp

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from events import payload  # noqa: E402


def percentile(sorted_values, q):
    if not sorted_values:
        return None
    index = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[index]


async def run(url, token, concurrency, duration, count=None):
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    latencies, statuses = [], {}
    failures = 0
    counter = iter(range(10**12))
    connector = aiohttp.TCPConnector(limit=concurrency, force_close=False)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as session:
        start = time.perf_counter()
        deadline = start + duration

        async def poster():
            nonlocal failures
            while time.perf_counter() < deadline:
                if count is not None and statuses.get(202, 0) >= count:
                    break
                body = payload(next(counter))
                sent = time.perf_counter()
                try:
                    async with session.post(url, data=body, headers=headers) as answer:
                        await answer.read()
                        latencies.append(time.perf_counter() - sent)
                        statuses[answer.status] = statuses.get(answer.status, 0) + 1
                except (aiohttp.ClientError, asyncio.TimeoutError, OSError):
                    failures += 1

        await asyncio.gather(*(poster() for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
    latencies.sort()
    accepted = statuses.get(202, 0)
    posts = sum(statuses.values()) + failures
    return {
        "accepted_per_s": round(accepted / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 2) if latencies else None,
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 2) if latencies else None,
        "errors": posts - accepted,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "posts": posts,
        "seconds": round(elapsed, 2),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("token")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--count", type=int, default=None, help="stop once this many events were accepted")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.url, args.token, args.concurrency, args.duration, args.count))))
