# Edge and core on one machine, as two `sightline serve` processes: tenants upload to the edge's
# FTPS intake, relay-ftps forwards each file over FTPS to the core's internal intake, which loads
# it. The core is down while the edge takes the first files; once it is up every file arrives
# exactly once, and the edge keeps nothing.
source "$(dirname "$0")/common.sh"
for tool in curl openssl python3; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
EDGE_PORT=$(free_port)
CORE_PORT=$(free_port)
PASV=$((20000 + RANDOM % 20000))
PASSWORD='demo-upload-password-1'
RELAY_PASSWORD='relay-password-for-the-core-3'
demo_hash=$(echo "$PASSWORD" | "$SIGHTLINE" tenant passwd --user demo-upload --tenant demo --json | json_get 'd["password_hash"]')
relay_hash=$(echo "$RELAY_PASSWORD" | "$SIGHTLINE" tenant passwd --user relay --tenant '*' --json | json_get 'd["password_hash"]')
mkdir -p core/tls edge/secrets
# The core's certificate, made in advance: the edge pins it as its CA.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=core \
  -addext subjectAltName=IP:127.0.0.1 -keyout core/tls/key.pem -out core/tls/cert.pem 2>/dev/null
(umask 077; echo -n "$RELAY_PASSWORD" >edge/secrets/relay-password)

cat >core.yaml <<YAML
version: 1
state_dir: $WORK/core/state
log: {format: json, level: info, file: $WORK/core/log/sightline.log}
archive: {plugin: archive-fs, config: {root: $WORK/core/archive}}
target: {plugin: target-sqlite, config: {dir: $WORK/core/db}}
transports:
  - plugin: intake-ftps
    config:
      listen: "127.0.0.1:$CORE_PORT"
      passive_ports: "$PASV-$((PASV + 20))"
      certificate: $WORK/core/tls/cert.pem
      private_key: $WORK/core/tls/key.pem
      landing: $WORK/core/landing
      accounts:
        - {user: relay, tenant: "*", password: "$relay_hash", await_result: true}
tenants: [{id: demo}, {id: other}]
YAML
cat >edge.yaml <<YAML
version: 1
role: edge
state_dir: $WORK/edge/state
log: {format: json, level: info, file: $WORK/edge/log/sightline.log}
transports:
  - plugin: intake-ftps
    config:
      listen: "127.0.0.1:$EDGE_PORT"
      passive_ports: "$((PASV + 21))-$((PASV + 40))"
      certificate: $WORK/edge/tls/cert.pem
      private_key: $WORK/edge/tls/key.pem
      self_signed: true
      landing: $WORK/edge/landing
      retry_interval_seconds: 1
      accounts:
        - {user: demo-upload, tenant: demo, password: "$demo_hash"}
  - plugin: relay-ftps
    config:
      host: 127.0.0.1
      port: $CORE_PORT
      user: relay
      password_file: $WORK/edge/secrets/relay-password
      ca_file: $WORK/core/tls/cert.pem
      backoff_initial_seconds: 1
      backoff_max_seconds: 2
tenants: [{id: demo}, {id: other}]
YAML
"$SIGHTLINE" profile check core.yaml >/dev/null
"$SIGHTLINE" profile check edge.yaml >/dev/null
wait_port() { for _ in $(seq 1 200); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1',$1),0.2)" 2>/dev/null && return 0
  sleep 0.05; done; return 1; }
"$SIGHTLINE" serve --profile edge.yaml >edge.out 2>&1 &
edge_pid=$!
core_pid=""
stop_all() { kill -TERM $edge_pid $core_pid 2>/dev/null || true; wait 2>/dev/null || true; }
trap 'stop_all; cleanup' EXIT
check "the edge listens" wait_port "$EDGE_PORT"
URL="ftp://127.0.0.1:$EDGE_PORT"
CA=$WORK/edge/tls/cert.pem
for seed in 1 2 3; do "$SIGHTLINE" generate --rows 100 --customers 10 --seed $seed --output "e$seed.csv"; done
run curl -sS --ssl-reqd --cacert "$CA" --user "demo-upload:$PASSWORD" -T "{e1.csv,e2.csv}" "$URL/"
expect_eq "uploads to the edge while the core is down" 0 "$code"
for _ in $(seq 1 100); do grep -q '"event":"relay_ftps.retry"' edge/log/sightline.log 2>/dev/null && break; sleep 0.1; done
check "the relay logs that it will retry" grep -q '"event":"relay_ftps.retry"' edge/log/sightline.log
check "the files wait on the edge" test -f edge/landing/demo/e1.csv

"$SIGHTLINE" serve --profile core.yaml >core.out 2>&1 &
core_pid=$!
check "the core listens" wait_port "$CORE_PORT"
run curl -sS --ssl-reqd --cacert "$CA" --user "demo-upload:$PASSWORD" -T e3.csv "$URL/"
expect_eq "an upload while the core is up" 0 "$code"
loaded() { [ "$(stats_json core.yaml demo | json_get 'len(d["files"])')" -ge 3 ]; }
for _ in $(seq 1 300); do loaded && break; sleep 0.1; done
check "the core loaded all three files" loaded
stats=$(stats_json core.yaml demo)
expect_eq "each arrived exactly once" "['e1.csv', 'e2.csv', 'e3.csv']" \
  "$(echo "$stats" | json_get 'sorted(f["name"] for f in d["history"])')"
for _ in $(seq 1 100); do [ -z "$(ls edge/landing/demo/*.csv 2>/dev/null)" ] && break; sleep 0.1; done
check "the edge deleted its copies" test -z "$(ls edge/landing/demo/*.csv 2>/dev/null)"
for _ in $(seq 1 100); do
  listing=$(curl -sS --ssl-reqd --cacert "$CA" --user "demo-upload:$PASSWORD" --list-only "$URL/status/")
  [[ "$listing" == *e3.csv.loaded* ]] && break; sleep 0.1
done
expect_contains "the edge's status note carries the core's result" "e3.csv.loaded" "$listing"
check "the relay logged deliveries" grep -q '"event":"relay_ftps.delivered"' edge/log/sightline.log
check "no password in either log" bash -c "! grep -rq -e '$PASSWORD' -e '$RELAY_PASSWORD' edge/log core/log"
run "$SIGHTLINE" tenant stats --profile edge.yaml --tenant demo
expect_contains "the edge has no database to ask" "edge profile" "$out"
stop_all
trap cleanup EXIT
finish
