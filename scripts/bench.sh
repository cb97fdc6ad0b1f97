#!/usr/bin/env bash
# Runs the benchmarks on the real servers (started here) and records the figures:
# bench/results/latest.json and the table in docs/benchmarks.md. BENCH_SCALE=small for a smoke run.
source "$(dirname "${BASH_SOURCE[0]}")/infra/lib.sh"
cd "$ROOT"
[[ -d node_modules ]] || npm ci --no-audit --no-fund
npm run --silent build
FULCRUM_SKIP_BUILD=1 scripts/infra/up.sh
node scripts/infra/sweep-topics.js
node --max-old-space-size=2048 -r ./scripts/register-paths.js dist/bench/src/run-all.js
