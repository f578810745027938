#!/usr/bin/env bash
# make fuzz: builds the libFuzzer targets (ASan + fuzzer) and runs each for SECONDS.
#   scripts/fuzz.sh [SECONDS] [TARGET...]     default: 600 s, all targets
# Seeds: Fuzz/corpus/<kind> (checked in). What the fuzzer learns goes to .build-fuzz/corpus.
# A crash, a hang (> 1 s) or an out-of-memory (> 2 GB) stops the run with exit 1 and leaves
# the input in Fuzz/findings/; turn it into a regression test, then delete it.
# Linked with lld: gold fails on these objects (an internal error in its DWARF reader).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-600}; shift || true
TARGETS=${*:-"FuzzTemplate FuzzJobFile FuzzCSV FuzzSplit"}
SCRATCH=.build-fuzz

for t in $TARGETS; do
  HERALD_FUZZ=1 swift build -c release --scratch-path $SCRATCH --product "$t" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld >/dev/null
done

corpus_of() { case $1 in FuzzTemplate) echo template;; FuzzJobFile) echo job;; FuzzCSV) echo csv;; FuzzSplit) echo split;; esac; }
mkdir -p Fuzz/findings
status=0
for t in $TARGETS; do
  kind=$(corpus_of "$t")
  work=$SCRATCH/corpus/$kind
  mkdir -p "$work"
  echo "fuzz: $t for ${SECONDS_EACH}s (seeds: Fuzz/corpus/$kind)"
  # The job target reads files beside the job; run it from a scratch folder.
  if ! ASAN_OPTIONS=detect_leaks=0 "$SCRATCH/release/$t" "$work" "Fuzz/corpus/$kind" \
      -max_total_time="$SECONDS_EACH" -timeout=1 -rss_limit_mb=2048 -max_len=65536 \
      -artifact_prefix="Fuzz/findings/$kind-" -print_final_stats=1 > "$SCRATCH/$t.log" 2>&1; then
    echo "fuzz: $t found a problem:" >&2
    grep -E "ERROR|SUMMARY|Test unit written|timeout|out-of-memory" "$SCRATCH/$t.log" | head -20 >&2
    status=1
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb|cov:" "$SCRATCH/$t.log" | tail -3
done
exit $status
