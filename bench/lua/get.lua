-- GET one fixed path (the baseline's /rcml, AppServer's /CallToAlice): wrk.path comes from the URL.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
function make_request() return wrk.format("GET", wrk.path) end
