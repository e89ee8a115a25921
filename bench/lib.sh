# Shared by bench/run.sh and bench/compare.sh (sourced, not run): tools, ports, servers, wrk, clean-up.
# The caller sets ROOT, BENCH, WORK and CONNECTIONS/THREADS before using these.

SERVER_PIDS=()

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

PG_FOLDERS=()

# Stop what the script started, whatever happens (error, Ctrl-C, normal end).
cleanup() {
  local pid tries folder
  for pid in "${SERVER_PIDS[@]+"${SERVER_PIDS[@]}"}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${SERVER_PIDS[@]+"${SERVER_PIDS[@]}"}"; do
    tries=0
    while kill -0 "$pid" 2>/dev/null && [ "$tries" -lt 50 ]; do sleep 0.1; tries=$((tries + 1)); done
    kill -KILL "$pid" 2>/dev/null || true
  done
  for folder in "${PG_FOLDERS[@]+"${PG_FOLDERS[@]}"}"; do
    as_postgres "$PG_BIN/pg_ctl" -D "$folder/data" -m immediate -w stop >/dev/null 2>&1 || true
    if [ -n "${KEEP_WORK:-}" ]; then log "PostgreSQL folder kept: $folder"; else rm -rf "$folder"; fi
  done
  if [ -n "${KEEP_WORK:-}" ]; then log "work folder kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

apt_updated=""
need_deb() { # need_deb COMMAND PACKAGE
  command -v "$1" >/dev/null 2>&1 && return 0
  log "installing $2 (apt-get)"
  if [ -z "$apt_updated" ]; then apt-get update -qq >/dev/null || true; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null || { log "could not install $2"; exit 1; }
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() { # first free port from $1, at most 200 tries
  local p=$1 end=$(($1 + 200))
  while [ "$p" -lt "$end" ]; do port_free "$p" && { echo "$p"; return 0; }; p=$((p + 1)); done
  log "no free port from $1"; return 1
}

start_server() { # start_server NAME DLL PORT READY_PATH [VAR=VALUE ...]; sets LAST_PID
  local name=$1 dll=$2 port=$3 ready=$4; shift 4
  # The plain `Urls` variable, not ASPNETCORE_URLS: builds before issue 18 (APPSERVER_DLL of an older commit) still
  # carry "Urls" in appsettings.json, which beats ASPNETCORE_URLS but not an unprefixed environment variable.
  env ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production \
      Logging__LogLevel__Default=Warning Urls="http://127.0.0.1:$port" "$@" \
      dotnet "$dll" >"$WORK/$name.log" 2>&1 &
  LAST_PID=$!
  SERVER_PIDS+=("$LAST_PID")
  local tries=0
  until curl -fsS -o /dev/null "http://127.0.0.1:$port$ready" 2>/dev/null; do
    kill -0 "$LAST_PID" 2>/dev/null || { log "$name exited during start-up:"; cat "$WORK/$name.log" >&2; exit 1; }
    tries=$((tries + 1))
    [ "$tries" -le 120 ] || { log "$name not ready after 60 s:"; cat "$WORK/$name.log" >&2; exit 1; }
    sleep 0.5
  done
  log "$name up on 127.0.0.1:$port (pid $LAST_PID)"
}

start_appserver() { # start_appserver NAME DLL PORT DB [VAR=VALUE ...]; AppServer with its own SQLite file
  local name=$1 dll=$2 port=$3 db=$4; shift 4
  start_server "$name" "$dll" "$port" /health \
    "ConnectionStrings__AppServer=Data Source=$db" "AppServer__PublicBaseUrl=http://127.0.0.1:$port" \
    "AppServer__ApiKeys__0=bench-agent-key" "$@"
}

field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

# wrk_once OUTFILE SECONDS URL SCRIPT [--latency]: one wrk run; prints its BENCH_RESULT line (empty when wrk failed).
wrk_once() {
  local out=$1 seconds=$2 url=$3 script=$4; shift 4
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" "$@" -s "$script" "$url" >"$out" 2>&1 || true
  grep '^BENCH_RESULT' "$out" || true
}

rps_of() { # rps_of BENCH_RESULT_LINE
  awk -v n="$(field "$1" requests)" -v us="$(field "$1" duration_us)" 'BEGIN { printf "%.0f", (us > 0 ? n / (us / 1e6) : 0) }'
}

# ---------------------------------------------------------------- PostgreSQL
# initdb and pg_ctl refuse to run as root: as root they run as the postgres user the Debian package creates.
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# pg_bin: the newest /usr/lib/postgresql/N/bin (or PG_BIN); installs Debian's postgresql when there is none.
pg_bin() {
  local bin=${PG_BIN:-}
  if [ -z "$bin" ]; then
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$bin" ] || [ ! -x "$bin/pg_ctl" ]; then
      need_deb /usr/lib/postgresql/none/bin/pg_ctl postgresql
      bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    fi
  fi
  [ -x "$bin/pg_ctl" ] && [ -x "$bin/initdb" ] || { log "no PostgreSQL server binaries (initdb, pg_ctl) in '$bin'"; exit 1; }
  echo "$bin"
}

# start_postgres PORT: a throwaway server in its own temp folder on 127.0.0.1:PORT with PostgreSQL's durable
# defaults (fsync on, synchronous_commit on: an acknowledged commit is on disk, as SQLite's synchronous = FULL);
# stopped and removed on exit. Needs PG_BIN. Sets PG_FOLDER.
start_postgres() {
  local port=$1
  PG_FOLDER=$(mktemp -d "${TMPDIR:-/tmp}/appserver-bench-pg.XXXXXX")
  PG_FOLDERS+=("$PG_FOLDER")
  [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$PG_FOLDER"
  as_postgres "$PG_BIN/initdb" -D "$PG_FOLDER/data" -U postgres -A trust -E UTF8 --no-locale >"$WORK/postgres-initdb.log" 2>&1 \
    || { cat "$WORK/postgres-initdb.log" >&2; exit 1; }
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_FOLDER/data" -l "$PG_FOLDER/server.log" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=300" start >/dev/null \
    || { cat "$PG_FOLDER/server.log" >&2; exit 1; }
  log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{ print $3 }') up on 127.0.0.1:$port ($PG_FOLDER)"
}

start_appserver_pg() { # start_appserver_pg NAME DLL PORT CONNECTION_STRING [VAR=VALUE ...]; AppServer on PostgreSQL
  local name=$1 dll=$2 port=$3 connection=$4; shift 4
  start_server "$name" "$dll" "$port" /health \
    "AppServer__Database__Provider=PostgreSQL" "ConnectionStrings__AppServer=$connection" \
    "AppServer__PublicBaseUrl=http://127.0.0.1:$port" "AppServer__ApiKeys__0=bench-agent-key" "$@"
}
