#!/usr/bin/env bash
# Sending at the physical limit, on the real clock: 6 robots × 21 messages at rate_limit 20
# (a request of 20, then one of 1 a window later) with --concurrency 2. A robot waiting for
# its window holds no slot, so the job takes one window — about 60 s — not three.
# Not in CI: it waits a minute.
#   bench/pacing.sh            release build (as make bench)
#   bench/pacing.sh --debug    debug build
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--debug" ]; then CONFIG=debug; FLAGS="-c debug"; else CONFIG=release; FLAGS="-c release --static-swift-stdlib"; fi
OUT=bench/out/pacing; rm -rf "$OUT"; mkdir -p "$OUT"
for product in herald herald-relay; do swift build $FLAGS --product $product >/dev/null; done

python3 bench/gen.py "$OUT/job" --links 6 --rows 126 --rate-limit 20 >/dev/null
.build/$CONFIG/herald-relay > "$OUT/relay.port" &
relay=$!
trap 'kill $relay 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$OUT/relay.port" ] && break; sleep 0.1; done
endpoint="http://127.0.0.1:$(head -1 "$OUT/relay.port")/api/v1/openapi/notification/wecom"

# A state folder of its own: an earlier run's sends to these robots must not count.
start=$(date +%s.%N)
KDOCS_ACCESS_TOKEN=bench-token .build/$CONFIG/herald send "$OUT/job/job.yaml" --endpoint "$endpoint" \
  --concurrency 2 --quiet --state-dir "$OUT/state" --report "$OUT/report.json"
end=$(date +%s.%N)

python3 - "$OUT/report.json" "$start" "$end" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
wall = float(sys.argv[3]) - float(sys.argv[2])
t = report["totals"]
assert t["delivered"] == t["requests"] == 12 and t["messages"] == 126, t
paced = [r["waits"].get("pacing", 0) / 1000 for r in report["requests"] if r["waits"].get("pacing")]
print(f"pacing: 6 robots x 21 messages, rate_limit 20, concurrency 2: {t['elapsed_ms'] / 1000:.1f} s sending"
      f" ({wall:.1f} s the whole run); the robots' own schedule: 60 s; holding a slot while waiting: 180 s")
print(f"pacing: {len(paced)} requests waited for their window, {min(paced):.1f}-{max(paced):.1f} s each")
PY
