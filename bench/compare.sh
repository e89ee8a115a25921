#!/usr/bin/env bash
# Paired comparison of two AppServer builds (or two runtime settings) on one scenario:
#
#   bash bench/compare.sh A B
#
# A and B are each a git revision (exported with git archive and built Release in a temp folder), "worktree"
# (the working tree as it is), or a path to an AppServer.dll. Both servers run at once on 127.0.0.1, each with its
# own fresh SQLite file, and wrk alternates between them A B B A, ROUNDS times: this VM's speed drifts by ±20 %
# within a minute, so only runs taken side by side can show a change of a few per cent. Prints every run, each
# round's B/A and the overall B/A (sum of B over sum of A).
#
# Knobs (environment): SCENARIO=incoming (POST /incoming, a new call per request) or rcml (GET /CallToAlice),
# ROUNDS=3, DURATION=6 (seconds per run), WARMUP=5 (per server, before the first round), CONNECTIONS=64, THREADS=2,
# ENV_A / ENV_B="VAR=value ..." (extra environment per side, e.g. ENV_B="DOTNET_gcServer=1" with A = B = worktree),
# KEEP_WORK=1.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BENCH=$ROOT/bench
[ $# -eq 2 ] || { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 64; }
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
PORT_B=$(pick_port $((PORT_A + 1)))
# shellcheck disable=SC2086
start_appserver b "$DLL_B" "$PORT_B" "$WORK/b.db" ${ENV_B:-}

export BENCH_LUA_DIR=$BENCH/lua
RUN=0
measure() { # measure PORT SECONDS: sets M_RPS; every run gets its own CallSid prefix
  local line
  RUN=$((RUN + 1))
  line=$(BENCH_RUN_ID=$(printf '%08x' "$RUN") wrk_once "$WORK/run-$RUN.txt" "$2" "http://127.0.0.1:$1$ROUTE" "$SCRIPT")
  [ -n "$line" ] || { log "wrk failed:"; cat "$WORK/run-$RUN.txt" >&2; exit 1; }
  [ "$(field "$line" non2xx)" -eq 0 ] || { log "non-2xx answers from 127.0.0.1:$1 (run $RUN)"; exit 1; }
  M_RPS=$(rps_of "$line")
}

log "warming up both servers, ${WARMUP}s each"
measure "$PORT_A" "$WARMUP"
measure "$PORT_B" "$WARMUP"
SUM_A=0; SUM_B=0
echo
echo "compare $SCENARIO ($ROUTE): A=$1${ENV_A:+ [$ENV_A]}  B=$2${ENV_B:+ [$ENV_B]}  wrk -t$THREADS -c$CONNECTIONS, ${DURATION}s runs, A B B A x $ROUNDS"
for round in $(seq "$ROUNDS"); do
  measure "$PORT_A" "$DURATION"; a1=$M_RPS
  measure "$PORT_B" "$DURATION"; b1=$M_RPS
  measure "$PORT_B" "$DURATION"; b2=$M_RPS
  measure "$PORT_A" "$DURATION"; a2=$M_RPS
  SUM_A=$((SUM_A + a1 + a2)); SUM_B=$((SUM_B + b1 + b2))
  printf 'round %d  A %6d %6d  B %6d %6d  B/A %s\n' "$round" "$a1" "$a2" "$b1" "$b2" \
    "$(awk -v a=$((a1 + a2)) -v b=$((b1 + b2)) 'BEGIN { printf "%.3f", b / a }')"
done
awk -v a="$SUM_A" -v b="$SUM_B" -v n=$((ROUNDS * 2)) \
  'BEGIN { printf "overall  A %.0f req/s  B %.0f req/s  B/A %.3f\n", a / n, b / n, b / a }'
