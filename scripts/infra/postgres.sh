#!/usr/bin/env bash
# PostgreSQL from Debian's package, the storage backend of FerretDB here. Its SQLite backend scans
# every document for any non-trivial filter (measured: 450 ms per lookup at 5,000 documents), while
# the PostgreSQL backend pushes filters down (6 ms). Usage: postgres.sh install|start|stop
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PG_PORT="${FULCRUM_POSTGRES_PORT:-5433}"
# Run as root, the server runs as the package's `postgres` user, which may not be able to enter the
# checkout (e.g. under /root); its files then live in a world-traversable place instead.
if [[ "$(id -u)" == 0 ]]; then
  PG_HOME="${FULCRUM_POSTGRES_HOME:-/var/tmp/fulcrum-postgres-$(printf '%s' "$ROOT" | md5sum | cut -c1-8)}"
else
  PG_HOME="${FULCRUM_POSTGRES_HOME:-$INFRA/postgres}"
fi
PG_DATA="$PG_HOME/data"
PG_SOCKETS="$PG_HOME/run"
PG_LOG="$PG_HOME/postgres.log"

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

# initdb and postgres refuse to run as root: run them as the package's postgres user then.
as_pg() { if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

install_postgres() {
  [[ -n "$(pg_bin)" ]] && return 0
  require_cmd apt-get "PostgreSQL is missing and this is not a Debian-like system; install PostgreSQL 13+ server binaries."
  local sudo=""
  [[ "$(id -u)" == 0 ]] || { require_cmd sudo "Installing Debian's postgresql package needs root."; sudo=sudo; }
  log "installing Debian's postgresql package"
  if ! { $sudo apt-get install -y --no-install-recommends postgresql || { $sudo apt-get update && $sudo apt-get install -y --no-install-recommends postgresql; }; } >"$LOG_DIR/postgres-install.log" 2>&1; then
    tail -20 "$LOG_DIR/postgres-install.log" >&2
    die "could not install Debian's postgresql package (log: $LOG_DIR/postgres-install.log)"
  fi
  # The package may start its own cluster on 5432; ours is separate and on $PG_PORT.
}

start_postgres() {
  install_postgres
  local bin; bin="$(pg_bin)"
  if as_pg "$bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then log "PostgreSQL already running on 127.0.0.1:$PG_PORT"; equality_indexes; return 0; fi
  ensure_port_free "$PG_PORT" PostgreSQL
  mkdir -p "$PG_DATA" "$PG_SOCKETS"
  [[ "$(id -u)" == 0 ]] && chown -R postgres "$PG_HOME"
  chmod 700 "$PG_DATA"
  if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
    as_pg "$bin/initdb" -D "$PG_DATA" -A trust -U postgres --no-instructions >"$LOG_DIR/postgres-init.log" 2>&1 || die "initdb failed; see $LOG_DIR/postgres-init.log"
  fi
  ln -sf "$PG_LOG" "$LOG_DIR/postgres.log"
  log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
  as_pg "$bin/pg_ctl" -D "$PG_DATA" -w -t 60 -l "$PG_LOG" \
    -o "-p $PG_PORT -k $PG_SOCKETS -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null \
    || die "PostgreSQL did not start; see $PG_LOG"
  "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='ferretdb'" | grep -q 1 \
    || "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE ferretdb" || die "could not create the ferretdb database"
  equality_indexes
}

# Index-backed equality lookups for FerretDB's filters (why: the SQL file's header).
equality_indexes() {
  "$(pg_bin)/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d ferretdb -q -v ON_ERROR_STOP=1 \
    -f "$ROOT/scripts/infra/ferretdb-equality-indexes.sql" >>"$LOG_DIR/postgres-init.log" 2>&1 \
    || die "could not install the equality-index trigger; see $LOG_DIR/postgres-init.log"
}

stop_postgres() {
  local bin; bin="$(pg_bin)"
  [[ -n "$bin" && -f "$PG_DATA/PG_VERSION" ]] || return 0
  as_pg "$bin/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null 2>&1 || true
}

case "${1:-start}" in
  install) install_postgres ;;
  start) start_postgres ;;
  stop) stop_postgres ;;
  *) die "usage: postgres.sh install|start|stop" ;;
esac
