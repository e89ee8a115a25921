-- POST /status for calls seeded beforehand (bench/run.sh), round-robin: each request updates an existing row
-- (CallStatus in-progress, a growing CallDuration), so every one is a real, durable UPDATE of a known call.
-- Seeded CallSids: "CA" + BENCH_STATUS_PREFIX (8 hex) + 24-digit index, index 1..BENCH_STATUS_CALLS.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
local prefix = os.getenv("BENCH_STATUS_PREFIX") or "00000000"
local calls = tonumber(os.getenv("BENCH_STATUS_CALLS") or "1000")
local threads = tonumber(os.getenv("BENCH_THREADS") or "2")
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
local n = 0

function make_request()
  n = n + 1
  -- Round-robin; each thread starts at its own share of the calls, so two threads rarely update one call at once.
  local index = ((n + (tid - 1) * math.floor(calls / threads)) % calls) + 1
  local body = string.format(
    "CallSid=CA%s%024d&AccountSid=ACae6e420f425248d6a26948c17a9e2acf&CallStatus=in-progress&CallDuration=%d" ..
    "&ApiVersion=2012-04-24&Direction=inbound&SequenceNumber=%d", prefix, index, n % 100000, n % 100000)
  return wrk.format("POST", "/status", headers, body)
end
