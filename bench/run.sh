#!/usr/bin/env bash
# AppServer benchmark, one command:   bash bench/run.sh
#
# Builds Release, starts a bare Kestrel baseline (bench/Baseline) and AppServer (fresh SQLite file), both on
# 127.0.0.1 in Production with logging at Warning, and measures with wrk:
#   1. baseline      GET  /rcml          constant RCML string (the yardstick)
#   2. rcml          GET  /CallToAlice   RCML rendered from its template
#   3. incoming      POST /incoming      a new CallSid per request: each one a durable insert
#   4. incoming_streams POST /incoming   as 3 with STREAMS console streams open (GET /calls/events, bench/StreamListener):
#                                        the live feed's fan-out; the goal is >= 0.8x of 3, every stream hearing every call
#   5. status        POST /status        updates of seeded calls, round-robin
#   6. pg_incoming   POST /incoming      as 3, AppServer on PostgreSQL (a throwaway durable server from the machine's
#                                        binaries, installed with apt-get when missing)
#   7. pg_incoming_2 POST /incoming      as 6 on two instances sharing the database: two wrk processes, half the
#                                        connections and threads each, one per instance, at the same time
#   8. baseline_end  GET  /rcml          the yardstick again: ratios are to the mean of 1 and 8 (the VM drifts)
# Prints a table (req/s, p50/p99, ratio to the baseline of the same run), AppServer's peak RSS (VmHWM) and the
# row check (every 2xx-acknowledged webhook is a row: nothing lost), and writes bench/results/<timestamp>.json.
# SKIP_POSTGRES=1 leaves out 6 and 7; STREAMS=0 leaves out 4.
#
# Knobs (environment): DURATION=10 WARMUP=5 (seconds per scenario), CONNECTIONS=64, THREADS=2,
# STATUS_CALLS=1000 (calls seeded for the /status run), SKIP_BUILD=1, KEEP_WORK=1 (keep the temp folder),
# STRICT=1 (exit 1 when a goal is missed), APPSERVER_ENV="VAR=value ..." (extra environment for AppServer only,
# e.g. APPSERVER_ENV="DOTNET_gcServer=1" to compare runtime settings), APPSERVER_DLL=/path/AppServer.dll (measure
# another build, e.g. an older commit exported with git archive, against the same baseline). Exit code 2 means the row check failed (a lost or duplicated write).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BENCH=$ROOT/bench
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-5}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
STATUS_CALLS=${STATUS_CALLS:-1000}
STREAMS=${STREAMS:-300}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)  # other work on the machine skews absolute numbers; ratios less so
WORK=$(mktemp -d "${TMPDIR:-/tmp}/appserver-bench.XXXXXX")
RESULTS=$BENCH/results
mkdir -p "$RESULTS"
# shellcheck source=bench/lib.sh
source "$BENCH/lib.sh"

# ---------------------------------------------------------------- tools
need_deb wrk wrk
need_deb sqlite3 sqlite3
need_deb curl curl

# ---------------------------------------------------------------- build
if [ -z "${SKIP_BUILD:-}" ]; then
  log "building Release"
  if [ -z "${APPSERVER_DLL:-}" ]; then
    dotnet build "$ROOT/src/AppServer/AppServer.csproj" -c Release -nologo -v quiet >"$WORK/build-appserver.log" 2>&1 \
      || { cat "$WORK/build-appserver.log" >&2; exit 1; }
  fi
  dotnet build "$BENCH/Baseline/Baseline.csproj" -c Release -nologo -v quiet >"$WORK/build-baseline.log" 2>&1 \
    || { cat "$WORK/build-baseline.log" >&2; exit 1; }
  dotnet build "$BENCH/StreamListener/StreamListener.csproj" -c Release -nologo -v quiet >"$WORK/build-listener.log" 2>&1 \
    || { cat "$WORK/build-listener.log" >&2; exit 1; }
fi
APPSERVER_DLL=${APPSERVER_DLL:-$ROOT/src/AppServer/bin/Release/net10.0/AppServer.dll}
BASELINE_DLL=$BENCH/Baseline/bin/Release/net10.0/Baseline.dll
LISTENER_DLL=$BENCH/StreamListener/bin/Release/net10.0/StreamListener.dll
[ -f "$APPSERVER_DLL" ] && [ -f "$BASELINE_DLL" ] || { log "missing build output"; exit 1; }
APPSERVER_DLL_NOTE=""
[ "$APPSERVER_DLL" = "$ROOT/src/AppServer/bin/Release/net10.0/AppServer.dll" ] || APPSERVER_DLL_NOTE="  AppServer: $APPSERVER_DLL"

# ---------------------------------------------------------------- servers
BASE_PORT=$(pick_port 18580)
start_server baseline "$BASELINE_DLL" "$BASE_PORT" /rcml
BASELINE_PID=$LAST_PID

APP_PORT=$(pick_port 18680)
DB=$WORK/appserver.db
start_appserver appserver "$APPSERVER_DLL" "$APP_PORT" "$DB" ${APPSERVER_ENV:-}
APP_PID=$LAST_PID
APP=http://127.0.0.1:$APP_PORT

# ---------------------------------------------------------------- wrk
export BENCH_LUA_DIR=$BENCH/lua
# run_wrk NAME URL SCRIPT [WARMUP_ID MEASURED_ID]: warm-up, then the measured run. Sets R_* from the measured run's
# BENCH_RESULT line and W_OK/W_SENT/W_NON2XX from the warm-up's (its writes count in the row check too).
# The ids become BENCH_RUN_ID (the /incoming CallSid prefix), so each run's rows can be counted apart.
run_wrk() {
  local name=$1 url=$2 script=$3 warmup_id=${4:-00000000} measured_id=${5:-00000000} line
  line=$(BENCH_RUN_ID=$warmup_id wrk_once "$WORK/$name.warmup.txt" "$WARMUP" "$url" "$script")
  W_OK=$(field "$line" ok); W_SENT=$(field "$line" sent); W_NON2XX=$(field "$line" non2xx)
  W_OK=${W_OK:-0}; W_SENT=${W_SENT:-0}; W_NON2XX=${W_NON2XX:-0}
  log "$name: ${DURATION}s, $CONNECTIONS connections, $THREADS threads"
  line=$(BENCH_RUN_ID=$measured_id wrk_once "$WORK/$name.txt" "$DURATION" "$url" "$script" --latency)
  [ -n "$line" ] || { cat "$WORK/$name.txt" >&2; exit 1; }
  R_REQUESTS=$(field "$line" requests); R_DURATION=$(field "$line" duration_us)
  R_OK=$(field "$line" ok); R_NON2XX=$(field "$line" non2xx); R_SENT=$(field "$line" sent)
  R_P50=$(field "$line" p50_us); R_P90=$(field "$line" p90_us); R_P99=$(field "$line" p99_us); R_MAX=$(field "$line" max_us)
  R_ERRORS=$(( $(field "$line" err_connect) + $(field "$line" err_read) + $(field "$line" err_write) + $(field "$line" err_timeout) ))
  R_RPS=$(rps_of "$line")
}

declare -A RPS P50 P90 P99 MAX NON2XX ERRORS REQUESTS
record() { # record NAME
  RPS[$1]=$R_RPS; P50[$1]=$R_P50; P90[$1]=$R_P90; P99[$1]=$R_P99; MAX[$1]=$R_MAX
  NON2XX[$1]=$(( R_NON2XX + ${W_NON2XX:-0} )); ERRORS[$1]=$R_ERRORS; REQUESTS[$1]=$R_REQUESTS
}

# Settle first: both processes just started, and AppServer's start-up JIT ran alongside the first baseline run
# (which then read ~10 % low, so every ratio read high). A GET on each, not measured, before anything counts.
log "settling both servers: ${WARMUP}s of GET on each"
wrk_once "$WORK/settle-baseline.txt" "$WARMUP" "http://127.0.0.1:$BASE_PORT/rcml" "$BENCH/lua/get.lua" >/dev/null
wrk_once "$WORK/settle-appserver.txt" "$WARMUP" "$APP/CallToAlice" "$BENCH/lua/get.lua" >/dev/null
run_wrk baseline "http://127.0.0.1:$BASE_PORT/rcml" "$BENCH/lua/get.lua"; record baseline
run_wrk rcml "$APP/CallToAlice" "$BENCH/lua/get.lua"; record rcml

# /incoming: the warm-up and the measured run use different CallSid prefixes.
WARMUP_RUN_ID=$(printf '%08x' $(( (RANDOM << 15 | RANDOM) & 0x7fffffff )))
MEASURED_RUN_ID=$(printf '%08x' $(( (RANDOM << 15 | RANDOM) & 0x7fffffff )))
[ "$WARMUP_RUN_ID" != "$MEASURED_RUN_ID" ] || MEASURED_RUN_ID=ffffffff
run_wrk incoming "$APP/incoming" "$BENCH/lua/incoming.lua" "$WARMUP_RUN_ID" "$MEASURED_RUN_ID"; record incoming
IN_W_OK=$W_OK; IN_W_SENT=$W_SENT; IN_OK=$R_OK; IN_SENT=$R_SENT
new_run_id() { printf '%08x' $(( (RANDOM << 15 | RANDOM) & 0x7fffffff )); }

# /incoming with STREAMS consoles open. The listener runs on this machine too, so its reading is part of the cost (a
# console is usually elsewhere): the ratio is a floor. Each stream's distinct calls per run id are compared with the rows.
SCENARIOS=(baseline rcml incoming)
if [ "$STREAMS" -gt 0 ]; then
  log "opening $STREAMS console streams"
  mkfifo "$WORK/listener.in"
  dotnet "$LISTENER_DLL" "$APP" bench-agent-key "$STREAMS" <"$WORK/listener.in" >"$WORK/listener.out" 2>"$WORK/listener.err" &
  LISTENER_PID=$!
  SERVER_PIDS+=("$LISTENER_PID")
  exec {LISTENER_IN}>"$WORK/listener.in"
  tries=0
  until grep -q '^ready' "$WORK/listener.out"; do
    tries=$((tries + 1)); [ "$tries" -le 180 ] || { log "stream listener not ready after 90 s"; cat "$WORK/listener.err" >&2; exit 1; }
    sleep 0.5
  done
  STREAMS_OPENED=$(sed -n 's/^ready //p' "$WORK/listener.out")
  STREAM_IDS=("$(new_run_id)" "$(new_run_id)")
  run_wrk incoming_streams "$APP/incoming" "$BENCH/lua/incoming.lua" "${STREAM_IDS[0]}" "${STREAM_IDS[1]}"; record incoming_streams
  ST_W_OK=$W_OK; ST_OK=$R_OK
  echo stop >&"$LISTENER_IN"; exec {LISTENER_IN}>&- # the listener waits for the last events still on their way
  wait "$LISTENER_PID" || true
  SCENARIOS+=(incoming_streams)
fi

# /status: seed STATUS_CALLS calls through /incoming (curl, one process, keep-alive), then update them round-robin.
STATUS_PREFIX=$(printf '%08x' $(( (RANDOM << 15 | RANDOM) & 0x7fffffff )))
log "seeding $STATUS_CALLS calls for /status"
{
  i=1
  while [ "$i" -le "$STATUS_CALLS" ]; do
    printf 'url = "%s/incoming"\ndata = "CallSid=CA%s%024d&AccountSid=ACae6e420f425248d6a26948c17a9e2acf&From=%%2B15559990000&To=%%2B15550001000&CallStatus=ringing&Direction=inbound&ApiVersion=2012-04-24"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\n' \
      "$APP" "$STATUS_PREFIX" "$i"
    [ "$i" -lt "$STATUS_CALLS" ] && echo next
    i=$((i + 1))
  done
} >"$WORK/seed.curl"
SEEDED=$(curl -sS --no-progress-meter --parallel --parallel-max 8 -K "$WORK/seed.curl" | grep -c '^200$' || true)
[ "$SEEDED" -eq "$STATUS_CALLS" ] || { log "seeding: only $SEEDED of $STATUS_CALLS calls answered 200"; exit 1; }
export BENCH_STATUS_PREFIX=$STATUS_PREFIX BENCH_STATUS_CALLS=$STATUS_CALLS BENCH_THREADS=$THREADS
run_wrk status "$APP/status" "$BENCH/lua/status.lua"; record status

# ---------------------------------------------------------------- PostgreSQL: one instance, then two sharing the database
# run_wrk_pair NAME URL_A URL_B SCRIPT: as run_wrk, but two wrk processes at once (half the connections and threads
# each), one per instance, each with its own CallSid prefixes (PAIR_IDS: warm-up A, warm-up B, measured A, measured B).
# req/s is the sum; p50/p99/max are the worse of the two (their latency histograms cannot be merged from wrk's output).
run_wrk_pair() {
  local name=$1 url_a=$2 url_b=$3 script=$4 half_c=$((CONNECTIONS / 2)) half_t=$(( THREADS > 1 ? THREADS / 2 : 1 )) a b pa pb
  PAIR_IDS=("$(new_run_id)" "$(new_run_id)" "$(new_run_id)" "$(new_run_id)")
  ( CONNECTIONS=$half_c THREADS=$half_t BENCH_RUN_ID=${PAIR_IDS[0]} wrk_once "$WORK/$name.a.warmup.txt" "$WARMUP" "$url_a" "$script" ) \
    >"$WORK/$name.a.warmup.line" & pa=$!
  ( CONNECTIONS=$half_c THREADS=$half_t BENCH_RUN_ID=${PAIR_IDS[1]} wrk_once "$WORK/$name.b.warmup.txt" "$WARMUP" "$url_b" "$script" ) \
    >"$WORK/$name.b.warmup.line" & pb=$!
  wait "$pa" "$pb"
  a=$(cat "$WORK/$name.a.warmup.line"); b=$(cat "$WORK/$name.b.warmup.line")
  PAIR_W_OK=("$(field "$a" ok)" "$(field "$b" ok)"); PAIR_W_SENT=("$(field "$a" sent)" "$(field "$b" sent)")
  W_OK=$(( PAIR_W_OK[0] + PAIR_W_OK[1] )); W_SENT=$(( PAIR_W_SENT[0] + PAIR_W_SENT[1] ))
  W_NON2XX=$(( $(field "$a" non2xx) + $(field "$b" non2xx) ))
  log "$name: ${DURATION}s, 2 x $half_c connections, 2 x $half_t threads"
  ( CONNECTIONS=$half_c THREADS=$half_t BENCH_RUN_ID=${PAIR_IDS[2]} wrk_once "$WORK/$name.a.txt" "$DURATION" "$url_a" "$script" --latency ) \
    >"$WORK/$name.a.line" & pa=$!
  ( CONNECTIONS=$half_c THREADS=$half_t BENCH_RUN_ID=${PAIR_IDS[3]} wrk_once "$WORK/$name.b.txt" "$DURATION" "$url_b" "$script" --latency ) \
    >"$WORK/$name.b.line" & pb=$!
  wait "$pa" "$pb"
  a=$(cat "$WORK/$name.a.line"); b=$(cat "$WORK/$name.b.line")
  [ -n "$a" ] && [ -n "$b" ] || { cat "$WORK/$name.a.txt" "$WORK/$name.b.txt" >&2; exit 1; }
  max2() { if [ "$1" -gt "$2" ]; then echo "$1"; else echo "$2"; fi; }
  PAIR_OK=("$(field "$a" ok)" "$(field "$b" ok)"); PAIR_SENT=("$(field "$a" sent)" "$(field "$b" sent)")
  R_REQUESTS=$(( $(field "$a" requests) + $(field "$b" requests) ))
  R_OK=$(( PAIR_OK[0] + PAIR_OK[1] )); R_SENT=$(( PAIR_SENT[0] + PAIR_SENT[1] ))
  R_NON2XX=$(( $(field "$a" non2xx) + $(field "$b" non2xx) ))
  R_P50=$(max2 "$(field "$a" p50_us)" "$(field "$b" p50_us)"); R_P90=$(max2 "$(field "$a" p90_us)" "$(field "$b" p90_us)")
  R_P99=$(max2 "$(field "$a" p99_us)" "$(field "$b" p99_us)"); R_MAX=$(max2 "$(field "$a" max_us)" "$(field "$b" max_us)")
  R_ERRORS=0
  for line in "$a" "$b"; do
    R_ERRORS=$(( R_ERRORS + $(field "$line" err_connect) + $(field "$line" err_read) + $(field "$line" err_write) + $(field "$line" err_timeout) ))
  done
  R_RPS=$(( $(rps_of "$a") + $(rps_of "$b") ))
}

SCENARIOS+=(status)
if [ -z "${SKIP_POSTGRES:-}" ]; then
  PG_BIN=$(pg_bin)
  PG_PORT=$(pick_port 18780)
  start_postgres "$PG_PORT"
  PG_CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=appserver_bench"
  # The first instance creates the database and applies the migrations; the second finds them done.
  PG1_PORT=$(pick_port 18880)
  start_appserver_pg pg1 "$APPSERVER_DLL" "$PG1_PORT" "$PG_CONNECTION" ${APPSERVER_ENV:-}; PG1_PID=$LAST_PID
  PG2_PORT=$(pick_port $((PG1_PORT + 1)))
  start_appserver_pg pg2 "$APPSERVER_DLL" "$PG2_PORT" "$PG_CONNECTION" ${APPSERVER_ENV:-}; PG2_PID=$LAST_PID
  log "settling both PostgreSQL instances: ${WARMUP}s of GET on each"
  wrk_once "$WORK/settle-pg1.txt" "$WARMUP" "http://127.0.0.1:$PG1_PORT/CallToAlice" "$BENCH/lua/get.lua" >/dev/null
  wrk_once "$WORK/settle-pg2.txt" "$WARMUP" "http://127.0.0.1:$PG2_PORT/CallToAlice" "$BENCH/lua/get.lua" >/dev/null

  PG1_IDS=("$(new_run_id)" "$(new_run_id)")
  run_wrk pg_incoming "http://127.0.0.1:$PG1_PORT/incoming" "$BENCH/lua/incoming.lua" "${PG1_IDS[0]}" "${PG1_IDS[1]}"
  record pg_incoming
  PG1_W_OK=$W_OK; PG1_W_SENT=$W_SENT; PG1_OK=$R_OK; PG1_SENT=$R_SENT
  run_wrk_pair pg_incoming_2 "http://127.0.0.1:$PG1_PORT/incoming" "http://127.0.0.1:$PG2_PORT/incoming" "$BENCH/lua/incoming.lua"
  record pg_incoming_2
  SCENARIOS+=(pg_incoming pg_incoming_2); PG_RAN=1
fi
SCENARIOS+=(baseline_end)

# The baseline again, last: this VM's speed drifts over a run, so the yardstick is the mean of a measurement before
# and after AppServer's scenarios (both are printed, and how far apart they are).
run_wrk baseline_end "http://127.0.0.1:$BASE_PORT/rcml" "$BENCH/lua/get.lua"; record baseline_end
YARDSTICK=$(( (RPS[baseline] + RPS[baseline_end] + 1) / 2 ))

# ---------------------------------------------------------------- memory and rows
PEAK_RSS_KB=$(awk '/^VmHWM:/ { print $2 }' "/proc/$APP_PID/status")
BASELINE_RSS_KB=$(awk '/^VmHWM:/ { print $2 }' "/proc/$BASELINE_PID/status")
sql() { sqlite3 -cmd ".timeout 10000" "$DB" "$1"; }
ROWS_WARMUP=$(sql "SELECT count(*) FROM Calls WHERE CallSid LIKE 'ID$WARMUP_RUN_ID%';")
ROWS_MEASURED=$(sql "SELECT count(*) FROM Calls WHERE CallSid LIKE 'ID$MEASURED_RUN_ID%';")
# Every stored /incoming call must carry what the request said (parameters not lost, agent routed).
ROWS_COMPLETE=$(sql "SELECT count(*) FROM Calls WHERE CallSid LIKE 'ID$MEASURED_RUN_ID%' AND \"From\" LIKE '+1555%' AND \"To\" = '+15550001000' AND CallStatus = 'ringing' AND Agent = 'bob' AND Parameters LIKE '%\"InstanceId\":\"bench\"%';")
STATUS_ROWS=$(sql "SELECT count(*) FROM Calls WHERE CallSid LIKE 'CA$STATUS_PREFIX%';")
STATUS_UPDATED=$(sql "SELECT count(*) FROM Calls WHERE CallSid LIKE 'CA$STATUS_PREFIX%' AND CallStatus = 'in-progress' AND Duration IS NOT NULL;")
TOTAL_ROWS=$(sql "SELECT count(*) FROM Calls;")

IN_ACCEPTED=$((IN_W_OK + IN_OK))
LOST=$(( (IN_W_OK > ROWS_WARMUP ? IN_W_OK - ROWS_WARMUP : 0) + (IN_OK > ROWS_MEASURED ? IN_OK - ROWS_MEASURED : 0) ))
ROW_CHECK=pass
ROW_PROBLEMS=()
[ "$LOST" -eq 0 ] || ROW_PROBLEMS+=("$LOST acknowledged /incoming requests have no row")
[ "$ROWS_MEASURED" -le "$IN_SENT" ] && [ "$ROWS_WARMUP" -le "$IN_W_SENT" ] || ROW_PROBLEMS+=("more /incoming rows than requests sent")
[ "$ROWS_COMPLETE" -eq "$ROWS_MEASURED" ] || ROW_PROBLEMS+=("$((ROWS_MEASURED - ROWS_COMPLETE)) /incoming rows miss parameters")
[ "${NON2XX[incoming]}" -eq 0 ] || ROW_PROBLEMS+=("${NON2XX[incoming]} /incoming answers were not 2xx")
[ "$STATUS_ROWS" -eq "$STATUS_CALLS" ] || ROW_PROBLEMS+=("$STATUS_ROWS rows for $STATUS_CALLS seeded /status calls")
[ "$STATUS_UPDATED" -eq "$STATUS_CALLS" ] || ROW_PROBLEMS+=("only $STATUS_UPDATED of $STATUS_CALLS seeded calls show the /status update")
[ "${NON2XX[status]}" -eq 0 ] || ROW_PROBLEMS+=("${NON2XX[status]} /status answers were not 2xx")

# Console streams: every stream must have heard every stored call of both incoming_streams runs (warm-up and measured).
STREAM_CHECK=skipped; STREAM_ROWS=0; STREAM_MIN_HEARD=0; RESNAPSHOTS=0
if [ "$STREAMS" -gt 0 ]; then
  STREAM_CHECK=pass
  heard_min() { sed -n "s/^run=$1 min=\([0-9]*\) .*/\1/p" "$WORK/listener.out"; }
  for id in "${STREAM_IDS[@]}"; do
    rows=$(sql "SELECT count(*) FROM Calls WHERE CallSid LIKE 'ID$id%';"); min=$(heard_min "$id"); min=${min:-0}
    STREAM_ROWS=$((STREAM_ROWS + rows)); STREAM_MIN_HEARD=$((STREAM_MIN_HEARD + min))
    [ "$min" -eq "$rows" ] || STREAM_CHECK=fail
  done
  [ "$((ST_W_OK + ST_OK))" -le "$STREAM_ROWS" ] || ROW_PROBLEMS+=("$((ST_W_OK + ST_OK - STREAM_ROWS)) acknowledged incoming_streams requests have no row")
  [ "${NON2XX[incoming_streams]}" -eq 0 ] || ROW_PROBLEMS+=("${NON2XX[incoming_streams]} incoming_streams answers were not 2xx")
  RESNAPSHOTS=$(sed -n 's/.* resnapshots=\([0-9]*\).*/\1/p' "$WORK/listener.out"); RESNAPSHOTS=${RESNAPSHOTS:-0}
  [ "${STREAMS_OPENED:-0}" -eq "$STREAMS" ] || STREAM_CHECK=fail
fi

# PostgreSQL: for each CallSid prefix, the 2xx answers wrk counted must all be rows (none lost), there must be no
# more rows than requests sent (none made up or duplicated), and every row must be complete.
PG_LOST=0; PG_DUPLICATED=0; PG_ROWS=0; PG_COMPLETE=0; PG_ACCEPTED=0
if [ -n "${PG_RAN:-}" ]; then
  pgsql() { "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d appserver_bench -Atqc "$1"; }
  pg_check() { # pg_check PREFIX OK SENT
    local rows complete
    rows=$(pgsql "SELECT count(*) FROM \"Calls\" WHERE \"CallSid\" LIKE 'ID$1%';")
    complete=$(pgsql "SELECT count(*) FROM \"Calls\" WHERE \"CallSid\" LIKE 'ID$1%' AND \"From\" LIKE '+1555%' AND \"To\" = '+15550001000'
      AND \"CallStatus\" = 'ringing' AND \"Agent\" = 'bob' AND \"Parameters\" LIKE '%\"InstanceId\":\"bench\"%';")
    PG_ROWS=$((PG_ROWS + rows)); PG_COMPLETE=$((PG_COMPLETE + complete)); PG_ACCEPTED=$((PG_ACCEPTED + $2))
    [ "$2" -le "$rows" ] || PG_LOST=$((PG_LOST + $2 - rows))
    [ "$rows" -le "$3" ] || PG_DUPLICATED=$((PG_DUPLICATED + rows - $3))
  }
  pg_check "${PG1_IDS[0]}" "$PG1_W_OK" "$PG1_W_SENT"; pg_check "${PG1_IDS[1]}" "$PG1_OK" "$PG1_SENT"
  pg_check "${PAIR_IDS[0]}" "${PAIR_W_OK[0]}" "${PAIR_W_SENT[0]}"; pg_check "${PAIR_IDS[1]}" "${PAIR_W_OK[1]}" "${PAIR_W_SENT[1]}"
  pg_check "${PAIR_IDS[2]}" "${PAIR_OK[0]}" "${PAIR_SENT[0]}"; pg_check "${PAIR_IDS[3]}" "${PAIR_OK[1]}" "${PAIR_SENT[1]}"
  PG_TOTAL_ROWS=$(pgsql 'SELECT count(*) FROM "Calls";')
  PG1_RSS_KB=$(awk '/^VmHWM:/ { print $2 }' "/proc/$PG1_PID/status")
  PG2_RSS_KB=$(awk '/^VmHWM:/ { print $2 }' "/proc/$PG2_PID/status")
  [ "$PG_LOST" -eq 0 ] || ROW_PROBLEMS+=("PostgreSQL: $PG_LOST acknowledged /incoming requests have no row")
  [ "$PG_DUPLICATED" -eq 0 ] || ROW_PROBLEMS+=("PostgreSQL: $PG_DUPLICATED more /incoming rows than requests sent")
  [ "$PG_COMPLETE" -eq "$PG_ROWS" ] || ROW_PROBLEMS+=("PostgreSQL: $((PG_ROWS - PG_COMPLETE)) /incoming rows miss parameters")
  for s in pg_incoming pg_incoming_2; do
    [ "${NON2XX[$s]}" -eq 0 ] || ROW_PROBLEMS+=("PostgreSQL: ${NON2XX[$s]} $s answers were not 2xx")
  done
fi
[ "${#ROW_PROBLEMS[@]}" -eq 0 ] || ROW_CHECK=fail

# ---------------------------------------------------------------- report
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }
RATIO_RCML=$(ratio "${RPS[rcml]}" "$YARDSTICK")
RATIO_INCOMING=$(ratio "${RPS[incoming]}" "$YARDSTICK")
BASELINE_DRIFT=$(awk -v a="${RPS[baseline]}" -v b="${RPS[baseline_end]}" 'BEGIN { d = b - a; printf "%+.0f%%", (a > 0 ? 100 * d / a : 0) }')
MAX_P99_US=0
for s in rcml incoming status; do [ "${P99[$s]}" -gt "$MAX_P99_US" ] && MAX_P99_US=${P99[$s]}; done
PEAK_RSS_MB=$(awk -v kb="$PEAK_RSS_KB" 'BEGIN { printf "%.1f", kb / 1024 }')
goal() { if "$@"; then echo met; else echo MISSED; fi; }
G_RCML=$(goal ge "$RATIO_RCML" 0.7)
G_INGEST=$(if ge "$RATIO_INCOMING" 0.4 && [ "$LOST" -eq 0 ] && [ "$ROW_CHECK" = pass ]; then echo met; else echo MISSED; fi)
G_P99=$(goal test "$MAX_P99_US" -lt 20000)
G_RSS=$(goal test "$PEAK_RSS_KB" -lt $((250 * 1024)))
RATIO_STREAMS=0.00; G_STREAMS=skipped
if [ "$STREAMS" -gt 0 ]; then
  RATIO_STREAMS=$(ratio "${RPS[incoming_streams]}" "${RPS[incoming]}")
  G_STREAMS=$(if ge "$RATIO_STREAMS" 0.8 && [ "$STREAM_CHECK" = pass ]; then echo met; else echo MISSED; fi)
fi

route_of() {
  case $1 in baseline|baseline_end) echo "GET /rcml (bare)";; rcml) echo "GET /CallToAlice";; incoming) echo "POST /incoming (new)";;
    incoming_streams) echo "POST /incoming ($STREAMS SSE)";;
    status) echo "POST /status (update)";; pg_incoming) echo "POST /incoming (PG, 1)";; pg_incoming_2) echo "POST /incoming (PG, 2)";;
  esac
}
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo "+dirty" || true)
{
  echo
  echo "AppServer benchmark $STAMP  commit $COMMIT$DIRTY  $(nproc) cores  wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s (+${WARMUP}s warm-up)${APPSERVER_ENV:+  AppServer env: $APPSERVER_ENV}${APPSERVER_DLL_NOTE}  load before: $LOAD_BEFORE"
  printf '%-12s %-22s %10s %8s %9s %9s %9s %8s\n' scenario route "req/s" "x base" "p50 ms" "p99 ms" "max ms" "non-2xx"
  for s in "${SCENARIOS[@]}"; do
    printf '%-12s %-22s %10s %8s %9s %9s %9s %8s\n' "$s" "$(route_of "$s")" "${RPS[$s]}" "$(ratio "${RPS[$s]}" "$YARDSTICK")" \
      "$(ms "${P50[$s]}")" "$(ms "${P99[$s]}")" "$(ms "${MAX[$s]}")" "$((NON2XX[$s] + ERRORS[$s]))"
  done
  echo "Baseline (x base = 1.00): mean of the first and last run, $YARDSTICK req/s; the last ran $BASELINE_DRIFT against the first."
  echo "AppServer peak RSS (VmHWM): $PEAK_RSS_MB MB   (baseline: $(awk -v kb="$BASELINE_RSS_KB" 'BEGIN { printf "%.1f", kb / 1024 }') MB)"
  echo "Rows: /incoming accepted $IN_ACCEPTED (warm-up $IN_W_OK + measured $IN_OK), stored $((ROWS_WARMUP + ROWS_MEASURED)), lost $LOST, complete $ROWS_COMPLETE/$ROWS_MEASURED;" \
       "/status seeded $STATUS_CALLS, rows $STATUS_ROWS, updated $STATUS_UPDATED; table total $TOTAL_ROWS -> $ROW_CHECK"
  if [ -n "${PG_RAN:-}" ]; then
    echo "PostgreSQL rows (pg_incoming + pg_incoming_2, warm-ups included): accepted $PG_ACCEPTED, stored $PG_ROWS, lost $PG_LOST," \
         "duplicated $PG_DUPLICATED, complete $PG_COMPLETE/$PG_ROWS; table total $PG_TOTAL_ROWS"
    echo "PostgreSQL instances peak RSS: $(awk -v kb="$PG1_RSS_KB" 'BEGIN { printf "%.1f", kb / 1024 }') MB and" \
         "$(awk -v kb="$PG2_RSS_KB" 'BEGIN { printf "%.1f", kb / 1024 }') MB; pg_incoming_2 p50/p99/max: the worse of its two wrk processes"
  fi
  if [ "$STREAMS" -gt 0 ]; then
    echo "Console streams: $STREAMS_OPENED of $STREAMS open; every stream heard at least $STREAM_MIN_HEARD of the $STREAM_ROWS stored" \
         "incoming_streams calls; $RESNAPSHOTS fresh snapshots (a stream fell behind) -> $STREAM_CHECK;" \
         "incoming_streams / incoming = $RATIO_STREAMS"
  fi
  for p in "${ROW_PROBLEMS[@]+"${ROW_PROBLEMS[@]}"}"; do echo "  row check: $p"; done
  echo "Goals: rcml >= 0.7x: $G_RCML ($RATIO_RCML)   ingest >= 0.4x, zero lost: $G_INGEST ($RATIO_INCOMING, lost $LOST)   p99 < 20 ms: $G_P99 ($(ms "$MAX_P99_US") ms worst)   RSS < 250 MB: $G_RSS ($PEAK_RSS_MB MB)   $STREAMS streams >= 0.8x of none, every call heard: $G_STREAMS ($RATIO_STREAMS)"
} | tee "$WORK/table.txt"

scenario_json() { # scenario_json NAME
  printf '{"name":"%s","route":"%s","requests":%s,"rps":%s,"ratio_to_baseline":%s,"p50_ms":%s,"p90_ms":%s,"p99_ms":%s,"max_ms":%s,"non2xx":%s,"socket_errors":%s}' \
    "$1" "$(route_of "$1" | sed 's/ (.*//')" "${REQUESTS[$1]}" "${RPS[$1]}" "$(ratio "${RPS[$1]}" "$YARDSTICK")" \
    "$(ms "${P50[$1]}")" "$(ms "${P90[$1]}")" "$(ms "${P99[$1]}")" "$(ms "${MAX[$1]}")" "${NON2XX[$1]}" "${ERRORS[$1]}"
}
OUT=$RESULTS/$STAMP.json
{
  printf '{\n"timestamp":"%s","commit":"%s%s","cores":%s,"loadavg_before":"%s","appserver_env":"%s","appserver_dll":"%s","wrk":{"threads":%s,"connections":%s,"duration_s":%s,"warmup_s":%s},\n' \
    "$STAMP" "$COMMIT" "$DIRTY" "$(nproc)" "$LOAD_BEFORE" "${APPSERVER_ENV:-}" "$APPSERVER_DLL" "$THREADS" "$CONNECTIONS" "$DURATION" "$WARMUP"
  printf '"scenarios":[\n'
  for s in "${SCENARIOS[@]}"; do
    printf ' %s%s\n' "$(scenario_json "$s")" "$([ "$s" = baseline_end ] || echo ,)"
  done
  printf '],\n'
  if [ -n "${PG_RAN:-}" ]; then
    printf '"postgres_rows":{"accepted":%s,"rows":%s,"lost":%s,"duplicated":%s,"complete":%s,"table_total":%s},\n' \
      "$PG_ACCEPTED" "$PG_ROWS" "$PG_LOST" "$PG_DUPLICATED" "$PG_COMPLETE" "$PG_TOTAL_ROWS"
  fi
  printf '"baseline_rps":%s,"baseline_drift":"%s",\n' "$YARDSTICK" "$BASELINE_DRIFT"
  printf '"peak_rss_mb":%s,"baseline_peak_rss_mb":%s,\n' "$PEAK_RSS_MB" "$(awk -v kb="$BASELINE_RSS_KB" 'BEGIN { printf "%.1f", kb / 1024 }')"
  printf '"rows":{"incoming_accepted":%s,"incoming_sent":%s,"incoming_rows":%s,"incoming_rows_complete":%s,"lost":%s,"status_seeded":%s,"status_rows":%s,"status_updated":%s,"table_total":%s,"check":"%s"},\n' \
    "$IN_ACCEPTED" "$((IN_W_SENT + IN_SENT))" "$((ROWS_WARMUP + ROWS_MEASURED))" "$ROWS_COMPLETE" "$LOST" "$STATUS_CALLS" "$STATUS_ROWS" "$STATUS_UPDATED" "$TOTAL_ROWS" "$ROW_CHECK"
  printf '"streams":{"count":%s,"opened":%s,"rows":%s,"min_heard":%s,"resnapshots":%s,"check":"%s","ratio_to_incoming":%s},\n' \
    "$STREAMS" "${STREAMS_OPENED:-0}" "$STREAM_ROWS" "$STREAM_MIN_HEARD" "$RESNAPSHOTS" "$STREAM_CHECK" "$RATIO_STREAMS"
  printf '"goals":{"rcml_ratio_ge_0_7":"%s","ingest_ratio_ge_0_4_zero_lost":"%s","p99_lt_20ms":"%s","peak_rss_lt_250mb":"%s","streams_ge_0_8":"%s"}\n}\n' \
    "$G_RCML" "$G_INGEST" "$G_P99" "$G_RSS" "$G_STREAMS"
} >"$OUT"
mkdir -p "$RESULTS/$STAMP"
cp "$WORK"/*.txt "$WORK"/*.log "$RESULTS/$STAMP/" 2>/dev/null || true
log "results: bench/results/$STAMP.json (raw wrk output in bench/results/$STAMP/)"

[ "$ROW_CHECK" = pass ] || exit 2
if [ -n "${STRICT:-}" ]; then
  for g in "$G_RCML" "$G_INGEST" "$G_P99" "$G_RSS" "$G_STREAMS"; do [ "$g" = met ] || [ "$g" = skipped ] || exit 1; done
fi
exit 0
