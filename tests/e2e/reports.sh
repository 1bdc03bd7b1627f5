# `sightline report` (docs/reports.md): the same JSON as the mutual-TLS endpoint
# GET /v1/tenants/{t}/reports/{name} of a running `serve` for the same dates, byte for byte, from
# evaluator-sql and evaluator-memory alike; a table without --json; usage errors (a bad date, an
# unknown report) exit 2 with the reason, a tenant or evaluator the profile lacks exits 1.
source "$(dirname "$0")/common.sh"
if ! command -v openssl >/dev/null || ! command -v curl >/dev/null; then
  echo "SKIP: openssl or curl is missing"
  exit 77
fi
sl() { "$SIGHTLINE" "$@"; }

# --- a CA, the listener's certificate and a trusted host's -------------------------------------
mkdir pki
key() { openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "pki/$1.key" \
  -out "pki/$1.csr" -subj "$2" 2>/dev/null; }
sign() { openssl x509 -req -in "pki/$1.csr" -CA pki/ca.pem -CAkey pki/ca.key -CAcreateserial \
  -days 2 -out "pki/$1.pem" -extfile "pki/$1.ext" 2>/dev/null; }
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout pki/ca.key \
  -out pki/ca.pem -subj "/CN=e2e reports CA" -days 2 \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  2>/dev/null
key server "/CN=127.0.0.1"
printf 'basicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1\n' >pki/server.ext
sign server
key client "/O=Example/CN=bi.e2e"
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n' >pki/client.ext
sign client

write_profile profile.yaml
cat >>profile.yaml <<YAML
evaluators:
  - plugin: evaluator-sql
  - plugin: evaluator-memory
reports:
  listen: ["127.0.0.1:0"]
  tls: {cert: $WORK/pki/server.pem, key: $WORK/pki/server.key}
  client_ca: $WORK/pki/ca.pem
  allow: ["127.0.0.1/32"]
  trusted_hosts:
    - subject: "CN=bi.e2e,O=Example"
      tenants: [demo]
YAML
export SIGHTLINE_PLUGIN_PATH="$PLUGIN_DIR"

sl generate --rows 4000 --customers 300 --seed 11 --output sales.csv
sl generate --rows 4000 --customers 300 --seed 11 --catalog --output catalog.csv
run sl load --profile profile.yaml --tenant demo sales.csv catalog.csv
expect_eq "the data loads" 0 "$code"
[ "$code" -eq 0 ] || echo "$out"

# --- the command line ---------------------------------------------------------------------------
RANGE=(--from 2023-06-01 --to 2024-05-31)
run sl report summary --profile profile.yaml --tenant demo "${RANGE[@]}" --by month --top 3 --json
expect_eq "report summary --json exits 0" 0 "$code"
cli_summary=$out
expect_eq "it is the summary" "summary" "$(echo "$out" | json_get 'd["report"]' 2>/dev/null || echo "$out")"
expect_eq "--to is included: the range ends the next midnight" "2024-06-01T00:00:00Z" \
  "$(echo "$out" | json_get 'd["to"]' 2>/dev/null || echo "$out")"
expect_eq "twelve months" 12 "$(echo "$out" | json_get 'len(d["revenue"]["periods"])' 2>/dev/null || echo "$out")"
check "there were orders" test "$(echo "$out" | json_get 'd["revenue"]["totals"]["orders"]' 2>/dev/null || echo 0)" -gt 0

run sl report summary --profile profile.yaml --tenant demo "${RANGE[@]}" --by month --top 3 --json \
  --evaluator evaluator-memory
expect_eq "evaluator-memory gives the same bytes as evaluator-sql" "$cli_summary" "$out"

run sl report revenue --profile profile.yaml --tenant demo "${RANGE[@]}" --by week
expect_eq "the table form exits 0" 0 "$code"
expect_contains "it prints the revenue table" "Revenue by week" "$out"
expect_contains "with a total row" "total" "$out"

run sl report revenue --profile profile.yaml --tenant demo --from 2024-02-30 --to 2024-03-01
expect_eq "a bad date is a usage error (exit 2)" 2 "$code"
expect_contains "naming the option and the reason" "--from" "$out"
run sl report revenue --profile profile.yaml --tenant demo --from 2024-03-01
expect_eq "a missing --to is a usage error" 2 "$code"
run sl report nope --profile profile.yaml --tenant demo "${RANGE[@]}"
expect_eq "an unknown report is a usage error" 2 "$code"
expect_contains "listing the names" "top-categories" "$out"
run sl report revenue --profile profile.yaml --tenant ghost "${RANGE[@]}"
expect_eq "an unknown tenant is refused (exit 1)" 1 "$code"
run sl report revenue --profile profile.yaml --tenant demo "${RANGE[@]}" --evaluator evaluator-nope
expect_eq "an evaluator the profile lacks is refused (exit 1)" 1 "$code"
expect_contains "and named" "evaluator-nope" "$out"
sed 's/^  - plugin: evaluator-\(sql\|memory\)$//; s/^evaluators:$/evaluators: []/' profile.yaml >no-evaluators.yaml
run sl report revenue --profile no-evaluators.yaml --tenant demo "${RANGE[@]}"
expect_eq "a profile without evaluators is refused (exit 1)" 1 "$code"
expect_contains "saying so" "no evaluators" "$out"
run sl report --help
expect_eq "--help exits 0" 0 "$code"
expect_contains "--help shows the options" "--by" "$out"

# --- the endpoint of a running serve, same dates ------------------------------------------------
sl serve --profile profile.yaml >serve.out 2>&1 &
serve_pid=$!
trap 'kill $serve_pid 2>/dev/null || true; cleanup' EXIT
port=""
for _ in $(seq 1 200); do
  port=$(grep '"event":"api.listening"' var/log/sightline.log 2>/dev/null | grep '"mtls":"on"' \
    | grep -o '127.0.0.1:[0-9]*' | tail -1 | cut -d: -f2 || true)
  [ -n "$port" ] && break
  sleep 0.05
done
check "serve listens for reports" test -n "$port"
http_summary=$(curl -s --cacert pki/ca.pem --cert pki/client.pem --key pki/client.key \
  "https://127.0.0.1:$port/v1/tenants/demo/reports/summary?from=2023-06-01&to=2024-05-31&granularity=month&top=3")
expect_eq "the endpoint's JSON equals sightline report --json, byte for byte" "$cli_summary" "$http_summary"
kill -TERM $serve_pid
wait $serve_pid || true
finish
