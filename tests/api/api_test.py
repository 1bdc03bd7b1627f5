#!/usr/bin/env python3
"""End-to-end test of the Segmentation HTTP API: the real `sightline serve` on temporary profiles,
real HTTP(S) requests, every response checked against docs/openapi.yaml.

Environment (set by ctest): SIGHTLINE, SOURCE_DIR, PLUGIN_DIR. Exit 0 when every check passed,
1 when one failed, 77 (skipped) when a dependency is missing (python3-jsonschema, python3-yaml,
openssl)."""

import hashlib
import http.client
import json
import os
import shutil
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)  # TLS 1.1 is asked for on purpose

try:
    import jsonschema  # noqa: F401  (used by openapi_validator)
    import yaml  # noqa: F401
except ImportError as e:
    print(f"SKIP: {e.name} is missing (Debian: apt-get install python3-jsonschema python3-yaml)")
    sys.exit(77)
if not shutil.which("openssl"):
    print("SKIP: openssl is missing")
    sys.exit(77)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from openapi_validator import Mismatch, OpenApi  # noqa: E402

SIGHTLINE = os.environ["SIGHTLINE"]
SOURCE_DIR = os.environ["SOURCE_DIR"]
PLUGIN_DIR = os.environ["PLUGIN_DIR"]
API = OpenApi(os.path.join(SOURCE_DIR, "docs", "openapi.yaml"))
READ_TIMEOUT_MS = 1500
MAX_BODY = 65536

passes = 0
failures = 0


def ok(what):
    global passes
    passes += 1
    print(f"ok   {what}", flush=True)


def fail(what):
    global failures
    failures += 1
    print(f"FAIL {what}", flush=True)


def check(what, condition, detail=""):
    if condition:
        ok(what)
    else:
        fail(f"{what}{': ' + str(detail) if detail else ''}")
    return condition


def run(*args, check_exit=True, **kwargs):
    r = subprocess.run([SIGHTLINE, *args], capture_output=True, text=True, **kwargs)
    if check_exit and r.returncode != 0:
        raise RuntimeError(f"sightline {' '.join(args)} exited {r.returncode}: {r.stderr}")
    return r


# ---------------------------------------------------------------------------------------------
# Servers


class Server:
    def __init__(self, work, name, api_yaml, evaluators):
        self.work = work
        self.log_file = os.path.join(work, f"{name}.log")
        self.profile = os.path.join(work, f"{name}.yaml")
        evaluator_lines = "".join(f"  - plugin: {e}\n" for e in evaluators)
        with open(self.profile, "w") as f:
            f.write(f"""version: 1
state_dir: {work}/var/state
log: {{format: json, level: info, file: {self.log_file}}}
plugins: {{path: [{PLUGIN_DIR}]}}
archive:
  plugin: archive-fs
  config: {{root: {work}/var/archive}}
target:
  plugin: target-sqlite
  config: {{dir: {work}/var/db}}
evaluators:
{evaluator_lines if evaluator_lines else "  []"}
tenants:
  - id: demo
  - id: other
api:
{api_yaml}""")
        self.listen_count = api_yaml.split("\n")[0].count(":0")
        self.proc = None
        self.address = None
        self.tls_context = None

    def start(self):
        self.proc = subprocess.Popen([SIGHTLINE, "serve", "--profile", self.profile],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"serve exited {self.proc.returncode}: {self.proc.stdout.read()}")
            events = self.events("api.listening")
            if len(events) >= self.listen_count:
                self.addresses = [e["address"] for e in events]
                self.address = self.addresses[0]
                host, port = self.address.rsplit(":", 1)
                self.host, self.port = host, int(port)
                return self
            time.sleep(0.05)
        raise RuntimeError("serve did not log api.listening")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                return self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                return None
        return self.proc.returncode if self.proc else None

    def events(self, name=None):
        out = []
        if not os.path.exists(self.log_file):
            return out
        with open(self.log_file) as f:
            for line in f:
                try:
                    e = json.loads(line)
                except ValueError:
                    continue
                if name is None or e.get("event") == name:
                    out.append(e)
        return out

    def connection(self, timeout=60):
        if self.tls_context:
            return http.client.HTTPSConnection(self.host, self.port, timeout=timeout,
                                               context=self.tls_context)
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)


class Resp:
    def __init__(self, status, headers, body, raw):
        self.status, self.headers, self.body, self.raw = status, headers, body, raw

    def code(self):
        return (self.body or {}).get("error", {}).get("code") if isinstance(self.body, dict) else None

    def __repr__(self):
        return f"{self.status} {self.raw[:300]!r}"


def call(server, method, path, token=None, body=None, raw=None, headers=None, conn=None):
    """One request; the response is checked against docs/openapi.yaml (a Mismatch fails)."""
    h = dict(headers or {})
    data = None
    if token is not None:
        h["Authorization"] = f"Bearer {token}"
    if body is not None:
        data = json.dumps(body).encode()
        h.setdefault("Content-Type", "application/json")
    elif raw is not None:
        data = raw if isinstance(raw, bytes) else raw.encode()
        h.setdefault("Content-Type", "application/json")
    own = conn is None
    conn = conn or server.connection()
    try:
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        payload = r.read()
        hdrs = {k.lower(): v for k, v in r.getheaders()}
    finally:
        if own:
            conn.close()
    try:
        value = API.check(method, path, r.status, hdrs, payload)
    except Mismatch as e:
        fail(f"openapi: {e}")
        value = None
    return Resp(r.status, hdrs, value, payload)


def expect_error(what, resp, status, code):
    check(what, resp.status == status and resp.code() == code,
          f"expected {status} {code}, got {resp!r}")


# ---------------------------------------------------------------------------------------------
# Setup

def make_token(name, tenants):
    r = run("api", "token", "--name", name, "--tenants", tenants, "--json")
    t = json.loads(r.stdout)
    check(f"api token: the hash of {name}'s token is its SHA-256",
          hashlib.sha256(t["token"].encode()).hexdigest() == t["sha256"])
    return t


def tokens_yaml(tokens):
    lines = ["  tokens:"]
    for t in tokens:
        tenants = ", ".join('"*"' if x == "*" else x for x in t["tenants"])
        lines += [f"    - name: {t['name']}", f"      sha256: {t['sha256']}",
                  f"      tenants: [{tenants}]"]
    return "\n".join(lines) + "\n"


def ipv6_loopback():
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
            sock.bind(("::1", 0))
        return True
    except OSError:
        return False


def ipv6_tests(s, alice):
    v6 = [a for a in s.addresses if a.startswith("[")]
    if not v6:
        print("     (no IPv6 loopback here: IPv6 listening not tested)")
        return
    host, port = v6[0][1:].rsplit("]:", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    r = call(s, "GET", "/v1/tenants/demo/segments", alice["token"], conn=conn)
    conn.close()
    check("IPv6: [::1] is in the default allow-list and served", r.status == 200, r)
    check("IPv6: the peer is logged as ::1",
          any(e.get("peer") == "::1" for e in s.events("api.request")))


def make_ca(work):
    """A test CA and a server certificate for 127.0.0.1, made with openssl."""
    d = os.path.join(work, "tls")
    os.makedirs(d)

    def o(*args):
        subprocess.run(["openssl", *args], cwd=d, check=True, capture_output=True)
    o("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=sightline test CA", "-days", "2",
      "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign")
    o("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1")
    with open(os.path.join(d, "ext.cnf"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"
                "basicConstraints=CA:FALSE\n")
    o("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
      "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf")
    return d


def main():
    work = tempfile.mkdtemp(prefix="sightline-api.")
    os.chmod(work, 0o700)
    servers = []
    try:
        os.chdir(work)
        evaluators = [e for e in ("evaluator-sql", "evaluator-memory")
                      if os.path.exists(os.path.join(PLUGIN_DIR, f"sightline-{e}.so"))]
        print(f"evaluators found: {evaluators or 'none (evaluation answers 503 no_evaluator)'}")
        alice = make_token("alice", "demo")
        ops = make_token("ops", "*")
        bob = make_token("bob", "other")
        secrets = [alice["token"], ops["token"], bob["token"]]
        limits = (f"  limits: {{max_body_bytes: {MAX_BODY}, read_timeout_ms: {READ_TIMEOUT_MS},"
                  f" min_free_mb: 1,"
                  f" max_connections: 64}}\n")
        listen = '["127.0.0.1:0", "[::1]:0"]' if ipv6_loopback() else '["127.0.0.1:0"]'
        main_server = Server(work, "main",
                             f'  listen: {listen}\n  tls: off\n  threads: 4\n' + limits +
                             f'  member_lists: {{keep: {KEEP_LISTS}, days: 7}}\n' +
                             tokens_yaml([alice, ops, bob]), evaluators)
        servers.append(main_server)

        profile_checks(work, evaluators)

        # Sample data: enough customers for a streamed (chunked) evaluation.
        run("generate", "--rows", "60000", "--customers", "40000", "--seed", "7",
            "--output", "sales.csv")
        run("generate", "--rows", "60000", "--customers", "40000", "--seed", "7", "--catalog",
            "--output", "catalog.csv")
        run("load", "--profile", main_server.profile, "--tenant", "demo", "catalog.csv",
            "sales.csv")
        run("generate", "--rows", "500", "--customers", "50", "--seed", "8",
            "--output", "other.csv")
        run("load", "--profile", main_server.profile, "--tenant", "other", "other.csv")

        main_server.start()
        seen_ids = set()
        auth_tests(main_server, alice, ops, bob)
        operations_tests(main_server, alice)
        ipv6_tests(main_server, alice)
        crud_tests(main_server, alice, ops)
        if evaluators:
            evaluation_tests(main_server, alice, ops, evaluators, seen_ids, work)
            changes_tests(main_server, alice, ops, bob, seen_ids, work)
            concurrency_tests(main_server, alice)
        else:
            r = call(main_server, "POST", "/v1/tenants/demo/segments/vip/evaluate",
                     alice["token"])
            expect_error("evaluate without evaluators: 503 no_evaluator", r, 503, "no_evaluator")
        request_tests(main_server, alice)
        limit_tests(main_server, alice)

        bounds_server = Server(work, "bounds", '  listen: ["127.0.0.1:0"]\n  tls: off\n'
                               '  limits: {max_body_bytes: 1048576, min_free_mb: 1073741824}\n'
                               + tokens_yaml([alice]),
                               evaluators)
        servers.append(bounds_server)
        bounds_tests(bounds_server.start(), alice)

        allow_server = Server(work, "allow", '  listen: ["127.0.0.1:0"]\n  tls: off\n'
                              '  allow: ["10.0.0.0/8", "fd00::/8"]\n' + tokens_yaml([alice]),
                              evaluators)
        servers.append(allow_server)
        allow_tests(allow_server.start(), alice)

        ca = make_ca(work)
        tls_server = Server(work, "tls",
                            f'  listen: ["127.0.0.1:0"]\n  tls: {{cert: {ca}/server.pem, '
                            f'key: {ca}/server.key}}\n' + tokens_yaml([alice]), evaluators)
        servers.append(tls_server)
        tls_tests(tls_server.start(), alice, ca)

        for s in servers:
            code = s.stop()
            check(f"{os.path.basename(s.profile)}: serve exits 0 on SIGTERM", code == 0, code)
            check(f"{os.path.basename(s.profile)}: serve logged serve.stopped",
                  bool(s.events("serve.stopped")))
        log_tests(servers, secrets, seen_ids)
        undocumented = []
        for template, item in API.doc["paths"].items():
            for method, op in item.items():
                # The reports listener (mutual TLS) has its own test: reports_mtls_test.py.
                if method == "parameters" or "reports" in op.get("tags", []):
                    continue
                if not any(t == template and m == method.upper() and 200 <= s < 300
                           for t, m, s in API.seen):
                    undocumented.append(f"{method.upper()} {template}")
        if evaluators:
            check("every documented operation answered successfully at least once",
                  not undocumented, undocumented)
    finally:
        for s in servers:
            s.stop()
        os.chdir("/")
        if os.environ.get("KEEP_WORK"):
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{passes} passed, {failures} failed")
    return 0 if failures == 0 else 1


# ---------------------------------------------------------------------------------------------
# Profile checks

def profile_checks(work, evaluators):
    base = f"""version: 1
state_dir: {work}/pc/state
plugins: {{path: [{PLUGIN_DIR}]}}
archive: {{plugin: archive-fs, config: {{root: {work}/pc/archive}}}}
target: {{plugin: target-sqlite, config: {{dir: {work}/pc/db}}}}
tenants:
  - id: demo
api:
"""
    sha = "0" * 64
    cases = [
        ("tls off on a public address", '  listen: ["0.0.0.0:8470"]\n  tls: off\n', "api.tls"),
        ("tls missing", '  listen: ["127.0.0.1:8470"]\n', "api.tls"),
        ("a bad CIDR", '  tls: off\n  allow: ["10.0.0.1/8"]\n', "api.allow[0]"),
        ("a bad listen address", '  tls: off\n  listen: ["localhost:80"]\n', "api.listen[0]"),
        ("an unknown tenant in a token",
         f'  tls: off\n  tokens:\n    - {{name: a, sha256: "{sha}", tenants: [nope]}}\n',
         "api.tokens[0].tenants[0]"),
        ("a short hash", '  tls: off\n  tokens:\n    - {name: a, sha256: "abc", tenants: ["*"]}\n',
         "api.tokens[0].sha256"),
        ("an unknown key", '  tls: off\n  limits: {max_body: 5}\n', "api.limits.max_body"),
        ("a limit out of range", '  tls: off\n  limits: {read_timeout_ms: 0}\n',
         "api.limits.read_timeout_ms"),
        ("no member lists kept", '  tls: off\n  member_lists: {keep: 0}\n',
         "api.member_lists.keep"),
        ("an unknown member_lists key", '  tls: off\n  member_lists: {hours: 5}\n',
         "api.member_lists.hours"),
    ]
    for what, api, key in cases:
        path = os.path.join(work, "bad.yaml")
        with open(path, "w") as f:
            f.write(base + api)
        r = run("profile", "check", path, "--json", check_exit=False)
        try:
            out = json.loads(r.stdout)
            keys = [e["key"] for e in out["errors"]]
            lines = [e["line"] for e in out["errors"]]
        except (ValueError, KeyError):
            keys, lines = [], []
        check(f"profile check refuses {what} (key {key}, with a line)",
              r.returncode == 1 and key in keys and all(n > 0 for n in lines),
              f"exit {r.returncode}, {r.stdout} {r.stderr}")
    path = os.path.join(work, "good.yaml")
    with open(path, "w") as f:
        f.write(base + '  listen: ["127.0.0.1:8470", "[::1]:8470"]\n  tls: off\n'
                f'  allow: ["127.0.0.0/8", "::1/128", "192.168.0.0/16"]\n  tokens:\n'
                f'    - {{name: a, sha256: "{sha}", tenants: [demo]}}\n')
    r = run("profile", "check", path, check_exit=False)
    check("profile check accepts a loopback api section with tls off", r.returncode == 0,
          r.stderr)


# ---------------------------------------------------------------------------------------------
# Authentication and tenants

def auth_tests(s, alice, ops, bob):
    r = call(s, "GET", "/v1/tenants/demo/segments")
    expect_error("no token: 401", r, 401, "unauthenticated")
    check("401 says how to authenticate (WWW-Authenticate: Bearer)",
          r.headers.get("www-authenticate", "").startswith("Bearer"))
    r = call(s, "GET", "/v1/tenants/demo/segments", "slt_not-a-real-token")
    expect_error("wrong token: 401", r, 401, "unauthenticated")
    r = call(s, "GET", "/v1/tenants/demo/segments", headers={"Authorization": "Basic Zm9vOmJhcg=="})
    expect_error("basic auth instead of a bearer token: 401", r, 401, "unauthenticated")
    r = call(s, "GET", "/v1/tenants/demo/segments", alice["token"])
    check("alice's token reaches demo", r.status == 200, r)
    r = call(s, "GET", "/v1/tenants/other/segments", alice["token"])
    expect_error("alice's token does not reach other: 403", r, 403, "forbidden")
    r2 = call(s, "GET", "/v1/tenants/nosuchtenant/segments", alice["token"])
    expect_error("alice, a tenant that does not exist: 403 too", r2, 403, "forbidden")
    check("existing and missing tenants answer alike", r.raw == r2.raw, (r.raw, r2.raw))
    r = call(s, "PUT", "/v1/tenants/demo/segments/x", bob["token"],
             body={"id": "x", "name": "x", "rule": {"lifecycle": "active"}})
    expect_error("bob cannot write into demo: 403", r, 403, "forbidden")
    r = call(s, "GET", "/v1/tenants/other/segments", ops["token"])
    check("a token for every tenant reaches other", r.status == 200, r)
    r = call(s, "GET", "/v1/tenants/nosuchtenant/segments", ops["token"])
    expect_error("a token for every tenant, an unknown tenant: 404 unknown_tenant", r, 404,
                 "unknown_tenant")
    r = call(s, "GET", "/v1/nothing/here")
    expect_error("unknown path without a token: 401 (nothing is said before authentication)",
             r, 401, "unauthenticated")
    r = call(s, "GET", "/v1/nothing/here", alice["token"])
    expect_error("unknown path: 404 not_found", r, 404, "not_found")
    r = call(s, "PATCH", "/v1/tenants/demo/segments/x", alice["token"])
    expect_error("wrong method: 405", r, 405, "method_not_allowed")
    check("405 lists the allowed methods", "PUT" in r.headers.get("allow", ""), r.headers)


# ---------------------------------------------------------------------------------------------
# Segments: create, read, change, delete, versions

VIP = {"id": "vip", "name": "VIPs", "description": "big spenders",
       "rule": {"revenue": {"min": 1000.50}}}
VIP_TEXT = ('{"id": "vip", "name": "VIPs", "description": "big spenders", '
            '"rule": {"revenue": {"min": 1000.50}}}')


def operations_tests(s, alice):
    """/healthz, /readyz, /metrics: no token needed, every response as documented."""
    r = call(s, "GET", "/healthz")
    check("GET /healthz without a token: 200 ok", r.status == 200 and r.body == {"status": "ok"}, r)
    r = call(s, "GET", "/readyz")
    check("GET /readyz without a token: 200 ready (plugins, target, disk)",
          r.status == 200 and r.body["status"] == "ready", r)
    names = [c["name"] for c in r.body["checks"]] if r.body else []
    check("/readyz without a token: each check is a name and ok, no detail",
          r.body and all(set(c) == {"name", "ok"} for c in r.body["checks"])
          and {"plugins", "target", "disk:state"} <= set(names), r.raw)
    check("/readyz without a token names no path, tenant or plugin",
          s.work.encode() not in r.raw and b"demo" not in r.raw and b"sqlite" not in r.raw,
          r.raw)
    r = call(s, "GET", "/readyz", alice["token"])
    check("/readyz with a token: every check has its detail",
          r.status == 200 and all("detail" in c for c in r.body["checks"])
          and b"target-sqlite" in r.raw, r.raw)
    r = call(s, "GET", "/readyz", "not-a-token")
    expect_error("/readyz with a wrong token: 401", r, 401, "unauthenticated")
    r = call(s, "GET", "/metrics")
    check("GET /metrics without a token: Prometheus text",
          r.status == 200 and r.headers["content-type"].startswith("text/plain; version=0.0.4")
          and b"# TYPE" in r.raw, r)
    check("/metrics shows the budget of target connections and its use",
          b"sightline_target_connections_max 20" in r.raw
          and b'sightline_target_connections{state="idle"}' in r.raw
          and b"sightline_target_busy_total 0" in r.raw, r.raw[-2000:])


def crud_tests(s, alice, ops):
    t = alice["token"]
    base = "/v1/tenants/demo/segments"
    r = call(s, "PUT", f"{base}/vip", t, raw=VIP_TEXT)
    check("PUT a new segment: 201", r.status == 201, r)
    check("201 has a Location", r.headers.get("location") == f"{base}/vip", r.headers)
    check("author is the token's name", r.body and r.body["author"] == "alice", r)
    check("numbers are kept as written (1000.50)", b'"min":1000.50' in r.raw, r.raw)
    r = call(s, "PUT", f"{base}/vip", t, raw=VIP_TEXT.replace(", ", ",\n  "))
    check("PUT the same definition (spaced differently): 200, changed false, still version 1",
          r.status == 200 and r.body["changed"] is False and r.body["version"] == 1, r)
    changed = dict(VIP, rule={"revenue": {"min": 500}})
    r = call(s, "PUT", f"{base}/vip", ops["token"], body=changed)
    check("PUT a change: 200, changed, version 2 by ops",
          r.status == 200 and r.body["changed"] is True and r.body["version"] == 2
          and r.body["author"] == "ops", r)
    r = call(s, "GET", f"{base}/vip", t)
    check("GET returns the current version", r.status == 200 and r.body["version"] == 2
          and r.body["definition"]["rule"] == {"revenue": {"min": 500}}, r)
    yaml_def = "id: lapsed\nname: Lapsed\nrule:\n  not:\n    purchased: {within_days: 90}\n"
    r = call(s, "PUT", f"{base}/lapsed", t, raw=yaml_def,
             headers={"Content-Type": "application/yaml"})
    check("PUT a YAML definition: 201", r.status == 201, r)
    r = call(s, "PUT", f"{base}/tmp", t, body={"id": "tmp", "name": "tmp",
                                                "rule": {"lifecycle": "active"}})
    check("PUT tmp: 201", r.status == 201, r)
    r = call(s, "GET", base, t)
    ids = [x["id"] for x in r.body["segments"]] if r.body else []
    check("list has the segments", r.status == 200 and {"vip", "lapsed", "tmp"} <= set(ids), r)
    r = call(s, "DELETE", f"{base}/tmp", t)
    check("DELETE: 204 without a body", r.status == 204 and r.raw == b"", r)
    r = call(s, "GET", f"{base}/tmp", t)
    expect_error("GET a deleted segment: 404", r, 404, "unknown_segment")
    r = call(s, "DELETE", f"{base}/tmp", t)
    expect_error("DELETE it again: 404", r, 404, "unknown_segment")
    r = call(s, "GET", f"{base}/tmp/versions", t)
    check("versions keep the deleted segment's history",
          r.status == 200 and [v["deleted"] for v in r.body["versions"]] == [False, True]
          and r.body["versions"][1]["definition"] is None, r)
    r = call(s, "GET", f"{base}/vip/versions", t)
    check("vip has two versions, oldest first",
          r.status == 200 and [v["version"] for v in r.body["versions"]] == [1, 2]
          and [v["author"] for v in r.body["versions"]] == ["alice", "ops"], r)
    r = call(s, "GET", f"{base}/never/versions", t)
    expect_error("versions of a segment that never existed: 404", r, 404, "unknown_segment")
    r = call(s, "GET", f"{base}/never", t)
    expect_error("GET an unknown segment: 404", r, 404, "unknown_segment")

    # Wrong requests.
    r = call(s, "PUT", f"{base}/other-id", t, body=VIP)
    expect_error("PUT whose id differs from the path: 400 id_mismatch", r, 400, "id_mismatch")
    bad = dict(VIP, rule={"all": [{"revenue": {"min": 1}}, {"not": {"purchsed": {}}}]})
    r = call(s, "PUT", f"{base}/vip", t, body=bad)
    expect_error("unknown key in a definition: 400 invalid_definition", r, 400,
                 "invalid_definition")
    paths = [d["path"] for d in (r.body or {}).get("error", {}).get("details", [])]
    check("the detail names the path of the unknown key", "rule.all[1].not.purchsed" in paths,
          paths)
    r = call(s, "PUT", f"{base}/vip", t, raw='{"id": "vip", "name": ')
    check("malformed JSON definition: 400 with a stable code",
          r.status == 400 and r.code() in ("invalid_definition", "malformed_json"), r)
    r = call(s, "PUT", f"{base}/vip", t, raw="")
    expect_error("PUT without a body: 400 missing_body", r, 400, "missing_body")
    r = call(s, "PUT", f"{base}/vip", t, raw="id=vip", headers={"Content-Type": "text/plain"})
    expect_error("PUT text/plain: 415", r, 415, "unsupported_media_type")
    r = call(s, "GET", f"{base}/Bad_Id", t)
    expect_error("a malformed segment id: 400", r, 400, "invalid_segment_id")
    r = call(s, "GET", f"{base}?foo=1", t)
    expect_error("an unknown query parameter: 400", r, 400, "unknown_parameter")


# ---------------------------------------------------------------------------------------------
# Evaluation

ALL = {"id": "everyone", "name": "Everyone with a purchase", "rule": {"purchased": {}}}


PAGE = 97


def evaluation_tests(s, alice, ops, evaluators, seen_ids, work):
    t = alice["token"]
    base = "/v1/tenants/demo/segments"
    as_of = "2026-01-01T00:00:00Z"
    r = call(s, "PUT", f"{base}/everyone", t, body=ALL)
    check("PUT everyone", r.status in (200, 201), r)

    r = call(s, "POST", f"{base}/vip/evaluate", t, body={"as_of": as_of})
    check("evaluate: 200", r.status == 200, r)
    if r.status != 200:
        return
    vip = r.body
    ids = vip["ids"]
    seen_ids.update(ids)
    check("evaluate: ids are decimal strings, ascending, count matches",
          all(isinstance(i, str) for i in ids) and [int(i) for i in ids] == sorted(
              int(i) for i in ids) and vip["count"] == len(ids) and vip["next_after"] is None,
          vip["count"])
    check("evaluate: as_of echoed in UTC", vip["as_of"] == as_of, vip["as_of"])
    check("evaluate: the evaluator is named", vip["evaluator"] in evaluators, vip["evaluator"])
    check("vip has members (test data sanity)", vip["count"] > 10, vip["count"])
    r = call(s, "POST", f"{base}/vip/evaluate", t, body={"as_of": as_of})
    check("the same evaluation again comes from the cache", r.body and r.body["cached"] is True,
          r)
    check("cached result is identical", r.body and r.body["ids"] == ids)

    # Paging: limit + after, through every page.
    pages, after, collected = 0, None, []
    while True:
        q = f"?limit={PAGE}" + (f"&after={after}" if after else "")
        r = call(s, "POST", f"{base}/vip/evaluate{q}", t, body={"as_of": as_of})
        if r.status != 200:
            fail(f"paging: {r!r}")
            break
        pages += 1
        collected += r.body["ids"]
        check_count = r.body["count"] == vip["count"]
        if not check_count:
            fail("paging: count is the whole segment's on every page")
        after = r.body["next_after"]
        if after is None or pages > 10000:
            break
        if after != r.body["ids"][-1]:
            fail("paging: next_after is the page's last id")
    check("paging with limit/after returns every id once, in order", collected == ids,
          (len(collected), len(ids)))
    check("pages have at most limit ids", pages == (len(ids) + PAGE - 1) // PAGE, pages)
    mid = ids[len(ids) // 2]
    r = call(s, "POST", f"{base}/vip/evaluate?after={mid}", t, body={"as_of": as_of})
    check("after without limit: the rest", r.body and r.body["ids"] == ids[len(ids) // 2 + 1:])
    r = call(s, "POST", f"{base}/vip/evaluate?limit=0", t)
    expect_error("limit=0: 400 invalid_paging", r, 400, "invalid_paging")
    r = call(s, "POST", f"{base}/vip/evaluate?limit=abc", t)
    expect_error("limit=abc: 400 invalid_paging", r, 400, "invalid_paging")
    r = call(s, "POST", f"{base}/vip/evaluate?after=-5", t)
    expect_error("after=-5: 400 invalid_paging", r, 400, "invalid_paging")

    # count and members agree with evaluate.
    r = call(s, "GET", f"{base}/vip/count?as_of={as_of}", t)
    check("count agrees with evaluate", r.body and r.body["count"] == vip["count"], r)
    member = ids[-1]
    r = call(s, "GET", f"{base}/vip/members/{member}?as_of={as_of}", t)
    check("members: a member is one", r.body and r.body["member"] is True, r)
    outsider = next(str(n) for n in range(1, 10**6) if str(n) not in set(ids))
    r = call(s, "GET", f"{base}/vip/members/{outsider}?as_of={as_of}", t)
    check("members: someone else is not", r.body and r.body["member"] is False, r)
    r = call(s, "GET", f"{base}/vip/members/18446744073709551616", t)
    expect_error("members: a customer id beyond 64 bits: 400", r, 400, "invalid_customer")
    r = call(s, "GET", f"{base}/vip/count?as_of=2026-02-30", t)
    expect_error("an impossible as_of: 400 invalid_as_of", r, 400, "invalid_as_of")
    r = call(s, "GET", f"{base}/nope/count", t)
    expect_error("count of an unknown segment: 404", r, 404, "unknown_segment")

    # as_of defaults to now, to the second.
    r = call(s, "GET", f"{base}/vip/count", t)
    check("as_of defaults to now, to the second",
          r.body and r.body["as_of"].endswith("Z") and "." not in r.body["as_of"], r)

    # Preview evaluates an unsaved definition the same way.
    definition = {"id": "vip", "name": "VIPs", "rule": {"revenue": {"min": 500}}}
    r = call(s, "POST", "/v1/tenants/demo/segments:preview", t,
             body={"definition": definition, "as_of": as_of})
    check("preview of the stored definition gives the stored segment's ids",
          r.body and r.body["ids"] == ids, r)
    r = call(s, "POST", "/v1/tenants/demo/segments:preview?limit=3", t,
             body={"definition": definition, "as_of": as_of})
    check("preview pages too", r.body and r.body["ids"] == ids[:3] and r.body["next_after"] == ids[2],
          r)
    r = call(s, "POST", "/v1/tenants/demo/segments:preview", t,
             body={"definition": dict(definition, rule={"revenue": {"mni": 5}}), "as_of": as_of})
    expect_error("preview of an invalid definition: 400 invalid_definition", r, 400,
                 "invalid_definition")
    paths = [d["path"] for d in (r.body or {}).get("error", {}).get("details", [])]
    check("preview details are paths inside the body", "definition.rule.revenue.mni" in paths,
          paths)
    r = call(s, "POST", "/v1/tenants/demo/segments:preview", t, body={"as_of": as_of})
    expect_error("preview without a definition: 400", r, 400, "invalid_field")
    r = call(s, "POST", "/v1/tenants/demo/segments:preview", t,
             body={"definition": definition, "limit": 5})
    expect_error("preview with an unknown field: 400 unknown_field", r, 400, "unknown_field")
    r = call(s, "POST", "/v1/tenants/demo/segments:preview", t,
             raw='{"as_of": "%s", "definition": {"id": "p", "name": "p", '
                 '"rule": {"revenue": {"min": 500.0000001}}}}' % as_of)
    check("preview: a definition nested in the body reaches the parser exactly", r.status == 200,
          r)

    # Body errors.
    r = call(s, "POST", f"{base}/vip/evaluate", t, raw="{not json")
    expect_error("malformed JSON body: 400 malformed_json", r, 400, "malformed_json")
    r = call(s, "POST", f"{base}/vip/evaluate", t, body={"as_of": as_of, "asof": 1})
    expect_error("unknown field in the body: 400 unknown_field", r, 400, "unknown_field")
    r = call(s, "POST", f"{base}/vip/evaluate", t, body={"as_of": 20260101})
    expect_error("as_of of the wrong type: 400 invalid_field", r, 400, "invalid_field")
    r = call(s, "POST", f"{base}/vip/evaluate", t, body=[1, 2])
    expect_error("a JSON array body: 400 malformed_json", r, 400, "malformed_json")

    # Evaluators agree with each other, through the API.
    if len(evaluators) > 1:
        results = []
        for e in evaluators:
            r = call(s, "POST", f"{base}/lapsed/evaluate", t, body={"as_of": as_of, "evaluator": e})
            results.append(r.body["ids"] if r.body and "ids" in r.body else None)
        check("every evaluator gives the same ids for lapsed", results[0] is not None and all(
            x == results[0] for x in results), [len(x or []) for x in results])

    # Large results are streamed (chunked) and complete.
    conn = s.connection()
    r = call(s, "POST", f"{base}/everyone/evaluate", t, body={"as_of": as_of}, conn=conn)
    check("a large evaluation is sent chunked",
          r.headers.get("transfer-encoding", "").lower() == "chunked"
          and "content-length" not in r.headers, r.headers)
    check("the streamed result is whole", r.body and r.body["count"] == len(r.body["ids"])
          and r.body["count"] > 10000, r.body and r.body["count"])
    if r.body:
        seen_ids.update(r.body["ids"][:2000])
    r2 = call(s, "GET", f"{base}/everyone/count?as_of={as_of}", t, conn=conn)
    check("the connection is reused after a streamed response (keep-alive)", r2.status == 200, r2)
    conn.close()
    small = call(s, "POST", f"{base}/vip/evaluate", t, body={"as_of": as_of})
    check("a small evaluation has a Content-Length", "content-length" in small.headers)

    # Any load invalidates cached results (another process, through the database).
    before = call(s, "POST", f"{base}/everyone/evaluate?limit=1", t, body={"as_of": as_of})
    check("cached before the load", before.body and before.body["cached"] is True, before)
    with open("more.csv", "w") as f:
        f.write("order,timestamp,customer,item,price\n"
                "NEW-1,2025-06-01T10:00:00Z,4242424242424242,X-1,5000\n")
    run("load", "--profile", s.profile, "--tenant", "demo", "more.csv")
    after_load = call(s, "POST", f"{base}/everyone/evaluate?limit=1", t, body={"as_of": as_of})
    check("a load invalidates the cached result",
          after_load.body and after_load.body["cached"] is False
          and after_load.body["count"] == before.body["count"] + 1, after_load)
    seen_ids.add("4242424242424242")
    r = call(s, "GET", f"{base}/vip/members/4242424242424242?as_of={as_of}", t)
    check("the loaded customer is a vip now", r.body and r.body["member"] is True, r)
    r = call(s, "GET", f"{base}/vip/members/4242424242424242?as_of=2025-05-01", t)
    check("...but not at an as_of before the purchase", r.body and r.body["member"] is False, r)


# ---------------------------------------------------------------------------------------------
# Changes since an evaluation (tokens, member lists)

KEEP_LISTS = 8  # api.member_lists.keep of the main server


def stored_member_ids(work):
    """Every customer id in the stored member lists, decoded from the file itself."""
    path = os.path.join(work, "var", "state", "member_lists", "member_lists.sqlite")
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        ids = set()
        for (blob,) in db.execute("SELECT members FROM lists"):
            assert blob[0] == 1, "format byte"
            previous, i = 0, 1
            while i < len(blob):
                gap, shift = 0, 0
                while True:
                    byte = blob[i]
                    i += 1
                    gap |= (byte & 0x7F) << shift
                    shift += 7
                    if not byte & 0x80:
                        break
                previous += gap
                ids.add(str(previous))
        return ids
    finally:
        db.close()


def all_changes(s, t, path, since, as_of, limit):
    """Every page of a changes answer: (first page's body, [(id, change)], pages, tokens seen)."""
    collected, cursor, pages, first, tokens = [], None, 0, None, set()
    while pages < 1000:
        q = f"?since={since}&limit={limit}" + (f"&as_of={as_of}" if as_of else "")
        r = call(s, "GET", path + q + (f"&cursor={cursor}" if cursor else ""), t)
        if r.status != 200:
            fail(f"changes paging: {r!r}")
            break
        pages += 1
        first = first or r.body
        tokens.add(r.body["token"])
        collected += [(c["id"], c["change"]) for c in r.body["changes"]]
        cursor = r.body["next_cursor"]
        if cursor is None:
            break
    return first, collected, pages, tokens


def expected_changes(before, after):
    return sorted([(i, "added") for i in set(after) - set(before)] +
                  [(i, "removed") for i in set(before) - set(after)], key=lambda c: int(c[0]))


def changes_tests(s, alice, ops, bob, seen_ids, work):
    t = alice["token"]
    base = "/v1/tenants/demo/segments"
    path = f"{base}/recent/changes"
    recent = {"id": "recent", "name": "Bought in the last 30 days",
              "rule": {"purchased": {"within_days": 30}}}
    r = call(s, "PUT", f"{base}/recent", t, body=recent)
    check("PUT recent", r.status in (200, 201), r)
    a_of, b_of = "2025-06-01T00:00:00Z", "2025-06-20T00:00:00Z"
    a = call(s, "POST", f"{base}/recent/evaluate", t, body={"as_of": a_of}).body
    b = call(s, "POST", f"{base}/recent/evaluate", t, body={"as_of": b_of}).body
    if not a or not b:
        fail("evaluate recent")
        return
    check("evaluate answers a token per evaluation", a["token"] != b["token"], (a, b))
    expected = expected_changes(a["ids"], b["ids"])
    check("changes: the data has customers coming and going (test data sanity)",
          any(c == "added" for _, c in expected) and any(c == "removed" for _, c in expected)
          and len(expected) > 600, len(expected))
    seen_ids.update(i for i, _ in expected[:500])

    # The exact difference, one list by id, paged.
    first, collected, pages, tokens = all_changes(s, t, path, a["token"], b_of, 250)
    check("changes: every customer added and removed between the two evaluations, once, by id",
          collected == expected, (len(collected), len(expected)))
    check("changes: pages of at most limit", pages == (len(expected) + 249) // 250, pages)
    check("changes: every page belongs to one new evaluation (one token)", len(tokens) == 1,
          tokens)
    if not first:
        return
    check("changes: counts, count now, since_as_of and as_of",
          first["added"] == sum(c == "added" for _, c in expected)
          and first["removed"] == sum(c == "removed" for _, c in expected)
          and first["count"] == b["count"] and first["since_as_of"] == a_of
          and first["as_of"] == b_of, first)
    token_c = first["token"]
    check("changes: a new token, not the since one nor b's",
          token_c not in (a["token"], b["token"]), token_c)
    r = call(s, "GET", f"{path}?since={token_c}&as_of={b_of}", t)
    check("changes since the new token, same as_of: nothing",
          r.body and r.body["changes"] == [] and r.body["added"] == r.body["removed"] == 0
          and r.body["next_cursor"] is None, r)

    # Later pages come from the first page's pair of evaluations, whatever happens meanwhile.
    r = call(s, "GET", f"{path}?since={a['token']}&as_of={b_of}&limit=100", t)
    page1 = r.body or {"changes": [], "next_cursor": None}
    with open("late.csv", "w") as f:
        f.write("order,timestamp,customer,item,price\n"
                "LATE-1,2025-06-19T10:00:00Z,5151515151515151,X-1,700\n")
    run("load", "--profile", s.profile, "--tenant", "demo", "late.csv")
    seen_ids.add("5151515151515151")
    rest, cursor = [], page1["next_cursor"]
    while cursor:
        r = call(s, "GET", f"{path}?since={a['token']}&as_of=2024-01-01&limit=100&cursor={cursor}",
                 t)
        if r.status != 200:
            fail(f"changes cursor after a load: {r!r}")
            break
        rest += [(c["id"], c["change"]) for c in r.body["changes"]]
        cursor = r.body["next_cursor"]
    check("changes: pages after a load (and with another as_of) still fit the first page",
          [(c["id"], c["change"]) for c in page1["changes"]] + rest == expected,
          len(rest))
    r = call(s, "GET", f"{path}?since={a['token']}&as_of={b_of}&limit=100000", t)
    check("changes: a new request sees the loaded customer as added",
          r.body and ("5151515151515151", "added") in [(c["id"], c["change"])
                                                       for c in r.body["changes"]], r)

    # More than 10,000 changes in a page are streamed, and whole.
    early = call(s, "POST", f"{base}/everyone/evaluate?limit=1", t,
                 body={"as_of": "2023-12-01T00:00:00Z"}).body
    late_of = "2026-10-31T00:00:00Z"
    late = call(s, "POST", f"{base}/everyone/evaluate", t, body={"as_of": late_of}).body
    r = call(s, "GET", f"{base}/everyone/changes?since={early['token']}&as_of={late_of}"
             "&limit=100000", t)
    check("changes: a page of more than 10,000 is sent chunked, and whole",
          r.headers.get("transfer-encoding", "").lower() == "chunked" and r.body
          and r.body["added"] > 10000 and len(r.body["changes"]) == r.body["added"]
          + r.body["removed"] and r.body["count"] == late["count"]
          and r.body["next_cursor"] is None, r.body and r.body["added"])

    # An edited definition is diffed all the same.
    before_edit = call(s, "POST", f"{base}/recent/evaluate", t, body={"as_of": b_of}).body
    call(s, "PUT", f"{base}/recent", t, body=dict(recent, rule={"purchased": {"within_days": 60}}))
    wider = call(s, "POST", f"{base}/recent/evaluate", t, body={"as_of": b_of}).body
    _, collected, _, _ = all_changes(s, t, path, before_edit["token"], b_of, 100000)
    check("changes: an edited definition is diffed from the list before the edit",
          collected == expected_changes(before_edit["ids"], wider["ids"])
          and len(collected) > 0, len(collected))

    # Tokens are bound to their tenant and segment; unknown and expired ones are gone.
    vip = call(s, "POST", f"{base}/vip/evaluate?limit=3", t, body={"as_of": b_of}).body
    r = call(s, "GET", f"{path}?since={vip['token']}", t)
    expect_error("changes since a token of another segment: 410 token_foreign", r, 410,
                 "token_foreign")
    check("410 says to evaluate in full",
          r.code() is not None and "evaluate" in r.body["error"]["message"], r)
    call(s, "PUT", "/v1/tenants/other/segments/recent", ops["token"], body=recent)
    theirs = call(s, "POST", "/v1/tenants/other/segments/recent/evaluate", ops["token"]).body
    r = call(s, "GET", f"{path}?since={theirs['token']}", t)
    expect_error("changes since a token of another tenant's same segment: 410", r, 410,
                 "token_foreign")
    r = call(s, "GET", f"/v1/tenants/other/segments/recent/changes?since={theirs['token']}",
             bob["token"])
    check("...while it works in its own tenant", r.status == 200, r)
    r = call(s, "GET", f"{path}?since={'0' * 32}", t)
    expect_error("changes since an unknown token: 410 token_expired", r, 410, "token_expired")
    page2 = call(s, "POST", f"{base}/vip/evaluate?limit=3&after={vip['ids'][-1]}", t,
                 body={"as_of": b_of}).body
    check("evaluate: a later page of one evaluation carries the first page's token",
          page2 and page2["token"] == vip["token"], page2)
    oldest = vip["token"]
    for _ in range(KEEP_LISTS):
        newest = call(s, "POST", f"{base}/vip/evaluate?limit=1", t).body["token"]
    r = call(s, "GET", f"{base}/vip/changes?since={oldest}", t)
    expect_error(f"changes since a token beyond the last {KEEP_LISTS} evaluations: 410 "
                 "token_expired", r, 410, "token_expired")
    r = call(s, "GET", f"{base}/vip/changes?since={newest}&limit=5", t)
    check("...the newest token works", r.status == 200, r)

    # Wrong requests.
    for what, q, status, code in [
        ("without since", "", 400, "invalid_token"),
        ("a malformed since", "?since=abc", 400, "invalid_token"),
        ("an upper-case since", f"?since={token_c.upper()}", 400, "invalid_token"),
        ("a malformed cursor", f"?since={token_c}&cursor=zz", 400, "invalid_cursor"),
        ("a cursor of the changes since another token",
         f"?since={token_c}&cursor={first['token']}.5", 400, "invalid_cursor"),
        ("limit=0", f"?since={token_c}&limit=0", 400, "invalid_paging"),
        ("an impossible as_of", f"?since={token_c}&as_of=2026-02-30", 400, "invalid_as_of"),
        ("an unknown parameter", f"?since={token_c}&after=5", 400, "unknown_parameter"),
    ]:
        expect_error(f"changes {what}: {status} {code}", call(s, "GET", path + q, t), status, code)
    r = call(s, "GET", f"{base}/nope/changes?since={token_c}", t)
    expect_error("changes of an unknown segment: 404", r, 404, "unknown_segment")
    r = call(s, "GET", f"{path}?since={token_c}", bob["token"])
    expect_error("changes with a token that does not reach the tenant: 403", r, 403, "forbidden")

    # A selective deletion takes its customers out of every stored list.
    now = call(s, "POST", f"{base}/recent/evaluate", t, body={"as_of": b_of}).body
    gone = now["ids"][len(now["ids"]) // 2]
    seen_ids.add(gone)
    check("the stored lists hold the customer before the deletion", gone in stored_member_ids(work))
    run("delete", "--profile", s.profile, "--tenant", "demo", "--customers", gone,
        "--reason", "api test: erasure request")
    check("a deleted customer is in no stored list (the file's bytes)",
          gone not in stored_member_ids(work))
    r = call(s, "GET", f"{path}?since={now['token']}&as_of={b_of}", t)
    check("changes after a deletion: the token still works, the customer is not listed, a warning "
          "says why", r.status == 200 and gone not in [c["id"] for c in r.body["changes"]]
          and any("deleted" in w for w in r.body["warnings"]), r)
    path_db = os.path.join(work, "var", "state", "member_lists", "member_lists.sqlite")
    check("the member lists are 0600 in a 0700 folder",
          os.stat(path_db).st_mode & 0o777 == 0o600
          and os.stat(os.path.dirname(path_db)).st_mode & 0o777 == 0o700)


def concurrency_tests(s, alice):
    t = alice["token"]
    results = {}
    errors = []
    lock = threading.Lock()

    def worker(n):
        try:
            for k in range(4):
                as_of = f"2025-{(n + k) % 12 + 1:02d}-15T00:00:00Z"
                r = call(s, "POST", "/v1/tenants/demo/segments/vip/evaluate?limit=50", t,
                         body={"as_of": as_of})
                with lock:
                    if r.status != 200:
                        errors.append(repr(r))
                    else:
                        results.setdefault(as_of, []).append((r.body["count"], r.body["ids"]))
        except Exception as e:  # noqa: BLE001
            with lock:
                errors.append(repr(e))

    started = time.time()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    check("32 evaluations from 8 threads at once all answered 200", not errors, errors[:3])
    check("concurrent evaluations of one as_of agree",
          all(len(set((c, tuple(i)) for c, i in v)) == 1 for v in results.values()),
          {k: len(v) for k, v in results.items()})
    print(f"     (concurrent evaluations took {time.time() - started:.1f}s)")


# ---------------------------------------------------------------------------------------------
# HTTP-level requests

def request_tests(s, alice):
    r = call(s, "GET", "/v1/tenants/demo/segments/%zz", alice["token"])
    expect_error("a malformed percent escape in the path: 400", r, 400, "bad_request")
    # Raw HTTP garbage.
    with socket.create_connection((s.host, s.port), timeout=10) as sock:
        sock.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        data = recv_all(sock)
    status, headers, body = parse_raw(data)
    check("garbage instead of HTTP: 400 bad_request", status == 400, data[:200])
    if status:
        try:
            API.check("GET", "/", status, headers, body)
            ok("openapi: the 400 for garbage is an Error")
        except Mismatch as e:
            fail(f"openapi: {e}")


def recv_all(sock, limit=1 << 20):
    data = b""
    while len(data) < limit:
        try:
            chunk = sock.recv(65536)
        except (ConnectionResetError, socket.timeout):
            break
        if not chunk:
            break
        data += chunk
    return data


def parse_raw(data):
    """A raw HTTP/1.1 response with a Content-Length body -> (status, headers, body)."""
    if not data.startswith(b"HTTP/1.1 "):
        return None, {}, b""
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    n = int(headers.get("content-length", len(body)))
    return status, headers, body[:n]


# ---------------------------------------------------------------------------------------------
# Limits: body size, slow clients

def limit_tests(s, alice):
    t = alice["token"]
    big = json.dumps({"as_of": "2026-01-01", "pad": "x" * (MAX_BODY + 10)})
    r = call(s, "POST", "/v1/tenants/demo/segments/vip/evaluate", t, raw=big)
    expect_error("a body over max_body_bytes: 413", r, 413, "body_too_large")
    r = call(s, "PUT", "/v1/tenants/demo/segments/vip", t,
             raw=b'{"id": "vip", "name": "' + b"n" * (4 * MAX_BODY) + b'"}')
    expect_error("a huge PUT: 413", r, 413, "body_too_large")
    # A chunked body over the limit (no Content-Length to check up front).
    with socket.create_connection((s.host, s.port), timeout=10) as sock:
        sock.sendall(b"POST /v1/tenants/demo/segments/vip/evaluate HTTP/1.1\r\nHost: x\r\n"
                     b"Authorization: Bearer " + t.encode() + b"\r\n"
                     b"Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n")
        piece = b"x" * 16384
        try:
            for _ in range(MAX_BODY // 16384 + 4):
                sock.sendall(b"%x\r\n" % len(piece) + piece + b"\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        data = recv_all(sock)
    status, headers, body = parse_raw(data)
    check("a chunked body over max_body_bytes: 413", status == 413, data[:200])
    if status:
        try:
            API.check("POST", "/v1/tenants/demo/segments/vip/evaluate", status, headers, body)
        except Mismatch as e:
            fail(f"openapi: {e}")

    # Slow clients: a request not complete within read_timeout_ms is cut off.
    for what, payload in [
        ("half a header", b"GET /v1/tenants/demo/segments HTTP/1.1\r\nHost: x\r\n"),
        ("half a body", b"POST /v1/tenants/demo/segments/vip/evaluate HTTP/1.1\r\nHost: x\r\n"
                        b"Content-Length: 100\r\nContent-Type: application/json\r\n\r\n{\"as_of\""),
        ("nothing at all", b""),
    ]:
        with socket.create_connection((s.host, s.port), timeout=30) as sock:
            started = time.time()
            if payload:
                sock.sendall(payload)
            data = recv_all(sock)
            took = time.time() - started
        check(f"a slow client ({what}) is disconnected after read_timeout_ms",
              data == b"" and READ_TIMEOUT_MS / 1000 - 0.2 <= took <= READ_TIMEOUT_MS / 1000 + 5,
              f"{took:.2f}s, {data[:100]!r}")
    # Trickling bytes does not extend the deadline: it covers the whole request.
    with socket.create_connection((s.host, s.port), timeout=30) as sock:
        started = time.time()
        closed = False
        for b in b"GET /v1/tenants/demo/segments HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200:
            try:
                sock.sendall(bytes([b]))
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
            time.sleep(0.05)
            if time.time() - started > READ_TIMEOUT_MS / 1000 + 5:
                break
        if not closed:
            closed = recv_all(sock) == b""
        took = time.time() - started
    check("a client trickling a header byte by byte is cut off too",
          closed and took <= READ_TIMEOUT_MS / 1000 + 5, f"{took:.2f}s")
    check("timeouts are logged", bool(s.events("api.timeout")))
    r = call(s, "GET", "/v1/tenants/demo/segments", t)
    check("the server still answers after all that", r.status == 200, r)


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def bounds_tests(s, alice):
    """Documents built to crash or exhaust the server get 400 and the server keeps serving
    (docs/security.md). The body limit here is 1 MiB, as an attacker would find it."""
    t = alice["token"]
    path = "/v1/tenants/demo/segments/deep"

    def still_serving(what):
        r = call(s, "GET", "/healthz")
        check(f"{what}: serve still answers", s.proc.poll() is None and r.status == 200, r)

    deep = ('{"id": "deep", "name": "d", "rule": ' + "[" * 400000 + "]" * 400000 + "}")
    r = call(s, "PUT", path, t, raw=deep)
    expect_error("a definition nested 400,000 deep: 400 invalid_definition", r, 400,
                 "invalid_definition")
    check("and says the nesting is too deep", b"deeper than 64 levels" in r.raw, r.raw[:300])
    still_serving("after 400,000 levels")

    def nested_rule(levels):
        # {"all": [ ... {"all": [{"lifecycle": "active"}]} ... ]}: two JSON levels a rule.
        rule = '{"lifecycle": "active"}'
        for _ in range(levels):
            rule = '{"all": [' + rule + ']}'
        return '{"id": "deep", "name": "d", "rule": ' + rule + '}'
    r = call(s, "PUT", path, t, raw=nested_rule(31))  # 1 + 62 + 1 = 64 levels
    check("64 levels are accepted", r.status == 201, r)
    r = call(s, "PUT", path, t, raw=nested_rule(32))  # 66 levels
    expect_error("66 levels are refused", r, 400, "invalid_definition")
    check("with the reason", b"deeper than 64 levels" in r.raw, r.raw[:300])

    r = call(s, "POST", "/v1/tenants/demo/segments:preview", t,
             raw='{"definition": ' + "[" * 100000 + "]" * 100000 + "}")
    expect_error("a preview body nested 100,000 deep: 400 malformed_json", r, 400,
                 "malformed_json")
    check("and says the nesting is too deep", b"deeper than 64 levels" in r.raw, r.raw[:300])
    still_serving("after a deep preview body")

    # Seven levels of ten aliases: 10^7 nodes once expanded, from a few hundred bytes.
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for level in "bcdefg":
        prev = chr(ord(level) - 1)
        bomb += f"{level}: &{level} [" + ", ".join([f"*{prev}"] * 10) + "]\n"
    bomb = "id: deep\nname: d\nrule:\n  lifecycle: active\n" + bomb
    before = rss_kb(s.proc.pid)
    started = time.time()
    r = call(s, "PUT", path, t, raw=bomb, headers={"Content-Type": "application/yaml"})
    took = time.time() - started
    expect_error(f"a YAML alias bomb ({len(bomb)} bytes): 400 invalid_definition", r, 400,
                 "invalid_definition")
    check("and says anchors and aliases are not allowed",
          b"anchors and aliases are not allowed" in r.raw, r.raw[:300])
    grew = rss_kb(s.proc.pid) - before
    check("it is refused at once, without expanding it", took < 2 and grew < 50_000,
          f"{took:.2f}s, RSS grew {grew} kB")
    r = call(s, "PUT", path, t, raw="id: deep\nname: d\nrule: &r {lifecycle: active}\n",
             headers={"Content-Type": "application/yaml"})
    expect_error("a single anchor in a YAML definition: 400", r, 400, "invalid_definition")
    r = call(s, "PUT", path, t, raw="id: deep\nname: d\nrule: " + "[" * 70 + "]" * 70 + "\n",
             headers={"Content-Type": "application/yaml"})
    expect_error("a YAML definition nested 70 deep: 400", r, 400, "invalid_definition")
    still_serving("after the YAML documents")

    # This server asks for 1 PiB free: its disk checks fail, and what fails stays internal.
    r = call(s, "GET", "/readyz")
    failing = [c["name"] for c in r.body["checks"] if not c["ok"]] if r.body else []
    check("/readyz with a failing disk check: 503 naming the check", r.status == 503
          and "disk:state" in failing, r.raw)
    check("and neither the folder nor the figures without a token",
          s.work.encode() not in r.raw and b"bytes free" not in r.raw, r.raw)
    logged = [e for e in s.events("health.check_failed") if e.get("check") == "disk:state"]
    check("the log has the failing check's detail, once",
          len(logged) == 1 and s.work in logged[0].get("detail", ""), logged)


# ---------------------------------------------------------------------------------------------
# Allow-list and TLS

def allow_tests(s, alice):
    refused = False
    try:
        conn = s.connection(timeout=10)
        conn.request("GET", "/v1/tenants/demo/segments",
                     headers={"Authorization": f"Bearer {alice['token']}"})
        r = conn.getresponse()
        body = r.read()
        hdrs = {k.lower(): v for k, v in r.getheaders()}
        try:
            API.check("GET", "/v1/tenants/demo/segments", r.status, hdrs, body)
        except Mismatch as e:
            fail(f"openapi: {e}")
        refused = r.status == 403
    except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError,
            http.client.BadStatusLine):
        refused = True
    check("a peer outside api.allow (127.0.0.1, allow 10.0.0.0/8) is refused", refused)
    events = s.events("api.refused")
    check("the refusal is logged with the peer", events and events[0].get("peer") == "127.0.0.1",
          events)
    check("no request from a refused peer reached a handler", not s.events("api.request"))


def tls_tests(s, alice, ca):
    t = alice["token"]
    ctx = ssl.create_default_context(cafile=os.path.join(ca, "ca.pem"))
    s.tls_context = ctx
    r = call(s, "GET", "/v1/tenants/demo/segments", t)
    check("HTTPS with the test CA: 200", r.status == 200, r)
    r = call(s, "GET", "/v1/tenants/demo/segments")
    expect_error("HTTPS without a token: 401", r, 401, "unauthenticated")

    with socket.create_connection((s.host, s.port), timeout=10) as raw:
        with ctx.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            version, cipher = tls.version(), tls.cipher()[0]
    check("TLS 1.2 or later, an AEAD cipher",
          version in ("TLSv1.2", "TLSv1.3") and ("GCM" in cipher or "CHACHA20" in cipher
                                                  or version == "TLSv1.3"), (version, cipher))
    ctx12 = ssl.create_default_context(cafile=os.path.join(ca, "ca.pem"))
    ctx12.maximum_version = ssl.TLSVersion.TLSv1_2
    with socket.create_connection((s.host, s.port), timeout=10) as raw:
        with ctx12.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            v12 = tls.version()
    check("a TLS 1.2 client is served", v12 == "TLSv1.2", v12)

    # TLS 1.1: the client is allowed to offer it (security level 0), the server must refuse.
    refused, detail = tls11_refused(s, ca)
    check("TLS 1.1 is refused by the server", refused, detail)

    # Weak TLS 1.2 suites (no forward secrecy, CBC) are refused.
    weak = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    weak.load_verify_locations(os.path.join(ca, "ca.pem"))
    weak.maximum_version = ssl.TLSVersion.TLSv1_2
    weak.set_ciphers("AES128-SHA:AES256-SHA:@SECLEVEL=0")
    try:
        with socket.create_connection((s.host, s.port), timeout=10) as raw:
            with weak.wrap_socket(raw, server_hostname="127.0.0.1"):
                pass
        check("a client offering only non-forward-secret CBC suites is refused", False)
    except (ssl.SSLError, ConnectionResetError) as e:
        ok(f"a client offering only non-forward-secret CBC suites is refused ({e.__class__.__name__})")

    # Plain HTTP to the TLS port gets no HTTP answer.
    with socket.create_connection((s.host, s.port), timeout=10) as sock:
        sock.sendall(b"GET /v1/tenants/demo/segments HTTP/1.1\r\nHost: x\r\n\r\n")
        data = recv_all(sock)
    check("plain HTTP to the TLS port is not answered in HTTP", not data.startswith(b"HTTP/"),
          data[:80])


def tls11_refused(s, ca):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(os.path.join(ca, "ca.pem"))
    try:
        ctx.minimum_version = ssl.TLSVersion.TLSv1_1
        ctx.maximum_version = ssl.TLSVersion.TLSv1_1
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    except (ValueError, ssl.SSLError) as e:
        ctx = None
        why = e
    if ctx is not None:
        try:
            with socket.create_connection((s.host, s.port), timeout=10) as raw:
                with ctx.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
                    return False, f"negotiated {tls.version()}"
        except ssl.SSLError as e:
            text = str(e).lower()
            if "no protocols available" not in text:
                # The server answered with an alert (protocol version) or hung up.
                return True, text
            why = e
        except ConnectionResetError as e:
            return True, str(e)
    # This Python cannot offer TLS 1.1 at all: ask openssl s_client.
    r = subprocess.run(["openssl", "s_client", "-connect", f"{s.host}:{s.port}", "-tls1_1",
                        "-cipher", "DEFAULT@SECLEVEL=0", "-CAfile", os.path.join(ca, "ca.pem")],
                       input="", capture_output=True, text=True, timeout=30)
    out = r.stdout + r.stderr
    if "no protocols available" in out:
        return False, f"cannot offer TLS 1.1 from this client ({why})"
    negotiated = "Protocol  : TLSv1.1" in out or "TLSv1.1, Cipher is" in out
    return (r.returncode != 0 and not negotiated), out[-300:]


# ---------------------------------------------------------------------------------------------
# Logs

def log_tests(servers, secrets, seen_ids):
    text = ""
    for s in servers:
        with open(s.log_file) as f:
            text += f.read()
    requests = [e for s in servers for e in s.events("api.request")]
    check("every request was logged as api.request", len(requests) > 50, len(requests))
    required = {"principal", "method", "route", "status", "duration_ms"}
    check("api.request lines carry principal, method, route, status, duration",
          all(required <= set(e) for e in requests),
          [e for e in requests if not required <= set(e)][:2])
    evals = [e for e in requests if e.get("route", "").endswith("/evaluate")
             and e.get("status") == "200"]
    check("evaluations log the tenant, segment and result size",
          not evals or all({"tenant", "segment", "result_size", "count"} <= set(e) for e in evals),
          evals[:1])
    check("no token appears in the log", not any(t in text for t in secrets))
    check("no token prefix appears in the log", "slt_" not in text and "Bearer" not in text)
    long_ids = [i for i in seen_ids if len(i) >= 7]
    leaked = [i for i in long_ids if i in text]
    check(f"none of {len(long_ids)} customer ids seen in responses appears in the log",
          long_ids and not leaked, leaked[:5])
    check("no path with a customer id is logged", "/members/" not in text.replace(
        "/members/{customer}", ""))


if __name__ == "__main__":
    sys.exit(main())
