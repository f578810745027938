#!/usr/bin/env python3
"""Independent reference implementation of the long-message split and truncate of
docs/job-file.md, section "Long messages", "The split, exactly" (steps 1-9), used by
Herald's differential test. It was written without looking at the Swift splitter, on
purpose: the differential test compares the two.

Standard library only. All sizes are UTF-8 bytes; the algorithm works on bytes.

Modes:
  split_reference.py cases --count N --seed S
      print N random cases, one JSON object a line:
      {"text": str, "limit": int, "syntax": "plain"|"markdown",
       "mode": "split"|"truncate", "mention": str}
      Every case is over its limit: for "split" bytes(text) > limit (the mention text, if
      any, is already part of "text" and "mention" is ""); for "truncate"
      bytes(text) + bytes(mention) > limit.
  split_reference.py run
      read such cases as JSON lines on stdin; print one JSON line per case:
      {"parts": [str, ...]} for split, {"parts": [str]} (the truncated text) for truncate,
      {"error": true} when there is no room (step 6).
"""

import argparse
import json
import random
import sys

FENCE_CLOSER = b"```\n"
ELLIPSIS = "\n\u2026".encode("utf-8")  # "\n…", 4 bytes


class NoRoom(Exception):
    """step 6: a hard cut found no room at all after the prefix."""


class Unit:
    """One packing unit (step 1).

    role: "plain", "fence" (a plain line that toggles the fence, step 3), "header"
    (header line + separator line, step 2) or "row" (a table row, step 2).
    header: for a row, the text of its table's header unit.
    """

    __slots__ = ("text", "role", "header")

    def __init__(self, text, role, header=None):
        self.text = text
        self.role = role
        self.header = header

    def __repr__(self):
        return "Unit(%r, %s)" % (self.text, self.role)


# ---------------------------------------------------------------- step 1 and 2: units

def source_lines(data):
    """Step 1: cut after each b"\\n" (only that byte), keeping it; the last may lack it."""
    lines = []
    start = 0
    while start < len(data):
        nl = data.find(b"\n", start)
        end = len(data) if nl < 0 else nl + 1
        lines.append(data[start:end])
        start = end
    return lines


def line_text(line):
    """A line's text before its "\\n"."""
    return line[:-1] if line.endswith(b"\n") else line


def is_separator(line):
    return line.startswith(b"|") and all(c in b"|-: " for c in line_text(line))


def is_fence_line(line):
    """step 3: after leading U+0020 spaces (any number), starts with three backticks."""
    return line.lstrip(b" ").startswith(b"```")


def units_of(data, syntax):
    lines = source_lines(data)
    if syntax != "markdown":
        return [Unit(line, "plain") for line in lines]
    units = []
    header = None  # header unit text of the table we are in, or None
    i = 0
    while i < len(lines):
        line = lines[i]
        if header is not None and line.startswith(b"|"):
            units.append(Unit(line, "row", header))
            i += 1
            continue
        header = None  # the table, if any, has ended
        if line.startswith(b"|") and i + 1 < len(lines) and is_separator(lines[i + 1]):
            header = line + lines[i + 1]
            units.append(Unit(header, "header"))
            i += 2
            continue
        units.append(Unit(line, "fence" if is_fence_line(line) else "plain"))
        i += 1
    return units


# ---------------------------------------------------------------- step 3-5: packing

def is_continuation(byte):
    return 0x80 <= byte <= 0xBF


def pack(units, limit, marker, trace=None):
    """Pack units into parts (steps 4–7). marker: bytes of the marker reserve.

    Returns the list of part texts (bytes), each with its closer if it was closed while a
    fence was open. If trace is a list, one (prefix, content, closer) triple per kept part
    is appended to it (for the self-checks).
    """
    parts = []
    state = {"part": b"", "start": b"", "content": b"", "fence": None}

    def fence_open_after(u):
        is_open = state["fence"] is not None
        return (not is_open) if u.role == "fence" else is_open

    def reserve(u):
        return marker + (len(FENCE_CLOSER) if fence_open_after(u) else 0)

    def prefix(u):
        p = state["fence"] or b""
        if u.role == "row":
            p += u.header
        return p

    def append(text, u):
        state["part"] += text
        state["content"] += text
        if u.role == "fence":  # the toggle (step 3), applied when the unit/first piece joins
            if state["fence"] is None:
                state["fence"] = u.text if u.text.endswith(b"\n") else u.text + b"\n"
            else:
                state["fence"] = None

    def close_and_start(new_prefix):
        part = state["part"]
        closer = b""
        if state["fence"] is not None:  # step 7
            if not part.endswith(b"\n"):
                closer += b"\n"
            closer += FENCE_CLOSER
        parts.append(part + closer)
        if trace is not None:
            trace.append((state["start"], state["content"], closer))
        state["part"] = new_prefix
        state["start"] = new_prefix
        state["content"] = b""

    for unit in units:
        u = unit
        while u is not None:
            part = state["part"]
            if len(part) + len(u.text) + reserve(u) <= limit:
                append(u.text, u)
                u = None
                continue
            p = prefix(u)
            if part == b"" or part == p:
                # step 6 hard cut
                k = limit - len(part) - reserve(u)
                if k <= 0:
                    raise NoRoom()
                # k < len(u.text) here, since the whole unit did not fit;
                # step back to a scalar boundary (never cut before a continuation byte)
                while k > 0 and is_continuation(u.text[k]):
                    k -= 1
                if k <= 0:
                    raise NoRoom()
                piece, rest = u.text[:k], u.text[k:]
                append(piece, u)
                if u.role == "row":
                    rest_unit = Unit(rest, "row", u.header)
                else:
                    rest_unit = Unit(rest, "plain")
                close_and_start(prefix(rest_unit))
                u = rest_unit if rest else None
            else:
                close_and_start(p)
    if state["part"] != state["start"]:
        parts.append(state["part"])
        if trace is not None:
            trace.append((state["start"], state["content"], b""))
    return parts


# ---------------------------------------------------------------- steps 6-7: the two calls

def split(text, limit, syntax, trace=None):
    """Returns the list of part texts (str); raises NoRoom."""
    units = units_of(text.encode("utf-8"), syntax)
    d = 1
    while True:
        t = [] if trace is not None else None
        parts = pack(units, limit, 4 + 2 * d, t)
        n = len(parts)
        if len(str(n)) > d:
            d = len(str(n))
            continue
        break
    if trace is not None:
        trace.extend(t)
        trace.append(("digits", d))
    out = []
    for i, part in enumerate(parts, 1):
        out.append((part.rstrip(b"\n") + ("\n(%d/%d)" % (i, n)).encode("ascii")).decode("utf-8"))
    return out


def truncate(text, limit, syntax, mention, trace=None):
    """Returns the one truncated text (str); raises NoRoom."""
    m = mention.encode("utf-8")
    units = units_of(text.encode("utf-8"), syntax)
    parts = pack(units, limit, len(ELLIPSIS) + len(m), trace)
    first = parts[0] if parts else b""
    return (first.rstrip(b"\n") + ELLIPSIS + m).decode("utf-8")


def run_case(case):
    try:
        if case["mode"] == "split":
            return {"parts": split(case["text"], case["limit"], case["syntax"])}
        return {"parts": [truncate(case["text"], case["limit"], case["syntax"],
                                   case.get("mention", ""))]}
    except NoRoom:
        return {"error": True}


# ---------------------------------------------------------------- random cases

WORDS = ("alert disk cpu memory latency p99 deploy rollback error warn ok host-01 "
         "db primary replica queue lag 5xx timeout retry build #1234 v1.2.3 "
         "a b c the of and").split()


def r_ascii(rng, n):
    out = []
    while len(" ".join(out)) < n:
        out.append(rng.choice(WORDS))
    return " ".join(out)


def r_cjk(rng, n):
    return "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(n))


def r_emoji(rng, n):
    pool = ["\U0001F525", "\U0001F680", "\u2705", "\u26A0\uFE0F", "\U0001F4C8", "\U0001F600",
            "\U0001F1E8\U0001F1F3", "\u2764", "\U0001F9EA", "\U0001FAE0"]
    return "".join(rng.choice(pool) for _ in range(n))


def r_mixed(rng, n):
    out = []
    for _ in range(max(1, n // 6)):
        k = rng.random()
        if k < 0.5:
            out.append(r_ascii(rng, rng.randint(1, 12)))
        elif k < 0.8:
            out.append(r_cjk(rng, rng.randint(1, 6)))
        else:
            out.append(r_emoji(rng, rng.randint(1, 3)))
    return " ".join(out)


def r_cell(rng):
    k = rng.random()
    if k < 0.6:
        return r_ascii(rng, rng.randint(1, 10))
    if k < 0.85:
        return r_cjk(rng, rng.randint(1, 4))
    return r_emoji(rng, rng.randint(1, 2))


def r_table(rng, limit, rows=None):
    cols = rng.randint(1, 4)
    header = "| " + " | ".join(r_cell(rng) for _ in range(cols)) + " |"
    seps = ["---", ":--", "--:", ":--:", " --- ", "-"]
    sep = "|" + "|".join(rng.choice(seps) for _ in range(cols)) + "|"
    if rng.random() < 0.1:
        sep = sep[:-1]  # no trailing pipe
    lines = [header, sep]
    for _ in range(rows if rows is not None else rng.randint(0, 12)):
        if rng.random() < 0.05:
            lines.append("|" + r_ascii(rng, limit + rng.randint(1, 50)))  # a row longer than the limit
        else:
            lines.append("| " + " | ".join(r_cell(rng) for _ in range(cols)) + " |")
    return lines


def r_fence_open(rng):
    return rng.choice(["```", "```", "```python", "```json", "  ```", "   ```sh", "````",
                       "``` info string", "```\r"])


def r_block(rng, limit, syntax):
    """A list of lines (without "\\n")."""
    k = rng.random()
    md = syntax == "markdown" or rng.random() < 0.3  # plain texts get markdown-ish lines too
    if k < 0.22:
        return [r_mixed(rng, rng.randint(1, 60))]
    if k < 0.30:
        return [r_ascii(rng, rng.randint(1, 80))]
    if k < 0.36:
        return [r_cjk(rng, rng.randint(1, 30))]
    if k < 0.40:
        return [r_emoji(rng, rng.randint(1, 15))]
    if k < 0.46:
        return [""] * rng.randint(1, 3)
    if k < 0.50:
        return [r_ascii(rng, rng.randint(1, 20)) + "\r", r_mixed(rng, 10) + "\r"]
    if k < 0.53:
        return [r_ascii(rng, 10) + "\u2028" + r_cjk(rng, 5) + "\u2029" + r_ascii(rng, 6)]
    if k < 0.58:  # a very long line
        return [rng.choice([r_ascii, r_cjk, r_emoji, r_mixed])(rng, limit + rng.randint(1, 2 * limit))]
    if not md:
        return [r_mixed(rng, rng.randint(1, 40))]
    if k < 0.70:  # a fenced block
        body = []
        for _ in range(rng.randint(0, 8)):
            body.append(rng.choice([r_ascii(rng, rng.randint(0, 50)), r_cjk(rng, rng.randint(1, 20)),
                                    "", "    indented " + r_ascii(rng, 10)]))
        close = [] if rng.random() < 0.15 else [rng.choice(["```", "  ```", "```"])]
        return [r_fence_open(rng)] + body + close
    if k < 0.82:
        return r_table(rng, limit)
    if k < 0.86:  # a table inside a fence
        return [r_fence_open(rng)] + r_table(rng, limit) + (["```"] if rng.random() < 0.85 else [])
    if k < 0.94:  # separator-like lines without a header; pipes that are no table
        return rng.choice([["|---|---|"], [r_ascii(rng, 5), "|:--|--:|"], ["| just a pipe line"],
                           ["|---|", "| x |"], ["|"], ["|| |"]])
    # a table right after a table / a table ending the text
    return r_table(rng, limit, rows=rng.randint(0, 2)) + r_table(rng, limit, rows=rng.randint(0, 2))


def r_adversarial(rng, limit):
    """Lines that leave little or no room after the prefix (the step 6 error, sometimes)."""
    k = rng.random()
    if k < 0.6:  # fence line + table header nearly as long as the limit
        budget = max(8, limit - rng.randint(-6, 30))
        fl = rng.randint(4, max(4, budget // 2))
        hl = max(2, budget - fl - 10)
        return (["```" + "x" * (fl - 3), "|" + "h" * (hl - 1), "|-|"]
                + ["| row %d %s |" % (i, r_ascii(rng, rng.randint(1, 30))) for i in range(rng.randint(1, 6))]
                + ["```"])
    if k < 0.8:  # a fence line longer than the limit
        return ["```" + r_ascii(rng, limit), r_ascii(rng, 10), "```"]
    return ["| " + r_ascii(rng, limit) + " |", "|---|", "| a |", "| b |"]  # a header longer than the limit


def r_mention(rng):
    return rng.choice(["", "", "\n<@zhangsan>", "\n<@zhangsan> <@lisi>", "\n@0123",
                       "\n@0123 @13800000000", "\n<@" + "u" * rng.randint(1, 40) + ">"])


def make_case(rng):
    r = rng.random()
    if r < 0.05:
        limit = rng.choice([2048, 4096])
    elif r < 0.08:
        limit = rng.randint(8, 23)
    else:
        limit = rng.randint(24, 400)
    syntax = "markdown" if rng.random() < 0.7 else "plain"
    mode = "split" if rng.random() < 0.65 else "truncate"
    mention = r_mention(rng)
    factor = rng.choice([1.05, 1.5, 2, 3, 5, 9, 12, 15]) if limit < 1000 else rng.choice([1.1, 2, 4])
    target = int(limit * factor) + 1
    lines = []
    adversarial = syntax == "markdown" and rng.random() < 0.15
    while True:
        if adversarial and rng.random() < 0.3:
            lines.extend(r_adversarial(rng, limit))
            adversarial = False
        lines.extend(r_block(rng, limit, syntax))
        text = "\n".join(lines)
        if rng.random() < 0.6:
            text += "\n"
        if mode == "split":
            text += mention
            size = len(text.encode("utf-8"))
        else:
            size = len(text.encode("utf-8")) + len(mention.encode("utf-8"))
        if size > target or (size > limit and rng.random() < 0.1):
            break
    return {"text": text, "limit": limit, "syntax": syntax, "mode": mode,
            "mention": "" if mode == "split" else mention}


# ---------------------------------------------------------------- CLI

def write_json(obj):
    sys.stdout.buffer.write(json.dumps(obj, ensure_ascii=False).encode("utf-8") + b"\n")


def main(argv):
    ap = argparse.ArgumentParser(description="long-message split/truncate reference (see docstring)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("cases", help="print random cases as JSON lines")
    c.add_argument("--count", type=int, required=True)
    c.add_argument("--seed", type=int, required=True)
    sub.add_parser("run", help="read cases as JSON lines on stdin, print results")
    args = ap.parse_args(argv)
    if args.cmd == "cases":
        rng = random.Random(args.seed)
        for _ in range(args.count):
            write_json(make_case(rng))
    else:
        for raw in sys.stdin.buffer.read().decode("utf-8").split("\n"):
            if raw.strip():
                write_json(run_case(json.loads(raw)))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
