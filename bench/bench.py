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
        subprocess.run([bin_of(PEERS_VENV, "pip"), "install", "-q", *PEERS], check=True)
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
            exe,
            "assess",
            "--format",
            "json",
            "--data-size-gb",
            "120",
            "--team-size",
            "6",
        ],
        "cookiecutter --version": [bin_of(peers, "cookiecutter"), "--version"],
        "copier --version": [bin_of(peers, "copier"), "--version"],
    }
    medians = report("assess", timed(contenders, runs), "sm-advisor assess --format json")
    ours = medians["sm-advisor assess --format json"]
    goal_abs = ours < 110
    goal_rel = ours < 0.8 * medians["cookiecutter --version"]
    print(
        f"  goal < 110 ms: {'met' if goal_abs else 'MISSED'}; "
        f"< 0.8 × cookiecutter: {'met' if goal_rel else 'MISSED'}"
    )
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
    uses = "\n".join(f'{k.upper()} = "{{{{ {k} }}}}"' for k in VARIABLES)
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
            exe,
            "new",
            str(out / "sm"),
            "--kind",
            "pipeline",
            "--name",
            "demo",
        ],
        "copier copy --defaults": [
            bin_of(peers, "copier"),
            "copy",
            "--defaults",
            "--quiet",
            str(cp),
            str(out / "cp"),
        ],
        "cookiecutter --no-input": [
            bin_of(peers, "cookiecutter"),
            "--no-input",
            "-o",
            str(out / "cc"),
            str(cc),
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
    subprocess.run(
        [exe, "new", str(probe), "--kind", "pipeline", "--name", "demo"],
        capture_output=True,
        check=True,
    )
    return sum(1 for p in probe.rglob("*") if p.is_file())


def bench_tui(runs: int) -> None:
    script = HERE / "tui_first_frame.py"
    if not script.exists():
        print("\n## tui: bench/tui_first_frame.py is missing; skipped")
        return
    subprocess.run([sys.executable, str(script), "--runs", str(runs)], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--only", default="assess,new,tui,evidence")
    args = parser.parse_args()
    os.environ.pop("OPENBLAS_CORETYPE", None)
    # An installed tool has its bytecode compiled (pip does it at install): let the warm-up
    # rounds write it, or every run would compile sm-advisor and Jinja from source.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
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
        from evidence_bench import bench_evidence

        bench_evidence(sm_advisor(), min(args.runs, 3))


if __name__ == "__main__":
    main()
