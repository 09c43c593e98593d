"""A small ListObjectsV2 server for the evidence bench: a sorted in-memory index, a fixed delay.

Listing speed on real S3 is bound by the round trip of each page (about 100 ms) and by the
client's XML parsing, not by the server. moto is the wrong yardstick for that (it scans and
sorts every key of the bucket for every page), so the bench serves ListObjectsV2 from a sorted
list of keys: each page costs O(log n + page) on the server, plus a fixed ``--delay`` that
stands for the round trip. Every other request (the SageMaker history calls that
``sm-advisor assess --evidence`` makes) gets an empty JSON answer after the same delay.

Usage: ``python bench/s3_index_server.py --port P --objects 200000 --partitions 32 --delay 0.1``
(prints ``ready`` on stdout once it listens). Binds 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import base64
import bisect
import sys
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, urlsplit
from xml.sax.saxutils import escape

BUCKET = "lake"
PREFIX = "events/"
NEXT = chr(ord("/") + 1)  # "0": the first string after every key under "p/" is "p0"


class Index:
    """Keys, sizes and dates of one bucket, sorted by key (S3's order: UTF-8 bytes)."""

    def __init__(self, objects: int, partitions: int) -> None:
        start = datetime(2026, 10, 1, tzinfo=UTC)
        per = -(-objects // partitions)
        rows = []
        for n in range(objects):
            p, i = divmod(n, per)
            day = start + timedelta(days=p)
            stamp = (day + timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
            rows.append((f"{PREFIX}dt={day:%Y-%m-%d}/part-{i:06}.json", 1000 + n % 5000, stamp))
        rows.sort()
        self.keys = [r[0] for r in rows]
        self.sizes = [r[1] for r in rows]
        self.dates = [r[2] for r in rows]

    def page(
        self, prefix: str, delimiter: str, start: int, max_keys: int
    ) -> tuple[list[int], list[str], int | None]:
        """Object positions and common prefixes of one page, and where the next one starts."""
        keys, found, commons = self.keys, [], []
        i = start
        while i < len(keys) and keys[i].startswith(prefix):
            if len(found) + len(commons) == max_keys:
                return found, commons, i
            rest = keys[i][len(prefix) :]
            cut = rest.find(delimiter) if delimiter else -1
            if cut >= 0:
                common = prefix + rest[: cut + 1]
                commons.append(common)
                i = bisect.bisect_left(keys, common[:-1] + chr(ord(delimiter) + 1))
            else:
                found.append(i)
                i += 1
        return found, commons, None


def _token(position: int) -> str:
    return base64.urlsafe_b64encode(str(position).encode()).decode()


def _position(index: Index, query: dict[str, str]) -> int:
    if "continuation-token" in query:
        return int(base64.urlsafe_b64decode(query["continuation-token"]).decode())
    start = bisect.bisect_left(index.keys, query.get("prefix", ""))
    if "start-after" in query:
        start = max(start, bisect.bisect_right(index.keys, query["start-after"]))
    return start


def list_objects_v2(index: Index, query: dict[str, str]) -> bytes:
    """The ListBucketResult XML of one page."""
    prefix, delimiter = query.get("prefix", ""), query.get("delimiter", "")
    max_keys = min(int(query.get("max-keys", "1000")), 1000)
    encode = query.get("encoding-type") == "url"

    def name(text: str) -> str:
        return quote(text, safe="/") if encode else escape(text)

    found, commons, following = index.page(prefix, delimiter, _position(index, query), max_keys)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
    ]
    parts.append(f"<Name>{BUCKET}</Name><Prefix>{name(prefix)}</Prefix>")
    parts.append(f"<KeyCount>{len(found) + len(commons)}</KeyCount><MaxKeys>{max_keys}</MaxKeys>")
    if delimiter:
        parts.append(f"<Delimiter>{name(delimiter)}</Delimiter>")
    if encode:
        parts.append("<EncodingType>url</EncodingType>")
    parts.append(f"<IsTruncated>{'true' if following is not None else 'false'}</IsTruncated>")
    if following is not None:
        parts.append(f"<NextContinuationToken>{_token(following)}</NextContinuationToken>")
    for i in found:
        parts.append(
            f"<Contents><Key>{name(index.keys[i])}</Key><LastModified>{index.dates[i]}"
            f'</LastModified><ETag>"e{i}"</ETag><Size>{index.sizes[i]}</Size>'
            "<StorageClass>STANDARD</StorageClass></Contents>"
        )
    parts += [f"<CommonPrefixes><Prefix>{name(c)}</Prefix></CommonPrefixes>" for c in commons]
    parts.append("</ListBucketResult>")
    return "".join(parts).encode()


class Handler(BaseHTTPRequestHandler):
    """ListObjectsV2 on GET /lake?list-type=2; an empty JSON object for anything else."""

    server: Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def _reply(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        time.sleep(self.server.delay)
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        if url.path.strip("/") != BUCKET or query.get("list-type") != "2":
            self._reply(404, b"<Error><Code>NoSuchKey</Code></Error>", "application/xml")
            return
        self._reply(200, list_objects_v2(self.server.index, query), "application/xml")

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        time.sleep(self.server.delay)
        self._reply(200, b"{}", "application/x-amz-json-1.1")


class Server(ThreadingHTTPServer):
    """Serves one ``Index`` with a fixed delay per request."""

    daemon_threads = True

    def __init__(self, port: int, index: Index, delay: float) -> None:
        super().__init__(("127.0.0.1", port), Handler)
        self.index, self.delay = index, delay


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--objects", type=int, default=200_000)
    parser.add_argument("--partitions", type=int, default=32)
    parser.add_argument("--delay", type=float, default=0.1)
    args = parser.parse_args()
    server = Server(args.port, Index(args.objects, args.partitions), args.delay)
    print("ready", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
