# The FTPS intake counts an IPv6 client by its /64: the per-address connection limit and a ban
# earned from one address of a /64 cover every address of it, and not the next /64. Real
# addresses on the loopback device (needs root: skipped otherwise), a real client (ftplib).
source "$(dirname "$0")/common.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 is not installed"; exit 77; }
command -v ip >/dev/null || { echo "SKIP: ip (iproute2) is not installed"; exit 77; }
CLIENT="$SOURCE_DIR/plugins/intake-ftps/tests/ftps_e2e.py"
NET=fd00:5:1   # one /64: the server and three clients
OTHER=fd00:5:2 # another /64
ADDRESSES="$NET::1 $NET::a $NET::b $NET::c $OTHER::a"
added=""
remove_addresses() {
  for a in $added; do ip -6 addr del "$a/64" dev lo 2>/dev/null || true; done
}
if [ "$(id -u)" -ne 0 ]; then echo "SKIP: adding loopback addresses needs root"; exit 77; fi
trap 'remove_addresses; cleanup' EXIT
for a in $ADDRESSES; do
  ip -6 addr add "$a/64" dev lo nodad 2>/dev/null || { echo "SKIP: cannot add $a to lo"; exit 77; }
  added="$added $a"
done

PORT=$((30000 + RANDOM % 20000))
PASV_LOW=$((20000 + RANDOM % 9000))
PASSWORD='demo-upload-password-1'
demo_hash=$(echo "$PASSWORD" | "$SIGHTLINE" tenant passwd --user demo-upload --tenant demo --json | json_get 'd["password_hash"]')
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
      listen: "[$NET::1]:$PORT"
      passive_ports: "$PASV_LOW-$((PASV_LOW + 40))"
      certificate: $WORK/var/tls/cert.pem
      private_key: $WORK/var/tls/key.pem
      self_signed: true
      landing: $WORK/var/ftps
      accounts:
        - {user: demo-upload, tenant: demo, password: "$demo_hash"}
      limits: {login_delay_ms: 0, ban_failures: 2, max_per_address: 2}
tenants:
  - id: demo
YAML
"$SIGHTLINE" serve --profile profile.yaml >serve.out 2>&1 &
pid=$!
stop_serve() { kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
trap 'stop_serve; remove_addresses; cleanup' EXIT
for _ in $(seq 1 200); do
  python3 -c "import socket; socket.create_connection(('$NET::1',$PORT),0.2)" 2>/dev/null && break
  sleep 0.05
done
sleep 0.3 # the probe's connection above has ended
client() { run python3 "$CLIENT" "$NET::1" "$PORT" "$@"; }

# max_per_address 2: two connections from ::a and ::b fill the /64's count; ::c is refused,
# an address of another /64 is not.
client per_address 2 "$NET::a" "$NET::b" "$NET::c" "$OTHER::a"
expect_contains "a first connection from the /64 is admitted" "connection 1 from $NET::a: 220" "$out"
expect_contains "a second, from another address of it, too" "connection 2 from $NET::b: 220" "$out"
expect_contains "a third address of the same /64 is over the per-address limit" \
  "connection 3 from $NET::c: 421 Too many connections from your address" "$out"
expect_contains "another /64 is counted apart" "connection 4 from $OTHER::a: 220" "$out"
sleep 0.5 # the held connections end

# A ban earned from ::a covers ::b and ::c, not the other /64; a good login from the other /64
# works.
client ban_from demo-upload "$NET::a" "$NET::b" "$NET::c" "$OTHER::a"
expect_contains "the second failure from ::a bans it" "failure 2 from $NET::a: 421" "$out"
expect_contains "the ban covers ::b" "then from $NET::b: 421 Too many failed logins" "$out"
expect_contains "the ban covers ::c" "then from $NET::c: 421 Too many failed logins" "$out"
expect_contains "another /64 is not banned" "then from $OTHER::a: 220" "$out"
"$SIGHTLINE" generate --rows 20 --customers 5 --seed 1 --output v6.csv
client upload demo-upload "$PASSWORD" v6.csv v6.csv "$OTHER::a"
expect_contains "a client of another /64 logs in and uploads over IPv6" "upload: 226" "$out"
check "the log names the peer's own address" grep -q "\"peer\":\"$NET::b\"" var/log/sightline.log
stop_serve
trap 'remove_addresses; cleanup' EXIT
finish
