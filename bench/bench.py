"""Benchmark sm-advisor's start-up paths against their peers, measured in the same run.

Whole processes are timed, interleaved round-robin, and medians compared. See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PEERS_VENV = HERE / ".venv"
PEERS = ("cookiecutter==2.7.1", "copier==9.19.1")



def bin_of(venv: Path, name: str) -> str:
    return str(venv / "bin" / name)


def ensure_peers() -> Path:
    """Create bench/.venv with cookiecutter and copier once."""
    if not (PEERS_VENV / "bin" / "copier").exists():
        print("bench: installing cookiecutter and copier into bench/.venv ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True)
        subprocess.run(
            [bin_of(PEERS_VENV, "pip"), "install", "-q", *PEERS], check=True
        )
    return PEERS_VENV


def sm_advisor() -> str:
    exe = Path(sys.executable).parent / "sm-advisor"
    if not exe.exists():
        sys.exit("bench: run with the project's venv python (.venv/bin/python bench/bench.py)")
    return str(exe)


def timed(
    contenders: dict[str, list[str]], runs: int, before: Callable[[int], None] | None = None
) -> dict[str, list[float]]:
    """Run every contender ``runs`` times, interleaved; return seconds per run."""
    results: dict[str, list[float]] = {name: [] for name in contenders}
    for i in range(-2, runs):  # two warm-up rounds, not recorded
        for name, argv in contenders.items():
            if before:
                before(i)
            start = time.perf_counter()
            proc = subprocess.run(argv, capture_output=True, check=False)
            elapsed = time.perf_counter() - start
            if proc.returncode != 0:
                sys.exit(f"bench: {name} failed: {proc.stderr.decode()[-500:]}")
            if i >= 0:
                results[name].append(elapsed)
    return results


def report(title: str, results: dict[str, list[float]], ours: str) -> dict[str, float]:
    medians = {name: statistics.median(times) * 1000 for name, times in results.items()}
    print(f"\n## {title} (medians of {len(results[ours])} interleaved runs)")
    for name, ms in medians.items():
        ratio = medians[ours] / ms if ms else float("nan")
        extra = "" if name == ours else f"   {ours} / this = {ratio:.2f}×"
        print(f"  {name:<34} {ms:8.1f} ms{extra}")
    return medians


def bench_assess(runs: int, peers: Path) -> dict[str, float]:
    exe = sm_advisor()
    contenders: dict[str, list[str]] = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "sm-advisor assess --format json": [
            exe, "assess", "--format", "json", "--data-size-gb", "120", "--team-size", "6"
        ],
        "cookiecutter --version": [bin_of(peers, "cookiecutter"), "--version"],
        "copier --version": [bin_of(peers, "copier"), "--version"],
    }
    medians = report("assess", timed(contenders, runs), "sm-advisor assess --format json")
    ours = medians["sm-advisor assess --format json"]
    goal_abs = ours < 110
    goal_rel = ours < 0.8 * medians["cookiecutter --version"]
    print(f"  goal < 110 ms: {'met' if goal_abs else 'MISSED'}; "
          f"< 0.8 × cookiecutter: {'met' if goal_rel else 'MISSED'}")
    return medians


FILES = 15
VARIABLES = {
    "project_name": "demo",
    "package": "demo",
    "framework": "sklearn",
    "region": "us-east-1",
    "instance_type": "ml.m5.xlarge",
}


def make_peer_templates(base: Path) -> tuple[Path, Path]:
    """Write a comparable template (15 files, 5 variables) for copier and for cookiecutter."""
    uses = "\n".join(f"{k.upper()} = \"{{{{ {k} }}}}\"" for k in VARIABLES)
    body = uses + "\n" + "".join(f"# plain template line {n}\n" for n in range(35))
    cc = base / "cookiecutter"
    inner = cc / "{{cookiecutter.project_name}}"
    inner.mkdir(parents=True)
    (cc / "cookiecutter.json").write_text(
        "{" + ", ".join(f'"{k}": "{v}"' for k, v in VARIABLES.items()) + "}"
    )
    cp = base / "copier"
    (cp / "template").mkdir(parents=True)
    (cp / "copier.yml").write_text(
        "_subdirectory: template\n" + "".join(f"{k}: {v}\n" for k, v in VARIABLES.items())
    )
    for n in range(FILES):
        (inner / f"file{n}.py").write_text(body.replace("{{ ", "{{ cookiecutter."))
        (cp / "template" / f"file{n}.py.jinja").write_text(body)
    return cc, cp


def bench_new(runs: int, peers: Path) -> dict[str, float]:
    exe = sm_advisor()
    work = Path(tempfile.mkdtemp(prefix="smadv-bench-"))
    cc, cp = make_peer_templates(work / "templates")
    out = work / "out"
    out.mkdir()

    def clean(_: int) -> None:
        shutil.rmtree(out)
        out.mkdir()

    contenders: dict[str, list[str]] = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "sm-advisor new --kind pipeline": [
            exe, "new", str(out / "sm"), "--kind", "pipeline", "--name", "demo"
        ],
        "copier copy --defaults": [
            bin_of(peers, "copier"), "copy", "--defaults", "--quiet", str(cp), str(out / "cp")
        ],
        "cookiecutter --no-input": [
            bin_of(peers, "cookiecutter"), "--no-input", "-o", str(out / "cc"), str(cc)
        ],
    }
    try:
        files = _count_files(exe, work / "probe")
        medians = report(
            f"new (sm-advisor writes {files} files)",
            timed(contenders, runs, before=clean),
            "sm-advisor new --kind pipeline",
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ours = medians["sm-advisor new --kind pipeline"]
    copier = ours <= 0.45 * medians["copier copy --defaults"]
    cookie = ours <= 0.85 * medians["cookiecutter --no-input"]
    print(
        f"  goal < 150 ms: {'met' if ours < 150 else 'MISSED'}; "
        f"≤ 0.45 × copier: {'met' if copier else 'MISSED'}; "
        f"≤ 0.85 × cookiecutter: {'met' if cookie else 'MISSED'}"
    )
    return medians


def _count_files(exe: str, probe: Path) -> int:
    subprocess.run([exe, "new", str(probe), "--kind", "pipeline", "--name", "demo"],
                   capture_output=True, check=True)
    return sum(1 for p in probe.rglob("*") if p.is_file())


def bench_tui(runs: int) -> None:
    script = HERE / "tui_first_frame.py"
    if not script.exists():
        print("\n## tui: bench/tui_first_frame.py is missing; skipped")
        return
    subprocess.run([sys.executable, str(script), "--runs", str(runs)], check=True)


SEQUENTIAL = """\
import boto3
objects = size = 0
pages = boto3.client("s3").get_paginator("list_objects_v2").paginate(Bucket="lake", Prefix="events/")
for page in pages:
    for obj in page.get("Contents", ()):
        objects += 1
        size += obj["Size"]
print(objects, size)
"""


def start_index_server(objects: int, partitions: int, delay: float) -> tuple[subprocess.Popen[str], str]:
    """Start bench/s3_index_server.py on a free port of 127.0.0.1; wait until it listens."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "s3_index_server.py"), "--port", str(port), "--objects",
         str(objects), "--partitions", str(partitions), "--delay", str(delay)],
        stdout=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc, f"http://127.0.0.1:{port}"


def aws_env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({
        "AWS_ENDPOINT_URL": url, "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1", "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull, "AWS_EC2_METADATA_DISABLED": "true",
    })
    return env


def wait4_run(argv: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one whole process, and its stdout."""
    import tempfile as tf

    with tf.TemporaryFile("w+") as out, tf.TemporaryFile("w+") as err:
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


def bench_evidence(runs: int, objects: int = 200_000, partitions: int = 32, delay: float = 0.1) -> None:
    """Sequential boto3 paginator vs sm-advisor assess --evidence, same server, same run."""
    import json

    exe = sm_advisor()
    servers = [start_index_server(objects, partitions, d) for d in (delay, 0.0)]
    (_, slow), (_, fast) = servers
    ours = [exe, "assess", "--evidence", "s3://lake/events/", "--evidence-budget", "0",
            "--format", "json"]
    contenders = {
        f"boto3 paginator, sequential ({delay * 1000:.0f} ms)": ([sys.executable, "-c", SEQUENTIAL], slow),
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
    print(f"\n## evidence: {objects:,} objects in {partitions} date partitions "
          f"(medians of {runs} interleaved runs; every request delayed {delay * 1000:.0f} ms "
          "except where marked 0 ms)")
    medians = {}
    for name, rows in results.items():
        wall, cpu, peak = (statistics.median(r[i] for r in rows) for i in range(3))
        medians[name] = wall
        print(f"  {name:<48} {wall:7.2f} s wall  {cpu:6.2f} s CPU  {peak:6.1f} MB peak")
    seq, par = list(medians.values())[:2]
    peak_ours = max(r[2] for r in results[list(contenders)[1]])
    print(f"  listing: {listing}")
    print(f"  sequential / ours = {seq / par:.1f}×; goal ≥ 4×: {'met' if seq >= 4 * par else 'MISSED'}; "
          f"peak < 150 MB: {'met' if peak_ours < 150 else 'MISSED'} ({peak_ours:.1f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--only", default="assess,new,tui,evidence")
    args = parser.parse_args()
    os.environ.pop("OPENBLAS_CORETYPE", None)
    only = set(args.only.split(","))
    print(f"# sm-advisor bench ({os.cpu_count()} cores, Python {sys.version.split()[0]})")
    peers = ensure_peers() if only & {"assess", "new"} else PEERS_VENV
    if "assess" in only:
        bench_assess(args.runs, peers)
    if "new" in only:
        bench_new(args.runs, peers)
    if "tui" in only:
        bench_tui(args.runs)
    if "evidence" in only:
        bench_evidence(min(args.runs, 3))


if __name__ == "__main__":
    main()
