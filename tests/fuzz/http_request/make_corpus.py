#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_http_request into corpus/ (run from anywhere): raw HTTP/1.1
requests. Tokens: "fuzz-token-all", "fuzz-token-acme"; "@SESSION@" becomes the harness's
console session cookie."""
import os

ALL = "Authorization: Bearer fuzz-token-all\r\n"
ACME = "Authorization: Bearer fuzz-token-acme\r\n"
CONSOLE = "Cookie: sightline_console=@SESSION@\r\n"
XRW = "X-Requested-With: fetch\r\n"


def req(method, target, headers="", body=None, chunked=False):
    head = f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:8470\r\n{headers}"
    if body is None:
        return (head + "\r\n").encode()
    if chunked:
        return (head + "Transfer-Encoding: chunked\r\n\r\n" +
                f"{len(body):x}\r\n{body}\r\n0\r\n\r\n").encode()
    return (head + f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
            + body).encode()


VIP = '{"id":"vip","name":"VIP","rule":{"revenue":{"min":100}}}'
RICH = ('{"id":"mix","name":"Mix","description":"d","rule":{"all":[{"purchased":{"items":["shoe"],'
        '"categories":["Shoes"],"within_days":365,"min_orders":1}},{"any":[{"orders":{"min":1}},'
        '{"lifecycle":"active"},{"field":{"name":"s_channel","op":"in","value":["web","store"]}}]},'
        '{"not":{"last_purchase":{"within_days":7}}}]}}')

SEEDS = {
    "healthz": req("GET", "/healthz"),
    "readyz": req("GET", "/readyz"),
    "readyz-token": req("GET", "/readyz", ALL),
    "readyz-bad-token": req("GET", "/readyz", "Authorization: Bearer nope\r\n"),
    "metrics": req("GET", "/metrics"),
    "segments-list": req("GET", "/v1/tenants/acme/segments", ALL),
    "segments-no-token": req("GET", "/v1/tenants/acme/segments"),
    "segments-other-tenant": req("GET", "/v1/tenants/globex/segments", ACME),
    "segment-get": req("GET", "/v1/tenants/acme/segments/vip", ACME),
    "segment-put": req("PUT", "/v1/tenants/acme/segments/vip", ALL, VIP),
    "segment-put-rich": req("PUT", "/v1/tenants/acme/segments/mix", ALL, RICH),
    "segment-put-chunked": req("PUT", "/v1/tenants/acme/segments/vip", ALL, VIP, chunked=True),
    "segment-delete": req("DELETE", "/v1/tenants/acme/segments/gone", ALL),
    "segment-versions": req("GET", "/v1/tenants/acme/segments/vip/versions", ALL),
    "segment-evaluate": req("POST", "/v1/tenants/acme/segments/vip/evaluate?limit=1", ALL, "{}"),
    "segment-evaluate-as-of": req("POST", "/v1/tenants/acme/segments/vip/evaluate?limit=2&after=1001",
                                  ALL, '{"as_of":"2025-11-01T00:00:00Z"}'),
    "segment-changes": req("GET", "/v1/tenants/acme/segments/vip/changes?since=0123456789abcdef0123456789abcdef&limit=5", ALL),
    "segment-count": req("GET", "/v1/tenants/acme/segments/vip/count?as_of=2025-11-30", ALL),
    "segment-member": req("GET", "/v1/tenants/acme/segments/vip/members/1001", ALL),
    "segment-preview": req("POST", "/v1/tenants/acme/segments:preview?limit=10", ALL,
                           '{"definition":' + RICH + ',"as_of":"2025-12-01T00:00:00Z"}'),
    "reports-list": req("GET", "/v1/tenants/acme/reports", ALL),
    "report-summary": req("GET", "/v1/tenants/acme/reports/summary?from=2025-01-01&to=2025-12-31&granularity=month", ALL),
    "report-top": req("GET", "/v1/tenants/acme/reports/top-items?from=2025-06-01&to=2025-12-01&top=3", ACME),
    "console-page": req("GET", "/console/", CONSOLE),
    "console-redirect": req("GET", "/console"),
    "console-login-bad": req("POST", "/console/login", XRW, '{"name":"olga","password":"wrong"}'),
    "console-login-origin": req("POST", "/console/login", XRW + "Origin: http://evil\r\n",
                                '{"name":"olga","password":"olga password 1234"}'),
    "console-session": req("GET", "/console/api/session", CONSOLE),
    "console-jobs": req("GET", "/console/api/jobs?days=7&failed=true", CONSOLE),
    "console-tenants": req("GET", "/console/api/tenants", CONSOLE),
    "console-segments": req("GET", "/console/api/segments?tenant=acme", CONSOLE),
    "console-report": req("GET", "/console/api/report?tenant=acme&name=summary&from=2025-01-01&to=2025-12-31&granularity=week", CONSOLE),
    "console-logout": req("POST", "/console/logout", CONSOLE + XRW, "{}"),
    "percent-path": req("GET", "/v1/tenants/%61cme/segments/v%69p", ALL),
    "bad-percent": req("GET", "/v1/tenants/acme/segments/%zz?a=%", ALL),
    "method-not-allowed": req("PATCH", "/v1/tenants/acme/segments", ALL),
    "expect-continue": req("PUT", "/v1/tenants/acme/segments/vip", ALL + "Expect: 100-continue\r\n", VIP),
    "no-host-http10": b"GET /healthz HTTP/1.0\r\n\r\n",
    "bad-content-length": b"POST /console/login HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n",
    "two-lengths": b"POST /console/login HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
    "header-folding": b"GET /healthz HTTP/1.1\r\nX: a\r\n b\r\n\r\n",
    "pipelined": req("GET", "/healthz") + req("GET", "/metrics"),
    "incomplete": b"GET /healthz HTTP/1.1\r\nHost: x",
}

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
os.makedirs(here, exist_ok=True)
for name, data in SEEDS.items():
    with open(os.path.join(here, name), "wb") as f:
        f.write(data)
