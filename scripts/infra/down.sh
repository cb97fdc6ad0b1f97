#!/usr/bin/env bash
# Stops what up.sh started, by PID; data stays in .infra/data (remove it for a clean slate).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
for name in simulator backlog metrics-ingestion prometheus ferretdb kafka; do stop_pid "$name"; done
"$ROOT/scripts/infra/postgres.sh" stop
log "stopped"
