#!/usr/bin/env bash
# Stops the server of start-vsftpd.sh (same environment variables). --clean also removes its
# folder (files, TLS key and certificate, password).
set -euo pipefail
port=${SIGHTLINE_VSFTPD_PORT:-2121}
dir=${SIGHTLINE_VSFTPD_DIR:-/tmp/sightline-vsftpd-$port}
if [ -f "$dir/vsftpd.pid" ]; then
  pid=$(cat "$dir/vsftpd.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  fi
  rm -f "$dir/vsftpd.pid"
fi
if [ "${1:-}" = "--clean" ]; then rm -rf "$dir"; fi
