#!/usr/bin/env python3
"""The serving peer: an Alertmanager webhook receiver written the straightforward way, to
compare `herald serve` with. aiohttp; POST /events/alertmanager with the same bearer check;
the JSON parsed, a markdown digest rendered with string formatting and split naively at
WeCom's 4096 bytes; the planned relay requests stored in SQLite (WAL, synchronous=FULL) in
one commit per event, before the 202 {"id": …}; a background task posts queued requests to
the relay in order and marks them delivered.

  bench/serve/peer.py --token TOKEN --db FILE --endpoint RELAY_URL [--port 0] [--link URL]

Prints "PORT" on its first line once it listens (port 0: a free one).
"""
import argparse
import asyncio
import hmac
import json
import sqlite3
import sys
import time

from aiohttp import web, ClientSession, ClientTimeout, TCPConnector

LIMIT = 4096      # WeCom markdown content, UTF-8 bytes
MAX_BATCH = 20    # messages per relay request, as herald's max_batch


def render(event):
    """The digest, as a person would write it: one f-string per alert."""
    alerts = event["alerts"]
    status = event["status"]
    badge = "🔥 FIRING" if status == "firing" else "✅ RESOLVED"
    name = event.get("groupLabels", {}).get("alertname", "alerts")
    lines = [f"## {badge} · {len(alerts)} × {name}",
             '<font color="comment">' + json.dumps(event.get("commonLabels", {}), ensure_ascii=False, separators=(",", ":")) + "</font>"]
    for a in alerts:
        labels, notes = a["labels"], a.get("annotations", {})
        lines.append("")
        lines.append(f"**{a['status'].upper()} {labels.get('alertname', 'alert')}** · "
                     f"{labels.get('severity', 'no severity')} · {labels.get('instance', 'no instance')}")
        for key in ("summary", "description"):
            if notes.get(key):
                lines.append(f"> {notes[key]}")
        lines.append("`" + json.dumps(labels, ensure_ascii=False, separators=(",", ":")) + "`")
        when = f"Started {a['startsAt'][:19].replace('T', ' ')}"
        if a["status"] == "resolved":
            when += f", ended {a.get('endsAt', '')[:19].replace('T', ' ')}"
        if notes.get("runbook_url"):
            when += f" · [Runbook]({notes['runbook_url']})"
        if a.get("generatorURL"):
            when += f" · [Source]({a['generatorURL']})"
        lines.append(when)
    lines.append("")
    lines.append(f'<font color="comment">{event.get("receiver", "herald")} · [Alertmanager]({event.get("externalURL", "")})</font>')
    return "\n".join(lines)


def split(text):
    """Naive: cut at the last newline before 4096 bytes (or mid-line if there is none)."""
    data = text.encode()
    parts = []
    while len(data) > LIMIT:
        cut = data.rfind(b"\n", 0, LIMIT)
        if cut <= 0:
            cut = LIMIT
            while cut > 0 and (data[cut] & 0xC0) == 0x80:  # a UTF-8 continuation byte
                cut -= 1
        parts.append(data[:cut].decode())
        data = data[cut:].lstrip(b"\n")
    parts.append(data.decode())
    return parts


def requests_for(event, link):
    messages = [{"msgtype": "markdown", "markdown": {"content": part}} for part in split(render(event))]
    return [json.dumps({"link": link, "data": messages[i:i + MAX_BATCH]}, ensure_ascii=False, separators=(",", ":"))
            for i in range(0, len(messages), MAX_BATCH)]


def open_db(path):
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, accepted_at REAL, body TEXT)")
    db.execute("CREATE TABLE IF NOT EXISTS requests (id INTEGER PRIMARY KEY, event_id INTEGER, body TEXT, "
               "state TEXT DEFAULT 'queued', accepted_at REAL)")
    return db


def build_app(args):
    db = open_db(args.db)
    expected = f"Bearer {args.token}".encode()
    wake = asyncio.Event()

    async def receive(request):
        given = request.headers.get("Authorization", "").encode()
        if not hmac.compare_digest(given, expected):
            return web.json_response({"error": "unauthorized"}, status=401, headers={"WWW-Authenticate": "Bearer"})
        raw = await request.read()
        try:
            event = json.loads(raw)
        except ValueError:
            return web.json_response({"error": "not JSON"}, status=400)
        if not isinstance(event, dict) or not isinstance(event.get("alerts"), list) or "status" not in event:
            return web.json_response({"error": "not an Alertmanager payload"}, status=422)
        try:
            bodies = requests_for(event, args.link)
        except (KeyError, TypeError, AttributeError) as problem:
            return web.json_response({"error": f"bad payload: {problem}"}, status=422)
        now = time.time()
        # One transaction per event, committed (fsync) before the answer: no batching.
        db.execute("BEGIN")
        event_id = db.execute("INSERT INTO events (accepted_at, body) VALUES (?, ?)", (now, raw.decode())).lastrowid
        db.executemany("INSERT INTO requests (event_id, body, accepted_at) VALUES (?, ?, ?)",
                       [(event_id, body, now) for body in bodies])
        db.execute("COMMIT")
        wake.set()
        return web.json_response({"id": event_id, "requests": len(bodies)}, status=202)

    async def deliver(app):
        url = f"{args.endpoint}?access_token={args.token}"
        async with ClientSession(connector=TCPConnector(limit=4), timeout=ClientTimeout(total=10)) as session:
            while True:
                rows = db.execute("SELECT id, body FROM requests WHERE state = 'queued' ORDER BY id LIMIT 100").fetchall()
                if not rows:
                    wake.clear()
                    await wake.wait()
                    continue
                for request_id, body in rows:
                    try:
                        async with session.post(url, data=body.encode(), headers={"Content-Type": "application/json"}) as answer:
                            ok = answer.status == 200 and (await answer.json(content_type=None)).get("code") == 0
                    except (OSError, asyncio.TimeoutError, ValueError):
                        ok = False
                    if not ok:
                        await asyncio.sleep(1)   # leave it queued; try again
                        break
                    db.execute("UPDATE requests SET state = 'delivered' WHERE id = ?", (request_id,))

    async def start_delivery(app):
        app["delivery"] = asyncio.create_task(deliver(app))

    async def stop_delivery(app):
        app["delivery"].cancel()
        db.close()

    app = web.Application(client_max_size=1 << 20)
    app.router.add_post("/events/alertmanager", receive)
    app.on_startup.append(start_delivery)
    app.on_cleanup.append(stop_delivery)
    return app


async def main(args):
    runner = web.AppRunner(build_app(args), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", args.port)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    print(port, flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--token", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--link", default="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=00000000-0000-0000-0000-00000000b001")
    try:
        asyncio.run(main(parser.parse_args()))
    except KeyboardInterrupt:
        sys.exit(0)
