#!/usr/bin/env python3
"""The straightforward alternative to `herald send --dry-run`, for benchmarks:
PyYAML + chevron + json. Handles what bench/gen.py writes (for_each over a CSV, `to` from
the row, job/message/row scopes, `upper` and `truncate` filters, sections) and prints the
same bytes Herald does — bench/run.sh checks that before timing anything.

  bench/peer.py JOB.yaml --now 2026-11-25T09:30:00+08:00
"""
import csv, json, os, re, sys
import chevron
import chevron.renderer
import yaml

# Herald does not HTML-escape; neither may the peer.
chevron.renderer._html_escape = lambda s: s

FILTER_TAG = re.compile(r"\{\{\s*([\w.]+)\s*\|([^}]*)\}\}")


def lookup(ctx, dotted):
    value = ctx
    for part in dotted.split("."):
        value = value[part]
    return value


def apply_filters(value, chain):
    for f in (x.strip() for x in chain.split("|")):
        name, _, arg = f.partition(":")
        name, arg = name.strip(), arg.strip()
        if name == "upper":
            value = str(value).upper()
        elif name == "lower":
            value = str(value).lower()
        elif name == "truncate":
            n = int(arg)
            value = str(value)
            value = value[:n] + "…" if len(value) > n else value
        else:
            raise SystemExit(f"peer: filter {name} not supported")
    return value


def render(template, ctx):
    extra = {}

    def replace(m):
        key = f"__f{len(extra)}"
        extra[key] = apply_filters(lookup(ctx, m.group(1)), m.group(2))
        return "{{{" + key + "}}}"

    return chevron.render(FILTER_TAG.sub(replace, template), {**ctx, **extra})


def main():
    path = sys.argv[1]
    now = sys.argv[sys.argv.index("--now") + 1] if "--now" in sys.argv else "1970-01-01T00:00:00Z"
    job = yaml.safe_load(open(path, encoding="utf-8"))
    base = os.path.dirname(path)
    name = job.get("name") or os.path.splitext(os.path.basename(path))[0]
    recipients = job["recipients"]
    builtins = {"now": now, "today": now[:10], "job": {"name": name}}
    messages = []  # (link, message dict)
    for index, entry in enumerate(job["messages"], 1):
        rows = list(csv.DictReader(open(os.path.join(base, entry["for_each"]), encoding="utf-8", newline="")))
        msgtype = next(k for k in entry if k in ("text", "markdown", "markdown_v2"))
        for row in rows:
            ctx = {**builtins, "message": {"index": index}, **job.get("vars", {}), **entry.get("vars", {}), entry.get("as", "row"): row}
            to = render(entry["to"], ctx).strip()
            ctx = {**builtins, "recipient": {"name": to}, "message": {"index": index}, **job.get("vars", {}),
                   **recipients[to].get("vars", {}), **entry.get("vars", {}), entry.get("as", "row"): row}
            body = {k: render(v, ctx) if isinstance(v, str) else v for k, v in entry[msgtype].items()}
            messages.append((recipients[to]["link"], {"msgtype": msgtype, msgtype: body}))
    lanes = {}
    for link, message in messages:
        lanes.setdefault(link, []).append(message)
    batch = job.get("max_batch", 20)
    out = sys.stdout
    for link, items in lanes.items():
        for i in range(0, len(items), batch):
            out.write(json.dumps({"link": link, "data": items[i:i + batch]}, ensure_ascii=False, separators=(",", ":")))
            out.write("\n")


main()
