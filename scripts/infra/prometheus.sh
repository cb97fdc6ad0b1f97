#!/usr/bin/env bash
# Prometheus from Debian's `prometheus` package: promtool for config/rule checks and tests, and the
# server for the dashboard-query test. Usage: prometheus.sh install|check
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

install_prometheus() {
  command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1 && return 0
  require_cmd apt-get "promtool is missing and this is not a Debian-like system; install Prometheus 2.x so that promtool and prometheus are on PATH."
  local sudo=""
  [[ "$(id -u)" == 0 ]] || { require_cmd sudo "Installing Debian's prometheus package needs root."; sudo=sudo; }
  log "installing Debian's prometheus package (promtool + server)"
  if ! { $sudo apt-get install -y --no-install-recommends prometheus || { $sudo apt-get update && $sudo apt-get install -y --no-install-recommends prometheus; }; } >"$LOG_DIR/prometheus-install.log" 2>&1; then
    tail -20 "$LOG_DIR/prometheus-install.log" >&2
    die "could not install Debian's prometheus package (log: $LOG_DIR/prometheus-install.log)"
  fi
  # The package enables a system service; nothing here wants it running.
  (command -v systemctl >/dev/null && $sudo systemctl stop prometheus) >/dev/null 2>&1 || true
}

check_prometheus() {
  install_prometheus
  local dir="$ROOT/deploy/prometheus" local_cfg="$INFRA/prometheus/prometheus.check.yml"
  mkdir -p "$INFRA/prometheus"
  # The compose config names /etc/prometheus/rules; check the same file with the repo's paths.
  sed -e "s#/etc/prometheus/rules/\*.yml#$dir/rules/*.yml#" "$dir/prometheus.yml" >"$local_cfg"
  promtool check config "$local_cfg"
  promtool check rules "$dir"/rules/*.yml
  promtool test rules "$dir"/tests/*.test.yml
}

case "${1:-check}" in
  install) install_prometheus ;;
  check) check_prometheus ;;
  *) die "usage: prometheus.sh install|check" ;;
esac
