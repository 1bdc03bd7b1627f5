# A request body with invalid UTF-8 is answered 400 and serve goes on (found by fuzz target
# http_request: the error message quoted the bytes and the strict JSON dump of the error threw
# inside the server's error handling, which ended the process with one request).
source "$(dirname "$0")/common.sh"
write_profile profile.yaml
cat >>profile.yaml <<YAML
api:
  listen: ["127.0.0.1:0"]
  tls: off
  tokens:
    - {name: one, sha256: $(printf 'token-one' | sha256sum | cut -c1-64), tenants: [demo]}
YAML
"$SIGHTLINE" serve --profile profile.yaml >serve.out 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; cleanup' EXIT
port=""
for _ in $(seq 1 100); do
  port=$(grep '"event":"api.listening"' var/log/sightline.log 2>/dev/null | grep -o '127.0.0.1:[0-9]*' | tail -1 | cut -d: -f2 || true)
  [ -n "$port" ] && break
  sleep 0.05
done
check "serve listens" test -n "$port"
printf '{"id":"x","name":"X","rule":{"al\375\377l":[]}}' >bad.json
printf '{"name":"\377","password":"x"' >bad-login.json
run curl -s -o body.json -w '%{http_code}' -X PUT -H 'Authorization: Bearer token-one' \
  -H 'Content-Type: application/json' --data-binary @bad.json \
  "http://127.0.0.1:$port/v1/tenants/demo/segments/x"
expect_eq "a definition with invalid UTF-8 is refused with 400" 400 "$out"
check "the error is JSON" python3 -c 'import json; json.load(open("body.json"))'
run curl -s -o /dev/null -w '%{http_code}' -X POST -H 'X-Requested-With: t' \
  --data-binary @bad-login.json "http://127.0.0.1:$port/console/login"
expect_eq "a console login with invalid UTF-8 is refused with 400" 400 "$out"
run curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz"
expect_eq "serve still answers" 200 "$out"
check "serve is still running" kill -0 "$pid"
finish
