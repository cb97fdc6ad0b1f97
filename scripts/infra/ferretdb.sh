#!/usr/bin/env bash
# FerretDB (pinned), built from the Go module proxy, PostgreSQL backend (postgres.sh), on the MongoDB port.
# Usage: ferretdb.sh install|start|stop|restart
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

FERRETDB_BIN="$INFRA/bin/ferretdb-$FERRETDB_VERSION"

install_ferretdb() {
  if [[ -x "$FERRETDB_BIN" ]]; then return 0; fi
  require_cmd go "Install Go 1.22 or newer (https://go.dev/doc/install or Debian's golang package)."
  log "building FerretDB $FERRETDB_VERSION from the Go module proxy (first run only, ~2-3 min)"
  # `go install …/cmd/ferretdb@version` compiles, but the module ships without the generated
  # build/version/version.txt and the binary panics at start. So fetch the same module through the
  # proxy, add that one file, and build the same package.
  local dir
  if ! dir="$(cd "$INFRA" && GOFLAGS=-mod=mod go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" 2>>"$LOG_DIR/ferretdb-install.log" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')" || [[ -z "$dir" ]]; then
    die "could not download FerretDB $FERRETDB_VERSION from the Go module proxy (log: $LOG_DIR/ferretdb-install.log)"
  fi
  local src="$INFRA/src/ferretdb-$FERRETDB_VERSION"
  rm -rf "$src" && mkdir -p "$(dirname "$src")" && cp -r "$dir" "$src" && chmod -R u+w "$src"
  echo "$FERRETDB_VERSION" >"$src/build/version/version.txt"
  mkdir -p "$INFRA/bin"
  if ! (cd "$src" && go build -trimpath -o "$FERRETDB_BIN.tmp" ./cmd/ferretdb) >>"$LOG_DIR/ferretdb-install.log" 2>&1; then
    tail -20 "$LOG_DIR/ferretdb-install.log" >&2
    die "building FerretDB failed (log: $LOG_DIR/ferretdb-install.log)"
  fi
  mv "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
  rm -rf "$src"
}

start_ferretdb() {
  install_ferretdb
  if pid_alive ferretdb && port_open "$MONGO_PORT"; then log "FerretDB already running on 127.0.0.1:$MONGO_PORT"; return 0; fi
  ensure_port_free "$MONGO_PORT" FerretDB
  "$ROOT/scripts/infra/postgres.sh" start
  mkdir -p "$INFRA/state/ferretdb"
  log "starting FerretDB $FERRETDB_VERSION (PostgreSQL backend) on 127.0.0.1:$MONGO_PORT"
  nohup "$FERRETDB_BIN" --handler=postgresql --postgresql-url="postgres://postgres@127.0.0.1:${FULCRUM_POSTGRES_PORT:-5433}/ferretdb" \
    --listen-addr="127.0.0.1:$MONGO_PORT" --debug-addr=- --state-dir="$INFRA/state/ferretdb" \
    --telemetry=disable --log-level=warn --log-format=json >>"$LOG_DIR/ferretdb.log" 2>&1 &
  echo $! >"$RUN_DIR/ferretdb.pid"
  wait_for_port "$MONGO_PORT" FerretDB ferretdb 60
}

case "${1:-start}" in
  install) install_ferretdb ;;
  start) start_ferretdb ;;
  stop) stop_pid ferretdb ;;
  restart) stop_pid ferretdb; start_ferretdb ;;
  down) stop_pid ferretdb; "$ROOT/scripts/infra/postgres.sh" stop ;;
  *) die "usage: ferretdb.sh install|start|stop|restart|down" ;;
esac
