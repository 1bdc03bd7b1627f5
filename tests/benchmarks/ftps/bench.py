#!/usr/bin/env python3
"""FTPS intake benchmark (docs/benchmarks.md), two parts:

1. Throughput: one SIZE_MIB file uploaded with curl over TLS 1.2 with one cipher
   (ECDHE-ECDSA-AES128-GCM-SHA256) to intake-ftps and to vsftpd (Debian package, explicit FTPS,
   the same certificate), alternating, RUNS times each; the median MiB/s of each and their ratio.
   intake-ftps also fsyncs every upload before it answers 226; vsftpd does not. The intake's
   work after the 226 (hashing, submitting) is waited for before vsftpd's turn.
2. Concurrency: SESSIONS curl processes at once, each logging in and uploading one small file,
   spread over 127.0.0.x source addresses (the per-address limit is 8); all must succeed. It
   prints p50/p99 time per upload and the server's peak RSS (VmHWM).

usage: tests/benchmarks/ftps/bench.py [--build build/bench] [--size-mib 1024] [--runs 3]
                                      [--sessions 200]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
CIPHER = "ECDHE-ECDSA-AES128-GCM-SHA256"


def start_vsftpd(work):
    env = dict(os.environ, SIGHTLINE_VSFTPD_DIR=os.path.join(work, "vsftpd"),
               SIGHTLINE_VSFTPD_PORT=os.environ.get("BENCH_VSFTPD_PORT", "2431"))
    out = subprocess.run([os.path.join(ROOT, "tests/vsftpd/start-vsftpd.sh")], env=env,
                         check=True, capture_output=True, text=True).stdout
    exports = {}
    for line in out.splitlines():
        if line.startswith("export "):
            key, _, value = line[len("export "):].partition("=")
            exports[key] = value.strip("'\"")
    return env, exports


def start_intake(work, build, cert, key):
    """The intake-ftps test server: the real plugin behind a sink that only records uploads."""
    landing = os.path.join(work, "landing")
    os.makedirs(landing, exist_ok=True)
    password = "bench-password-" + os.urandom(8).hex()
    sightline = os.path.join(build, "bin", "sightline")
    hashed = json.loads(subprocess.run(
        [sightline, "tenant", "passwd", "--user", "bench", "--tenant", "bench", "--json"],
        input=password + "\n", capture_output=True, text=True, check=True).stdout)["password_hash"]
    config = {
        "listen": "127.0.0.1:0", "passive_ports": "41000-41999", "certificate": cert,
        "private_key": key, "landing": landing,
        "accounts": [{"user": "bench", "tenant": "bench", "password": hashed}],
        "quota": {"max_bytes": 64 << 30, "max_files": 100000},
        "max_file_bytes": 32 << 30,
        # Every session logs in as the one account "bench": lift the per-account cap (4).
        "limits": {"max_sessions_per_account": 10000},
    }
    config_file = os.path.join(work, "intake.json")
    with open(config_file, "w") as f:
        json.dump(config, f)
    server = subprocess.Popen(
        [os.path.join(build, "bin", "sightline_intake_ftps_test_server"), config_file,
         os.path.join(work, "records.jsonl"), "bench"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=open(os.path.join(work, "intake.log"), "w"),
        text=True)
    line = server.stdout.readline()
    if not line.startswith("PORT "):
        sys.exit("the intake test server did not start; see " + os.path.join(work, "intake.log"))
    return server, int(line.split()[1]), password, landing


def curl_upload(port, user, password, ca, path, remote, extra=()):
    start = time.monotonic()
    r = subprocess.run(["curl", "-sS", "--ssl-reqd", "--cacert", ca, "--tls-max", "1.2",
                        "--ciphers", CIPHER, "--user", f"{user}:{password}", "-T", path,
                        f"ftp://127.0.0.1:{port}/{remote}", *extra],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"curl failed ({r.returncode}): {r.stderr.strip()}")
    return time.monotonic() - start


def wait_for_records(path, count, timeout=120):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with open(path) as f:
                if sum(1 for _ in f) >= count:
                    return
        except FileNotFoundError:
            pass
        time.sleep(0.05)
    sys.exit(f"the intake did not submit upload {count} within {timeout} s")


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build/bench")
    ap.add_argument("--size-mib", type=int, default=1024)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sessions", type=int, default=200)
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    for tool in ("curl", "/usr/sbin/vsftpd"):
        if not shutil.which(tool):
            sys.exit(f"needs {tool} (apt-get install curl vsftpd)")
    work = tempfile.mkdtemp(prefix="sightline-ftps-bench.", dir=os.environ.get("BENCH_DIR"))
    server = None
    vs_env = None
    try:
        vs_env, vs = start_vsftpd(work)
        ca = vs["SIGHTLINE_VSFTPD_CA"]
        key = os.path.join(vs["SIGHTLINE_VSFTPD_DIR"], "tls", "server.key")
        server, port, password, landing = start_intake(work, build, ca, key)

        big = os.path.join(work, "big.bin")
        with open(big, "wb") as f:
            chunk = os.urandom(1 << 20)
            for _ in range(args.size_mib):
                f.write(chunk)
        size = args.size_mib
        ours, theirs = [], []
        for run in range(args.runs):
            t = curl_upload(port, "bench", password, ca, big, f"big{run}.bin")
            ours.append(size / t)
            # The intake hashes and submits the file after its 226; let that finish so it does not
            # share the CPU with vsftpd's turn.
            wait_for_records(os.path.join(work, "records.jsonl"), run + 1)
            t = curl_upload(int(vs["SIGHTLINE_VSFTPD_PORT"]), vs["SIGHTLINE_VSFTPD_USER"],
                            vs["SIGHTLINE_VSFTPD_PASSWORD"], ca, big, f"big{run}.bin")
            theirs.append(size / t)
            for name in os.listdir(vs["SIGHTLINE_VSFTPD_ROOT"]):
                os.unlink(os.path.join(vs["SIGHTLINE_VSFTPD_ROOT"], name))
        a, b = statistics.median(ours), statistics.median(theirs)
        print(f"upload of {size} MiB, curl, TLS 1.2 {CIPHER}, median of {args.runs}")
        print(f"  {'intake-ftps':<14}{a:10.1f} MiB/s   runs: {', '.join(f'{x:.1f}' for x in ours)}")
        print(f"  {'vsftpd 3.0.3':<14}{b:10.1f} MiB/s   runs: {', '.join(f'{x:.1f}' for x in theirs)}")
        print(f"  ratio intake-ftps / vsftpd: {a / b:.2f}x")
        os.unlink(big)

        small = os.path.join(work, "small.csv")
        with open(small, "w") as f:
            f.write("order,timestamp,customer,item,price\n")
            for i in range(200):
                f.write(f"o{i},2026-01-01T00:00:00Z,{i},item{i % 7},{i}.50\n")
        procs = []
        start = time.monotonic()
        for i in range(args.sessions):
            source = f"127.0.0.{i % 25 + 1}"
            procs.append(subprocess.Popen(
                ["curl", "-sS", "--ssl-reqd", "--cacert", ca, "--interface", source,
                 "--user", f"bench:{password}", "-T", small, "-w", "%{time_total}",
                 f"ftp://127.0.0.1:{port}/s{i}.csv"],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        times, failures = [], []
        for p in procs:
            out, err = p.communicate()
            if p.returncode == 0:
                times.append(float(out.strip()))
            else:
                failures.append(err.strip())
        wall = time.monotonic() - start
        times.sort()
        rss = peak_rss_mib(server.pid)
        print(f"{args.sessions} concurrent sessions (login + one {os.path.getsize(small)} B upload each), "
              f"from 25 source addresses")
        print(f"  succeeded {len(times)}/{args.sessions}; wall {wall:.2f} s")
        if times:
            p99 = times[min(len(times) - 1, int(round(0.99 * len(times))) - 1)]
            print(f"  per upload: p50 {statistics.median(times) * 1000:.0f} ms, "
                  f"p99 {p99 * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms")
        print(f"  intake-ftps peak RSS (VmHWM): {rss:.1f} MiB (target < 150)")
        for e in sorted(set(failures))[:5]:
            print("  failure:", e)
        return 0 if not failures else 1
    finally:
        if server:
            try:
                server.stdin.write("quit\n")
                server.stdin.flush()
                server.wait(timeout=20)
            except Exception:
                server.kill()
        if vs_env:
            subprocess.run([os.path.join(ROOT, "tests/vsftpd/stop-vsftpd.sh"), "--clean"],
                           env=vs_env, capture_output=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
