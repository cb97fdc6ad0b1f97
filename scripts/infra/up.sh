#!/usr/bin/env bash
# Starts the real local servers (idempotent), waits until each answers, and creates the topics.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_cmd node "Install Node.js 20."
# Downloads run in parallel; the first run on a fresh machine is dominated by the FerretDB build.
"$ROOT/scripts/infra/kafka.sh" install &
kafka_install=$!
"$ROOT/scripts/infra/postgres.sh" install
"$ROOT/scripts/infra/ferretdb.sh" install
wait "$kafka_install" || die "Kafka installation failed"
"$ROOT/scripts/infra/kafka.sh" start
"$ROOT/scripts/infra/ferretdb.sh" start
[[ -d "$ROOT/node_modules" ]] || die "node_modules is missing; run 'npm ci' first"
[[ -f "$ROOT/dist/tools/infra/src/ready.js" && "${FULCRUM_SKIP_BUILD:-0}" == 1 ]] || (cd "$ROOT" && npx tsc -p tsconfig.build.json)
node -r "$ROOT/scripts/register-paths.js" "$ROOT/dist/tools/infra/src/ready.js"
log "ready: Kafka 127.0.0.1:$KAFKA_PORT, FerretDB mongodb://127.0.0.1:$MONGO_PORT (logs in $LOG_DIR)"
