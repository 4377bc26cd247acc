#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests of crates/strata-backend-pg.
#
#   bash .ci/postgres.sh start DIR   initdb into DIR/data (once), start the server on a free
#                                    loopback port (sockets in DIR), create the database
#                                    strata_test, and print on stdout:
#                                      export STRATA_TEST_PG='host=127.0.0.1 port=PORT user=USER dbname=strata_test'
#   bash .ci/postgres.sh stop DIR    stop it (pg_ctl stop -m fast); a no-op when not running.
#
# Everything else goes to stderr, so `eval "$(bash .ci/postgres.sh start DIR)"` works. Starting
# again while running prints the same line. The server listens on 127.0.0.1 only, with trust
# authentication for loopback and the Unix socket only (initdb's defaults). Every wait is
# bounded. initdb refuses to run as root, so as root the server runs as the system user
# `postgres` (or `strata-pg`, created when neither exists); otherwise as the caller. When the
# server binaries are missing, they are installed from Debian's packages (postgresql-15).
set -euo pipefail

PG_BIN="${STRATA_PG_BIN:-/usr/lib/postgresql/15/bin}"
DATABASE=strata_test
FIRST_PORT=54329
LAST_PORT=54429

log() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

usage() { die "usage: bash .ci/postgres.sh start|stop DIR"; }

[ $# -eq 2 ] || usage
command="$1"
dir="$2"

# Who runs the server, and how to run a command as them.
server_user() {
  if [ "$(id -u)" != 0 ]; then
    id -un
  elif id postgres >/dev/null 2>&1; then
    echo postgres
  else
    if ! id strata-pg >/dev/null 2>&1; then
      log "creating the system user strata-pg to run the server (initdb refuses root)"
      useradd --system --no-create-home --shell /usr/sbin/nologin strata-pg
    fi
    echo strata-pg
  fi
}

as_user() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u "$user" -- "$@"
  else
    "$@"
  fi
}

ensure_binaries() {
  [ -x "$PG_BIN/postgres" ] && return 0
  [ "$(id -u)" = 0 ] || die "$PG_BIN/postgres is missing; install postgresql-15 (apt-get install postgresql-15)"
  log "$PG_BIN/postgres is missing: installing postgresql-15 from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  timeout 600 apt-get update -qq >&2
  timeout 600 apt-get install -y -qq --no-install-recommends postgresql-15 >&2
  [ -x "$PG_BIN/postgres" ] || die "installing postgresql-15 did not provide $PG_BIN/postgres"
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

is_running() {
  [ -f "$dir/data/postmaster.pid" ] && as_user "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

print_export() {
  local port
  port="$(cat "$dir/port")"
  printf "export STRATA_TEST_PG='host=127.0.0.1 port=%s user=%s dbname=%s'\n" "$port" "$user" "$DATABASE"
}

start() {
  ensure_binaries
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  if [ "$(id -u)" = 0 ]; then
    chown "$user" "$dir"
    chmod 0755 "$dir"
    as_user test -w "$dir" \
      || die "$user cannot write $dir: a parent directory is not searchable by others; use a directory under /tmp"
  fi

  if is_running; then
    log "already running in $dir"
    print_export
    return 0
  fi

  if [ ! -f "$dir/data/PG_VERSION" ]; then
    rm -rf "$dir/data"
    log "initdb into $dir/data (user $user)"
    as_user "$PG_BIN/initdb" --pgdata="$dir/data" --username="$user" --auth=trust --encoding=UTF8 \
      --locale=C --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  fi

  local port=""
  for candidate in $(seq "$FIRST_PORT" "$LAST_PORT"); do
    if ! port_in_use "$candidate"; then
      port="$candidate"
      break
    fi
  done
  [ -n "$port" ] || die "no free port in $FIRST_PORT..$LAST_PORT on 127.0.0.1"
  echo "$port" >"$dir/port"

  log "starting the server on 127.0.0.1:$port (log: $dir/server.log)"
  # pg_ctl starts `postgres -D DIR/data -k DIR -c listen_addresses=127.0.0.1 -p PORT` in the
  # background and waits (at most 60 s) until it accepts connections.
  if ! as_user "$PG_BIN/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait --timeout=60 \
    -o "-k '$dir' -c listen_addresses=127.0.0.1 -p $port" start >&2; then
    tail -n 50 "$dir/server.log" >&2 || true
    die "the server did not start"
  fi

  local ready=""
  for _ in $(seq 1 60); do
    if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port"; then
      ready=yes
      break
    fi
    sleep 0.5
  done
  [ -n "$ready" ] || { tail -n 50 "$dir/server.log" >&2 || true; die "the server is not ready after 30 s"; }

  local exists
  exists="$(as_user "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U "$user" -d postgres -Atc \
    "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")"
  if [ "$exists" != 1 ]; then
    as_user "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U "$user" "$DATABASE"
  fi
  log "ready: database $DATABASE on 127.0.0.1:$port"
  print_export
}

stop() {
  [ -d "$dir" ] || { log "$dir does not exist: nothing to stop"; return 0; }
  if is_running; then
    log "stopping the server in $dir"
    as_user "$PG_BIN/pg_ctl" --pgdata="$dir/data" --mode=fast --wait --timeout=60 stop >&2
  else
    log "no server running in $dir"
  fi
}

user="$(server_user)"
case "$command" in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
