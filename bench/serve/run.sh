#!/usr/bin/env bash
# The serve benchmark: an Alertmanager webhook receiver under load, Herald's and the Python
# peer's (bench/serve/peer.py), each on a free loopback port with its own SQLite file.
#   bench/serve/run.sh            load for 10 s at 64 posters (wrk), then 200 events one at a time
#   bench/serve/run.sh --smoke    2 s, 20 events: keeps the bench from rotting, no claims
# Per server: accepted events a second (202s), answer latency p50/p99 under load, the
# server's CPU time per accepted event (user + sys over the load run: steadier than the rate
# on a shared machine), and on an idle server the time from the 202 to the relay receiving
# the request (p50/p99). The disk's durable SQLite commits a second are printed for scale.
# Then the peak RSS of each server with QUEUED requests waiting in its store (the relay
# refuses every connection, so nothing drains): 100,000 (1,000 with --smoke).
set -euo pipefail
cd "$(dirname "$0")/../.."
SMOKE=0; [ "${1:-}" = "--smoke" ] && SMOKE=1
OUT=bench/out/serve; mkdir -p "$OUT"
DURATION=${SERVE_BENCH_SECONDS:-$([ $SMOKE = 1 ] && echo 2 || echo 10)}
CONCURRENCY=${SERVE_BENCH_CONCURRENCY:-64}
EVENTS=$([ $SMOKE = 1 ] && echo 20 || echo 200)
QUEUED=${SERVE_BENCH_QUEUED:-$([ $SMOKE = 1 ] && echo 1000 || echo 100000)}
TOKEN=serve-bench-token
export HERALD_SERVE_TOKEN=$TOKEN KDOCS_ACCESS_TOKEN=bench-token

python3 -c 'import aiohttp' 2>/dev/null || python3 -m pip install --quiet aiohttp
# The throughput run's client: wrk with post.lua (C, so the server it loads keeps the cores;
# load.py, aiohttp, took about as much CPU a post as the servers did). load.py fills the
# store for the RSS run, where only the count matters.
if ! command -v wrk >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1 \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
fi

if [ $SMOKE = 1 ]; then CONFIG=debug; FLAGS="-c debug"; else CONFIG=release; FLAGS="-c release --static-swift-stdlib"; fi
HERALD=${SERVE_BENCH_HERALD_BIN:-.build/$CONFIG/herald}   # another herald binary: SERVE_BENCH_HERALD_BIN=PATH
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

pids=()
cleanup() { for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# The relay the servers deliver to during the load run (herald-relay answers every POST).
swift build $FLAGS --product herald-relay >/dev/null
.build/$CONFIG/herald-relay --threads 1 > "$OUT/relay.port" &
pids+=($!)
for _ in $(seq 50); do [ -s "$OUT/relay.port" ] && break; sleep 0.1; done
RELAY="http://127.0.0.1:$(head -1 "$OUT/relay.port")/api/v1/openapi/notification/wecom"

wait_up() { # PORT: until something answers on it
  for _ in $(seq 100); do
    python3 -c "import socket,sys;socket.create_connection(('127.0.0.1',$1),0.2)" 2>/dev/null && return 0; sleep 0.1
  done
  echo "serve bench: nothing listens on port $1" >&2; return 1
}

# The command that starts each server: SERVER PORT STORE RELAY_URL.
start_cmd() {
  case "$1" in
    peer) echo "python3 bench/serve/peer.py --port $2 --db $3 --token $TOKEN --endpoint $4" ;;
    # ── HOOK: the Herald server, started the same way (once `herald serve` exists). ──
    herald) echo "$HERALD serve bench/serve/job.yaml --listen 127.0.0.1:$2 --store $3 --endpoint $4" ;;
  esac
}

# CPU seconds (user + sys) a running process has used so far.
cpu_of() { python3 -c "import os;f=open('/proc/$1/stat').read().rsplit(')',1)[1].split();print((int(f[11])+int(f[12]))/os.sysconf('SC_CLK_TCK'))"; }

rows=()
row() { rows+=("$(printf '%-8s %12s %9s %9s %7s %12s %13s %13s %14s' "$@")"); }
row "server" "accepted/s" "p50 ms" "p99 ms" "errors" "CPU/event" "relay p50 ms" "relay p99 ms" "RSS MB@queued"

# post.lua must post what events.py makes: one of its bodies, caught, against payload(n).
port=$(free_port)
python3 - "$port" <<'PY' &
import http.server, json, sys
sys.path.insert(0, "bench/serve")
from events import payload
verdict = []
class Catch(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        n = int(json.loads(body)["alerts"][0]["fingerprint"], 16)
        verdict.append(body == payload(n))
        self.send_response(202); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *args): pass
server = http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Catch)
while not verdict: server.handle_request()   # wait_up's probe connection comes first
if not verdict[0]:
    sys.exit("serve bench: post.lua's body differs from events.payload(n)")
PY
catch=$!
wait_up $port
wrk -t1 -c1 -d1s -s bench/serve/post.lua "http://127.0.0.1:$port/events/x" -- $TOKEN >/dev/null 2>&1 || true
wait $catch

# SERVE_BENCH_HERALD=0: the peer alone.
SERVERS="herald peer"
if [ "${SERVE_BENCH_HERALD:-1}" = 1 ]; then
  [ -n "${SERVE_BENCH_HERALD_BIN:-}" ] || { swift build $FLAGS --product herald >/dev/null && swift build $FLAGS --product herald-serve >/dev/null; }
else
  SERVERS="peer"
fi

for server in $SERVERS; do
  # Throughput: load for DURATION seconds on a fresh store.
  dir="$OUT/$server"; rm -rf "$dir"; mkdir -p "$dir"
  port=$(free_port)
  $(start_cmd $server $port "$dir/load.sqlite" "$RELAY") > "$dir/server.out" 2> "$dir/server.err" &
  spid=$!; pids+=($spid)
  wait_up $port
  wrk -t1 -c$CONCURRENCY -d${DURATION}s --latency -s bench/serve/post.lua \
    "http://127.0.0.1:$port/events/alertmanager" -- $TOKEN | tail -1 > "$dir/load.json"
  cpu=$(cpu_of $spid)
  kill $spid 2>/dev/null || true; wait $spid 2>/dev/null || true

  # Accept-to-relay latency: an idle server on a fresh store, its own recording relay.
  port=$(free_port)
  python3 bench/serve/relay_latency.py "http://127.0.0.1:$port/events/alertmanager" $TOKEN --events $EVENTS \
    -- $(start_cmd $server $port "$dir/latency.sqlite" "{relay}") > "$dir/latency.json" 2> "$dir/latency.err"

  # Peak RSS with QUEUED requests in the store: the relay port refuses, so all of them wait.
  port=$(free_port)
  $(start_cmd $server $port "$dir/queued.sqlite" "http://127.0.0.1:9/api/v1/openapi/notification/wecom") > "$dir/queued.out" 2> "$dir/queued.err" &
  qpid=$!; pids+=($qpid)
  wait_up $port
  python3 bench/serve/load.py "http://127.0.0.1:$port/events/alertmanager" $TOKEN \
    --concurrency $CONCURRENCY --duration 600 --count $QUEUED > "$dir/queued.json"
  rss=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' /proc/$qpid/status)
  kill $qpid 2>/dev/null || true; wait $qpid 2>/dev/null || true

  read -r rate p50 p99 errors per < <(python3 -c "import json;r=json.load(open('$dir/load.json'));print(r['accepted_per_s'],r['p50_ms'],r['p99_ms'],r['errors'],f\"{$cpu/max(r['statuses'].get('202',0),1)*1e6:.0f}\")")
  read -r l50 l99 < <(python3 -c "import json;r=json.load(open('$dir/latency.json'));print(r['p50_ms'],r['p99_ms'])")
  row "$server" "$rate" "$p50" "$p99" "$errors" "$per us" "$l50" "$l99" "$rss"
done

# For scale: how many durable (WAL, synchronous=FULL) one-row commits this disk takes a second.
commits=$(python3 - "$OUT/fsync-probe.sqlite" <<'PY'
import os, sqlite3, sys, time
path = sys.argv[1]
for f in (path, path + "-wal", path + "-shm"):
    if os.path.exists(f): os.remove(f)
db = sqlite3.connect(path, isolation_level=None)
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=FULL"); db.execute("CREATE TABLE t (x)")
n, start = 0, time.perf_counter()
while time.perf_counter() - start < 1:
    db.execute("BEGIN"); db.execute("INSERT INTO t VALUES (?)", ("x" * 500,)); db.execute("COMMIT"); n += 1
print(f"{n / (time.perf_counter() - start):.0f}")
PY
)

echo
printf '%s\n' "${rows[@]}" | tee "$OUT/table.txt"
echo
echo "c=$CONCURRENCY, ${DURATION} s of load; $EVENTS events one at a time for the relay latency; RSS peak with $QUEUED requests queued"
echo "this disk: $commits durable SQLite commits/s (one process, one row each)"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%d)"
