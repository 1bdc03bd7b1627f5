#!/usr/bin/env bash
# A private vsftpd (Debian's /usr/sbin/vsftpd) for tests and benchmarks: explicit FTPS only on
# 127.0.0.1, TLS required for login and data, data connections must resume the control
# connection's TLS session (require_ssl_reuse), TLS 1.2 ciphers as in plugins/ftps-common.
#
#   eval "$(tests/vsftpd/start-vsftpd.sh)"   # exports SIGHTLINE_VSFTPD_* (see the end)
#   tests/vsftpd/stop-vsftpd.sh [--clean]
#
# Environment: SIGHTLINE_VSFTPD_PORT (2121), SIGHTLINE_VSFTPD_DIR (/tmp/sightline-vsftpd-<port>),
# SIGHTLINE_VSFTPD_BIN (/usr/sbin/vsftpd), SIGHTLINE_VSFTPD_REQUIRE_CLIENT_CERT (1: only clients
# presenting the generated tls/client.crt are accepted). Passive ports: <port>+1 .. <port>+20.
# Exit code 77 (the ctest skip code) when vsftpd is not installed.
#
# Login: the anonymous account ("anonymous", no system user needed) restricted to a password:
# secure_email_list_enable accepts only the "e-mail passwords" listed in a file, which holds one
# random password made here. The anonymous root is <dir>/root, owned by the launching user, with
# upload, mkdir, delete and rename allowed. run_as_launching_user=YES: no privilege switch, no
# chroot, so it runs the same as root (CI) or as an ordinary user. Only for loopback tests.
#
# Idempotent: a server already running for the folder is reused.
set -euo pipefail
port=${SIGHTLINE_VSFTPD_PORT:-2121}
dir=${SIGHTLINE_VSFTPD_DIR:-/tmp/sightline-vsftpd-$port}
bin=${SIGHTLINE_VSFTPD_BIN:-/usr/sbin/vsftpd}

if [ ! -x "$bin" ]; then
  echo "start-vsftpd.sh: $bin is not installed (Debian package vsftpd)" >&2
  exit 77
fi

mkdir -p "$dir"
chmod 0700 "$dir"
# Concurrent callers wait for the first one to finish.
exec 9>"$dir/.lock"
flock 9

if [ ! -f "$dir/password" ]; then
  umask 077
  rm -rf "$dir/tls" "$dir/root"
  mkdir -p "$dir/tls" "$dir/root" "$dir/empty"
  openssl rand -hex 16 >"$dir/password"
  (
    cd "$dir/tls"
    # Self-signed, valid for the IP address 127.0.0.1 only (not "localhost"): tests use that to
    # check host-name verification. The certificate is its own CA file.
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
      -subj "/CN=sightline vsftpd test" -addext "subjectAltName=IP:127.0.0.1" \
      -addext "basicConstraints=critical,CA:TRUE" \
      -keyout server.key -out server.crt 2>/dev/null
    # An unrelated certificate: a CA file that must NOT verify the server.
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
      -subj "/CN=sightline unrelated CA" -keyout other.key -out other-ca.crt 2>/dev/null
    # A client certificate (its own CA) for servers started with client certificates required.
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
      -subj "/CN=sightline test client" -keyout client.key -out client.crt 2>/dev/null
    chmod 0644 server.crt other-ca.crt client.crt
  )
  chmod 0755 "$dir/tls"
fi

# Keep this list in step with kTls12Ciphers (plugins/ftps-common): ECDHE with AES-GCM or
# ChaCha20-Poly1305 only.
ciphers=ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305

cat >"$dir/vsftpd.conf" <<CONF
# sightline test server (tests/vsftpd/start-vsftpd.sh); regenerated on every start
listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=$port
background=NO
run_as_launching_user=YES
secure_chroot_dir=$dir/empty
pasv_enable=YES
pasv_address=127.0.0.1
pasv_min_port=$((port + 1))
pasv_max_port=$((port + 20))
port_enable=NO
connect_from_port_20=NO
# Accounts: anonymous only, with the one password of email_password_file.
local_enable=NO
anonymous_enable=YES
no_anon_password=NO
secure_email_list_enable=YES
email_password_file=$dir/email_passwords
anon_root=$dir/root
write_enable=YES
anon_upload_enable=YES
anon_mkdir_write_enable=YES
anon_other_write_enable=YES
anon_world_readable_only=NO
anon_umask=077
dirlist_enable=YES
download_enable=YES
# Explicit FTPS only.
ssl_enable=YES
allow_anon_ssl=YES
force_anon_logins_ssl=YES
force_anon_data_ssl=YES
require_ssl_reuse=YES
ssl_sslv2=NO
ssl_sslv3=NO
ssl_tlsv1=NO
ssl_ciphers=$ciphers
rsa_cert_file=$dir/tls/server.crt
rsa_private_key_file=$dir/tls/server.key
# Quiet and quick.
xferlog_enable=NO
vsftpd_log_file=$dir/vsftpd.log
dual_log_enable=NO
syslog_enable=NO
use_localtime=NO
seccomp_sandbox=NO
idle_session_timeout=120
data_connection_timeout=60
max_clients=100
max_per_ip=50
CONF
cp "$dir/password" "$dir/email_passwords"
if [ "${SIGHTLINE_VSFTPD_REQUIRE_CLIENT_CERT:-0}" = 1 ]; then
  # Mutual TLS: only clients presenting tls/client.crt get in.
  printf 'require_cert=YES\nvalidate_cert=YES\nca_certs_file=%s\n' "$dir/tls/client.crt" \
    >>"$dir/vsftpd.conf"
fi

# vsftpd 3.0.3 cannot pin TLS versions beyond ssl_tlsv1 (no ssl_tlsv1_2 option), and under
# TLS 1.3 its require_ssl_reuse check breaks the second transfer of a control connection
# (clients cache the ticket a data connection received, which vsftpd then rejects: "522 SSL
# connection failed: session reuse required"). OpenSSL's own configuration caps it at TLS 1.2.
cat >"$dir/openssl.cnf" <<CNF
openssl_conf = sightline_vsftpd
[sightline_vsftpd]
ssl_conf = sightline_ssl
[sightline_ssl]
system_default = sightline_tls
[sightline_tls]
MinProtocol = TLSv1.2
MaxProtocol = TLSv1.2
CNF

running() { [ -f "$dir/vsftpd.pid" ] && kill -0 "$(cat "$dir/vsftpd.pid")" 2>/dev/null; }

if ! running; then
  # In the background with its pid recorded; stdin/out closed so callers' pipes do not wait.
  OPENSSL_CONF="$dir/openssl.cnf" nohup "$bin" "$dir/vsftpd.conf" </dev/null >"$dir/stderr.log" 2>&1 9>&- &
  echo $! >"$dir/vsftpd.pid"
  # Ready when the port answers with the 220 greeting.
  for _ in $(seq 1 100); do
    if ! running; then
      echo "start-vsftpd.sh: vsftpd exited:" >&2
      cat "$dir/stderr.log" >&2
      exit 1
    fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$port" && head -c 3 <&3 | grep -q 220) 2>/dev/null; then
      break
    fi
    sleep 0.05
  done
fi

echo "export SIGHTLINE_VSFTPD_PORT='$port'"
echo "export SIGHTLINE_VSFTPD_PID='$(cat "$dir/vsftpd.pid")'"
echo "export SIGHTLINE_VSFTPD_DIR='$dir'"
echo "export SIGHTLINE_VSFTPD_ROOT='$dir/root'"
echo "export SIGHTLINE_VSFTPD_CA='$dir/tls/server.crt'"
echo "export SIGHTLINE_VSFTPD_OTHER_CA='$dir/tls/other-ca.crt'"
echo "export SIGHTLINE_VSFTPD_CLIENT_CERT='$dir/tls/client.crt'"
echo "export SIGHTLINE_VSFTPD_CLIENT_KEY='$dir/tls/client.key'"
echo "export SIGHTLINE_VSFTPD_USER='anonymous'"
echo "export SIGHTLINE_VSFTPD_PASSWORD='$(cat "$dir/password")'"
echo "export SIGHTLINE_VSFTPD_PASSWORD_FILE='$dir/password'"
echo "start-vsftpd.sh: vsftpd running on 127.0.0.1:$port as $(id -un) (files in $dir/root)" >&2
