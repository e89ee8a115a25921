-- POST /incoming as Restcomm sends it, with a CallSid nobody used before: every request is a new call (a real insert).
-- CallSid = "ID" + 32 chars + "-CA" + 32 chars (Restcomm's shape): run id (8 hex) + thread (4 digits) + counter (20 digits).
-- BENCH_RUN_ID makes the warm-up's ids differ from the measured run's.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
local run = os.getenv("BENCH_RUN_ID") or "00000000"
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
local n = 0

function make_request()
  n = n + 1
  local id = string.format("%s%04d%020d", run, tid, n)
  local body = "CallSid=ID" .. id .. "-CA" .. id ..
    "&AccountSid=ACae6e420f425248d6a26948c17a9e2acf&From=%2B1555" .. string.format("%07d", n % 10000000) ..
    "&To=%2B15550001000&CallStatus=ringing&ApiVersion=2012-04-24&Direction=inbound" ..
    "&CallerName=null&ForwardedFrom=null&InstanceId=bench&CallTimestamp=2026-11-23T09%3A00%3A00.000Z"
  return wrk.format("POST", "/incoming", headers, body)
end
