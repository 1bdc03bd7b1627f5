#!/usr/bin/env bash
# 200 FTPS logins at once against the real `sightline serve`, with a password hash at the cost
# `sightline tenant passwd` gives new accounts (docs/ftps.md, "Password cost"): every client
# logs in, and serve's peak resident memory (VmHWM) stays under 150 MB, because the intake
# verifies at most one password per hardware thread at a time (16 MiB each). Prints the login
# latencies (p50, p90, max) and the time of one verification.
#
# The clients come from 25 loopback addresses (the intake allows 8 connections per address).
# The test profile raises the intake's session cap per account and its login timeout: 200
# scrypt checks take 200 x the time of one, divided by the cores, which on a busy 2-core machine
# is longer than the default 30 s login timeout.
source "$(dirname "$0")/common.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 is not installed"; exit 77; }
SESSIONS=${SESSIONS:-200}
LIMIT_KB=$((150 * 1000))
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
PASV_LOW=$((20000 + RANDOM % 20000))
PASSWORD='many-logins-password-3'

start=$(date +%s%N)
hash=$(echo "$PASSWORD" | "$SIGHTLINE" tenant passwd --user many --tenant demo --json |
  json_get 'd["password_hash"]')
echo "     sightline tenant passwd (one hash): $(( ($(date +%s%N) - start) / 1000000 )) ms"
expect_contains "tenant passwd makes hashes at the new cost" '$scrypt$ln=14,r=8,p=5$' "$hash"

cat >profile.yaml <<YAML
version: 1
state_dir: $WORK/var/state
log: {format: json, level: info, file: $WORK/var/log/sightline.log}
archive:
  plugin: archive-fs
  config: {root: $WORK/var/archive}
target:
  plugin: target-sqlite
  config: {dir: $WORK/var/db}
transports:
  - plugin: intake-ftps
    config:
      listen: "127.0.0.1:$PORT"
      passive_ports: "$PASV_LOW-$((PASV_LOW + 40))"
      certificate: $WORK/var/tls/cert.pem
      private_key: $WORK/var/tls/key.pem
      self_signed: true
      landing: $WORK/var/ftps
      accounts:
        - {user: many, tenant: demo, password: "$hash"}
      limits:
        max_connections: 400
        max_sessions_per_account: 400
        login_timeout_seconds: 600
tenants:
  - id: demo
YAML
"$SIGHTLINE" serve --profile profile.yaml >serve.out 2>&1 &
pid=$!
stop_serve() { kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
trap 'stop_serve; cleanup' EXIT
for _ in $(seq 1 200); do
  python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$PORT),0.2)" 2>/dev/null && break
  sleep 0.05
done
check "a self-signed certificate was made on first start" test -s var/tls/cert.pem
rss_before=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status")

cat >logins.py <<'PY'
import ftplib, ssl, statistics, sys, threading, time
port, ca, password, sessions = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
ctx = ssl.create_default_context(cafile=ca)
times, errors = [], []
lock = threading.Lock()
go = threading.Event()

def one(i):
    go.wait()
    start = time.monotonic()
    try:
        ftp = ftplib.FTP_TLS(context=ctx, timeout=600)
        ftp.connect("127.0.0.1", port, source_address=(f"127.0.0.{10 + i % 25}", 0))
        ftp.login("many", password)  # AUTH TLS, USER, PASS
        took = time.monotonic() - start
        ftp.voidcmd("NOOP")
        ftp.quit()
        with lock:
            times.append(took)
    except Exception as e:
        with lock:
            errors.append(f"{type(e).__name__}: {e}")

threads = [threading.Thread(target=one, args=(i,)) for i in range(sessions)]
for t in threads:
    t.start()
go.set()
for t in threads:
    t.join()
times.sort()
if times:
    q = lambda p: times[min(len(times) - 1, int(p * len(times)))]
    print(f"     {len(times)} logins: p50 {q(0.5):.2f} s, p90 {q(0.9):.2f} s, max {times[-1]:.2f} s")
for e in sorted(set(errors))[:5]:
    print("     error:", e)
print(len(times))
PY
start=$(date +%s%N)
python3 logins.py "$PORT" "$WORK/var/tls/cert.pem" "$PASSWORD" "$SESSIONS" >logins.out 2>&1 || true
wall_ms=$(( ($(date +%s%N) - start) / 1000000 ))
head -n -1 logins.out
echo "     wall time of the $SESSIONS logins: $wall_ms ms"
expect_eq "all $SESSIONS clients logged in at once" "$SESSIONS" "$(tail -1 logins.out)"
rss=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status")
echo "     serve peak RSS (VmHWM): before the logins $((rss_before / 1024)) MiB, after $((rss / 1024)) MiB (limit 150 MB)"
check "serve's peak RSS stayed under 150 MB ($rss kB)" test "$rss" -lt "$LIMIT_KB"
logged=$(grep -c '"event":"intake_ftps.login"' var/log/sightline.log || true)
expect_eq "the log has a login for every session" "$SESSIONS" "$logged"
finish
