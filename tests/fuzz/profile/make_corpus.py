#!/usr/bin/env python3
"""Writes the seed corpus of the profile target: the bundled example profiles, and small
profiles for every bundled plugin's section, the optional sections, and typical mistakes."""
import pathlib

here = pathlib.Path(__file__).resolve().parent
root = here.parent.parent.parent
seeds = {f"example-{p.stem}": p.read_text() for p in sorted((root / "profiles").glob("*.yaml"))}

base = "version: 1\narchive: {plugin: archive-fs, config: {root: /a}}\n"
seeds.update({
    "minimal-sqlite": base + "target: {plugin: target-sqlite, config: {dir: /t}}\ntenants: [{id: acme}]\n",
    "tenants-options": base + "target: {plugin: target-sqlite, config: {dir: /t}}\n"
        "tenants:\n  - {id: a, delimiter: ';', allow_pii: true, active_days: 30, inactive_days: 90}\n"
        "  - {id: b, delimiter: tab}\n  - {id: Bad!}\n  - {id: a}\n",
    "targets-named": base + "target: {plugin: target-postgres, config: {admin_dsn: 'host=x'}}\n"
        "targets:\n  gp: {plugin: target-greenplum, config: {admin_dsn: x, partition_start: 2020-01-01, compresslevel: 20}}\n"
        "  BAD: {plugin: target-sqlite}\n",
    "transports-all": base + "target: {plugin: target-sqlite, config: {dir: /t}}\ntransports:\n"
        "  - {plugin: intake-dir, config: {root: /in, poll_interval_ms: 5, landing_mode: '2770'}}\n"
        "  - {plugin: archive-ftps, config: {host: h, user: u, ca_file: /ca, port: 70000}}\n"
        "  - plugin: intake-ftps\n    config: {listen: '127.0.0.1:2121', certificate: /c, private_key: /k, landing: /l, accounts: [{user: u, tenant: acme, password: x}]}\n",
    "evaluators-and-env": base + "target: {plugin: target-sqlite, config: {dir: '${FUZZ_A}/t', busy_timeout_ms: '${FUZZ_MISSING}'}}\n"
        "evaluators:\n  - {plugin: evaluator-columnar, config: {max_resident_lines: -1}}\n  - {plugin: evaluator-memory, config: {x: 1}}\n  - plugin: evaluator-sql\n"
        "plugins: {path: [/p], allow: [archive-fs, target-sqlite]}\n",
    "api-and-operators": base + "target: {plugin: target-sqlite, config: {dir: /t}}\n"
        "api:\n  listen: ['[::1]:8470', '127.0.0.1:0']\n  allow: ['10.0.0.0/33', '::/0']\n"
        "  tokens: [{name: t, sha256: abc, tenants: ['*', acme]}]\n"
        "operators: [{name: ops, password: x}, {name: ops}]\naudit: {file: /x, keep_days: 0}\n"
        "target_connections: {max: 0}\nlog: {format: xml, level: trace}\n",
    "edge-with-archive": "version: 1\nrole: edge\narchive: {plugin: archive-fs}\n",
    "version-2": "version: 2\n",
    "not-a-mapping": "- a\n- b\n",
    "alias-bomb": "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n",
    "deep": "version: 1\nx: " + "[" * 100 + "]" * 100 + "\n",
    "bad-yaml": "version: 1\narchive: {plugin: [\n",
    "empty": "",
})
out = here / "corpus"
out.mkdir(exist_ok=True)
for old in out.iterdir():
    old.unlink()
for name, text in seeds.items():
    (out / name).write_text(text)
