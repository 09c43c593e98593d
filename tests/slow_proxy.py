"""A forwarding proxy on 127.0.0.1 that delays ListObjectsV2 requests on their way to moto.

Real S3 answers a listing page in about 100 ms; moto on 127.0.0.1 answers small buckets in a
few. Tests of time budgets and Ctrl+C need listings that take time, while moto still serves
every request (the proxy forwards bytes untouched, it fakes nothing). ``listings`` counts the
ListObjectsV2 requests seen, so a test can wait until a listing is under way; with
``hold_after=N`` the listings after the N-th wait until ``release()`` (or the end of the block),
so a test can interrupt a listing that is certainly still running, however fast the machine.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "upgrade"}


class SlowProxy(ThreadingHTTPServer):
    """Forwards every request to ``upstream``; ListObjectsV2 ones after ``delay`` seconds."""

    daemon_threads = True

    def __init__(self, upstream: str, delay: float, hold_after: int | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.delay = delay
        self.listings = 0
        self.lock = threading.Lock()
        self.hold_after = hold_after
        self.gate = threading.Event()

    def release(self) -> None:
        """Let the held listings (``hold_after``) go on."""
        self.gate.set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: SlowProxy
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def _forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if "list-type=2" in self.path:
            with self.server.lock:
                self.server.listings += 1
                held = (
                    self.server.hold_after is not None
                    and self.server.listings > self.server.hold_after
                )
            if held:
                self.server.gate.wait(60)
            time.sleep(self.server.delay)
        conn = http.client.HTTPConnection(*self.server.upstream, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
        conn.request(self.command, self.path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        conn.close()
        self.send_response(response.status)
        for key, value in response.getheaders():
            if key.lower() not in HOP | {"content-length"}:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _forward


@contextmanager
def slow_proxy(upstream: str, delay: float, hold_after: int | None = None) -> Iterator[SlowProxy]:
    """Run a ``SlowProxy`` in a thread for the duration of the block."""
    proxy = SlowProxy(upstream, delay, hold_after)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        proxy.release()
        proxy.shutdown()
        proxy.server_close()
