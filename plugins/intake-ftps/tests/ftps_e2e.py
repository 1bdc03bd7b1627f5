#!/usr/bin/env python3
"""A real FTPS client (Python's ftplib over TLS) for the end-to-end scripts tests/e2e/ftps_*.sh.

Each subcommand runs one client-side scenario against a running `sightline serve` and prints
what the server answered, one line per step ("step: reply"), for the script to check. Replies
are printed as received; nothing is judged here.

    ftps_e2e.py HOST PORT SCENARIO ARGS...
"""
import ftplib
import socket
import ssl
import sys


class Client(ftplib.FTP_TLS):
    """ftplib with the data connection resuming the control connection's TLS session (the
    server requires it, as vsftpd's require_ssl_reuse does)."""

    def __init__(self, host, port, source=None, timeout=20):
        ctx = ssl.create_default_context()
        # These tests are about limits and storage, not about certificates (ftps.sh checks
        # those): the self-signed certificate does not name the IPv6 test addresses.
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        super().__init__(context=ctx, timeout=timeout, source_address=(source, 0) if source else None)
        self.connect(host, int(port))
        self.auth()

    def ntransfercmd(self, cmd, rest=None):
        conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)
        if self._prot_p:
            conn = self.context.wrap_socket(conn, server_hostname=self.host, session=self.sock.session)
        return conn, size


def attempt(step, action):
    """Runs action and prints its reply, or the error the server answered with."""
    try:
        reply = action()
    except ftplib.all_errors as e:
        reply = str(e)
    print(f"{step}: {reply}", flush=True)
    return reply


def login(client, user, password):
    return client.login(user, password)


def upload(client, local, remote):
    """STOR, reading the final reply even when the server stopped reading the data connection
    (a full disk): ftplib would otherwise report only the broken pipe."""
    client.prot_p()
    conn, _ = client.ntransfercmd("STOR " + remote)
    try:
        with open(local, "rb") as f:
            while True:
                block = f.read(65536)
                if not block:
                    break
                conn.sendall(block)
        conn.unwrap()  # close_notify: the server keeps an upload only after it
    except (OSError, ssl.SSLError):
        pass  # the server gave up on the data connection: its reason is on the control one
    finally:
        conn.close()
    return client.voidresp()


def scenario_ban_open_sessions(host, port, user, password):
    """Sessions opened before a ban cannot go on guessing: each is refused at its next PASS,
    even with the right password, without a password being verified."""
    early = [Client(host, port) for _ in range(2)]
    attacker = Client(host, port)
    for i in range(10):
        reply = attempt(f"attacker failure {i + 1}", lambda: login(attacker, user, "wrong-%d" % i))
        if reply.startswith("421"):
            break
    attempt("early session, right password", lambda: login(early[0], user, password))
    attempt("early session, wrong password", lambda: login(early[1], user, "wrong-x"))


def scenario_account_cap(host, port, user, password, count):
    """Logs in `count` sessions of one account at once, then frees one and tries again."""
    sessions = []
    for i in range(int(count)):
        client = Client(host, port)
        attempt(f"session {i + 1}", lambda: login(client, user, password))
        sessions.append(client)
    sessions[0].quit()
    client = Client(host, port)
    attempt("after one quit", lambda: login(client, user, password))


def scenario_login(host, port, user, password):
    client = Client(host, port)
    attempt("login", lambda: login(client, user, password))


def scenario_upload(host, port, user, password, local, remote, source=None):
    client = Client(host, port, source)
    login(client, user, password)
    attempt("upload", lambda: upload(client, local, remote))


def scenario_delete(host, port, user, password, path):
    client = Client(host, port)
    login(client, user, password)
    attempt("delete", lambda: client.delete(path))


def scenario_list(host, port, user, password, path):
    client = Client(host, port)
    login(client, user, password)
    client.prot_p()
    for name in client.nlst(path):
        print(name)


def scenario_per_address(host, port, limit, *sources):
    """Holds `limit` connections from the first sources, then one more from each remaining
    source, printing each greeting (220 admitted, 421 refused)."""
    held = []
    for i, source in enumerate(sources):
        sock = socket.create_connection((host, int(port)), timeout=10, source_address=(source, 0))
        greeting = sock.makefile("rb").readline().decode(errors="replace").strip()
        print(f"connection {i + 1} from {source}: {greeting}", flush=True)
        held.append(sock)
    for sock in held:
        sock.close()


def scenario_ban_from(host, port, user, banned_source, *others):
    """Fails logins from banned_source until the ban, then connects from each other source."""
    client = Client(host, port, banned_source)
    for i in range(10):
        reply = attempt(f"failure {i + 1} from {banned_source}", lambda: login(client, user, "wrong-%d" % i))
        if reply.startswith("421"):
            break
        if i + 1 < 10 and not reply.startswith("530"):
            break
    for source in others:
        sock = socket.create_connection((host, int(port)), timeout=10, source_address=(source, 0))
        greeting = sock.makefile("rb").readline().decode(errors="replace").strip()
        print(f"then from {source}: {greeting}", flush=True)
        sock.close()


SCENARIOS = {
    "ban_open_sessions": scenario_ban_open_sessions,
    "account_cap": scenario_account_cap,
    "login": scenario_login,
    "upload": scenario_upload,
    "delete": scenario_delete,
    "list": scenario_list,
    "per_address": scenario_per_address,
    "ban_from": scenario_ban_from,
}

if __name__ == "__main__":
    host, port, name, *args = sys.argv[1:]
    SCENARIOS[name](host, port, *args)
