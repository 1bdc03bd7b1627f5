#!/usr/bin/env python3
"""End-to-end test of the reports listener (profile section `reports:`): mutual TLS with client
certificates from the profile's CA, trusted subjects and addresses (docs/api.md, "Reports for
trusted hosts"). The real `sightline serve`, certificates made here with the openssl CLI, requests
with python's ssl and http.client.

Refused, with no data and a "report.refused" log line naming the reason: no certificate, a
certificate from another CA, an expired one, an untrusted subject, a good one from an address
outside `allow`, a good one for a tenant its host does not reach. Served: the report, with the
numbers computed here from the loaded CSV. Then a SIGHUP gives the host the other tenant.

Environment (set by ctest): SIGHTLINE, SOURCE_DIR, PLUGIN_DIR. Exit 0 when every check passed,
1 when one failed, 77 (skipped) without openssl."""

import http.client
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from decimal import Decimal

if not shutil.which("openssl"):
    print("SKIP: openssl is missing")
    sys.exit(77)

SIGHTLINE = os.environ["SIGHTLINE"]
PLUGIN_DIR = os.environ["PLUGIN_DIR"]
TRUSTED = "CN=bi,O=Example"

failures = 0


def check(what, condition, detail=""):
    global failures
    if condition:
        print(f"ok   {what}", flush=True)
    else:
        failures += 1
        print(f"FAIL {what}{': ' + str(detail) if detail else ''}", flush=True)
    return condition


def run(*args):
    r = subprocess.run([SIGHTLINE, *args], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"sightline {' '.join(args)} exited {r.returncode}: {r.stderr}")
    return r


# ---------------------------------------------------------------------------------------------
# Certificates

CA_CONFIG = """[ca]
default_ca = test
[test]
database = {d}/{name}.index
new_certs_dir = {d}/{name}.issued
certificate = {d}/{name}.pem
private_key = {d}/{name}.key
serial = {d}/{name}.serial
default_md = sha256
policy = anything
unique_subject = no
email_in_dn = no
[anything]
organizationName = optional
commonName = supplied
[client]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
[server]
basicConstraints = critical,CA:FALSE
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1
"""


class Pki:
    def __init__(self, work):
        self.d = os.path.join(work, "pki")
        os.makedirs(self.d)

    def openssl(self, *args):
        subprocess.run(["openssl", *args], cwd=self.d, check=True, capture_output=True)

    def path(self, name):
        return os.path.join(self.d, name)

    def ca(self, name, subject):
        self.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                     "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.pem", "-subj", subject,
                     "-days", "3", "-addext", "basicConstraints=critical,CA:TRUE",
                     "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        # Each CA its own serial numbers, index and folder of issued certificates.
        with open(self.path(f"{name}.serial"), "w") as f:
            f.write("1000\n")
        open(self.path(f"{name}.index"), "w").close()
        os.makedirs(self.path(f"{name}.issued"))
        with open(self.path(f"{name}.cnf"), "w") as f:
            f.write(CA_CONFIG.format(d=self.d, name=name))

    def issue(self, ca, name, subject, extensions="client", start=None, end=None):
        """A key and a certificate signed by ca; start/end (YYYYMMDDHHMMSSZ) set the validity,
        so that an expired certificate is really expired, not merely claimed to be."""
        self.openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                     "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", subject)
        dates = ["-startdate", start, "-enddate", end] if start else ["-days", "3"]
        self.openssl("ca", "-batch", "-config", f"{ca}.cnf", "-extensions", extensions,
                     "-in", f"{name}.csr", "-out", f"{name}.pem", "-notext", *dates)
        return self.path(f"{name}.pem"), self.path(f"{name}.key")


# ---------------------------------------------------------------------------------------------
# The server

class Server:
    def __init__(self, work, pki):
        self.work = work
        self.pki = pki
        self.log_file = os.path.join(work, "serve.log")
        self.profile = os.path.join(work, "profile.yaml")
        self.proc = None

    def write_profile(self, trusted_tenants):
        p = self.pki.path
        with open(self.profile, "w") as f:
            f.write(f"""version: 1
state_dir: {self.work}/var/state
log: {{format: json, level: info, file: {self.log_file}}}
plugins: {{path: [{PLUGIN_DIR}]}}
archive:
  plugin: archive-fs
  config: {{root: {self.work}/var/archive}}
target:
  plugin: target-sqlite
  config: {{dir: {self.work}/var/db}}
tenants:
  - id: demo
  - id: other
reports:
  listen: ["127.0.0.1:0"]
  tls: {{cert: {p('server.pem')}, key: {p('server.key')}}}
  client_ca: {p('ca.pem')}
  allow: ["127.0.0.1/32"]
  trusted_hosts:
    - subject: "{TRUSTED}"
      tenants: [{', '.join(trusted_tenants)}]
""")

    def start(self):
        self.proc = subprocess.Popen([SIGHTLINE, "serve", "--profile", self.profile],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"serve exited {self.proc.returncode}: {self.proc.stdout.read()}")
            listening = [e for e in self.events("api.listening") if e.get("mtls") == "on"]
            if listening:
                host, port = listening[0]["address"].rsplit(":", 1)
                self.host, self.port = host, int(port)
                return
            time.sleep(0.05)
        raise RuntimeError("serve did not log api.listening for the reports listener")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def events(self, name=None):
        out = []
        if os.path.exists(self.log_file):
            with open(self.log_file) as f:
                for line in f:
                    try:
                        e = json.loads(line)
                    except ValueError:
                        continue
                    if name is None or e.get("event") == name:
                        out.append(e)
        return out

    def wait_event(self, name, seen, match, timeout=10):
        """The first event of that name after the first `seen` ones that match() accepts."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            for e in self.events(name)[seen:]:
                if match(e):
                    return e
            time.sleep(0.05)
        return None


def request(server, path, cert=None, source="127.0.0.1"):
    """(status, body bytes), or (None, the exception) when the connection was refused or cut."""
    ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=server.pki.path("ca.pem"))
    if cert:
        ctx.load_cert_chain(*cert)
    conn = http.client.HTTPSConnection(server.host, server.port, context=ctx, timeout=15,
                                       source_address=(source, 0))
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, r.read()
    except (OSError, ssl.SSLError, http.client.HTTPException) as e:
        return None, e
    finally:
        conn.close()


# ---------------------------------------------------------------------------------------------
# The data and the numbers expected from it

SALES = """order,timestamp,customer,item,price,quantity
A1,2026-01-05T10:00:00Z,1,I1,10.50,1
A1,2026-01-05T10:00:00Z,1,I2,4.25,1
B1,2026-01-20T12:00:00Z,2,I1,10.50,1
C1,2026-02-03T09:00:00Z,1,I3,20.00,2
D1,2026-02-14T18:30:00Z,3,I2,8.75,1
R1,2026-02-20T09:00:00Z,2,I1,-10.50,1
E1,2026-03-02T08:00:00Z,3,I3,20.00,1
"""


def expected_revenue(sales, first_month, last_month):
    """Revenue per month (sum of price) and orders per month (orders with a positive net total,
    counted in the month of their first line), over the months [first, last]."""
    rows = [line.split(",") for line in sales.strip().splitlines()[1:]]
    revenue, order_lines = defaultdict(Decimal), defaultdict(list)
    for order, ts, customer, item, price, qty in rows:
        month = ts[:7]
        if first_month <= month <= last_month:
            revenue[month] += Decimal(price)
        order_lines[(customer, order)].append((ts, Decimal(price)))
    orders = defaultdict(int)
    for lines in order_lines.values():
        month = min(ts for ts, _ in lines)[:7]
        if sum(p for _, p in lines) > 0 and first_month <= month <= last_month:
            orders[month] += 1
    return revenue, orders


# ---------------------------------------------------------------------------------------------

def refused(server, what, path, reason, cert=None, source="127.0.0.1", subject=None, tenant=None):
    seen = len(server.events("report.refused"))
    status, body = request(server, path, cert, source)
    no_data = status is None or (status == 403 and b"periods" not in body and b"reports" not in body)
    check(f"{what}: refused without data", no_data, f"{status} {body!r}")
    e = server.wait_event("report.refused", seen, lambda e: e.get("reason") == reason)
    check(f"{what}: logged report.refused reason={reason}", e is not None,
          [x.get("reason") for x in server.events("report.refused")[seen:]])
    if e is not None:
        check(f"{what}: the refusal names the peer", e.get("peer") == source, e)
        if subject:
            check(f"{what}: the refusal names the subject", e.get("subject") == subject, e)
        if tenant:
            check(f"{what}: the refusal names the tenant", e.get("tenant") == tenant, e)


def main():
    work = tempfile.mkdtemp(prefix="sightline-mtls.")
    os.chmod(work, 0o700)
    server = None
    try:
        os.chdir(work)
        pki = Pki(work)
        pki.ca("ca", "/CN=sightline reports test CA")
        pki.ca("rogue", "/CN=some other CA")
        pki.issue("ca", "server", "/CN=127.0.0.1", extensions="server")
        good = pki.issue("ca", "good", "/O=Example/CN=bi")
        rogue = pki.issue("rogue", "rogue-client", "/O=Example/CN=bi")
        expired = pki.issue("ca", "expired", "/O=Example/CN=bi",
                            start="20200101000000Z", end="20200201000000Z")
        stranger = pki.issue("ca", "stranger", "/O=Example/CN=intruder")
        with open("sales.csv", "w") as f:
            f.write(SALES)

        server = Server(work, pki)
        server.write_profile(["demo"])
        run("load", "--profile", server.profile, "--tenant", "demo", "sales.csv")
        run("load", "--profile", server.profile, "--tenant", "other", "sales.csv")
        server.start()

        path = "/v1/tenants/demo/reports/revenue?from=2026-01-01&to=2026-02-28&granularity=month"
        refused(server, "no certificate", path, "no_certificate")
        refused(server, "a certificate from another CA", path, "unknown_ca", rogue,
                subject=TRUSTED)
        refused(server, "an expired certificate", path, "expired", expired, subject=TRUSTED)
        refused(server, "an untrusted subject", path, "subject_not_trusted", stranger,
                subject="CN=intruder,O=Example")
        refused(server, "a good certificate from 127.0.0.2 (not in allow)", path,
                "address_not_allowed", good, source="127.0.0.2")
        refused(server, "a good certificate for a tenant its host does not reach",
                path.replace("/demo/", "/other/"), "tenant_not_allowed", good,
                subject=TRUSTED, tenant="other")

        status, body = request(server, "/v1/tenants/demo/reports", good)
        check("the report names", status == 200 and "revenue" in json.loads(body)["reports"],
              f"{status} {body!r}")

        seen = len(server.events("report.served"))
        status, body = request(server, path, good)
        check("a trusted host gets the report", status == 200, f"{status} {body!r}")
        if status == 200:
            report = json.loads(body)
            revenue, orders = expected_revenue(SALES, "2026-01", "2026-02")
            got = {p["label"]: (Decimal(p["revenue"]), p["orders"]) for p in report["periods"]}
            want = {m: (revenue[m], orders[m]) for m in ("2026-01", "2026-02")}
            check("revenue and orders per month equal the CSV's", got == want, f"{got} != {want}")
            check("the total equals the CSV's",
                  Decimal(report["totals"]["revenue"]) == sum(revenue.values()) and
                  report["totals"]["orders"] == sum(orders.values()), report["totals"])
        e = server.wait_event("report.served", seen, lambda e: e.get("report") == "revenue")
        check("report.served names tenant, principal, peer and range",
              e is not None and e.get("tenant") == "demo" and e.get("principal") == TRUSTED and
              e.get("peer") == "127.0.0.1" and e.get("from") == "2026-01-01" and
              e.get("to") == "2026-02-28" and "duration_ms" in e, e)

        status, body = request(server, path.replace("month", "year"), good)
        check("a bad granularity is 400", status == 400 and b"invalid_report_request" in body,
              f"{status} {body!r}")
        status, body = request(server, "/v1/tenants/demo/reports/nope?from=2026-01-01&to=2026-01-02",
                               good)
        check("an unknown report is 404", status == 404, f"{status} {body!r}")

        # SIGHUP: the trusted host now reaches the other tenant too; nothing restarts.
        server.write_profile(["demo", "other"])
        seen = len(server.events("api.reloaded"))
        server.proc.send_signal(signal.SIGHUP)
        e = server.wait_event("api.reloaded", seen, lambda e: e.get("listener") == "reports")
        check("SIGHUP reloads the reports listener", e is not None and "restart_needed" not in e, e)
        status, body = request(server, path.replace("/demo/", "/other/"), good)
        check("after the reload the host reads the other tenant", status == 200,
              f"{status} {body!r}")
    finally:
        if server:
            server.stop()
        if failures == 0:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept {work} for a look", flush=True)
    print(f"{'FAILED' if failures else 'passed'}: {failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
