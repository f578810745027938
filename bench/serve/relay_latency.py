#!/usr/bin/env python3
"""Accept-to-relay latency of an Alertmanager webhook receiver, on an idle server: starts a
loopback relay (answers {"code":0,"data":{},"msg":"ok"} and notes when each request
arrives), starts the server with that relay as its endpoint, then posts EVENTS events one
at a time — the next only once the previous one reached the relay — and measures from the
202 to the relay receiving the event's request. One process, one clock. Prints one JSON
object: {p50_ms, p99_ms, min_ms, max_ms, events, lost} (min_ms may be just below 0: the
relay can see the request a moment before this client has read the 202).

  bench/serve/relay_latency.py URL TOKEN [--events 200] -- SERVER_COMMAND…

SERVER_COMMAND is run with {relay} replaced by the relay's endpoint URL
(http://127.0.0.1:PORT/api/v1/openapi/notification/wecom) and must print its HTTP port on
its first line of standard output ({port} in URL is replaced by it), or pass --port-file.
"""
import argparse
import asyncio
import json
import os
import re
import signal
import sys
import time

import aiohttp
from aiohttp import web

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from events import payload  # noqa: E402

MARKER = re.compile(rb"latency-(\d+)")


async def start_relay(arrivals, arrived):
    async def answer(request):
        body = await request.read()
        now = time.perf_counter()
        for match in MARKER.finditer(body):
            n = int(match.group(1))
            arrivals.setdefault(n, now)
            if n in arrived:
                arrived[n].set()
        return web.json_response({"code": 0, "data": {}, "msg": "ok"})

    app = web.Application(client_max_size=8 << 20)
    app.router.add_post("/{tail:.*}", answer)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, site._server.sockets[0].getsockname()[1]


async def wait_for_port(process, port_file, timeout=30):
    if port_file:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if os.path.exists(port_file) and open(port_file).read().strip():
                return int(open(port_file).read().split()[0])
            await asyncio.sleep(0.05)
        raise SystemExit("relay_latency: the server wrote no port")
    line = await asyncio.wait_for(process.stdout.readline(), timeout)
    if not line.strip():
        raise SystemExit("relay_latency: the server printed no port")
    return int(line.split()[0])


async def wait_ready(session, url):
    probe = re.sub(r"/events/.*$", "/healthz", url)
    for _ in range(200):
        try:
            async with session.get(probe) as answer:
                await answer.read()
                return
        except aiohttp.ClientError:
            await asyncio.sleep(0.05)


async def main(args, command):
    arrivals, arrived = {}, {}
    runner, relay_port = await start_relay(arrivals, arrived)
    relay = f"http://127.0.0.1:{relay_port}/api/v1/openapi/notification/wecom"
    command = [part.replace("{relay}", relay) for part in command]
    process = await asyncio.create_subprocess_exec(*command, stdout=asyncio.subprocess.PIPE)
    latencies, lost = [], 0
    try:
        url = args.url
        if "{port}" in url:
            url = url.replace("{port}", str(await wait_for_port(process, args.port_file)))
        headers = {"Authorization": f"Bearer {args.token}", "Content-Type": "application/json"}
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
            await wait_ready(session, url)
            for n in range(args.events):
                arrived[n] = asyncio.Event()
                async with session.post(url, data=payload(n, "latency"), headers=headers) as answer:
                    await answer.read()
                    accepted = time.perf_counter()
                    if answer.status != 202:
                        raise SystemExit(f"relay_latency: event {n} was answered {answer.status}")
                try:
                    await asyncio.wait_for(arrived[n].wait(), args.timeout)
                    latencies.append(arrivals[n] - accepted)
                except asyncio.TimeoutError:
                    lost += 1
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), 10)
            except asyncio.TimeoutError:
                process.kill()
        await runner.cleanup()
    latencies.sort()

    def at(q):
        return round(latencies[min(len(latencies) - 1, round(q * (len(latencies) - 1)))] * 1000, 2) if latencies else None

    print(json.dumps({"p50_ms": at(0.5), "p99_ms": at(0.99), "min_ms": at(0.0), "max_ms": at(1.0), "events": len(latencies), "lost": lost}))


if __name__ == "__main__":
    argv = sys.argv[1:]
    if "--" not in argv:
        sys.exit(__doc__)
    split = argv.index("--")
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("token")
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--timeout", type=float, default=10, help="seconds an event may take to reach the relay")
    parser.add_argument("--port-file")
    args = parser.parse_args(argv[:split])
    asyncio.run(main(args, argv[split + 1:]))
