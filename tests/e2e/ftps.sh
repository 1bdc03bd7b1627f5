# FTPS intake through `sightline serve`, with real clients: curl (OpenSSL; TLS 1.2 and 1.3, two
# files on one command line), lftp (GnuTLS) and Python's ftplib. The uploads are loaded into the
# tenant's database, the tenant sees status notes, and cannot read anyone's data back.
source "$(dirname "$0")/common.sh"
for tool in curl lftp python3; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
PASV_LOW=$((20000 + RANDOM % 20000))
PASSWORD='demo-upload-password-1'
OTHER_PASSWORD='other-upload-password-2'
demo_hash=$(echo "$PASSWORD" | "$SIGHTLINE" tenant passwd --user demo-upload --tenant demo --json | json_get 'd["password_hash"]')
other_hash=$(echo "$OTHER_PASSWORD" | "$SIGHTLINE" tenant passwd --user other-upload --tenant other --json | json_get 'd["password_hash"]')
check "the hash is not the password" test "${demo_hash#*"$PASSWORD"}" == "$demo_hash"

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
        - {user: other-upload, tenant: other, password: "$other_hash"}
tenants:
  - id: demo
  - id: other
YAML
"$SIGHTLINE" profile check profile.yaml >/dev/null
"$SIGHTLINE" serve --profile profile.yaml >serve.out 2>&1 &
pid=$!
stop_serve() { kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
trap 'stop_serve; cleanup' EXIT
for _ in $(seq 1 200); do
  python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$PORT),0.2)" 2>/dev/null && break
  sleep 0.05
done
check "a self-signed certificate was made on first start" test -s var/tls/cert.pem
CA=$WORK/var/tls/cert.pem
URL="ftp://127.0.0.1:$PORT"

for seed in 1 2 3 4 5 6; do
  "$SIGHTLINE" generate --rows 200 --customers 30 --seed $seed --output "s$seed.csv"
done
# The certificate is checked (the self-signed one names 127.0.0.1), not skipped with -k.
run curl -sS --ssl-reqd --cacert "$CA" --tls-max 1.2 --user "demo-upload:$PASSWORD" -T "{s1.csv,s2.csv}" "$URL/"
expect_eq "curl, TLS 1.2, two files on one command line" 0 "$code"
run curl -sS --ssl-reqd --cacert "$CA" --tlsv1.3 --user "demo-upload:$PASSWORD" -T "{s3.csv,s4.csv}" "$URL/"
expect_eq "curl, TLS 1.3, two files on one control connection: $out" 0 "$code"
run lftp -c "set ftp:ssl-force true; set ftp:ssl-protect-data true; set ssl:ca-file $CA;
  set ftp:passive-mode true; set net:max-retries 1;
  open -u demo-upload,$PASSWORD -p $PORT 127.0.0.1; put s5.csv"
expect_eq "lftp (GnuTLS) upload: $out" 0 "$code"
cat >ftplib_upload.py <<'PY'
import ftplib, ssl, sys
class ReusingFTP_TLS(ftplib.FTP_TLS):
    """ftplib does not resume the control session on data connections; this is the usual fix,
    as for vsftpd's require_ssl_reuse."""
    def ntransfercmd(self, cmd, rest=None):
        conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)
        if self._prot_p:
            conn = self.context.wrap_socket(conn, server_hostname=self.host, session=self.sock.session)
        return conn, size
port, ca, password, path, remote = sys.argv[1:6]
ctx = ssl.create_default_context(cafile=ca)
ftp = ReusingFTP_TLS(context=ctx)
ftp.connect("127.0.0.1", int(port))
ftp.login("demo-upload", password)
ftp.prot_p()
with open(path, "rb") as f:
    print(ftp.storbinary("STOR " + remote, f))
ftp.quit()
PY
run python3 ftplib_upload.py "$PORT" "$CA" "$PASSWORD" s6.csv full/s6.csv
expect_contains "Python ftplib upload into full/" "226" "$out"

wait_loaded() { # wait_loaded TENANT N: until N files are loaded
  for _ in $(seq 1 300); do
    [ "$(stats_json profile.yaml "$1" | json_get 'len(d["files"])')" -ge "$2" ] && return 0
    sleep 0.1
  done
  return 1
}
check "all six uploads were loaded" wait_loaded demo 6
stats=$(stats_json profile.yaml demo)
expect_eq "the full upload came last and replaced the rest" "full" "$(echo "$stats" | json_get 'd["history"][-1]["mode"]')"
expect_eq "lines are those of the full upload" 200 "$(echo "$stats" | json_get 'd["lines"]')"

# A malformed file is refused and the tenant reads why in status/.
printf 'order,timestamp,customer,item,price\nA1,2026-01-01T00:00:00Z,not-a-number,x,1\n' >bad.csv
run curl -sS --ssl-reqd --cacert "$CA" --user "demo-upload:$PASSWORD" -T bad.csv "$URL/"
for _ in $(seq 1 100); do
  listing=$(curl -sS --ssl-reqd --cacert "$CA" --user "demo-upload:$PASSWORD" --list-only "$URL/status/")
  [[ "$listing" == *bad.csv.refused* ]] && break
  sleep 0.1
done
expect_contains "a status note says the malformed file was refused" "bad.csv.refused" "$listing"
expect_contains "status notes for loaded files" "s1.csv.loaded" "$listing"
note=$(echo "$listing" | grep 'bad.csv.refused' | head -1)
run curl -sS --ssl-reqd --cacert "$CA" --user "demo-upload:$PASSWORD" "$URL/status/$note"
expect_contains "the note names the line, column and reason" "bad.csv:2:3 (customer): not an unsigned integer" "$out"
check "the note holds no server path" test "${out/$WORK/}" == "$out"
job=$(echo "$out" | sed -n 's/^job: //p')
check "the note ends with the load's job id" test -n "$job"
run "$SIGHTLINE" jobs --profile profile.yaml --job "$job" --json
expect_eq "sightline jobs --job finds the refused load it names" "demo load refused bad.csv" \
  "$(echo "$out" | json_get '" ".join([d[0]["tenant"], d[0]["kind"], d[0]["status"], d[0]["file"]]) if len(d) == 1 else d')"

# Nothing can be read back: no download of uploads, and another tenant sees nothing of demo's.
"$SIGHTLINE" generate --rows 10 --customers 3 --seed 9 --output pending.csv
run curl -sS --ssl-reqd --cacert "$CA" --user "other-upload:$OTHER_PASSWORD" "$URL/status/$note"
check "another tenant cannot read demo's status note" test "$code" -ne 0
run curl -sS --ssl-reqd --cacert "$CA" --user "other-upload:$OTHER_PASSWORD" --list-only "$URL/status/"
check "another tenant's status folder has none of demo's notes" test "${out#*s1.csv}" == "$out"
run curl -sS --ssl-reqd --cacert "$CA" --user "demo-upload:wrong-password-123" --list-only "$URL/"
check "a wrong password is refused" test "$code" -ne 0
run curl -sS --user "demo-upload:$PASSWORD" --list-only "$URL/"
check "plain FTP (no TLS) is refused" test "$code" -ne 0

check "uploads were logged with tenant, account and SHA-256" \
  grep -q '"event":"load.finished"' var/log/sightline.log
check "no password in the log" bash -c "! grep -q -e '$PASSWORD' -e '$OTHER_PASSWORD' var/log/sightline.log"
stop_serve
trap cleanup EXIT
finish
