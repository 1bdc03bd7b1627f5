#!/usr/bin/env python3
"""intake-ftps against real clients (curl, lftp, Python's ftplib) and hand-made attacks.

usage: clients_test.py TEST_SERVER_BINARY

Starts the test server (the built plugin loaded through its descriptor) on loopback with a
self-signed certificate and short limits, then checks uploads and every refusal. Exits 77 (skip)
when curl or lftp is missing. Python standard library only.
"""
import base64
import ftplib
import hashlib
import json
import os
import random
import re
import shutil
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time

FAILURES = []
PASSED = []


def check(name, condition, detail=""):
    if condition:
        PASSED.append(name)
        print("ok   " + name, flush=True)
    else:
        FAILURES.append(name)
        print("FAIL " + name + ("  -- " + str(detail) if detail else ""), flush=True)


def scrypt_hash(password):
    salt = os.urandom(16)
    key = hashlib.scrypt(password.encode(), salt=salt, n=2 ** 10, r=8, p=1, dklen=32)
    return "$scrypt$ln=10,r=8,p=1$%s$%s" % (base64.b64encode(salt).decode(),
                                             base64.b64encode(key).decode())


class Server:
    """One test server process with its own landing folder."""

    def __init__(self, binary, root, name, stale_partial=False, **overrides):
        self.root = os.path.join(root, name)
        os.makedirs(self.root)
        self.landing = os.path.join(self.root, "landing")
        if stale_partial:
            os.makedirs(os.path.join(self.landing, "acme", ".partial"))
            with open(os.path.join(self.landing, "acme", ".partial", "0123abcd"), "wb") as f:
                f.write(b"cut off by a crash")
        self.records_path = os.path.join(self.root, "records.jsonl")
        base = random.randrange(20000, 60000, 100)
        config = {
            "listen": "127.0.0.1:0",
            "passive_ports": "%d-%d" % (base, base + 60),
            "certificate": os.path.join(self.root, "cert.pem"),
            "private_key": os.path.join(self.root, "key.pem"),
            "self_signed": True,
            "landing": self.landing,
            "accounts": [
                {"user": "alice", "tenant": "acme", "password": scrypt_hash("alice-pw")},
                {"user": "bob", "tenant": "globex", "password": scrypt_hash("bob-pw")},
                {"user": "relay", "tenant": "*", "password": scrypt_hash("relay-pw"),
                 "await_result": True},
            ],
            "limits": {"login_delay_ms": 100},
        }
        for key, value in overrides.items():
            if isinstance(value, dict) and isinstance(config.get(key), dict):
                config[key].update(value)
            else:
                config[key] = value
        with open(os.path.join(self.root, "config.json"), "w") as f:
            json.dump(config, f)
        self.stderr = open(os.path.join(self.root, "server.log"), "w")
        self.proc = subprocess.Popen(
            [binary, os.path.join(self.root, "config.json"), self.records_path, "acme,globex"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("PORT "):
            raise RuntimeError("server did not start: " + open(self.stderr.name).read())
        self.port = int(line.split()[1])

    def command(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()

    def records(self):
        if not os.path.exists(self.records_path):
            return []
        with open(self.records_path) as f:
            return [json.loads(l) for l in f if l.strip()]

    def logs(self, event=None):
        out = []
        with open(self.stderr.name) as f:
            for line in f:
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if event is None or entry.get("event") == event:
                    out.append(entry)
        return out

    def wait_records(self, n, timeout=10):
        end = time.time() + timeout
        while time.time() < end:
            if len(self.records()) >= n:
                return True
            time.sleep(0.05)
        return False

    def files(self, *parts):
        path = os.path.join(self.landing, *parts)
        return sorted(os.listdir(path)) if os.path.isdir(path) else []

    def stop(self):
        try:
            self.command("quit")
        except OSError:
            pass
        try:
            rc = self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = "killed after 15 s"
        self.stderr.close()
        with open(self.stderr.name) as f:
            log = f.read()
        sanitizer = [l for l in log.splitlines()
                     if "Sanitizer" in l or "runtime error" in l or "test_server:" in l]
        check("%s server stopped cleanly" % os.path.basename(self.root),
              rc == 0 and not sanitizer, (rc, sanitizer[:5]))


def client_context():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


class Ctl:
    """A raw control connection, for sending exactly what an attacker would."""

    def __init__(self, port, source=None, context=None):
        self.sock = socket.create_connection(
            ("127.0.0.1", port), timeout=10, source_address=(source, 0) if source else None)
        self.context = context or client_context()
        self.buf = b""
        self.greeting = self.resp()

    def send_raw(self, data):
        self.sock.sendall(data)

    def resp(self):
        """(code, text) of one reply; (None, '') when the server closed the connection."""
        lines = []
        while True:
            while b"\n" not in self.buf:
                try:
                    chunk = self.sock.recv(65536)
                except (ConnectionError, ssl.SSLError, socket.timeout, OSError):
                    chunk = b""
                if not chunk:
                    return (None, "\n".join(lines))
                self.buf += chunk
            line, self.buf = self.buf.split(b"\n", 1)
            line = line.rstrip(b"\r").decode("utf-8", "replace")
            lines.append(line)
            if re.match(r"^\d{3} ", line) and (len(lines) == 1 or line[:3] == lines[0][:3]):
                return (int(line[:3]), "\n".join(lines))

    def cmd(self, line):
        self.send_raw(line.encode("utf-8", "surrogateescape") + b"\r\n")
        return self.resp()

    def tls(self):
        code, _ = self.cmd("AUTH TLS")
        assert code == 234, code
        self.sock = self.context.wrap_socket(self.sock)

    def login(self, user="alice", password="alice-pw"):
        self.tls()
        assert self.cmd("USER " + user)[0] == 331
        code, text = self.cmd("PASS " + password)
        assert code == 230, text
        assert self.cmd("PBSZ 0")[0] == 200
        assert self.cmd("PROT P")[0] == 200
        return self

    def epsv(self):
        code, text = self.cmd("EPSV")
        assert code == 229, text
        return int(re.search(r"\|\|\|(\d+)\|", text).group(1))

    def data(self, port, session=None, source=None, context=None):
        raw = socket.create_connection(("127.0.0.1", port), timeout=10,
                                       source_address=(source, 0) if source else None)
        return (context or self.context).wrap_socket(raw, session=session)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


class ReusedSessionFTP_TLS(ftplib.FTP_TLS):
    """ftplib does not resume the control session on data connections; servers that require it
    (vsftpd's require_ssl_reuse, this one) need this override."""

    def ntransfercmd(self, cmd, rest=None):
        conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)
        if self._prot_p:
            conn = self.context.wrap_socket(conn, server_hostname=self.host,
                                            session=self.sock.session)
        return conn, size


def ftplib_upload(cls, port, name, data, tls_max=None, user="alice", password="alice-pw"):
    ctx = client_context()
    if tls_max:
        ctx.maximum_version = tls_max
    ftp = cls(context=ctx, timeout=10)
    ftp.connect("127.0.0.1", port)
    ftp.login(user, password)
    ftp.prot_p()
    try:
        return ftp.storbinary("STOR " + name, _Bytes(data))
    finally:
        try:
            ftp.quit()
        except Exception:
            ftp.close()


class _Bytes:
    def __init__(self, data):
        self.data = data

    def read(self, n=-1):
        chunk, self.data = (self.data, b"") if n < 0 else (self.data[:n], self.data[n:])
        return chunk


CSV = b"order,timestamp,customer,item,price\nA1,2026-11-01,42,sku-1,19.99\n"


def run_clients(server, work):
    port = server.port
    for name in ("c12a.csv", "c12b.csv", "c13a.csv", "c13b.csv", "l1.csv", "l2.csv"):
        with open(os.path.join(work, name), "wb") as f:
            f.write(CSV + name.encode() + b"\n")
    curl = ["curl", "-sS", "--ssl-reqd", "-k", "--user", "alice:alice-pw"]
    url = "ftp://127.0.0.1:%d/" % port
    r = subprocess.run(curl + ["--tls-max", "1.2", "-T", "{c12a.csv,c12b.csv}", url], cwd=work,
                       capture_output=True, text=True, timeout=30)
    check("curl TLS 1.2, two files on one command line", r.returncode == 0, r.stderr)
    r = subprocess.run(curl + ["--tlsv1.3", "-T", "{c13a.csv,c13b.csv}", url], cwd=work,
                       capture_output=True, text=True, timeout=30)
    check("curl TLS 1.3, two files on one command line", r.returncode == 0, r.stderr)
    # curl tries AUTH SSL first; the server answers 504 and curl falls back to AUTH TLS.
    r = subprocess.run(curl + ["--tls-max", "1.2", "--tlsv1.2", "-T", "c12a.csv", url + "full/"],
                       cwd=work, capture_output=True, text=True, timeout=30)
    check("curl full upload to /full/", r.returncode == 0, r.stderr)

    for label, prio in (("TLS 1.3", ""), ("TLS 1.2", "set ssl:priority NORMAL:-VERS-TLS1.3; ")):
        script = ("set ftp:ssl-force true; set ftp:ssl-protect-data true; "
                  "set ssl:verify-certificate no; %sopen -u alice,alice-pw -p %d 127.0.0.1; "
                  "put l1.csv -o %s-l1.csv; put l2.csv -o %s-l2.csv; ls status" %
                  (prio, port, label[-3:], label[-3:]))
        r = subprocess.run(["lftp", "-c", script], cwd=work, capture_output=True, text=True,
                           timeout=30)
        check("lftp %s, two uploads and a listing on one control connection" % label,
              r.returncode == 0 and ".loaded.txt" in r.stdout, r.stderr + r.stdout)

    for label, version in (("TLS 1.2", ssl.TLSVersion.TLSv1_2), ("TLS 1.3", None)):
        try:
            reply = ftplib_upload(ReusedSessionFTP_TLS, port, "py-%s.csv" % label[-3:], CSV,
                                  tls_max=version)
            check("ftplib subclass resuming the session, %s" % label, reply.startswith("226"),
                  reply)
        except Exception as e:
            check("ftplib subclass resuming the session, %s" % label, False, repr(e))
    try:
        ftplib_upload(ftplib.FTP_TLS, port, "py-stock.csv", CSV)
        check("stock ftplib (no resumption) refused with 522", False, "upload accepted")
    except Exception as e:
        check("stock ftplib (no resumption) refused with 522",
              "522" in str(e) or server.logs("intake_ftps.data_session_refused"), repr(e))

    expected = {"c12a.csv", "c12b.csv", "c13a.csv", "c13b.csv", "1.3-l1.csv", "1.3-l2.csv",
                "1.2-l1.csv", "1.2-l2.csv", "py-1.2.csv", "py-1.3.csv"}
    server.wait_records(len(expected) + 1)
    records = server.records()
    names = {r["name"] for r in records}
    check("every client upload was submitted", expected <= names, sorted(names))
    check("the stock ftplib upload was not submitted", "py-stock.csv" not in names)
    full = [r for r in records if r["full"]]
    check("the /full/ upload is marked full", len(full) == 1 and full[0]["name"] == "c12a.csv")
    sha = hashlib.sha256(CSV + b"c12b.csv\n").hexdigest()
    check("submitted bytes are exactly the uploaded bytes",
          any(r["name"] == "c12b.csv" and r["sha256"] == sha for r in records))
    versions = {e.get("version") for e in server.logs("intake_ftps.tls")}
    check("both TLS 1.2 and TLS 1.3 were used", {"TLSv1.2", "TLSv1.3"} <= versions, versions)
    time.sleep(0.3)
    check("processed uploads leave the landing folder",
          [f for f in server.files("acme") if f.endswith(".csv")] == [])
    notes = server.files("acme", "status")
    check("a status note per processed upload names the outcome",
          any(n.endswith("-c12b.csv.loaded.txt") for n in notes), notes)


def run_refusals(server, work):
    port = server.port

    c = Ctl(port)
    check("FEAT is answered before AUTH", "AUTH TLS" in c.cmd("FEAT")[1])
    code, text = c.cmd("USER alice")
    check("USER before AUTH TLS refused (530)", code == 530 and "TLS required" in text, text)
    code, _ = c.cmd("PASS alice-pw")
    check("PASS before AUTH TLS refused (530)", code == 530)
    check("AUTH SSL refused (504)", c.cmd("AUTH SSL")[0] == 504)
    check("cleartext login attempt logged without the password",
          server.logs("intake_ftps.cleartext_login_refused") and
          "alice-pw" not in open(server.stderr.name).read())
    c.close()

    c = Ctl(port)
    c.send_raw(b"AUTH TLS\r\nUSER alice\r\n")
    code, _ = c.resp()
    check("cleartext pipelined after AUTH TLS: connection discarded", code is None, code)
    check("pipelined cleartext logged", server.logs("intake_ftps.pipelined_cleartext"))
    c.close()

    # ALPN: a client that sends it must offer "ftp".
    wrong = client_context()
    wrong.set_alpn_protocols(["http/1.1"])
    c = Ctl(port, context=wrong)
    try:
        c.tls()
        alpn_refused = c.cmd("NOOP")[0] is None
    except (ssl.SSLError, OSError):
        alpn_refused = True
    check("TLS with ALPN not offering ftp refused", alpn_refused)
    c.close()
    right = client_context()
    right.set_alpn_protocols(["ftp"])
    c = Ctl(port, context=right)
    c.tls()
    check("TLS with ALPN ftp accepted", c.sock.selected_alpn_protocol() == "ftp" and
          c.cmd("NOOP")[0] == 200)
    c.close()

    c = Ctl(port).login()
    for verb, expect in (("MLSD", b"type=dir;modify="), ("NLST", b"full\r\n")):
        p = c.epsv()
        c.cmd(verb)
        d = c.data(p, session=c.sock.session)
        body = b""
        while True:
            chunk = d.recv(65536)
            if not chunk:
                break
            body += chunk
        d.close()
        check("%s lists the tenant folder" % verb, c.resp()[0] == 226 and expect in body, body)
    check("PROT C refused (536)", c.cmd("PROT C")[0] == 536)
    check("PORT refused (502)", c.cmd("PORT 127,0,0,1,200,10")[0] == 502)
    check("EPRT refused (502)", c.cmd("EPRT |1|127.0.0.1|51210|")[0] == 502)
    code, text = c.cmd("X" * 10240)
    check("10 KB command line refused (500)", code == 500 and "too long" in text, text)
    check("the connection still works after one long line", c.cmd("NOOP")[0] == 200)
    check("NUL in a command refused", c.cmd("NOOP\x00")[0] == 500)
    c.send_raw(b"SIZE a\rDELE b\r\n")
    check("bare CR does not split a command", c.resp()[0] == 500)
    check("TELNET IAC sequences are stripped",
          c.cmd("N\xff\xf4OOP".encode("latin-1").decode("utf-8", "surrogateescape"))[0] == 200)

    # Traversal and cross-tenant paths.
    for path in ("../x.csv", "/../x.csv", "..\\x.csv", "/etc/passwd", "%2e%2e/x.csv",
                 "/globex/x.csv", "full/../../globex/x.csv", ".hidden.csv", "a\x01b.csv",
                 "status/x.csv", "/.partial/x.csv"):
        p = c.epsv()
        code, text = c.cmd("STOR " + path)
        check("STOR %r refused" % path, code in (550, 553), text)
    for path in ("..", "../globex", "/etc", "%2e%2e"):
        code, _ = c.cmd("CWD " + path)
        check("CWD %r refused" % path, code in (550, 553), code)
    check("PWD still /", '"/"' in c.cmd("PWD")[1])
    check("MKD only full/", c.cmd("MKD other")[0] == 550 and c.cmd("MKD full")[0] == 257)

    # Symlinks planted in the landing folder lead nowhere.
    os.symlink("/etc/passwd", os.path.join(server.landing, "acme", "planted.csv"))
    for verb in ("SIZE", "MDTM", "HASH", "DELE"):
        check("%s on a planted symlink refused" % verb, c.cmd(verb + " planted.csv")[0] == 550)
    p = c.epsv()
    code, _ = c.cmd("LIST")
    d = c.data(p, session=c.sock.session)
    listing = b""
    while True:
        chunk = d.recv(65536)
        if not chunk:
            break
        listing += chunk
    d.close()
    check("LIST over a resumed session", c.resp()[0] == 226)
    check("LIST hides symlinks and .partial", b"planted" not in listing and b".partial" not in
          listing and b"full" in listing, listing)
    shutil.rmtree(os.path.join(server.landing, "globex", "full"))
    os.symlink(os.path.join(server.root), os.path.join(server.landing, "globex", "full"))
    b = Ctl(port).login("bob", "bob-pw")
    p = b.epsv()
    code, text = b.cmd("STOR full/evil.csv")
    check("upload through a symlinked full/ refused", code in (450, 451, 550), text)
    check("nothing written through the symlink", not os.path.exists(
        os.path.join(server.root, "evil.csv")))
    b.close()

    # RETR: uploads never come back; status notes do.
    p = c.epsv()
    check("RETR of an upload refused (550)",
          "upload-only" in c.cmd("RETR c12a.csv")[1] and True)
    notes = server.files("acme", "status")
    if notes:
        p = c.epsv()
        code, _ = c.cmd("RETR status/" + notes[0])
        d = c.data(p, session=c.sock.session)
        body = b""
        while True:
            chunk = d.recv(65536)
            if not chunk:
                break
            body += chunk
        d.close()
        check("RETR of a status note allowed", c.resp()[0] == 226 and b"loaded" in body, body)

    # Data connection from another address than the control connection's.
    p = c.epsv()
    code, _ = c.cmd("STOR foreign.csv")
    stranger = socket.create_connection(("127.0.0.1", p), timeout=5,
                                        source_address=("127.0.0.2", 0))
    stranger.settimeout(5)
    try:
        dropped = stranger.recv(10) == b""
    except OSError:
        dropped = True
    stranger.close()
    check("data connection from another address dropped", dropped)
    d = c.data(p, session=c.sock.session)
    d.sendall(CSV)
    d.unwrap()
    d.close()
    code, text = c.resp()
    check("the real client's transfer still completes", code == 226, text)
    check("foreign data connection logged", server.logs("intake_ftps.data_foreign_peer"))

    # Data connection with a fresh TLS session.
    p = c.epsv()
    code, _ = c.cmd("STOR fresh.csv")
    try:
        d = c.data(p)
        d.sendall(CSV)
        d.close()
    except OSError:
        pass
    code, text = c.resp()
    check("data connection with a fresh TLS session refused (522)", code == 522, text)

    # A data connection resuming ANOTHER control connection's session (the vsftpd flaw), under
    # TLS 1.3 and TLS 1.2 (tickets), and a fresh session under TLS 1.2.
    for label, version in (("TLS 1.3", None), ("TLS 1.2", ssl.TLSVersion.TLSv1_2)):
        ctx = client_context()
        if version:
            ctx.maximum_version = version
        a = Ctl(port, context=ctx).login()
        a.cmd("NOOP")  # TLS 1.3: read the tickets
        other = Ctl(port, context=ctx).login("bob", "bob-pw")
        p = other.epsv()
        other.cmd("STOR stolen.csv")
        try:
            d = other.data(p, session=a.sock.session)
            reused = d.session_reused
            d.sendall(CSV)
            d.close()
        except OSError:
            reused = False
        code, text = other.resp()
        check("%s: data connection resuming another control connection's session refused "
              "(522)" % label, code == 522 and not reused, (code, text, reused))
        p = other.epsv()
        other.cmd("STOR fresh.csv")
        try:
            d = other.data(p)
            d.sendall(CSV)
            d.close()
        except OSError:
            pass
        code, text = other.resp()
        check("%s: data connection with a fresh session refused (522)" % label, code == 522,
              text)
        p = a.epsv()
        a.cmd("STOR own-%s.csv" % label[-3:])
        d = a.data(p, session=a.sock.session)
        reused = d.session_reused
        d.sendall(CSV)
        d.unwrap()
        d.close()
        code, text = a.resp()
        check("%s: its own session resumed is accepted" % label, code == 226 and reused,
              (code, text))
        check("%s: negotiated" % label, a.sock.version() == ("TLSv1.2" if version else
                                                            "TLSv1.3"), a.sock.version())
        a.close()
        other.close()

    # An upload cut off mid-transfer: TCP reset, no close_notify.
    p = c.epsv()
    c.cmd("STOR cut.csv")
    d = c.data(p, session=c.sock.session)
    d.sendall(CSV * 100)
    raw = socket.socket(fileno=d.detach())
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    raw.close()
    code, text = c.resp()
    check("upload cut off without close_notify: 426", code == 426, text)
    time.sleep(0.3)
    check("nothing of the cut upload remains", "cut.csv" not in server.files("acme") and
          server.files("acme", ".partial") == [])

    # HASH after processing answers from the session's own record.
    p = c.epsv()
    c.cmd("STOR hashme.csv")
    d = c.data(p, session=c.sock.session)
    d.sendall(CSV)
    d.unwrap()
    d.close()
    check("upload for HASH", c.resp()[0] == 226)
    server.wait_records(len(server.records()) + 1, 3)
    time.sleep(0.3)
    code, text = c.cmd("HASH hashme.csv")
    check("HASH answers SHA-256 after processing",
          code == 213 and hashlib.sha256(CSV).hexdigest() in text and "0-%d" % len(CSV) in text,
          text)
    c.cmd("QUIT")
    c.close()
    names = {r["name"] for r in server.records()}
    check("no refused transfer was submitted",
          not names & {"fresh.csv", "stolen.csv", "cut.csv", "evil.csv", "py-stock.csv"}, names)

    # The relay account: any tenant, and the load result in the 226 reply.
    r = Ctl(port).login("relay", "relay-pw")
    p = r.epsv()
    r.cmd("STOR /globex/relayed.csv")
    d = r.data(p, session=r.sock.session)
    d.sendall(CSV)
    d.unwrap()
    d.close()
    code, text = r.resp()
    check("relay upload answered with the load result", text.startswith("226 loaded: loaded 2"),
          text)
    p = r.epsv()
    r.cmd("STOR /acme/full/refuse-me.csv")
    d = r.data(p, session=r.sock.session)
    d.sendall(CSV)
    d.unwrap()
    d.close()
    code, text = r.resp()
    check("relay refusal carries the located error on one line",
          text.startswith("226 refused: refuse-me.csv:2:7:") and "\n" not in text, text)
    check("relay cannot write at its root", r.cmd("STOR /x.csv")[0] == 550)
    p = r.epsv()
    r.cmd("STOR /acme/later-retry.csv")
    d = r.data(p, session=r.sock.session)
    d.sendall(CSV)
    d.unwrap()
    d.close()
    code, text = r.resp()
    check("relay upload the pipeline cannot take yet: 226 queued", text.startswith(
        "226 queued: target down"), text)
    check("it stays in the landing folder for a retry", "later-retry.csv" in server.files("acme"))
    r.close()


def run_limits(binary, root):
    s = Server(binary, root, "limits", stale_partial=True, quota={"max_files": 2}, max_file_bytes=1000,
               sweep_interval_seconds=1,
               limits={"login_delay_ms": 100, "ban_failures": 3, "ban_seconds": 5,
                       "max_per_address": 3, "login_timeout_seconds": 1,
                       "idle_timeout_seconds": 2, "min_transfer_rate_bytes": 2000,
                       "transfer_rate_window_seconds": 1, "data_connect_timeout_seconds": 1})
    try:
        port = s.port
        check("partial uploads left by a crash are removed at start",
              s.files("acme", ".partial") == [] and s.logs("intake_ftps.partial_removed"))
        start = time.time()
        c = Ctl(port)
        code, text = c.resp()
        check("login timeout closes the connection (421)",
              code == 421 and time.time() - start < 4, (code, text))
        check("login timeout logged", s.logs("intake_ftps.login_timeout"))
        c.close()

        c = Ctl(port).login()
        start = time.time()
        code, _ = c.resp()
        check("idle timeout closes the connection (421)", code == 421 and
              time.time() - start < 5)
        check("idle timeout logged", s.logs("intake_ftps.idle_timeout"))
        c.close()

        # Slow transfer: below 2000 bytes/s over a 1 s window.
        c = Ctl(port).login()
        p = c.epsv()
        c.cmd("STOR slow.csv")
        d = c.data(p, session=c.sock.session)
        try:
            for _ in range(8):
                d.sendall(b"x" * 10)
                time.sleep(0.4)
        except OSError:
            pass
        code, text = c.resp()
        check("slow transfer aborted (426)", code == 426 and "slow" in text, text)
        check("slow transfer logged", s.logs("intake_ftps.transfer_too_slow"))
        check("nothing of the slow transfer remains", s.files("acme", ".partial") == [] and
              "slow.csv" not in s.files("acme"))
        c.close()

        # No data connection within data_connect_timeout_seconds.
        c = Ctl(port).login()
        c.epsv()
        start = time.time()
        code, text = c.cmd("STOR never.csv")
        code, text = c.resp()
        check("no data connection in time: 425", code == 425 and time.time() - start < 4, text)
        check("data connect timeout logged", s.logs("intake_ftps.data_connect_timeout"))
        c.close()

        # Maximum file size and quota: "retry" uploads stay pending and fill the quota.
        c = Ctl(port).login()
        p = c.epsv()
        c.cmd("STOR big.csv")
        d = c.data(p, session=c.sock.session)
        try:
            d.sendall(b"y" * 5000)
            d.unwrap()
        except OSError:
            pass
        code, text = c.resp()
        check("file over max_file_bytes refused (552)", code == 552, text)
        for i in (1, 2):
            p = c.epsv()
            c.cmd("STOR retry-%d.csv" % i)
            d = c.data(p, session=c.sock.session)
            d.sendall(CSV)
            d.unwrap()
            d.close()
            c.resp()
        p = c.epsv()
        code, text = c.cmd("STOR third.csv")
        check("quota (files) enforced (552)", code == 552, text)
        check("a pending upload of the same name refused (550)",
              c.cmd("STOR retry-1.csv")[0] == 550)
        check("DELE of a status note that does not exist: 550", c.cmd("DELE status/x.txt")[0] == 550)
        c.close()

        # Retention: the sweep deletes what is older than 24 h, and notes expired uploads.
        check("retry uploads are pending", "retry-1.csv" in s.files("acme"))
        s.command("shift %d" % (25 * 3600))
        # One sweep removes both uploads, then logs and notes each: wait for all of it, not
        # only the first removal (under load the checks below ran before the notes were out).
        end = time.time() + 5
        while time.time() < end and (
                "retry-1.csv" in s.files("acme") or len(s.logs("intake_ftps.expired")) < 2 or
                not any(n.endswith("retry-1.csv.expired.txt") for n in s.files("acme", "status"))):
            time.sleep(0.1)
        check("sweep removed uploads older than the retention", "retry-1.csv" not in
              s.files("acme"), s.files("acme"))
        check("expired upload logged as an error", len(s.logs("intake_ftps.expired")) == 2)
        check("expired note tells the tenant", any(
            n.endswith("retry-1.csv.expired.txt") for n in s.files("acme", "status")))

        # Per-address connection limit.
        conns = [Ctl(port) for _ in range(3)]
        extra = Ctl(port)
        check("connection over max_per_address refused (421)", extra.greeting[0] == 421,
              extra.greeting)
        check("per-address limit logged", s.logs("intake_ftps.too_many_from_address"))
        for x in conns + [extra]:
            x.close()
        time.sleep(0.5)

        # Wrong password until banned.
        c = Ctl(port)
        c.tls()
        codes = []
        for _ in range(3):
            c.cmd("USER alice")
            codes.append(c.cmd("PASS wrong")[0])
        check("failed logins: 530, 530, then 421 ban", codes == [530, 530, 421], codes)
        c.close()
        c = Ctl(port)
        check("banned address refused at accept (421)", c.greeting[0] == 421, c.greeting)
        check("ban logged", s.logs("intake_ftps.banned"))
        c.close()
        s.command("shift 10")
        c = Ctl(port)
        check("ban lifts after ban_seconds (host clock)", c.greeting[0] == 220, c.greeting)
        c.close()
    finally:
        s.stop()


def run_quota_bytes(binary, root):
    """Two uploads of one tenant at once cannot together exceed quota.max_bytes."""
    s = Server(binary, root, "quota", quota={"max_bytes": 6 << 20})
    try:
        a = Ctl(s.port).login()
        b = Ctl(s.port).login()
        pa = a.epsv()
        a.cmd("STOR first.csv")
        da = a.data(pa, session=a.sock.session)
        da.sendall(b"a" * (4 << 20) + b"a" * 512)
        time.sleep(0.5)
        pb = b.epsv()
        b.cmd("STOR second.csv")
        db = b.data(pb, session=b.sock.session)
        try:
            db.sendall(b"b" * (5 << 20))
            db.unwrap()
        except OSError:
            pass
        code, text = b.resp()
        check("quota (bytes) counts the other upload in progress (552)", code == 552, text)
        da.unwrap()
        da.close()
        code, text = a.resp()
        check("the first upload completes", code == 226, text)
        a.close()
        b.close()
        check("quota exceedance logged", s.logs("intake_ftps.too_large") or
              s.logs("intake_ftps.quota_exceeded"))
    finally:
        s.stop()


def run_client_ca(binary, root):
    """client_ca: the internal intake accepts only clients with a certificate from that CA."""
    if shutil.which("openssl") is None:
        print("skip client_ca: no openssl command")
        return
    d = os.path.join(root, "ca")
    os.makedirs(d)

    def openssl(*args):
        subprocess.run(["openssl"] + list(args), cwd=d, check=True, capture_output=True)

    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    openssl("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=ca",
            "-days", "1")
    openssl("req", *ec, "-keyout", "client.key", "-out", "client.csr", "-subj", "/CN=relay")
    openssl("x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "client.pem", "-days", "1")
    s = Server(binary, root, "client-ca", client_ca=os.path.join(d, "ca.pem"))
    try:
        with_cert = client_context()
        with_cert.load_cert_chain(os.path.join(d, "client.pem"), os.path.join(d, "client.key"))
        c = Ctl(s.port, context=with_cert).login("relay", "relay-pw")
        p = c.epsv()
        c.cmd("STOR /globex/with-cert.csv")
        dc = c.data(p, session=c.sock.session)
        dc.sendall(CSV)
        dc.unwrap()
        dc.close()
        code, text = c.resp()
        check("client_ca: a client with a certificate from the CA uploads", code == 226, text)
        c.close()
        c = Ctl(s.port)
        try:
            c.tls()
            refused = c.cmd("USER relay")[0] is None
        except (ssl.SSLError, OSError):
            refused = True
        check("client_ca: a client without a certificate is refused", refused)
        c.close()
    finally:
        s.stop()


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    for tool in ("curl", "lftp"):
        if shutil.which(tool) is None:
            print("SKIP: %s is not installed" % tool)
            return 77
    binary = sys.argv[1]
    root = tempfile.mkdtemp(prefix="intake-ftps-test-")
    started = time.time()
    server = Server(binary, root, "main")
    try:
        work = os.path.join(root, "work")
        os.makedirs(work)
        run_clients(server, work)
        run_refusals(server, work)
    finally:
        server.stop()
    run_limits(binary, root)
    run_client_ca(binary, root)
    run_quota_bytes(binary, root)
    print("%d passed, %d failed in %.1f s" % (len(PASSED), len(FAILURES), time.time() - started))
    if FAILURES:
        print("logs kept in " + root)
        return 1
    shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
