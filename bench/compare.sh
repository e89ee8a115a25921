#!/usr/bin/env bash
# Paired comparison of two AppServer builds (or two runtime settings) on one scenario:
#
#   bash bench/compare.sh A B
#
# A and B are each a git revision (exported with git archive and built Release in a temp folder), "worktree"
# (the working tree as it is), or a path to an AppServer.dll. Both servers run at once on 127.0.0.1, each with its
# own fresh SQLite file, and wrk alternates between them A B B A, ROUNDS times: this VM's speed drifts by ±20 %
# within a minute, so only runs taken side by side can show a change of a few per cent. Prints every run, each
# round's B/A and the overall B/A (sum of B over sum of A). It also prints each server's CPU time per answered request
# (user + system, from /proc, over the measured runs): on a machine shared with other work req/s swings with what the
# neighbours do, while the CPU a request costs moves much less, so a small overhead shows there first.
#
# Knobs (environment): SCENARIO=incoming (POST /incoming, a new call per request) or rcml (GET /CallToAlice),
# ROUNDS=3, DURATION=6 (seconds per run), WARMUP=5 (per server, before the first round), CONNECTIONS=64, THREADS=2,
# ENV_A / ENV_B="VAR=value ..." (extra environment per side, e.g. ENV_B="DOTNET_gcServer=1" with A = B = worktree),
# KEEP_WORK=1.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BENCH=$ROOT/bench
[ $# -eq 2 ] || { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 64; }
SCENARIO=${SCENARIO:-incoming}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-6}
WARMUP=${WARMUP:-5}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
case $SCENARIO in
  incoming) ROUTE=/incoming; SCRIPT=$BENCH/lua/incoming.lua ;;
  rcml) ROUTE=/CallToAlice; SCRIPT=$BENCH/lua/get.lua ;;
  *) echo "SCENARIO must be incoming or rcml" >&2; exit 64 ;;
esac
WORK=$(mktemp -d "${TMPDIR:-/tmp}/appserver-compare.XXXXXX")
# shellcheck source=bench/lib.sh
source "$BENCH/lib.sh"

need_deb wrk wrk
need_deb curl curl

dll_for() { # dll_for SIDE SPEC: prints the AppServer.dll to run for a revision, "worktree" or a dll path
  local side=$1 spec=$2 src
  if [ -f "$spec" ]; then echo "$spec"; return; fi
  if [ "$spec" = worktree ]; then
    src=$ROOT
  else
    git -C "$ROOT" rev-parse --verify --quiet "$spec^{commit}" >/dev/null || { log "$spec: not a file, 'worktree' or a git revision"; exit 64; }
    src=$WORK/src-$side
    mkdir -p "$src"
    git -C "$ROOT" archive "$spec" | tar -x -C "$src"
  fi
  log "building $side ($spec)"
  dotnet build "$src/src/AppServer/AppServer.csproj" -c Release -nologo -v quiet -o "$WORK/bin-$side" >"$WORK/build-$side.log" 2>&1 \
    || { cat "$WORK/build-$side.log" >&2; exit 1; }
  echo "$WORK/bin-$side/AppServer.dll"
}
DLL_A=$(dll_for a "$1")
DLL_B=$(dll_for b "$2")

PORT_A=$(pick_port 18780)
# shellcheck disable=SC2086 # ENV_A/ENV_B are lists of VAR=value words
start_appserver a "$DLL_A" "$PORT_A" "$WORK/a.db" ${ENV_A:-}
PID_A=$LAST_PID
PORT_B=$(pick_port $((PORT_A + 1)))
# shellcheck disable=SC2086
start_appserver b "$DLL_B" "$PORT_B" "$WORK/b.db" ${ENV_B:-}
PID_B=$LAST_PID

export BENCH_LUA_DIR=$BENCH/lua
RUN=0
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # utime + stime of a process, in clock ticks
measure() { # measure PORT SECONDS [PID]: sets M_RPS, M_REQUESTS and M_TICKS (the PID's CPU during the run); own CallSid prefix
  local line before
  RUN=$((RUN + 1))
  before=$([ -n "${3:-}" ] && cpu_ticks "$3" || echo 0)
  line=$(BENCH_RUN_ID=$(printf '%08x' "$RUN") wrk_once "$WORK/run-$RUN.txt" "$2" "http://127.0.0.1:$1$ROUTE" "$SCRIPT")
  M_TICKS=$(( $([ -n "${3:-}" ] && cpu_ticks "$3" || echo 0) - before ))
  [ -n "$line" ] || { log "wrk failed:"; cat "$WORK/run-$RUN.txt" >&2; exit 1; }
  [ "$(field "$line" non2xx)" -eq 0 ] || { log "non-2xx answers from 127.0.0.1:$1 (run $RUN)"; exit 1; }
  M_RPS=$(rps_of "$line")
  M_REQUESTS=$(field "$line" requests)
}

log "warming up both servers, ${WARMUP}s each"
measure "$PORT_A" "$WARMUP"
measure "$PORT_B" "$WARMUP"
SUM_A=0; SUM_B=0; REQ_A=0; REQ_B=0; TICKS_A=0; TICKS_B=0
side() { # side A|B PORT PID: one measured run, added to that side's requests and CPU ticks; sets M_RPS
  measure "$2" "$DURATION" "$3"
  if [ "$1" = A ]; then REQ_A=$((REQ_A + M_REQUESTS)); TICKS_A=$((TICKS_A + M_TICKS))
  else REQ_B=$((REQ_B + M_REQUESTS)); TICKS_B=$((TICKS_B + M_TICKS)); fi
}
echo
echo "compare $SCENARIO ($ROUTE): A=$1${ENV_A:+ [$ENV_A]}  B=$2${ENV_B:+ [$ENV_B]}  wrk -t$THREADS -c$CONNECTIONS, ${DURATION}s runs, A B B A x $ROUNDS"
for round in $(seq "$ROUNDS"); do
  side A "$PORT_A" "$PID_A"; a1=$M_RPS
  side B "$PORT_B" "$PID_B"; b1=$M_RPS
  side B "$PORT_B" "$PID_B"; b2=$M_RPS
  side A "$PORT_A" "$PID_A"; a2=$M_RPS
  SUM_A=$((SUM_A + a1 + a2)); SUM_B=$((SUM_B + b1 + b2))
  printf 'round %d  A %6d %6d  B %6d %6d  B/A %s\n' "$round" "$a1" "$a2" "$b1" "$b2" \
    "$(awk -v a=$((a1 + a2)) -v b=$((b1 + b2)) 'BEGIN { printf "%.3f", b / a }')"
done
awk -v a="$SUM_A" -v b="$SUM_B" -v n=$((ROUNDS * 2)) \
  'BEGIN { printf "overall  A %.0f req/s  B %.0f req/s  B/A %.3f\n", a / n, b / n, b / a }'
awk -v ta="$TICKS_A" -v tb="$TICKS_B" -v ra="$REQ_A" -v rb="$REQ_B" -v hz="$CLK_TCK" \
  'BEGIN { a = ta / hz * 1e6 / ra; b = tb / hz * 1e6 / rb; printf "CPU per request  A %.1f us  B %.1f us  B/A %.3f\n", a, b, b / a }'
