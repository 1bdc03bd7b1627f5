#!/usr/bin/env bash
# Runs a command with a private vsftpd (start-vsftpd.sh) in a fresh folder, then stops it and
# removes the folder. For ctest: exit code 77 (skip) when vsftpd is not installed.
#
#   tests/vsftpd/run-with-vsftpd.sh PORT COMMAND [ARG...]
#
# PORT is where to start looking for a free control port (the next 21 ports are passive ones);
# taken ports are skipped, so parallel runs do not collide.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
port=${1:?usage: run-with-vsftpd.sh PORT COMMAND...}
shift
[ -x "${SIGHTLINE_VSFTPD_BIN:-/usr/sbin/vsftpd}" ] || {
  echo "run-with-vsftpd.sh: vsftpd is not installed: skipped" >&2
  exit 77
}
in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for _ in $(seq 1 20); do
  busy=0
  for p in $(seq "$port" $((port + 21))); do in_use "$p" && { busy=1; break; }; done
  [ "$busy" = 0 ] && break
  port=$((port + 25))
done
dir=$(mktemp -d /tmp/sightline-vsftpd-XXXXXX)
export SIGHTLINE_VSFTPD_PORT=$port SIGHTLINE_VSFTPD_DIR=$dir
cleanup() { "$here/stop-vsftpd.sh" --clean >/dev/null 2>&1 || true; }
trap cleanup EXIT
eval "$("$here/start-vsftpd.sh")"
"$@"
