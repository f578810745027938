#!/usr/bin/env python3
"""Generates a large Herald job for benchmarks.

  bench/gen.py OUT_DIR --links N --entries M --rows R

The job has N robot links, M message entries, each entry a `for_each` over the same CSV of
R rows, addressed by `to: "{{row.team}}"` (rows cycle through the N recipients), with a
markdown template using a section, filters and a partial-free body. Rendered messages:
M × R. Deterministic: the same arguments give the same bytes.
"""
import argparse, os

p = argparse.ArgumentParser()
p.add_argument("out")
p.add_argument("--links", type=int, default=50)
p.add_argument("--entries", type=int, default=1)
p.add_argument("--rows", type=int, default=1000)
p.add_argument("--rate-limit", type=int, default=20)
a = p.parse_args()

os.makedirs(a.out, exist_ok=True)
with open(os.path.join(a.out, "rows.csv"), "w", encoding="utf-8") as f:
    f.write("team,owner,open,closed,score,note\n")
    for i in range(a.rows):
        note = f'"Sprint {i % 7}, week {i % 52}"' if i % 3 == 0 else f"week {i % 52}"
        f.write(f"team{i % a.links},owner {i},{i % 17},{i % 13},{(i * 7919) % 1000},{note}\n")

lines = [
    "version: 1",
    "name: bench",
    f"rate_limit: {a.rate_limit}",
    "vars:",
    "  product: Herald",
    "  highlights: [Faster planner, Exact dry run, Strict templates, Journal and resume]",
    "recipients:",
]
for i in range(a.links):
    lines.append(f'  team{i}: {{ link: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=00000000-0000-0000-0000-{i:012d}" }}')
lines.append("messages:")
for e in range(a.entries):
    lines += [
        '  - to: "{{row.team}}"',
        "    for_each: rows.csv",
        f"    vars: {{ entry: {e + 1} }}",
        "    markdown:",
        "      content: |",
        "        ## {{product}} report {{entry}} for {{row.team | upper}}",
        "        Owner: **{{row.owner}}** — {{row.note | truncate: 12}}",
        "        > open {{row.open}}, closed {{row.closed}}, score {{row.score}}",
        "        {{#highlights}}",
        "        - {{.}}",
        "        {{/highlights}}",
        '        <font color="comment">{{row.team}} · {{job.name}}</font>',
    ]
with open(os.path.join(a.out, "job.yaml"), "w", encoding="utf-8") as f:
    f.write("\n".join(lines) + "\n")
