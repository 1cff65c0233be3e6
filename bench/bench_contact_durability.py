"""Contact form durability: acknowledged submissions survive SIGKILL, none twice.

Starts the site (``uvicorn allies.web.app:create_app --factory``) on a free loopback
port with a fresh SQLite database (or ``--database-url``) and the rate limit raised,
then sends ``--submissions`` contact forms from ``--clients`` concurrent clients, each
with its own idempotency key and a nonce in the message. While they run, the server is
killed with SIGKILL ``--kills`` times (evenly spread over the run) and restarted. A
client retries a submission with the same idempotency key after a connection error,
until it gets the success response (303 to /contact/thanks).

Finally the database is read directly: every acknowledged submission must be there
exactly once with its own message, nothing may be there that was not sent, and SQLite's
integrity check must pass. Exit status 0 only if all of that holds.

    .venv/bin/python bench/bench_contact_durability.py            # 2,000 x 32 clients, 2 kills
    .venv/bin/python bench/bench_contact_durability.py --json     # the figures as JSON

Loopback only; every loop is bounded by ``--timeout``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import queue
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

from sqlalchemy import text

from allies.store import make_engine

HOST = "127.0.0.1"
CONNECTION_ERRORS = (ConnectionError, http.client.HTTPException, TimeoutError, OSError)


@dataclass
class Job:
    key: str
    nonce: str
    acked: bool = False
    attempts: int = 0
    connection_errors: int = 0
    last_attempt_at: float = 0.0
    latency: float = 0.0


@dataclass
class Figures:
    submissions: int
    clients: int
    kills: int = 0
    acknowledged: int = 0
    stored: int = 0
    stored_once: int = 0
    lost: int = 0
    duplicated: int = 0
    unexpected_rows: int = 0
    wrong_message: int = 0
    unacknowledged: int = 0
    retried_after_connection_error: int = 0
    connection_errors: int = 0
    stored_before_lost_response: int = 0
    integrity_check: str = ""
    seconds: float = 0.0
    restart_seconds: list[float] = field(default_factory=list)
    latency_ms_p50: float = 0.0
    latency_ms_p95: float = 0.0
    latency_ms_max: float = 0.0

    @property
    def ok(self) -> bool:
        return (
            self.acknowledged == self.submissions
            and self.lost == 0
            and self.duplicated == 0
            and self.unexpected_rows == 0
            and self.wrong_message == 0
            and self.integrity_check in ("ok", "n/a")
        )


class Server:
    """The site as a child process; ``kill()`` sends SIGKILL, ``start()`` starts it again."""

    def __init__(self, port: int, env: dict[str, str], log: Path) -> None:
        self.port = port
        self.env = env
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float) -> float:
        started = time.monotonic()
        command = [
            sys.executable, "-m", "uvicorn", "allies.web.app:create_app", "--factory",
            "--host", HOST, "--port", str(self.port), "--log-level", "warning", "--no-access-log",
        ]  # fmt: skip
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}; see {self.log}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                conn.request("GET", "/contact")
                ready = conn.getresponse().status == 200
                conn.close()
                if ready:
                    return time.monotonic() - started
            except CONNECTION_ERRORS:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"the server did not answer within {timeout} s; see {self.log}")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


class Client:
    """One browser-like client: fetches the form (CSRF cookie and token), then posts."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn: http.client.HTTPConnection | None = None
        self.cookie = ""
        self.token = ""

    def _connection(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=15)
        return self.conn

    def reset(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.conn = None

    def fetch_form(self) -> None:
        conn = self._connection()
        conn.request("GET", "/contact", headers={"Cookie": self.cookie} if self.cookie else {})
        response = conn.getresponse()
        page = response.read().decode()
        jar: SimpleCookie = SimpleCookie()
        for header in response.headers.get_all("set-cookie") or []:
            jar.load(header)
        if "allies_csrf" in jar:
            self.cookie = f"allies_csrf={jar['allies_csrf'].value}"
        found = re.search(r'name="csrf_token" value="([^"]+)"', page)
        if response.status != 200 or not found:
            raise RuntimeError(f"GET /contact answered {response.status}")
        self.token = found.group(1)

    def post(self, job: Job) -> int:
        if not self.token:
            self.fetch_form()
        body = urllib.parse.urlencode(
            {
                "csrf_token": self.token,
                "idempotency_key": job.key,
                "email": "bench@example.org",
                "message": f"Durability bench message {job.nonce}.",
                "record": "",
                "website": "",
            }
        )
        conn = self._connection()
        conn.request(
            "POST",
            "/contact",
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": self.cookie},
        )
        response = conn.getresponse()
        response.read()
        if response.status == 303 and response.getheader("location") != "/contact/thanks":
            raise RuntimeError(f"unexpected redirect to {response.getheader('location')}")
        return response.status


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def run_client(port: int, jobs: queue.Queue[Job], deadline: float, problems: list[str]) -> None:
    client = Client(port)
    while time.monotonic() < deadline:
        try:
            job = jobs.get_nowait()
        except queue.Empty:
            break
        delay = 0.02
        while not job.acked and time.monotonic() < deadline:
            job.attempts += 1
            job.last_attempt_at = time.time()
            started = time.monotonic()
            try:
                status = client.post(job)
            except CONNECTION_ERRORS:
                job.connection_errors += 1
                client.reset()
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
                continue
            if status == 303:
                job.acked = True
                job.latency = time.monotonic() - started
            elif status == 403:  # token no longer valid: fetch the form again
                client.token = ""
            elif status in (429, 500, 502, 503):
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
            else:
                problems.append(f"{job.key}: unexpected status {status}")
                break
    client.reset()


def run(args: argparse.Namespace) -> Figures:
    workdir = Path(tempfile.mkdtemp(prefix="allies-bench-"))
    database_url = args.database_url or f"sqlite:///{workdir / 'allies.db'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALLIES_")}
    env |= {
        "ALLIES_DATABASE_URL": database_url,
        "ALLIES_RATE_LIMIT": "100000000",
        "ALLIES_SECRET": secrets.token_hex(32),
        "ALLIES_CACHE_DIR": str(workdir / "cache"),
    }
    server = Server(args.port or free_port(), env, workdir / "server.log")
    jobs = [
        Job(f"bench-{n:05d}-{secrets.token_hex(8)}", secrets.token_hex(12)) for n in range(args.submissions)
    ]
    figures = Figures(args.submissions, args.clients)
    pending: queue.Queue[Job] = queue.Queue()
    for job in jobs:
        pending.put(job)
    problems: list[str] = []
    try:
        server.start(args.timeout)
        started = time.monotonic()
        deadline = started + args.timeout
        threads = [
            threading.Thread(target=run_client, args=(server.port, pending, deadline, problems), daemon=True)
            for _ in range(args.clients)
        ]
        for thread in threads:
            thread.start()
        for kill in range(1, args.kills + 1):
            target = args.submissions * kill // (args.kills + 1)
            while sum(j.acked for j in jobs) < target and time.monotonic() < deadline:
                time.sleep(0.005)
            server.kill()
            figures.kills += 1
            figures.restart_seconds.append(round(server.start(args.timeout), 2))
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        figures.seconds = round(time.monotonic() - started, 2)
    finally:
        server.stop()
    for problem in problems[:10]:
        print("problem:", problem, file=sys.stderr)
    verify(jobs, database_url, figures)
    if figures.ok and not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"kept {workdir} (server.log, database)", file=sys.stderr)
    return figures


def verify(jobs: list[Job], database_url: str, figures: Figures) -> None:
    engine = make_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT idempotency_key, message, created_at FROM submissions")).all()
        if engine.dialect.name == "sqlite":
            figures.integrity_check = str(conn.execute(text("PRAGMA integrity_check")).scalar())
        else:
            figures.integrity_check = "n/a"
    engine.dispose()
    by_key: dict[str, list[Any]] = {}
    for key, message, created_at in rows:
        by_key.setdefault(key, []).append((message, created_at))
    known = {job.key: job for job in jobs}
    figures.stored = len(rows)
    figures.unexpected_rows = sum(len(v) for k, v in by_key.items() if k not in known)
    figures.duplicated = sum(len(v) - 1 for v in by_key.values() if len(v) > 1)
    latencies = sorted(job.latency * 1000 for job in jobs if job.acked)
    for job in jobs:
        found = by_key.get(job.key, [])
        figures.acknowledged += job.acked
        figures.connection_errors += job.connection_errors
        figures.retried_after_connection_error += job.connection_errors > 0
        if job.acked and not found:
            figures.lost += 1
        if found:
            figures.stored_once += len(found) == 1
            figures.wrong_message += any(job.nonce not in message for message, _ in found)
        if not job.acked and found:
            figures.unacknowledged += 1
        if job.acked and job.connection_errors and found:
            created = _timestamp(found[0][1])
            figures.stored_before_lost_response += created < job.last_attempt_at - 0.001
    if latencies:
        figures.latency_ms_p50 = round(statistics.median(latencies), 1)
        figures.latency_ms_p95 = round(latencies[int(len(latencies) * 0.95) - 1], 1)
        figures.latency_ms_max = round(latencies[-1], 1)


def _timestamp(value: Any) -> float:
    """A stored ``created_at`` (a datetime, or SQLite's text, in UTC) as a Unix time."""
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    assert isinstance(moment, dt.datetime)
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).timestamp()


def report(figures: Figures) -> str:
    rate = figures.submissions / figures.seconds if figures.seconds else 0.0
    lines = [
        f"submissions sent             {figures.submissions:,} from {figures.clients} concurrent clients",
        f"server SIGKILLed             {figures.kills} times; restarts took {figures.restart_seconds} s",
        f"acknowledged (303)           {figures.acknowledged:,}",
        f"rows in the database         {figures.stored:,}",
        f"acknowledged, stored once    {figures.stored_once:,}",
        f"lost                         {figures.lost}",
        f"duplicated                   {figures.duplicated}",
        f"rows nobody sent             {figures.unexpected_rows}",
        f"rows with the wrong message  {figures.wrong_message}",
        f"retried after a conn. error  {figures.retried_after_connection_error} submissions "
        f"({figures.connection_errors} errors)",
        f"stored, response lost, retry deduplicated  {figures.stored_before_lost_response}",
        f"SQLite integrity_check       {figures.integrity_check}",
        f"wall time                    {figures.seconds} s ({rate:.0f} submissions/s, restarts included)",
        f"POST latency (ms)            p50 {figures.latency_ms_p50}, p95 {figures.latency_ms_p95}, "
        f"max {figures.latency_ms_max}",
        "RESULT                       " + ("PASS" if figures.ok else "FAIL"),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--submissions", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--kills", type=int, default=2)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument(
        "--database-url", default="", help="an empty database (default: a new SQLite file in a temp folder)"
    )
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds for the whole run")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    figures = run(args)
    if args.json:
        print(json.dumps({**figures.__dict__, "ok": figures.ok}, indent=2))
    else:
        print(report(figures))
    return 0 if figures.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
