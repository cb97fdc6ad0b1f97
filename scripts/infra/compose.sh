#!/usr/bin/env bash
# The real Compose CLI (docker/compose v2, built from the Go module proxy; no Docker engine needed)
# validates docker-compose.yml against the compose spec: `compose.sh check`.
# `go install` of the module is refused (its go.mod has exclude directives), so the module is
# downloaded and `./cmd` built from a copy of it; the binary is cached in .infra/bin (a warm run
# pays nothing), the Go module cache keeps the sources.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
COMPOSE_VERSION="v2.40.3"
BIN="$INFRA/bin/docker-compose-$COMPOSE_VERSION"

install() {
  [[ -x "$BIN" ]] && return 0
  require_cmd go "Install Go 1.23+ (https://go.dev/dl/)."
  log "building the Compose CLI $COMPOSE_VERSION from the Go module proxy (once, ~4 min)"
  local work; work="$(mktemp -d)"
  local build_log="$LOG_DIR/compose-build.log"
  (
    cd "$work"
    go mod init fulcrum-compose-fetch >"$build_log" 2>&1
    GOFLAGS=-mod=mod go mod download -json "github.com/docker/compose/v2@$COMPOSE_VERSION" >"$work/mod.json" 2>>"$build_log"
    local dir; dir="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' "$work/mod.json")"
    [[ -n "$dir" ]] || exit 1
    cp -r "$dir" "$work/src" && chmod -R u+w "$work/src"
    cd "$work/src"
    mkdir -p "$(dirname "$BIN")"
    go build -trimpath -o "$BIN.tmp" ./cmd >>"$build_log" 2>&1
    mv "$BIN.tmp" "$BIN"
  ) || { rm -rf "$work"; die "building the Compose CLI failed; log: $build_log"; }
  rm -rf "$work"
}

case "${1:-check}" in
  install) install ;;
  check)
    install
    # Required variables (secrets) are set to placeholders: what is checked is the file's shape.
    FULCRUM_API_KEYS="ci:admin:placeholder-secret" GRAFANA_ADMIN_PASSWORD="placeholder" \
      "$BIN" -f "$ROOT/docker-compose.yml" --project-directory "$ROOT" config --quiet
    FULCRUM_API_KEYS="ci:admin:placeholder-secret" GRAFANA_ADMIN_PASSWORD="placeholder" \
      "$BIN" -f "$ROOT/docker-compose.yml" --project-directory "$ROOT" --profile simulator config --quiet
    log "docker-compose.yml is valid (Compose CLI $COMPOSE_VERSION, with and without the simulator profile)"
    ;;
  *) die "usage: compose.sh [install|check]" ;;
esac
