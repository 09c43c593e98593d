"""The bench's evidence section: listing 200,000 S3 objects, ours against a sequential paginator.

Both run as whole processes against ``s3_index_server.py`` (a sorted in-memory ListObjectsV2 index
behind a fixed delay per request), interleaved, in the same run; wall time, CPU time and peak RSS
come from ``os.wait4``. See bench/README.md.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

SEQUENTIAL = """\
import boto3
objects = size = 0
paginator = boto3.client("s3").get_paginator("list_objects_v2")
for page in paginator.paginate(Bucket="lake", Prefix="events/"):
    for obj in page.get("Contents", ()):
        objects += 1
        size += obj["Size"]
print(objects, size)
"""


def start_index_server(
    objects: int, partitions: int, delay: float
) -> tuple[subprocess.Popen[str], str]:
    """Start bench/s3_index_server.py on a free port of 127.0.0.1; wait until it listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [
            sys.executable,
            str(HERE / "s3_index_server.py"),
            "--port",
            str(port),
            "--objects",
            str(objects),
            "--partitions",
            str(partitions),
            "--delay",
            str(delay),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc, f"http://127.0.0.1:{port}"


def aws_env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        {
            "AWS_ENDPOINT_URL": url,
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_EC2_METADATA_DISABLED": "true",
        }
    )
    return env


def wait4_run(argv: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one whole process, and its stdout."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            sys.exit(f"bench: {argv[:3]} failed: {err.read()[-800:]}")
        return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.read()


def bench_evidence(
    exe: str, runs: int, objects: int = 200_000, partitions: int = 32, delay: float = 0.1
) -> None:
    """Sequential boto3 paginator vs sm-advisor assess --evidence, same server, same run."""
    servers = [start_index_server(objects, partitions, d) for d in (delay, 0.0)]
    (_, slow), (_, fast) = servers
    ours = [
        exe,
        "assess",
        "--evidence",
        "s3://lake/events/",
        "--evidence-budget",
        "0",
        "--format",
        "json",
    ]
    contenders = {
        f"boto3 paginator, sequential ({delay * 1000:.0f} ms)": (
            [sys.executable, "-c", SEQUENTIAL],
            slow,
        ),
        f"sm-advisor assess --evidence ({delay * 1000:.0f} ms)": (ours, slow),
        "sm-advisor assess --evidence (0 ms)": (ours, fast),
    }
    results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in contenders}
    listing: dict[str, object] = {}
    try:
        for _ in range(runs):
            for name, (argv, url) in contenders.items():
                wall, cpu, peak, out = wait4_run(argv, aws_env(url))
                if argv[0] == exe:
                    s3 = json.loads(out)["evidence"]["s3"]
                    assert (s3["objects"], s3["estimated"]) == (objects, False), s3
                    listing = s3["listing"]
                else:
                    assert int(out.split()[0]) == objects, out
                results[name].append((wall, cpu, peak))
    finally:
        for proc, _ in servers:
            proc.terminate()
            proc.wait()
    print(
        f"\n## evidence: {objects:,} objects in {partitions} date partitions "
        f"(medians of {runs} interleaved runs; every request delayed {delay * 1000:.0f} ms "
        "except where marked 0 ms)"
    )
    medians = {}
    for name, rows in results.items():
        wall, cpu, peak = (statistics.median(r[i] for r in rows) for i in range(3))
        medians[name] = wall
        print(f"  {name:<48} {wall:7.2f} s wall  {cpu:6.2f} s CPU  {peak:6.1f} MB peak")
    seq, par = list(medians.values())[:2]
    peak_ours = max(r[2] for r in results[list(contenders)[1]])
    print(f"  listing: {listing}")
    ours_wall, ours_cpu = (
        statistics.median(r[i] for r in results[list(contenders)[1]]) for i in (0, 1)
    )
    pages = -(-objects // partitions // 1000)
    rounds = -(-partitions // 16)
    floor = delay * (1 + rounds * pages + 4)  # root, partition pages in rounds, 4 SageMaker lists
    print(
        f"  ours: {ours_cpu:.1f} s CPU in {ours_wall:.1f} s wall "
        f"({ours_cpu / ours_wall:.0%} of one core); the network floor is about {floor:.1f} s"
    )
    fast = "met" if seq >= 4 * par else "MISSED"
    small = "met" if peak_ours < 150 else "MISSED"
    print(f"  sequential / ours = {seq / par:.1f}×; goal ≥ 4×: {fast}; peak < 150 MB: {small}")
