#!/usr/bin/env python3
"""End-to-end test of the operators' console (docs/console.md) in a real headless Chromium,
driven through chromedriver's W3C WebDriver HTTP protocol with urllib (no pip packages).

Loads generated sales into a tenant, starts `sightline serve` with an operator, opens /console/,
logs in through the form (a wrong password first), waits for the charts and checks that the
revenue chart's bars add up to the loaded revenue (`sightline tenant stats --json`) and that the
lifecycle chart's counts equal `sightline segment eval` of the lifecycle rules at the range's
end. Then the operator is disabled (`sightline operator disable`): the open session is refused at
once. A screenshot is saved in the build folder (its path is printed).

Environment (set by ctest): SIGHTLINE, PLUGIN_DIR, BUILD_DIR. Exit 0 when every check passed,
1 when one failed, 77 (skipped) when chromium or chromedriver is missing."""

import base64
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone
from decimal import Decimal

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
    print("SKIP: chromium and chromium-driver are needed (Debian: apt-get install chromium "
          "chromium-driver)")
    sys.exit(77)

SIGHTLINE = os.environ["SIGHTLINE"]
PLUGIN_DIR = os.environ["PLUGIN_DIR"]
BUILD_DIR = os.environ.get("BUILD_DIR", os.getcwd())
OPERATOR, PASSWORD = "olga", "console-test-password-7"
STAGES = ["first_time_buyer", "active", "defecting", "inactive"]

failures = 0


def check(what, condition, detail=""):
    global failures
    if condition:
        print(f"ok   {what}", flush=True)
    else:
        failures += 1
        print(f"FAIL {what}{': ' + str(detail) if detail else ''}", flush=True)
    return condition


def run(*args, stdin=None):
    r = subprocess.run([SIGHTLINE, *args], capture_output=True, text=True, input=stdin)
    if r.returncode != 0:
        raise RuntimeError(f"sightline {' '.join(args)} exited {r.returncode}: {r.stderr}")
    return r.stdout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------------------------
# WebDriver over HTTP

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


class Browser:
    def __init__(self, work):
        self.port = free_port()
        self.driver = subprocess.Popen([CHROMEDRIVER, f"--port={self.port}"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        while True:
            try:
                if self.call("GET", "/status").get("ready"):
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            if time.time() > deadline:
                raise RuntimeError("chromedriver did not start")
            time.sleep(0.1)
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": [
                "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,2200", f"--user-data-dir={work}/chrome"]}}}}
        self.session = self.call("POST", "/session", caps)["sessionId"]

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data,
                                     method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return json.loads(r.read())["value"]
        except urllib.error.HTTPError as e:
            raise RuntimeError(f"webdriver {method} {path}: {e.code} {e.read()[:500]!r}")

    def s(self, method, path, body=None):
        return self.call(method, f"/session/{self.session}{path}", body)

    def go(self, url):
        self.s("POST", "/url", {"url": url})

    def find(self, css):
        return self.s("POST", "/element", {"using": "css selector", "value": css})[ELEMENT]

    def type(self, css, text):
        e = self.find(css)
        self.s("POST", f"/element/{e}/clear", {})
        self.s("POST", f"/element/{e}/value", {"text": text})

    def click(self, css):
        self.s("POST", f"/element/{self.find(css)}/click", {})

    def js(self, script, *args):
        return self.s("POST", "/execute/sync", {"script": script, "args": list(args)})

    def js_async(self, script, *args):
        return self.s("POST", "/execute/async", {"script": script, "args": list(args)})

    def wait(self, what, script, timeout=30):
        deadline = time.time() + timeout
        value = None
        while time.time() < deadline:
            value = self.js(script)
            if value:
                return value
            time.sleep(0.2)
        raise RuntimeError(f"timed out waiting for {what} (last: {value!r})")

    def screenshot(self, path):
        with open(path, "wb") as f:
            f.write(base64.b64decode(self.s("GET", "/screenshot")))

    def quit(self):
        try:
            self.s("DELETE", "")
        except Exception:
            pass
        self.driver.terminate()
        try:
            self.driver.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.driver.kill()


# ---------------------------------------------------------------------------------------------

class Server:
    def __init__(self, work, password_hash):
        self.work = work
        self.log_file = os.path.join(work, "serve.log")
        self.profile = os.path.join(work, "console.yaml")
        # profiles/local.yaml's plugins and tenant, without its fixed ports, plus an operator.
        with open(self.profile, "w") as f:
            f.write(f"""version: 1
state_dir: {work}/var/state
log: {{format: json, level: info, file: {self.log_file}}}
plugins: {{path: [{PLUGIN_DIR}]}}
archive:
  plugin: archive-fs
  config: {{root: {work}/var/archive, compression: zstd}}
target:
  plugin: target-sqlite
  config: {{dir: {work}/var/db}}
evaluators:
  - plugin: evaluator-sql
  - plugin: evaluator-memory
tenants:
  - id: demo
api:
  listen: ["127.0.0.1:0"]
  tls: off
operators:
  - name: {OPERATOR}
    password: "{password_hash}"
""")

    def start(self):
        self.proc = subprocess.Popen([SIGHTLINE, "serve", "--profile", self.profile],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"serve exited {self.proc.returncode}: {self.proc.stdout.read()}")
            for e in self.events("api.listening"):
                self.address = e["address"]
                return
            time.sleep(0.05)
        raise RuntimeError("serve did not log api.listening")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def events(self, name):
        out = []
        if os.path.exists(self.log_file):
            with open(self.log_file) as f:
                for line in f:
                    try:
                        e = json.loads(line)
                    except ValueError:
                        continue
                    if e.get("event") == name:
                        out.append(e)
        return out

    def get(self, path, method="GET", headers=None, body=None):
        host, port = self.address.rsplit(":", 1)
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()


def sales_range(csv_path):
    """The first and last UTC day with a sales line."""
    first = last = None
    with open(csv_path) as f:
        header = f.readline().strip().split(",")
        column = header.index("timestamp")
        for line in f:
            ts = line.split(",")[column].replace("Z", "+00:00")
            day = datetime.fromisoformat(ts).astimezone(timezone.utc).date()
            first = day if first is None or day < first else first
            last = day if last is None or day > last else last
    return first, last


def http_checks(server):
    status, headers, body = server.get("/console/")
    check("GET /console/ serves the page", status == 200 and b"<html" in body, status)
    csp = headers.get("content-security-policy", "")
    check("the console has a Content-Security-Policy default-src 'self'",
          "default-src 'self'" in csp and "unsafe-inline" not in csp, csp)
    check("the console may not be framed", headers.get("x-frame-options") == "DENY", headers)
    status, _, body = server.get("/console/api/jobs")
    check("console data needs a session (401)", status == 401, f"{status} {body!r}")
    status, _, body = server.get("/console/login", "POST", {"Content-Type": "application/json"},
                                 json.dumps({"name": OPERATOR, "password": PASSWORD}))
    check("a login without X-Requested-With is refused (CSRF)", status == 403, f"{status} {body!r}")
    status, _, body = server.get("/console/login", "POST",
                                 {"Content-Type": "application/json",
                                  "X-Requested-With": "sightline-console",
                                  "Origin": "http://evil.example"},
                                 json.dumps({"name": OPERATOR, "password": PASSWORD}))
    check("a login from another origin is refused (CSRF)", status == 403, f"{status} {body!r}")
    status, _, body = server.get("/console/login", "POST",
                                 {"Content-Type": "application/json",
                                  "X-Requested-With": "sightline-console"},
                                 '{"name": ' + "[" * 100000 + "]" * 100000 + "}")
    check("a login body nested 100,000 deep: 400 with the reason (docs/security.md)",
          status == 400 and b"deeper than 64 levels" in body, f"{status} {body[:200]!r}")
    status, headers, body = server.get("/healthz")
    check("GET /healthz is 200 ok", status == 200 and json.loads(body) == {"status": "ok"}, body)
    status, headers, body = server.get("/readyz")
    ready = json.loads(body)
    names = [c["name"] for c in ready.get("checks", [])]
    check("GET /readyz lists plugins, target and disk checks",
          status in (200, 503) and "plugins" in names and "target" in names and
          any(n.startswith("disk:") for n in names), body)
    check("GET /readyz is 200 exactly when every check passed",
          (status == 200) == all(c["ok"] for c in ready["checks"]), body)
    status, headers, body = server.get("/metrics")
    check("GET /metrics is Prometheus text",
          status == 200 and headers.get("content-type", "").startswith("text/plain; version=0.0.4")
          and b"# TYPE" in body, f"{status} {headers.get('content-type')}")


def main():
    work = tempfile.mkdtemp(prefix="sightline-console.")
    os.chmod(work, 0o700)
    shots = os.path.join(BUILD_DIR, "console_test")
    os.makedirs(shots, exist_ok=True)
    server = browser = None
    try:
        os.chdir(work)
        password_hash = json.loads(run("operator", "passwd", "--name", OPERATOR, "--json",
                                       stdin=PASSWORD + "\n"))["password_hash"]
        server = Server(work, password_hash)
        run("generate", "--rows", "3000", "--customers", "300", "--seed", "11", "--catalog",
            "--output", "catalog.csv")
        run("generate", "--rows", "3000", "--customers", "300", "--seed", "11",
            "--output", "sales.csv")
        run("load", "--profile", server.profile, "--tenant", "demo", "catalog.csv", "sales.csv")
        stats = json.loads(run("tenant", "stats", "--profile", server.profile, "--tenant", "demo",
                               "--json"))
        first, last = sales_range("sales.csv")
        # The lifecycle chart shows the stages at the range's end: the instant after its last day.
        as_of = (datetime(last.year, last.month, last.day, tzinfo=timezone.utc) +
                 timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        stages = {}
        for stage in STAGES:
            with open(f"{stage}.json", "w") as f:
                json.dump({"id": f"lc-{stage.replace('_', '-')}", "name": stage,
                           "rule": {"lifecycle": stage}}, f)
            stages[stage] = json.loads(run("segment", "eval", "--profile", server.profile,
                                           "--tenant", "demo", "--file", f"{stage}.json",
                                           "--as-of", as_of, "--count", "--json"))["count"]
        print(f"     loaded {stats['lines']} lines, revenue {stats['revenue']}, "
              f"{first}..{last}, stages at {as_of}: {stages}")

        server.start()
        http_checks(server)

        browser = Browser(work)
        url = (f"http://{server.address}/console/#tenant=demo&from={first}&to={last}"
               "&granularity=month&days=7")
        browser.go(url)
        browser.wait("the login form", "return !document.getElementById('login-panel').hidden")
        browser.type("#login-name", OPERATOR)
        browser.type("#login-password", "not the password")
        browser.click("#login-submit")
        error = browser.wait("the login error",
                             "const e = document.getElementById('login-error');"
                             "return !e.hidden && e.textContent")
        check("a wrong password shows an error", "Wrong name or password" in error, error)
        check("a failed login is logged without the password",
              any(e.get("name") == OPERATOR for e in server.events("console.login_failed")) and
              "not the password" not in open(server.log_file).read(),
              server.events("console.login_failed"))

        browser.type("#login-password", PASSWORD)
        browser.click("#login-submit")
        browser.wait("the revenue chart",
                     "return document.querySelector('#revenue-chart svg[data-ready]') !== null")
        browser.wait("the lifecycle chart",
                     "return document.querySelector('#lifecycle-chart svg[data-ready]') !== null")
        check("the login is logged", any(e.get("operator") == OPERATOR
                                         for e in server.events("console.login")))
        bars = browser.js("return Array.from(document.querySelectorAll("
                          "'#revenue-chart rect.bar')).map(r => r.getAttribute('data-value'))")
        total = browser.js("return document.querySelector('#revenue-chart svg')"
                           ".getAttribute('data-total')")
        loaded = Decimal(stats["revenue"])
        check("the revenue chart's bars add up to the loaded revenue",
              sum(Decimal(b) for b in bars) == loaded, f"{sum(Decimal(b) for b in bars)} != {loaded}")
        check("the revenue chart's total is the loaded revenue", Decimal(total) == loaded,
              f"{total} != {loaded}")
        shown = browser.js("const out = {}; document.querySelectorAll('#lifecycle-chart rect.bar')"
                           ".forEach(r => out[r.getAttribute('data-stage')] ="
                           " Number(r.getAttribute('data-value'))); return out")
        check("the lifecycle chart's counts equal segment eval of the lifecycle rules",
              shown == stages, f"{shown} != {stages}")
        jobs = browser.js("return Array.from(document.querySelectorAll('#jobs tbody tr'))"
                          ".map(r => r.textContent)")
        check("the loads appear in the jobs table with their status",
              any("load" in j and "ok" in j and "sales.csv" in j for j in jobs), jobs[:5])
        volume = browser.js("return Array.from(document.querySelectorAll('#volumes tbody td'))"
                            ".map(c => c.textContent)")
        check("the tenant's volume shows its lines and revenue",
              volume[:2] == ["demo", str(stats["lines"])] and stats["revenue"] in volume, volume)
        check("the report viewed is logged with the operator as principal",
              any(e.get("principal") == OPERATOR and e.get("tenant") == "demo"
                  for e in server.events("report.served")), server.events("report.served"))
        shot = os.path.join(shots, "console.png")
        browser.screenshot(shot)
        print(f"     screenshot: {shot}", flush=True)

        run("operator", "disable", OPERATOR, "--reason", "console test", "--profile",
            server.profile)
        status = browser.js_async("const done = arguments[arguments.length - 1];"
                                  "fetch('/console/api/session').then(r => done(r.status))")
        check("a disabled operator's session is refused at once", status == 401, status)
        browser.click("#refresh")
        message = browser.wait("the login form again",
                               "const e = document.getElementById('login-error');"
                               "return !document.getElementById('login-panel').hidden &&"
                               " e.textContent")
        check("the page returns to the login form", "session has ended" in message, message)
        browser.type("#login-name", OPERATOR)
        browser.type("#login-password", PASSWORD)
        browser.click("#login-submit")
        error = browser.wait("the login error",
                             "const e = document.getElementById('login-error');"
                             "return !e.hidden && e.textContent")
        check("a disabled operator cannot log in again", "Wrong name or password" in error, error)
        browser.screenshot(os.path.join(shots, "console-disabled.png"))
    finally:
        if browser:
            browser.quit()
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
