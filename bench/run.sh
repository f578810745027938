#!/usr/bin/env bash
# make bench: Herald side by side with the alternatives, one table at the end.
#   bench/run.sh           full sizes (1k, 10k, 100k, 1M messages), release build
#   bench/run.sh --smoke   tiny sizes, no timing claims: keeps the bench from rotting (CI)
# At 1M messages the peer runs once (its bytes are checked; about two minutes); with
# BENCH_PEER_1M=0 it does not run there at all.
set -euo pipefail
cd "$(dirname "$0")/.."
SMOKE=0; [ "${1:-}" = "--smoke" ] && SMOKE=1
OUT=bench/out; mkdir -p "$OUT"
NOW=2026-11-25T09:30:00+08:00

need() { command -v "$1" >/dev/null 2>&1; }
apt_install() {
  need apt-get || { echo "bench: missing $*; install them" >&2; exit 1; }
  [ -n "${BENCH_APT_UPDATED:-}" ] || { apt-get update -qq; BENCH_APT_UPDATED=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
need hyperfine || apt_install hyperfine
need wrk || apt_install wrk
python3 -c 'import yaml, chevron' 2>/dev/null || python3 -m pip install -q pyyaml chevron
python3 -c 'import aiohttp' 2>/dev/null || python3 -m pip install -q aiohttp

# The same flags as `make release`, so the two never rebuild each other's products.
if [ $SMOKE = 1 ]; then CONFIG=debug; FLAGS="-c debug"; else CONFIG=release; FLAGS="-c release --static-swift-stdlib"; fi
for product in herald EngineBench SplitBench herald-relay; do swift build $FLAGS --product $product >/dev/null; done
HERALD=.build/$CONFIG/herald

rows=()
add() { rows+=("$(printf '%-38s %15s %17s %11s' "$1" "$2" "$3" "$4")"); }
add "what" "herald" "peer" "ratio"

measure() { # prints "seconds maxrss_kb user_seconds sys_seconds"; fails when the command fails
  python3 bench/measure.py "$OUT/stdout.txt" "$@"
}
# Medians of "wall:rss:user:sys" runs: "wall_median max_rss_kb".
med='import sys,statistics;r=[tuple(map(float,x.split(":"))) for x in sys.argv[1:]];print(f"{statistics.median(x[0] for x in r):.3f}",int(max(x[1] for x in r)))'

if [ $SMOKE = 1 ]; then SIZES="20"; else SIZES="1000 10000 100000 1000000"; fi
for n in $SIZES; do
  dir="$OUT/job-$n"
  python3 bench/gen.py "$dir" --links 50 --rows "$n"
  # At 1M the peer runs once (about two minutes), or not at all with BENCH_PEER_1M=0.
  peer_runs=1; [ "$n" = 1000000 ] && [ "${BENCH_PEER_1M:-1}" = 0 ] && peer_runs=0
  $HERALD send --dry-run "$dir/job.yaml" --now $NOW --timezone Asia/Shanghai > "$OUT/herald-$n.jsonl"
  pruns=""
  if [ $peer_runs = 1 ]; then
    # Same bytes first: no ratio is reported for different outputs.
    pruns="$(measure python3 bench/peer.py "$dir/job.yaml" --now $NOW | tr ' ' ':')"
    cp "$OUT/stdout.txt" "$OUT/peer-$n.jsonl"
    if ! cmp -s "$OUT/herald-$n.jsonl" "$OUT/peer-$n.jsonl"; then
      echo "bench: herald and the peer print different bytes for $n messages; no ratio reported" >&2
      cmp "$OUT/herald-$n.jsonl" "$OUT/peer-$n.jsonl" >&2 || true
      exit 1
    fi
    rm -f "$OUT/peer-$n.jsonl"
  fi
  # Rounds of one herald run and one peer run, back to back, so both see the same machine
  # (its speed drifts by a quarter within minutes); herald gets two extra runs. Medians.
  # At 1M: three herald runs, the peer's one run above.
  rounds=$([ $SMOKE = 1 ] && echo 1 || echo 3)
  extra=$([ $SMOKE = 1 ] || [ "$n" = 1000000 ] && echo 0 || echo 2)
  hruns=""
  for r in $(seq $rounds); do
    hruns="$hruns $(measure $HERALD send --dry-run "$dir/job.yaml" --now $NOW --timezone Asia/Shanghai | tr ' ' ':')"
    if [ "$n" != 1000000 ] && [ "$r" -gt 1 ]; then
      pruns="$pruns $(measure python3 bench/peer.py "$dir/job.yaml" --now $NOW | tr ' ' ':')"
    fi
  done
  for _ in $(seq $extra); do
    hruns="$hruns $(measure $HERALD send --dry-run "$dir/job.yaml" --now $NOW --timezone Asia/Shanghai | tr ' ' ':')"
  done
  rm -f "$OUT/herald-$n.jsonl" "$OUT/stdout.txt"
  read -r hs hk < <(python3 -c "$med" $hruns)
  if [ -n "$pruns" ]; then
    read -r ps pk < <(python3 -c "$med" $pruns)
    ratio=$(python3 -c "print(f'{max($ps,0.001)/max($hs,0.001):.1f}x')")
    note=$([ "$n" = 1000000 ] && echo " (1 run)" || echo "")
    add "dry run, $n msgs: wall (median)" "${hs} s" "${ps} s$note" "$ratio"
    add "dry run, $n msgs: peak RSS" "$((hk / 1024)) MB" "$((pk / 1024)) MB" ""
  else
    add "dry run, $n msgs: wall (median)" "${hs} s" "not run" ""
    add "dry run, $n msgs: peak RSS" "$((hk / 1024)) MB" "" ""
  fi
  per=$(python3 -c "print(f'{$hs/$n*1e6:.2f} us')")
  add "dry run, $n msgs: per message" "$per" "" ""
done

# Cold start: a small job (10 messages) for both, median of hyperfine runs.
python3 bench/gen.py "$OUT/job-small" --links 5 --rows 10 >/dev/null
small="$OUT/job-small/job.yaml"
$HERALD send --dry-run "$small" --now $NOW --timezone Asia/Shanghai > "$OUT/herald-small.jsonl"
python3 bench/peer.py "$small" --now $NOW > "$OUT/peer-small.jsonl"
cmp -s "$OUT/herald-small.jsonl" "$OUT/peer-small.jsonl" || { echo "bench: small job outputs differ" >&2; exit 1; }
runs=30; [ $SMOKE = 1 ] && runs=3
hyperfine -N --warmup 3 --runs $runs --export-json "$OUT/cold.json" \
  "$HERALD send --dry-run $small --now $NOW --timezone Asia/Shanghai" \
  "python3 bench/peer.py $small --now $NOW" >/dev/null
read -r hc pc < <(python3 -c "import json;r=json.load(open('$OUT/cold.json'))['results'];print(*(f'{x[\"median\"]*1000:.1f}' for x in r))")
add "cold start, median of $runs" "$hc ms" "$pc ms" "$(python3 -c "print(f'{$pc/$hc:.1f}x')")"

# Sending: 1,000 links, one request each, to a loopback relay; wrk posts the same body, and
# the Python peer (asyncio + aiohttp) posts the same bodies at the same concurrency.
sends=1000; [ $SMOKE = 1 ] && sends=20
python3 bench/gen.py "$OUT/job-send" --links $sends --rows $sends --rate-limit 0 >/dev/null
$HERALD send --dry-run "$OUT/job-send/job.yaml" --now $NOW > "$OUT/send-bodies.jsonl"
.build/$CONFIG/herald-relay --threads 1 > "$OUT/relay.port" &
relay=$!
trap 'kill $relay 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$OUT/relay.port" ] && break; sleep 0.1; done
port=$(head -1 "$OUT/relay.port")
endpoint="http://127.0.0.1:$port/api/v1/openapi/notification/wecom"
# Rounds of one herald run and one peer run (medians of 5). Rates are over the sending phase
# (herald's report's elapsed_ms, the peer's own count: first request to last answer), as
# wrk's is; the whole run, start-up and planning included, is shown too. CPU per request is
# the process's user + sys time over its requests.
runs=""; peer_runs=""
for _ in $(seq $([ $SMOKE = 1 ] && echo 1 || echo 5)); do
  r=$(KDOCS_ACCESS_TOKEN=bench-token measure $HERALD send "$OUT/job-send/job.yaml" --endpoint "$endpoint" \
    --concurrency 16 --quiet --now $NOW --state-dir "$OUT/state" --report "$OUT/send-report.json")
  ms=$(python3 -c "import json;print(json.load(open('$OUT/send-report.json'))['totals']['elapsed_ms'])")
  runs="$runs $(echo "$r" | tr ' ' ':'):$ms"
  r=$(measure python3 bench/send_peer.py "$OUT/send-bodies.jsonl" "$endpoint" bench-token 16)
  ms=$(cut -d' ' -f1 "$OUT/stdout.txt")
  peer_runs="$peer_runs $(echo "$r" | tr ' ' ':'):$ms"
done
sendmed='import sys,statistics
r=[tuple(map(float,x.split(":"))) for x in sys.argv[2:]]
n=int(sys.argv[1])
print(f"{statistics.median(x[0] for x in r):.3f}",int(max(x[1] for x in r)),statistics.median(x[4] for x in r),
      f"{statistics.median((x[2]+x[3])/n*1e6 for x in r):.0f}")'
read -r ss sk sms scpu < <(python3 -c "$sendmed" $sends $runs)
read -r ps pk pms pcpu < <(python3 -c "$sendmed" $sends $peer_runs)
head -1 "$OUT/send-bodies.jsonl" | tr -d '\n' > "$OUT/send-body.json"
cat > "$OUT/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$OUT/send-body.json", "rb"); wrk.body = f:read("*a"); f:close()
LUA
wrk_secs=5; [ $SMOKE = 1 ] && wrk_secs=1
wrk -t2 -c16 -d${wrk_secs}s -s "$OUT/post.lua" "$endpoint?access_token=bench-token" > "$OUT/wrk.txt"
wrk_rate=$(awk '/Requests\/sec/{print $2}' "$OUT/wrk.txt")
herald_rate=$(python3 -c "print(f'{$sends/max($sms/1000,0.001):.0f}')")
peer_rate=$(python3 -c "print(f'{$sends/max($pms/1000,0.001):.0f}')")
whole_rate=$(python3 -c "print(f'{$sends/max($ss,0.001):.0f}')")
peer_whole=$(python3 -c "print(f'{$sends/max($ps,0.001):.0f}')")
add "send $sends requests, c=16: rate" "$herald_rate req/s" "$peer_rate req/s" "$(python3 -c "print(f'{$herald_rate/max($peer_rate,1):.1f}x')")"
add "  wrk on the same relay, c=16" "" "wrk $wrk_rate" "$(python3 -c "print(f'{100*$herald_rate/$wrk_rate:.0f}% of wrk')")"
add "  the whole run (start, plan, send)" "$whole_rate req/s" "$peer_whole req/s" \
  "$(python3 -c "print(f'{$whole_rate/max($peer_whole,1):.1f}x')")"
add "send $sends requests: CPU per request" "$scpu us" "$pcpu us" "$(python3 -c "print(f'{$pcpu/max($scpu,1):.1f}x')")"
add "send $sends requests: wall, peak RSS" "$ss s, $((sk / 1024)) MB" "$ps s, $((pk / 1024)) MB" ""
kill $relay 2>/dev/null || true

# Engine microbenchmark.
eng=$(.build/$CONFIG/EngineBench $([ $SMOKE = 1 ] && echo --smoke) | head -1)
add "engine" "${eng#engine: }" "" ""
split=$(.build/$CONFIG/SplitBench $([ $SMOKE = 1 ] && echo --smoke) | head -1)
add "split" "${split#split: }" "" ""

echo
printf '%s\n' "${rows[@]}" | tee "$OUT/table.txt"
echo
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(date -u +%Y-%m-%d); $($HERALD --version)"
