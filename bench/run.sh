#!/usr/bin/env bash
# make bench: Herald side by side with the alternatives, one table at the end.
#   bench/run.sh           full sizes (1k, 10k, 100k messages), release build
#   bench/run.sh --smoke   tiny sizes, no timing claims: keeps the bench from rotting (CI)
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
[ -x /usr/bin/time ] || apt_install time
python3 -c 'import yaml, chevron' 2>/dev/null || python3 -m pip install -q pyyaml chevron

if [ $SMOKE = 1 ]; then CONFIG=debug; else CONFIG=release; fi
swift build -c $CONFIG --product herald >/dev/null
swift build -c $CONFIG --product EngineBench >/dev/null
HERALD=.build/$CONFIG/herald

rows=()
add() { rows+=("$(printf '%-34s %14s %14s %10s' "$1" "$2" "$3" "$4")"); }
add "what" "herald" "python peer" "ratio"

measure() { # prints "seconds maxrss_kb"
  /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$@" > "$OUT/stdout.txt" 2>/dev/null
  cat "$OUT/time.txt"
}

if [ $SMOKE = 1 ]; then SIZES="20"; else SIZES="1000 10000 100000"; fi
for n in $SIZES; do
  dir="$OUT/job-$n"
  python3 bench/gen.py "$dir" --links 50 --rows "$n"
  # Same bytes first: no ratio is reported for different outputs.
  $HERALD send --dry-run "$dir/job.yaml" --now $NOW --timezone Asia/Shanghai > "$OUT/herald-$n.jsonl"
  python3 bench/peer.py "$dir/job.yaml" --now $NOW > "$OUT/peer-$n.jsonl"
  if ! cmp -s "$OUT/herald-$n.jsonl" "$OUT/peer-$n.jsonl"; then
    echo "bench: herald and the peer print different bytes for $n messages; no ratio reported" >&2
    cmp "$OUT/herald-$n.jsonl" "$OUT/peer-$n.jsonl" >&2 || true
    exit 1
  fi
  read -r hs hk < <(measure $HERALD send --dry-run "$dir/job.yaml" --now $NOW --timezone Asia/Shanghai)
  read -r ps pk < <(measure python3 bench/peer.py "$dir/job.yaml" --now $NOW)
  ratio=$(python3 -c "print(f'{max($ps,0.001)/max($hs,0.001):.1f}x')")
  add "dry run, $n msgs: wall" "${hs} s" "${ps} s" "$ratio"
  add "dry run, $n msgs: peak RSS" "$((hk / 1024)) MB" "$((pk / 1024)) MB" ""
  per=$(python3 -c "print(f'{$hs/$n*1e6:.2f} us')")
  add "dry run, $n msgs: per message" "$per" "" ""
done

# Cold start: a small example, median of hyperfine runs.
small=examples/weekly-report/job.yaml
[ -f "$small" ] || small="$OUT/job-${SIZES%% *}/job.yaml"
runs=30; [ $SMOKE = 1 ] && runs=3
hyperfine -N --warmup 3 --runs $runs --export-json "$OUT/cold.json" \
  "$HERALD send --dry-run $small --now $NOW" >/dev/null 2>&1 || \
hyperfine --warmup 3 --runs $runs --export-json "$OUT/cold.json" "$HERALD send --dry-run $small --now $NOW" >/dev/null
hc=$(python3 -c "import json;print(f\"{json.load(open('$OUT/cold.json'))['results'][0]['median']*1000:.1f} ms\")")
add "cold start (median of $runs)" "$hc" "" ""

# Engine microbenchmark.
eng=$(.build/$CONFIG/EngineBench $([ $SMOKE = 1 ] && echo --smoke) | head -1)
add "engine" "${eng#engine: }" "" ""

echo
printf '%s\n' "${rows[@]}" | tee "$OUT/table.txt"
echo
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(date -u +%Y-%m-%d); $($HERALD --version)"
