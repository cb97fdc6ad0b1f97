#!/usr/bin/env bash
# Starts the whole system on this machine: real Kafka and FerretDB, both services, and the telemetry
# simulator (one model degrades). Ctrl-C stops everything it started.
source "$(dirname "${BASH_SOURCE[0]}")/infra/lib.sh"
cd "$ROOT"

require_cmd node "Install Node.js 20 (https://nodejs.org)."
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  log "installing npm dependencies"
  npm ci --no-audit --no-fund
fi
npm run --silent build
scripts/infra/up.sh

KEYS_FILE="$INFRA/api-keys.env"
if [[ ! -f "$KEYS_FILE" ]]; then
  gen() { node -e "process.stdout.write(require('crypto').randomBytes(18).toString('base64url'))"; }
  { echo "VIEWER_KEY=$(gen)"; echo "EDITOR_KEY=$(gen)"; echo "ADMIN_KEY=$(gen)"; } >"$KEYS_FILE"
  chmod 600 "$KEYS_FILE"
fi
# shellcheck disable=SC1090
source "$KEYS_FILE"
export FULCRUM_API_KEYS="${FULCRUM_API_KEYS:-viewer:viewer:$VIEWER_KEY,lead:editor:$EDITOR_KEY,admin:admin:$ADMIN_KEY}"
INGESTION_PORT="${FULCRUM_INGESTION_PORT:-3001}"
BACKLOG_PORT="${FULCRUM_BACKLOG_PORT:-3002}"
ensure_port_free "$INGESTION_PORT" metrics-ingestion
ensure_port_free "$BACKLOG_PORT" backlog

start_node() { # name, script, node flags...
  nohup node "${@:3}" -r ./scripts/register-paths.js "$2" >>"$LOG_DIR/$1.log" 2>&1 &
  echo $! >"$RUN_DIR/$1.pid"
}
stop_all() {
  set +e
  trap - INT TERM EXIT
  log "stopping"
  for n in simulator backlog metrics-ingestion; do stop_pid "$n"; done
  scripts/infra/down.sh
}
trap stop_all INT TERM EXIT

# A 32 MiB semi-space halves the scavenges of the per-record object graphs (docs/benchmarks.md).
start_node metrics-ingestion dist/services/metrics-ingestion/src/main.js --max-semi-space-size=32
start_node backlog dist/services/backlog/src/main.js
wait_http() { # url, name
  local deadline=$((SECONDS + 60))
  until curl -fsS "$1" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "$2 did not become ready; see $LOG_DIR/$2.log"
    sleep 0.5
  done
}
wait_http "http://127.0.0.1:$INGESTION_PORT/health/ready" metrics-ingestion
wait_http "http://127.0.0.1:$BACKLOG_PORT/health/ready" backlog
# The simulator also states the models' profiles (tiers, value per request) through the API.
export FULCRUM_SIM_BACKLOG_URL="http://127.0.0.1:$BACKLOG_PORT" FULCRUM_SIM_API_KEY="$EDITOR_KEY"
start_node simulator dist/tools/simulator/src/main.js

cat <<MSG

  Fulcrum is running (logs: $LOG_DIR).

  Ceremony brief (sign in with a key below)  http://127.0.0.1:$BACKLOG_PORT/brief/next
  Backlog API docs (Swagger UI)  http://127.0.0.1:$BACKLOG_PORT/docs
  Backlog metrics                http://127.0.0.1:$BACKLOG_PORT/metrics
  Ingestion metrics              http://127.0.0.1:$INGESTION_PORT/metrics
  Health                         http://127.0.0.1:$BACKLOG_PORT/health  http://127.0.0.1:$INGESTION_PORT/health

  API keys (also in $KEYS_FILE):
    viewer  $VIEWER_KEY
    editor  $EDITOR_KEY
    admin   $ADMIN_KEY

  The simulator streams five models at 60x speed and states their profiles; fraud-scorer (tier 1)
  and support-router (tier 3) start degrading after ~20 s: the models list ranks them by value at risk.
  loan-approval (tier 1) sends scores and gets its labels 6 h late: its accuracy is estimated from the
  scores, and the estimated incident opens hours (event time) before the labelled one.
  Within a few minutes:  curl -s -H "X-API-Key: $VIEWER_KEY" http://127.0.0.1:$BACKLOG_PORT/api/v1/models

  Ctrl-C stops everything.
MSG
wait "$(cat "$RUN_DIR/simulator.pid")" || true
