#!/usr/bin/env python3
"""Answers are never stale and never a mix (issue 14): the real `sightline serve` with
evaluator-columnar first, real HTTP requests, and the data changed under it by other processes
(`sightline load`, `delete`, `load --full`, `restore --replace`). After each change has
committed, the API's count equals what evaluator-memory (the oracle, reading the database
directly) computes; while a load commits, 40 concurrent requests each get the old or the new
answer, nothing in between.

Environment (set by ctest): SIGHTLINE, SOURCE_DIR, PLUGIN_DIR."""

import glob
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import api_test as A  # noqa: E402  (its Server, call, tokens and checks)

# Independent of as_of once every line lies before it: customers with a purchase, and customers
# with three or more purchases (order grouping), and big spenders (sums).
SEGMENTS = {
    "buyers": {"purchased": {}},
    "repeat": {"orders": {"min": 3}},
    "spenders": {"revenue": {"min": 400}},
}
AS_OF = "2030-01-01T00:00:00Z"


def oracle(server, segment):
    """The count evaluator-memory computes from the database, in a separate process."""
    r = A.run("segment", "eval", "--profile", server.profile, "--tenant", "demo", "--id", segment,
              "--as-of", AS_OF, "--count", "--evaluator", "evaluator-memory")
    return int(r.stdout.strip())


def api_count(server, token, segment, as_of=AS_OF):
    r = A.call(server, "GET", f"/v1/tenants/demo/segments/{segment}/count?as_of={as_of}", token)
    if r.status != 200:
        raise RuntimeError(f"count of {segment}: {r!r}")
    return r.body["count"]


def counts(server, token):
    return {s: api_count(server, token, s) for s in SEGMENTS}


def oracle_counts(server):
    return {s: oracle(server, s) for s in SEGMENTS}


def expect_fresh(what, server, token, before):
    now = counts(server, token)
    want = oracle_counts(server)
    A.check(f"{what}: every count equals evaluator-memory's", now == want,
            f"api {now}, oracle {want}")
    A.check(f"{what}: the data did change (the check can fail)", want != before,
            f"before {before}, after {want}")
    return want


def snapshot_files(work):
    return glob.glob(os.path.join(work, "var", "state", "plugins", "*", "*.snapshot"))


def no_snapshot_files(what, work):
    """The process that removed lines removed evaluator-columnar's file of the tenant: no file
    keeps removed lines, even before serve answers again."""
    files = snapshot_files(work)
    A.check(f"{what}: no snapshot file is left on disk", not files, files)


def concurrent_during_load(server, token, old, file):
    """40 clients ask while another process loads `file`; each answer is old or new."""
    answers = []
    errors = []
    lock = threading.Lock()
    loading = threading.Event()
    loading.set()

    def client(n):
        # Distinct instants (all after every line) so no answer comes from the host's cache.
        i = 0
        while loading.is_set() or i < 2:
            as_of = f"2030-01-01T00:{n:02d}:{i % 60:02d}Z"
            try:
                c = api_count(server, token, "buyers", as_of)
                with lock:
                    answers.append(c)
            except Exception as e:  # noqa: BLE001  (reported as a failure below)
                with lock:
                    errors.append(str(e))
            i += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(40)]
    for t in threads:
        t.start()
    A.run("load", "--profile", server.profile, "--tenant", "demo", file)
    loading.clear()
    for t in threads:
        t.join()
    new = oracle(server, "buyers")
    A.check("concurrent: no request failed", not errors, errors[:3])
    A.check("concurrent: the load changed the answer (the check can fail)", new != old["buyers"],
            new)
    odd = [a for a in answers if a not in (old["buyers"], new)]
    A.check(f"concurrent: each of {len(answers)} answers is the old or the new count", not odd,
            f"old {old['buyers']}, new {new}, others {sorted(set(odd))[:5]}")
    A.check("concurrent: the last answers are the new count",
            api_count(server, token, "buyers") == new)


def main():
    if not os.path.exists(os.path.join(PLUGIN_DIR, "sightline-evaluator-columnar.so")):
        print("FAIL evaluator-columnar is not built")
        return 1
    work = tempfile.mkdtemp(prefix="sightline-fresh.")
    os.chmod(work, 0o700)
    server = None
    try:
        os.chdir(work)
        alice = A.make_token("alice", "demo")
        server = A.Server(work, "fresh",
                          "  listen: [\"127.0.0.1:0\"]\n  tls: off\n  threads: 4\n"
                          "  limits: {max_connections: 128, min_free_mb: 1}\n" +
                          A.tokens_yaml([alice]),
                          ["evaluator-columnar", "evaluator-sql", "evaluator-memory"])
        token = alice["token"]
        gen = ["generate", "--customers", "3000"]
        A.run(*gen, "--rows", "20000", "--seed", "1", "--catalog", "--output", "catalog.csv")
        A.run(*gen, "--rows", "20000", "--seed", "1", "--output", "a.csv")
        A.run(*gen, "--rows", "6000", "--seed", "2", "--output", "b.csv")
        A.run(*gen, "--rows", "4000", "--seed", "3", "--output", "c.csv")
        A.run(*gen, "--rows", "60000", "--seed", "4", "--output", "big.csv")
        A.run("generate", "--rows", "3000", "--customers", "500", "--seed", "5",
              "--output", "full.csv")
        A.run("load", "--profile", server.profile, "--tenant", "demo", "catalog.csv", "a.csv")

        # Lines removed behind every version's back: the snapshot serve builds first holds
        # fewer lines than the archive, so only a snapshot rebuilt after the restore below can
        # answer with the restored count.
        db = os.path.join(work, "var", "db")
        files = [f for f in os.listdir(db) if f.startswith("demo") and f.endswith(".sqlite")]
        with sqlite3.connect(os.path.join(db, files[0])) as c:
            c.execute("DELETE FROM sale_lines WHERE id % 3 = 0")

        server.start()
        for s, rule in SEGMENTS.items():
            r = A.call(server, "PUT", f"/v1/tenants/demo/segments/{s}", token,
                       body={"id": s, "name": s, "rule": rule})
            A.check(f"PUT {s}", r.status in (200, 201), r)
        first = counts(server, token)
        want = oracle_counts(server)
        A.check("first answers equal evaluator-memory's", first == want, f"{first} vs {want}")
        A.check("the answer came from evaluator-columnar",
                any(e.get("evaluator") == "evaluator-columnar"
                    for e in server.events("segment.evaluated")))

        before = first
        A.run("load", "--profile", server.profile, "--tenant", "demo", "b.csv")
        before = expect_fresh("after an incremental load", server, token, before)
        A.run("delete", "--profile", server.profile, "--tenant", "demo", "--customers",
              ",".join(str(i) for i in range(1, 400)), "--reason", "freshness test")
        no_snapshot_files("after deleting customers", work)
        before = expect_fresh("after deleting customers", server, token, before)
        A.check("after the next answer: serve wrote the new snapshot file",
                len(snapshot_files(work)) == 1, snapshot_files(work))
        A.run("restore", "--profile", server.profile, "--tenant", "demo", "--replace",
              "--reason", "freshness test")
        before = expect_fresh("after restore --replace by another process", server, token,
                              before)
        concurrent_during_load(server, token, before, "big.csv")
        before = counts(server, token)
        A.run("load", "--profile", server.profile, "--tenant", "demo", "--full", "--reason",
              "freshness test", "full.csv")
        no_snapshot_files("after a full upload", work)
        expect_fresh("after a full upload", server, token, before)

        # A restarted serve opens the persisted snapshot instead of re-reading the database.
        server.stop()
        os.rename(server.log_file, server.log_file + ".1")  # start() waits for a new listening line
        server.start()
        A.check("after a restart: the answers are unchanged",
                counts(server, token) == oracle_counts(server))
        columnar = sorted({e["event"] for e in server.events()
                           if "columnar" in e.get("event", "") or "snapshot" in e.get("event", "")})
        print("     evaluator-columnar events after the restart:", columnar or "none")
    finally:
        if server:
            server.stop()
        if os.environ.get("KEEP_WORK"):
            print(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{A.passes} passed, {A.failures} failed")
    return 0 if A.failures == 0 else 1


PLUGIN_DIR = A.PLUGIN_DIR

if __name__ == "__main__":
    sys.exit(main())
