"""A real server for the benchmark and the load test: gunicorn on this machine's loopback.

Everything here talks only to 127.0.0.1, and every loop is bounded in time.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(database_url: str, instance_dir: Path) -> dict[str, str]:
    """The environment a benchmark server runs with: development config, plain HTTP."""
    env = dict(os.environ)
    env.update(
        FLS_ENV="development",
        DATABASE_URL=database_url,
        FLS_INSTANCE_DIR=str(instance_dir),
        SECRET_KEY="bench-only-secret",
        SESSION_COOKIE_SECURE="0",
        LOG_LEVEL="WARNING",
    )
    return env


@contextlib.contextmanager
def gunicorn(database_url: str, instance_dir: Path, workers: int = 2) -> Iterator[str]:
    """Start gunicorn on a free loopback port; yields its base URL and stops it after."""
    port = free_port()
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "--workers", str(workers),
        "--bind", f"127.0.0.1:{port}",
        "--log-level", "warning",
        "--timeout", "60",
        "wsgi:app",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=server_env(database_url, instance_dir))
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if request(port, "GET", "/healthz")[0] == 200:
                    break
            time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not answer /healthz within 30 s")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def request(
    port: int, method: str, path: str, body: str | None = None, headers: dict | None = None
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def sign_in(base: str, email: str, password: str) -> str:
    """Sign in through the real form; returns the Cookie header for later requests."""
    port = int(base.rsplit(":", 1)[1])
    status, headers, body = request(port, "GET", "/login")
    cookie = headers.get("Set-Cookie", "").split(";", 1)[0]
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body)
    assert status == 200 and token, "the sign-in page has no CSRF token"
    form = urlencode({"email": email, "password": password, "csrf_token": token.group(1)})
    status, headers, _ = request(
        port,
        "POST",
        "/login",
        body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    assert status in (302, 303), f"sign-in failed with {status}"
    return headers.get("Set-Cookie", "").split(";", 1)[0]


@dataclass
class Throughput:
    requests: int
    errors: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def throughput(base: str, path: str, cookie: str, seconds: float, clients: int = 4) -> Throughput:
    """Requests a second that `clients` parallel clients get for `path` in `seconds`."""
    port = int(base.rsplit(":", 1)[1])
    counts = [0] * clients
    errors = [0] * clients
    stop_at = time.monotonic() + seconds

    def hammer(slot: int) -> None:
        while time.monotonic() < stop_at:
            try:
                status = request(port, "GET", path, headers={"Cookie": cookie})[0]
            except OSError:
                status = 0
            counts[slot] += 1
            if status != 200:
                errors[slot] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=hammer, args=(slot,)) for slot in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Throughput(sum(counts), sum(errors), time.monotonic() - started)
