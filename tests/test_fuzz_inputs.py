"""Fuzz the CLI's inputs: whatever the answers file, price table, manifest or flags hold, the
command exits 0 or 2 with at most one line on stderr, never a traceback, quickly and in bounded
memory.

The CLI runs in-process (``advisor.cli.main`` with captured streams) so that hundreds of inputs
fit in a few seconds; ``test_input_bounds.py`` runs the worst cases in a memory-limited process.
The counts of inputs tried are printed at the end of the module (``pytest -s`` or ``-rA``).
"""

from __future__ import annotations

import contextlib
import io
import json
import resource
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.cli import main
from advisor.questions import QUESTIONS

IDS = [q.id for q in QUESTIONS]
TRIED: Counter[str] = Counter()
CPU_SECONDS_PER_RUN = 2.0  # CPU time, not wall time: the machine may be busy with other work
FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)


@pytest.fixture(scope="module")
def workdir(
    tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config
) -> Iterator[Path]:
    """A folder for the fuzzed files; reports how many inputs were tried when the module ends."""
    start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    yield tmp_path_factory.mktemp("fuzz")
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - start_rss) / 1024
    total = sum(TRIED.values())
    detail = ", ".join(f"{kind} {n}" for kind, n in sorted(TRIED.items()))
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(
            f"fuzz: {total} inputs tried ({detail}); peak memory grew {grown_mb:.0f} MB"
        )
    assert grown_mb < 300, f"the fuzzed inputs grew the peak memory by {grown_mb:.0f} MB"


def run(kind: str, *args: str) -> tuple[int, str, str]:
    """Run the CLI in-process; check the promises every input must keep; count the input."""
    TRIED[kind] += 1
    out, err = io.StringIO(), io.StringIO()
    start = time.process_time()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    elapsed = time.process_time() - start
    text = err.getvalue()
    assert code in (0, 2), (code, text[:500])
    assert "Traceback" not in text
    if code == 2:
        assert text.count("\n") == 1 and text.startswith("sm-advisor: error: "), text[:500]
        assert len(text) <= 1100 and text[:-1].isprintable(), text[:500]
    else:
        assert text == "", text[:500]
    assert elapsed < CPU_SECONDS_PER_RUN, (elapsed, args[:3])
    return code, out.getvalue(), text


# --- strategies ------------------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**80), max_value=10**80),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["weekly", "automated", "daily", "1", "١٢", "1_000", "", "yes", "0x10"]),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
keys = st.one_of(st.sampled_from(IDS), st.text(max_size=12))
answers = st.dictionaries(keys, values, max_size=len(IDS) + 2)

# Pieces of YAML syntax, glued at random: anchors, aliases, tags, flow and block collections,
# odd numbers, merge keys, documents, comments, quotes.
YAML_PIECES = [
    "team_size: ", "teams: ", "tuning: ", "data_size_gb: ", "audit_lineage: ", "\n", "  ", "- ",
    "&a ", "*a", "&b ", "*b", "!!int ", "!!float ", "!!str ", "!!binary ", "!!python/name:os ",
    "!!set ", "!!timestamp ", "[", "]", "{", "}", ", ", ": ", "? ", "<<: ", "---\n", "...\n",
    "# c\n", "'", '"', "|\n  ", ">\n  ", "12", "1_000", "0x1f", "0o17", "017", "1:30", ".inf",
    "-.inf", ".nan", "1e999", "9" * 80, "2026-13-45", "yes", "null", "~", "١٢", "\t", "%YAML 1.1\n",
]  # fmt: skip
yaml_docs = st.lists(st.sampled_from(YAML_PIECES), max_size=40).map("".join)


def dump(data: object, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(data, allow_nan=True)
    return str(yaml.safe_dump(data, allow_unicode=True))


# --- answers files ---------------------------------------------------------------------------


@settings(FUZZ, max_examples=120)
@given(data=answers, fmt=st.sampled_from(["json", "yaml"]))
def test_any_answers_document(workdir: Path, data: dict[str, object], fmt: str) -> None:
    path = workdir / f"answers.{fmt}"
    path.write_text(dump(data, fmt), encoding="utf-8")
    code, out, _ = run(f"answers-{fmt}", "assess", "--format", "json", "--answers", str(path))
    if code == 0:
        assert json.loads(out)["recommendation"] in ("script", "pipeline")


@settings(FUZZ, max_examples=150)
@given(text=yaml_docs)
def test_any_yaml_syntax(workdir: Path, text: str) -> None:
    path = workdir / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    run("answers-yaml-syntax", "assess", "--format", "json", "--answers", str(path))


@settings(FUZZ, max_examples=150)
@given(blob=st.binary(max_size=300), suffix=st.sampled_from([".yaml", ".json"]))
def test_any_bytes_as_answers(workdir: Path, blob: bytes, suffix: str) -> None:
    path = workdir / f"bytes{suffix}"
    path.write_bytes(blob)
    run("answers-bytes", "assess", "--format", "json", "--answers", str(path))


@settings(FUZZ, max_examples=60)
@given(
    opener=st.sampled_from(["[", "{", '{"a":', "- ", "a:\n  "]),
    depth=st.integers(min_value=1, max_value=3000),
    suffix=st.sampled_from([".yaml", ".json"]),
)
def test_any_nesting_depth(workdir: Path, opener: str, depth: int, suffix: str) -> None:
    path = workdir / f"deep{suffix}"
    path.write_text(opener * depth, encoding="utf-8")
    run("answers-deep", "assess", "--format", "json", "--answers", str(path))


# --- price tables ----------------------------------------------------------------------------

SHIPPED = json.loads((Path(__file__).parent.parent / "advisor/report/prices.json").read_text())
PRICE_PATHS = [
    ("source",), ("as_of",), ("note",), ("currency",), ("usd_per_hour", "ml.m5.xlarge"),
    ("usd_per_hour", "ml.m5.large"), ("assumptions", "min_job_hours"),
    ("assumptions", "training_passes"), ("assumptions", "tuning_trials"),
    ("assumptions", "evaluation_instance"), ("assumptions", "tiers"), ("usd_per_hour",),
]  # fmt: skip
price_values = st.one_of(
    values,
    st.floats(min_value=1e-300, max_value=1e308),
    st.sampled_from([0, -1, 1e308, 5e-324, "0.5", True, [], {}, 10**70]),
)


@settings(FUZZ, max_examples=80)
@given(
    changes=st.lists(st.tuples(st.sampled_from(PRICE_PATHS), price_values), max_size=3),
    raw=st.sampled_from(["", "Infinity", "NaN", "-Infinity"]),
)
def test_any_price_table(
    workdir: Path, changes: list[tuple[tuple[str, ...], object]], raw: str
) -> None:
    table = json.loads(json.dumps(SHIPPED))
    for where, value in changes:
        parent = table
        for key in where[:-1]:
            if not isinstance(parent.get(key), dict):
                parent[key] = {}
            parent = parent[key]
        parent[where[-1]] = value
    text = json.dumps(table, allow_nan=True)
    if raw:
        text = text.replace('"ml.m5.large": 0.115', f'"ml.m5.large": {raw}')
    path = workdir / "prices.json"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run("prices", "report", "-o", "-", "--format", "markdown", "--prices", str(path))
    if code == 0:
        assert "## 5. Cost of one run" in out and "inf" not in out.split("## 5.")[1][:2000]


@settings(FUZZ, max_examples=60)
@given(blob=st.binary(max_size=300))
def test_any_bytes_as_prices(workdir: Path, blob: bytes) -> None:
    path = workdir / "prices-bytes.json"
    path.write_bytes(blob)
    run("prices-bytes", "report", "-o", "-", "--format", "markdown", "--prices", str(path))


# --- flags -----------------------------------------------------------------------------------

flag_text = st.one_of(
    st.text(max_size=30),
    st.from_regex(r"\A[-+]?[0-9_]{0,6}(\.[0-9]{0,3})?([eE][-+]?[0-9]{1,4})?\Z"),
    st.sampled_from(["١٢", "１２", "1_000", "nan", "inf", "-0", "1e308", "2026-13-45", "\n", ""]),
)
FLAGS = [q.flag for q in QUESTIONS if q.kind != "bool"]
REPORT_FLAGS = ["--title", "--date", "--status", "--format", "--aws-timeout"]


@settings(FUZZ, max_examples=150)
@given(pairs=st.lists(st.tuples(st.sampled_from(FLAGS), flag_text), max_size=4))
def test_any_answer_flags(pairs: list[tuple[str, str]]) -> None:
    argv = [part for flag, value in pairs for part in (flag, value)]
    run("flags-assess", "assess", "--format", "json", *argv)


@settings(FUZZ, max_examples=120)
@given(pairs=st.lists(st.tuples(st.sampled_from(REPORT_FLAGS + FLAGS[:3]), flag_text), max_size=3))
def test_any_report_flags(pairs: list[tuple[str, str]]) -> None:
    argv = [part for flag, value in pairs for part in (flag, value)]
    code, out, _ = run("flags-report", "report", "-o", "-", *argv)
    if code == 0 and "--format" not in argv:
        assert "<script" not in out.lower() or "&lt;script" in out.lower()


@settings(FUZZ, max_examples=80)
@given(argv=st.lists(st.one_of(st.sampled_from(["assess", "--debug", "--evidence", "--answers",
                                                "--format", "json", "--team-size", "--", "-h"]),
                               st.text(max_size=10)), max_size=5))  # fmt: skip
def test_any_command_line(argv: list[str]) -> None:
    if "-h" in argv or "--help" in argv or any(a.startswith("s3:") for a in argv):
        return  # help exits through argparse; an S3 URI would reach for AWS
    if argv[:1] != ["assess"]:
        argv = ["assess", *argv]
    argv = [a for a in argv if a != "--debug"]  # --debug adds a traceback on purpose
    run("command-line", *argv)


# --- the manifest of a generated project -----------------------------------------------------


@pytest.fixture(scope="module")
def project(workdir: Path) -> Path:
    target = workdir / "demo"
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["new", str(target), "--kind", "script"]) == 0
    return target


@settings(FUZZ, max_examples=60)
@given(line=st.integers(min_value=0, max_value=30), text=yaml_docs)
def test_any_manifest_edit(project: Path, line: int, text: str) -> None:
    manifest = project / ".sm-advisor.yaml"
    original = manifest.read_text()
    lines = original.splitlines(keepends=True)
    lines.insert(min(line, len(lines)), text + "\n")
    manifest.write_text("".join(lines))
    try:
        run("manifest", "update", str(project), "--dry-run", "--format", "json")
    finally:
        manifest.write_text(original)
