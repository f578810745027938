#!/usr/bin/env python3
"""The sending peer: POSTs the request bodies herald's dry run printed (one per line) to the
relay, as herald sends them (`?access_token=…`, JSON, each answer read and checked), at most
CONCURRENCY at a time, with asyncio and aiohttp. Prints "elapsed_ms requests": the sending
phase, first request to last answer (as herald's report counts it).

  bench/send_peer.py BODIES_JSONL ENDPOINT TOKEN [CONCURRENCY]
"""
import asyncio, json, sys, time

import aiohttp


async def main(bodies_path, endpoint, token, concurrency):
    bodies = [line.rstrip(b"\n") for line in open(bodies_path, "rb") if line.strip()]
    url = f"{endpoint}?access_token={token}"
    gate = asyncio.Semaphore(concurrency)
    failures = 0

    async def post(session, body):
        nonlocal failures
        async with gate:
            async with session.post(url, data=body, headers={"Content-Type": "application/json"}) as response:
                answer = await response.read()
                if response.status != 200 or json.loads(answer).get("code") != 0:
                    failures += 1

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        start = time.perf_counter()
        await asyncio.gather(*(post(session, body) for body in bodies))
        elapsed = time.perf_counter() - start
    if failures:
        sys.exit(f"send_peer: {failures} of {len(bodies)} requests failed")
    print(f"{elapsed * 1000:.1f} {len(bodies)}")


if __name__ == "__main__":
    path, endpoint, token = sys.argv[1:4]
    asyncio.run(main(path, endpoint, token, int(sys.argv[4]) if len(sys.argv) > 4 else 16))
