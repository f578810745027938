-- wrk's side of bench/serve/run.sh: posts the payloads events.py makes (byte for byte: run.sh
-- compares one), each with its own groupKey, so no server answers one as a duplicate.
--   wrk -t2 -c64 -d10s --latency -s bench/serve/post.lua URL -- TOKEN
-- Prints one JSON line, as load.py does: accepted_per_s (202s), p50_ms, p99_ms, errors, statuses.
-- wrk, not load.py, for the throughput run: a C client leaves the cores to the server it loads
-- (load.py's aiohttp took about as much CPU a post as the server did).

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local headers = {}
local counter = 0
accepted = 0

function init(args)
  headers["Authorization"] = "Bearer " .. (args[1] or "")
  headers["Content-Type"] = "application/json"
  -- Each thread numbers its own events; ids do not overlap across threads.
  counter = id * 1000000000
end

-- events.payload(n), kept to its bytes.
local function payload(n)
  return '{"version":"4","truncatedAlerts":0,"status":"firing","receiver":"herald",'
    .. '"groupLabels":{"alertname":"HighLatency"},'
    .. '"commonLabels":{"alertname":"HighLatency","severity":"warning","team":"ops"},'
    .. '"commonAnnotations":{},"externalURL":"http://alertmanager.example.com:9093",'
    .. '"groupKey":"{}:{alertname=\\"HighLatency\\", run=\\"bench-' .. n .. '\\"}",'
    .. '"alerts":[{"status":"firing","labels":{"alertname":"HighLatency","instance":"web-'
    .. string.format("%02d", n % 100) .. ':9100","severity":"warning","team":"ops"},'
    .. '"annotations":{"summary":"p99 latency 420 ms (bench-' .. n .. ')"},'
    .. '"startsAt":"2026-12-04T08:01:00Z","endsAt":"0001-01-01T00:00:00Z",'
    .. '"generatorURL":"http://prometheus.example.com:9090/graph?g0.expr=latency",'
    .. '"fingerprint":"' .. string.format("%016x", n) .. '"}]}'
end

function request()
  counter = counter + 1
  return wrk.format("POST", nil, headers, payload(counter))
end

-- Counts per status as globals ("s202"), which done() reads from each thread.
function response(status, headers, body)
  if status == 202 then accepted = accepted + 1 end
  local key = "s" .. status
  _G[key] = (_G[key] or 0) + 1
end

function done(summary, latency, requests)
  local total_accepted, merged = 0, {}
  for _, thread in ipairs(threads) do
    total_accepted = total_accepted + thread:get("accepted")
    for code = 100, 599 do
      local count = thread:get("s" .. code)
      if count then merged[code] = (merged[code] or 0) + count end
    end
  end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local failures = e.connect + e.read + e.write + e.timeout
  local parts = {}
  for code, count in pairs(merged) do table.insert(parts, string.format('"%d": %d', code, count)) end
  io.write(string.format(
    '{"accepted_per_s": %.1f, "p50_ms": %.2f, "p99_ms": %.2f, "errors": %d, "statuses": {%s}, "posts": %d, "seconds": %.2f}\n',
    total_accepted / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests - total_accepted + failures, table.concat(parts, ", "), summary.requests + failures, seconds))
end
