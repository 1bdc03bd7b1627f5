#!/usr/bin/env bash
# A private PostgreSQL 15 server for the target-postgres tests: TLS with a CA made here, a
# superuser `sightline_admin` with a SCRAM password, listening on 127.0.0.1 only.
#
#   eval "$(tests/pg/start-postgres.sh)"     # exports SIGHTLINE_POSTGRES_DSN, SIGHTLINE_POSTGRES_CA
#   tests/pg/stop-postgres.sh [--clean]
#
# Environment: SIGHTLINE_PG_PORT (54329), SIGHTLINE_PG_DIR (/tmp/sightline-pg-<port>),
# SIGHTLINE_PG_BIN (/usr/lib/postgresql/15/bin), SIGHTLINE_PG_MAX_CONNECTIONS (300; read when the
# folder's server is first made).
# Idempotent: a server already running in the folder is reused (a second run takes ~50 ms).
# The server runs as an unprivileged user: the caller, or `postgres` when the caller is root
# (PostgreSQL refuses to run as root).
set -euo pipefail
port=${SIGHTLINE_PG_PORT:-54329}
dir=${SIGHTLINE_PG_DIR:-/tmp/sightline-pg-$port}
bin=${SIGHTLINE_PG_BIN:-/usr/lib/postgresql/15/bin}
data=$dir/data

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
owner=$( [ "$(id -u)" -eq 0 ] && echo postgres || id -un )

mkdir -p "$dir"
# Concurrent callers (two build passes, parallel jobs) wait for the first one to finish.
exec 9>"$dir/.lock"
flock 9

if [ ! -f "$data/PG_VERSION" ]; then
  rm -rf "$data" "$dir/tls"
  umask 077
  mkdir -p "$dir/tls" "$dir/run"
  openssl rand -hex 24 >"$dir/admin.password"

  # TLS: a throwaway CA, and a server certificate for 127.0.0.1 and localhost signed by it.
  (
    cd "$dir/tls"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=sightline test CA" \
      -keyout ca.key -out ca.crt 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
      -keyout server.key -out server.csr 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n' >server.ext
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 \
      -extfile server.ext -out server.crt 2>/dev/null
    chmod 0644 ca.crt
  )
  chmod 0755 "$dir" "$dir/tls" "$dir/run"
  if [ "$(id -u)" -eq 0 ]; then
    chown -R postgres: "$dir/run" "$dir/tls"
    mkdir -p "$data" && chown postgres: "$data"
  fi

  pwfile=$(mktemp)
  cp "$dir/admin.password" "$pwfile"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$pwfile"
  as_owner "$bin/initdb" -D "$data" -U sightline_admin --pwfile="$pwfile" -E UTF8 \
    --locale=C.UTF-8 --auth-local=scram-sha-256 --auth-host=scram-sha-256 >/dev/null
  rm -f "$pwfile"

  as_owner tee -a "$data/postgresql.conf" >/dev/null <<CONF
# sightline test server (tests/pg/start-postgres.sh)
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir/run'
max_connections = ${SIGHTLINE_PG_MAX_CONNECTIONS:-300}
password_encryption = 'scram-sha-256'
ssl = on
ssl_cert_file = '$dir/tls/server.crt'
ssl_key_file = '$dir/tls/server.key'
ssl_ca_file = '$dir/tls/ca.crt'
# A test server: durability is not needed, speed is.
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 64MB
log_min_messages = warning
CONF
  as_owner tee "$data/pg_hba.conf" >/dev/null <<HBA
# TYPE  DATABASE USER ADDRESS       METHOD
local   all      all                scram-sha-256
host    all      all  127.0.0.1/32  scram-sha-256
HBA
fi

if ! as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  as_owner "$bin/pg_ctl" -D "$data" -l "$dir/run/server.log" -w -t 60 start >/dev/null 9>&- ||
    { cat "$dir/run/server.log" >&2; exit 1; }
fi

password=$(cat "$dir/admin.password")
echo "export SIGHTLINE_POSTGRES_DSN='host=127.0.0.1 port=$port user=sightline_admin password=$password dbname=postgres'"
echo "export SIGHTLINE_POSTGRES_CA='$dir/tls/ca.crt'"
echo "start-postgres.sh: PostgreSQL running on 127.0.0.1:$port as $owner (data in $data)" >&2
