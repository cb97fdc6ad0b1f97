#!/usr/bin/env bash
# Shared helpers for the local real servers (Kafka, FerretDB, Prometheus). Sourced, not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
INFRA="${FULCRUM_INFRA_DIR:-$ROOT/.infra}"
RUN_DIR="$INFRA/run"
LOG_DIR="$INFRA/logs"
mkdir -p "$RUN_DIR" "$LOG_DIR"

KAFKA_VERSION="4.1.1"
FERRETDB_VERSION="v1.24.2"
KAFKA_PORT="${FULCRUM_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${FULCRUM_KAFKA_CONTROLLER_PORT:-9093}"
MONGO_PORT="${FULCRUM_MONGO_PORT:-27017}"

log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }

require_cmd() { # name, hint
  command -v "$1" >/dev/null 2>&1 || die "'$1' is not installed or not on PATH. $2"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pid_alive() { # name
  local f="$RUN_DIR/$1.pid"
  [[ -f "$f" ]] && kill -0 "$(cat "$f")" 2>/dev/null
}

ensure_port_free() { # port, owner
  if port_open "$1"; then
    die "port 127.0.0.1:$1 is already taken by another process, so $2 cannot start. Stop that process or set the matching FULCRUM_*_PORT variable."
  fi
}

wait_for_port() { # port, name, pid-name, timeout-seconds
  local deadline=$((SECONDS + $4))
  until port_open "$1"; do
    pid_alive "$3" || die "$2 exited during start-up; see $LOG_DIR/$3.log"
    ((SECONDS < deadline)) || die "$2 did not open 127.0.0.1:$1 within $4 s; see $LOG_DIR/$3.log"
    sleep 0.2
  done
}

stop_pid() { # name
  local f="$RUN_DIR/$1.pid"
  [[ -f "$f" ]] || return 0
  local pid; pid="$(cat "$f")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && { log "$1 ignored SIGTERM for 30 s; sending SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; }
  fi
  rm -f "$f"
}
