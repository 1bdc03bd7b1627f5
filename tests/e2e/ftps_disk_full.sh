# The FTPS intake's landing folder fills up while an upload lands: the client gets 452, no
# partial file stays (neither the temporary name in .partial/ nor the upload's name), and once
# there is room again the same upload lands and is loaded. The landing folder is a small tmpfs
# of its own (needs root: skipped otherwise); the client is Python's ftplib over TLS.
source "$(dirname "$0")/common.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 is not installed"; exit 77; }
CLIENT="$SOURCE_DIR/plugins/intake-ftps/tests/ftps_e2e.py"
mounted=""
unmount() {
  if [ -n "$mounted" ]; then umount "$mounted" 2>/dev/null || umount -l "$mounted" || true; fi
}
trap 'unmount; cleanup' EXIT
mkdir -p var/ftps
if [ "$(id -u)" -ne 0 ] || ! mount -t tmpfs -o size=8m,mode=0700 sightline-test var/ftps; then
  echo "SKIP: cannot mount a tmpfs (needs root)"
  exit 77
fi
mounted=$WORK/var/ftps

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
PASV_LOW=$((20000 + RANDOM % 20000))
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
      listen: "127.0.0.1:$PORT"
      passive_ports: "$PASV_LOW-$((PASV_LOW + 40))"
      certificate: $WORK/var/tls/cert.pem
      private_key: $WORK/var/tls/key.pem
      self_signed: true
      landing: $WORK/var/ftps
      accounts:
        - {user: demo-upload, tenant: demo, password: "$demo_hash"}
tenants:
  - id: demo
YAML
"$SIGHTLINE" serve --profile profile.yaml >serve.out 2>&1 &
pid=$!
stop_serve() { kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
trap 'stop_serve; unmount; cleanup' EXIT
for _ in $(seq 1 200); do
  python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$PORT),0.2)" 2>/dev/null && break
  sleep 0.05
done
client() { run python3 "$CLIENT" 127.0.0.1 "$PORT" "$@"; }

# A 3 MB upload; fill the file system up to 1 MB of room.
"$SIGHTLINE" generate --rows 40000 --customers 3000 --seed 1 --output big.csv
size=$(stat -c %s big.csv)
check "the upload is larger than the room left" test "$size" -gt $((2 * 1024 * 1024))
dd if=/dev/zero of=var/ftps/filler bs=64k 2>/dev/null || true
truncate -s -1048576 var/ftps/filler

client upload demo-upload "$PASSWORD" big.csv big.csv
expect_contains "the client is told 452 (insufficient storage)" "upload: 452" "$out"
expect_eq "no partial file in .partial/" "" "$(find var/ftps/demo/.partial -type f)"
check "no file under the upload's name" test ! -e var/ftps/demo/big.csv
check "the failure is logged with its cause" \
  bash -c "grep '\"event\":\"intake_ftps.write_failed\"' var/log/sightline.log | grep -q 'No space left on device'"
check "the server still serves" python3 -c "import socket; socket.create_connection(('127.0.0.1',$PORT),2)"

# Room again: the same upload lands and is loaded.
rm var/ftps/filler
client upload demo-upload "$PASSWORD" big.csv big.csv
expect_contains "with room again the upload is accepted" "upload: 226" "$out"
loaded() {
  for _ in $(seq 1 300); do
    [ "$(stats_json profile.yaml demo | json_get 'len(d["files"])')" -ge 1 ] && return 0
    sleep 0.1
  done
  return 1
}
check "and loaded" loaded
expect_eq "every line of it" "$(($(wc -l <big.csv) - 1))" "$(stats_json profile.yaml demo | json_get 'd["lines"]')"
stop_serve
trap 'unmount; cleanup' EXIT
finish
