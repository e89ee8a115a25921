-- Shared by every scenario: counts 2xx / non-2xx answers per thread (wrk's response() hook) and prints one
-- machine-readable line at the end, so bench/run.sh never has to scrape wrk's human output.
-- A scenario script sets `make_request` (a function returning the request) before calling dofile on this file.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  ok, bad, sent = 0, 0, 0
  if scenario_init then scenario_init(args) end
end

function request()
  sent = sent + 1
  return make_request()
end

function response(status, headers, body)
  if status >= 200 and status < 300 then ok = ok + 1 else bad = bad + 1 end
end

function done(summary, latency, requests)
  local t_ok, t_bad, t_sent = 0, 0, 0
  for _, t in ipairs(threads) do
    t_ok = t_ok + t:get("ok"); t_bad = t_bad + t:get("bad"); t_sent = t_sent + t:get("sent")
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d ok=%d non2xx=%d sent=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
    "err_connect=%d err_read=%d err_write=%d err_timeout=%d err_status=%d\n",
    summary.requests, summary.duration, t_ok, t_bad, t_sent,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.timeout, e.status))
end
