"""A real moto server on 127.0.0.1 for tests that talk to "AWS" over HTTP.

``moto_server`` (session scope) starts ``python -m moto.server`` on a free port, waits until it
answers, yields its endpoint URL and stops it. Tests point boto3 at it with ``aws_env(url)``
(``AWS_ENDPOINT_URL``, dummy credentials, a region, no shared config, no instance metadata), and
call ``reset(url)`` first when they need an empty account.

``start_moto_server(clock_file=...)`` starts a server whose clock the test sets (see
``moto_clock.py``), for seeding history on chosen dates.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REGION = "us-east-1"


def free_port() -> int:
    """Return a TCP port that was free a moment ago on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class MotoServer:
    """A running moto server process and how to reach and control it."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path
    clock_file: Path | None = None

    def set_clock(self, when: dt.datetime | None) -> None:
        """Freeze the server's clock at ``when`` (aware), or let it run again (None)."""
        if self.clock_file is None:
            raise RuntimeError("this server was started without a clock file")
        if when is None:
            self.clock_file.unlink(missing_ok=True)
        else:
            self.clock_file.write_text(when.astimezone(dt.UTC).isoformat())

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 5 s)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def _post(url: str, body: bytes = b"") -> None:
    # text/plain: with urllib's default form type, Flask would swallow the body into a form.
    req = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "text/plain"}
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        resp.read()


def reset(url: str) -> None:
    """Empty every moto backend of the server (a fresh account)."""
    _post(f"{url}/moto-api/reset")


def enforce_auth(url: str, enforce: bool) -> None:
    """Turn IAM authorisation on (every request is checked against policies) or off."""
    _post(f"{url}/moto-api/reset-auth", b"0" if enforce else b"inf")


def _wait_ready(server: MotoServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"moto server exited early: {server.log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{server.url}/moto-api/data.json", timeout=1):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"moto server did not answer within {timeout:.0f} s: {server.log}")


def start_moto_server(
    log_dir: Path, clock_file: Path | None = None, timeout: float = 60.0
) -> MotoServer:
    """Start a moto server on 127.0.0.1 on a free port and wait until it answers."""
    port = free_port()
    launcher = (
        [str(HERE / "moto_clock.py"), str(clock_file)] if clock_file else ["-m", "moto.server"]
    )
    log = log_dir / f"moto-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, *launcher, "-H", "127.0.0.1", "-p", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "MOTO_PORT": str(port)},
        )
    server = MotoServer(f"http://127.0.0.1:{port}", process, log, clock_file)
    _wait_ready(server, timeout)
    return server


def aws_env(url: str, region: str = REGION) -> dict[str, str]:
    """Environment that points boto3 at ``url`` with dummy credentials and nothing else."""
    return {
        "AWS_ENDPOINT_URL": url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": region,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
    }


UNSET = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")


def use_aws_env(monkeypatch: pytest.MonkeyPatch, url: str, region: str = REGION) -> None:
    """Apply ``aws_env`` to this process for one test (and drop any real AWS settings)."""
    for name in UNSET:
        monkeypatch.delenv(name, raising=False)
    for name, value in aws_env(url, region).items():
        monkeypatch.setenv(name, value)


@pytest.fixture(scope="session")
def moto_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Yield the endpoint URL of a moto server shared by the session; stop it afterwards."""
    server = start_moto_server(tmp_path_factory.mktemp("moto"))
    try:
        yield server.url
    finally:
        server.stop()
