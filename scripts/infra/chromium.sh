#!/usr/bin/env bash
# Debian's chromium for the browser tests (driven by playwright-core with its executablePath;
# browser downloads do not work here). Usage: chromium.sh install
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
install_chromium() {
  command -v chromium >/dev/null 2>&1 && return 0
  require_cmd apt-get "chromium is missing and this is not a Debian-like system; install Chromium so that 'chromium' is on PATH."
  local sudo=""
  [[ "$(id -u)" == 0 ]] || { require_cmd sudo "Installing Debian's chromium package needs root."; sudo=sudo; }
  log "installing Debian's chromium package (browser tests)"
  if ! { $sudo apt-get install -y --no-install-recommends chromium || { $sudo apt-get update && $sudo apt-get install -y --no-install-recommends chromium; }; } >"$LOG_DIR/chromium-install.log" 2>&1; then
    tail -20 "$LOG_DIR/chromium-install.log" >&2
    die "could not install Debian's chromium package (log: $LOG_DIR/chromium-install.log)"
  fi
}
case "${1:-install}" in
  install) install_chromium ;;
  *) die "usage: chromium.sh install" ;;
esac
