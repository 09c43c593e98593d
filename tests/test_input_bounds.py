"""Issue 10's examples of unbounded input, each a named regression test: one line, exit 2, fast.

Every file a user (or a project's co-author) controls is untrusted: answers files, ``--prices``,
the manifest and the snapshot. See docs/safety.md ("Bounded input", "Errors").
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from advisor.cli import main

ROOT = Path(__file__).resolve().parent.parent

# 356 bytes of nested aliases: nine levels of nine times the one before (9**9 strings expanded).
BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]"
        for i in range(8)
    ]
    + ["team_size: *i", ""]
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def one_line(capsys: pytest.CaptureFixture[str], *args: str, limit: int = 1100) -> str:
    """Run the CLI; assert exit 2, nothing on stdout, one short line on stderr; return it."""
    code, out, err = run(capsys, *args)
    assert (code, out) == (2, ""), err
    assert err.count("\n") == 1 and err.startswith("sm-advisor: error: "), err[:300]
    assert len(err) <= limit, len(err)
    assert "Traceback" not in err
    return err.removeprefix("sm-advisor: error: ").rstrip("\n")


def write(path: Path, text: str | bytes) -> str:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def limited_run(
    args: list[str], memory: int = 768 << 20, timeout: float = 30
) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run ``python -m advisor`` with an address-space limit; return it and its wall time."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "advisor", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        preexec_fn=limit,  # noqa: PLW1509 - a fresh child process, no threads involved
        check=False,
    )
    return proc, time.monotonic() - start


# --- YAML aliases ----------------------------------------------------------------------------


def test_billion_laughs_is_refused_at_once_in_little_memory(tmp_path: Path) -> None:
    answers = write(tmp_path / "laughs.yaml", BILLION_LAUGHS)
    assert len(BILLION_LAUGHS) < 600
    proc, seconds = limited_run(["assess", "--answers", answers], memory=512 << 20)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert "anchors and aliases (& and *) are not accepted" in proc.stderr
    assert "line 1" in proc.stderr and seconds < 10


def test_an_alias_anywhere_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = write(tmp_path / "a.yaml", "team_size: &n 3\nteams: *n\n")
    message = one_line(capsys, "assess", "--answers", answers)
    assert message == (
        f"{answers}: not valid YAML at line 1 (anchors and aliases (& and *) are not accepted; "
        "write the values out)."
    )


def test_a_value_built_from_aliases_is_never_echoed_in_full(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Even if a huge shared structure reaches a message, it is shown as a short prefix."""
    nested: list[object] = ["lol"]
    for _ in range(30):
        nested = [nested] * 9
    from advisor.collect import collect

    with pytest.raises(Exception) as info:
        collect([("file", {"team_size": nested})], {"file": "a.yaml"})
    assert len(str(info.value)) < 300 and "\n" not in str(info.value)


# --- sizes, kinds of files -------------------------------------------------------------------


def test_a_50_mb_value_is_cut_to_a_short_prefix(capsys: pytest.CaptureFixture[str]) -> None:
    start = time.process_time()
    message = one_line(capsys, "assess", "--team-size", "7" * 50_000_000 + "x")
    assert time.process_time() - start < 3  # no pass over the value char by char in Python
    assert message.startswith("--team-size: '7777") and "…" in message
    assert message.endswith("expected a whole number ≥ 1 and ≤ 100000.")


def test_a_50_mb_answers_file_is_refused_by_its_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "big.json"
    with answers.open("w") as f:
        f.write('{"team_size": "' + "x" * 50_000_000 + '"}')
    message = one_line(capsys, "assess", "--answers", str(answers))
    assert message == f"{answers}: is 47.7 MiB, more than the 1 MiB allowed."


def test_a_long_value_inside_a_file_is_cut(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = write(tmp_path / "a.json", json.dumps({"team_size": "y" * 900_000}))
    message = one_line(capsys, "assess", "--answers", answers, limit=400)
    assert "team_size: 'yyyy" in message and "…" in message


def test_dev_zero_is_refused_before_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    message = one_line(capsys, "report", "-o", "-", "--prices", "/dev/zero")
    assert message.startswith("/dev/zero: is not a regular file (a FIFO, device or socket)")
    zero = tmp_path / "zero.yaml"
    zero.symlink_to("/dev/zero")  # the user named it: followed, then refused as a device
    message = one_line(capsys, "assess", "--answers", str(zero))
    assert message.startswith(f"{zero}: is not a regular file (a FIFO, device or socket)")
    assert "unknown file type" in one_line(capsys, "assess", "--answers", "/dev/zero")


@pytest.mark.parametrize("flag", ["--answers", "--prices"])
def test_a_fifo_is_refused_without_blocking(
    flag: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / ("answers.yaml" if flag == "--answers" else "prices.json")
    os.mkfifo(fifo)
    args = ["assess", flag, str(fifo)] if flag == "--answers" else ["report", "-o", "-", flag]
    if flag == "--prices":
        args.append(str(fifo))
    start = time.monotonic()
    message = one_line(capsys, *args)
    assert time.monotonic() - start < 5
    assert message.startswith(f"{fifo}: is not a regular file")


def test_a_manifest_that_is_a_fifo_or_a_link_to_dev_zero_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "p"
    project.mkdir()
    os.mkfifo(project / ".sm-advisor.yaml")
    assert "is not a regular file" in one_line(capsys, "update", str(project))
    (project / ".sm-advisor.yaml").unlink()
    (project / ".sm-advisor.yaml").symlink_to("/dev/zero")
    assert "is a symlink" in one_line(capsys, "update", str(project))


def test_a_huge_snapshot_is_refused_before_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "demo"
    assert main(["new", str(project), "--kind", "script"]) == 0
    capsys.readouterr()
    snapshot = project / ".sm-advisor" / "base.json"
    with snapshot.open("r+b") as f:
        f.truncate(65 << 20)  # sparse: 65 MiB that cost nothing to write
    message = one_line(capsys, "update", str(project), "--dry-run")
    assert message == (
        ".sm-advisor/base.json is 65 MiB, more than the 64 MiB allowed; left alone. Delete it to "
        "merge against a fresh render."
    )


# --- nesting and numbers ---------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_100000_open_brackets_are_refused_without_recursion(
    suffix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = write(tmp_path / f"deep{suffix}", "[" * 100_000)
    message = one_line(capsys, "assess", "--answers", answers)
    assert "nested more than 32 levels deep" in message or "maximum nesting depth" in message


def test_deep_prices_manifest_and_snapshot_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prices = write(tmp_path / "p.json", '{"source": ' + "[" * 100_000)
    assert "nested more than 32 levels" in one_line(capsys, "report", "-o", "-", "--prices", prices)
    project = tmp_path / "demo"
    assert main(["new", str(project), "--kind", "script"]) == 0
    capsys.readouterr()
    manifest = project / ".sm-advisor.yaml"
    original = manifest.read_text()
    manifest.write_text(original + "extra: " + "[" * 100_000)
    message = one_line(capsys, "update", str(project))
    assert "nested more than 32 levels" in message or "maximum nesting depth" in message
    manifest.write_text(original)
    (project / ".sm-advisor" / "base.json").write_text('{"format": 1, "files": ' + "[" * 100_000)
    message = one_line(capsys, "update", str(project), "--dry-run")
    assert "base.json: nested more than 32 levels deep" in message


@pytest.mark.parametrize(
    ("name", "text"),
    [("a.json", '{"team_size": ' + "9" * 4300 + "}"), ("a.yaml", "team_size: " + "9" * 4300)],
    ids=["json", "yaml"],
)
def test_a_4300_digit_integer_is_refused(
    name: str, text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    message = one_line(capsys, "assess", "--answers", write(tmp_path / name, text))
    assert "an integer of more than 64 digits" in message


def test_4300_digit_integers_in_prices_manifest_and_snapshot(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = "9" * 4300
    prices = write(tmp_path / "p.json", '{"source": "s", "as_of": "d", "x": ' + big + "}")
    assert "more than 64 digits" in one_line(capsys, "report", "-o", "-", "--prices", prices)
    project = tmp_path / "demo"
    assert main(["new", str(project), "--kind", "script"]) == 0
    capsys.readouterr()
    manifest = project / ".sm-advisor.yaml"
    manifest.write_text(manifest.read_text().replace("team_size: 1", f"team_size: {big}"))
    assert "more than 64 digits" in one_line(capsys, "update", str(project))
    manifest.write_text(manifest.read_text().replace(big, "1"))
    (project / ".sm-advisor" / "base.json").write_text('{"format": ' + big + "}")
    assert "more than 64 digits" in one_line(capsys, "update", str(project), "--dry-run")


@pytest.mark.parametrize("value", ["١٢", "１２", "1_000", "12\u0663"])
def test_only_ascii_digits_are_numbers(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    message = one_line(capsys, "assess", "--team-size", value)
    assert message.startswith(f"--team-size: '{value}' is not accepted; write numbers with the ")
    assert "ASCII digits 0-9 only" in message


@pytest.mark.parametrize(
    "text", ["team_size: 1_000", "team_size: 0x10", "team_size: 017", "team_size: 1:30"]
)
def test_yaml_integers_are_plain_decimals(
    text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    message = one_line(capsys, "assess", "--answers", write(tmp_path / "a.yaml", text))
    assert "is not a plain decimal integer (digits 0-9)" in message


# --- duplicate keys --------------------------------------------------------------------------


def test_a_duplicate_yaml_key_is_named_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = write(tmp_path / "a.yaml", "team_size: 1\nteams: 2\nteam_size: 30\n")
    message = one_line(capsys, "assess", "--answers", answers)
    assert message == (
        f"{answers}: not valid YAML at line 3 (duplicate key 'team_size'; keep one of them)."
    )


def test_a_duplicate_json_key_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = write(tmp_path / "a.json", '{"team_size": 1, "team_size": 30}')
    message = one_line(capsys, "assess", "--answers", answers)
    assert message == f"{answers}: duplicate key 'team_size'; keep one of them."
    prices = write(tmp_path / "p.json", '{"source": "a", "source": "b", "as_of": "d"}')
    assert "duplicate key 'source'" in one_line(capsys, "report", "-o", "-", "--prices", prices)


# --- prices ----------------------------------------------------------------------------------


def price_table(tmp_path: Path, price: str) -> str:
    return write(
        tmp_path / "p.json",
        '{"source": "s", "as_of": "2026-01-01", "usd_per_hour": {"ml.m5.xlarge": ' + price + "}}",
    )


@pytest.mark.parametrize(
    ("price", "expected"),
    [
        ("Infinity", "Infinity is not a number sm-advisor accepts"),
        ("-Infinity", "-Infinity is not a number sm-advisor accepts"),
        ("NaN", "NaN is not a number sm-advisor accepts"),
        ("1e999", "the number 1e999 is too large"),
        ("1e308", "input should be less than or equal to 1000000"),
        ('"0.5"', "input should be a valid number"),
        ("true", "input should be a valid number"),
        ("null", "input should be a valid number"),
        ("[1]", "input should be a valid number"),
        ("0", "input should be greater than 0"),
    ],
)
def test_prices_are_finite_positive_numbers_and_nothing_else(
    price: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    message = one_line(capsys, "report", "-o", "-", "--prices", price_table(tmp_path, price))
    assert expected in message


def test_the_largest_accepted_prices_do_not_overflow(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tiers = [{"up_to_gb": None, "instance": "ml.m5.xlarge", "gb_per_hour": 0.001}]
    table = {
        "source": "s",
        "as_of": "d",
        "usd_per_hour": {"ml.m5.xlarge": 1e6, "ml.m5.large": 1e6},
        "assumptions": {"tiers": tiers, "training_passes": 1000, "tuning_trials": 100_000,
                        "min_job_hours": 1000, "evaluation_instance": "ml.m5.large"},
    }  # fmt: skip
    prices = write(tmp_path / "p.json", json.dumps(table))
    big = ["--data-size-gb", "10000000", "--candidate-models", "100", "--tuning", "automated"]
    code, out, err = run(capsys, "report", "-o", "-", "--prices", prices, *big)
    assert (code, err) == (0, "") and "Total per run" in out


# --- the report's other inputs ---------------------------------------------------------------


def test_markdown_report_escapes_html_in_the_title(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "report", "-o", "-", "--title", "<script>alert(1)</script>\n# Hi")
    assert code == 0
    assert out.startswith("# &lt;script&gt;alert(1)&lt;/script&gt; # Hi\n")
    assert "<script>" not in out


def test_markdown_report_escapes_the_price_table_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prices = write(
        tmp_path / "p.json",
        json.dumps({"source": "<img src=x onerror=alert(1)>", "as_of": "d", "note": "a\n## b"}),
    )
    code, out, _ = run(capsys, "report", "-o", "-", "--prices", prices)
    assert code == 0 and "<img" not in out and "&lt;img src=x onerror=alert(1)&gt;" in out
    assert "\n## b" not in out


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("2026-13-45", "'2026-13-45' is not a real date (month must be in 1..12)"),
        ("2026-02-30", "'2026-02-30' is not a real date (day is out of range for month)"),
        ("20260301", "'20260301' is not written YYYY-MM-DD"),
        ("٢٠٢٦-٠٣-٠١", "is not written YYYY-MM-DD"),
        ("2026-03-01\n# x", "'2026-03-01\\n# x' is not written YYYY-MM-DD"),
    ],
)
def test_report_date_is_a_real_date(
    date: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    message = one_line(capsys, "report", "-o", "-", "--date", date)
    assert message.startswith("argument --date: ") and expected in message


def test_a_real_date_is_shown(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "report", "-o", "-", "--date", "2028-02-29")
    assert code == 0 and "- Date: 2028-02-29\n" in out


# --- one line, always ------------------------------------------------------------------------


def test_newlines_in_user_data_cannot_spoof_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(tmp_path / "x\nsm-advisor: ok.yaml")
    assert "x\\nsm-advisor: ok.yaml: no such file" in one_line(
        capsys, "assess", "--answers", missing
    )
    answers = write(tmp_path / "a.json", json.dumps({"team\nsize": 1}))
    assert "unknown question 'team\\nsize'" in one_line(capsys, "assess", "--answers", answers)
    assert "'x\\ny'" in one_line(capsys, "assess", "--format", "x\ny")
    assert "'3\\r\\x1b[2J'" in one_line(capsys, "assess", "--team-size", "3\r\x1b[2J")


def test_a_bad_byte_is_reported_with_its_offset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = write(tmp_path / "a.yaml", b"team_size: 3\n\xff\xfe")
    message = one_line(capsys, "assess", "--answers", answers)
    assert message == f"{answers}: is not UTF-8 text (bad byte at offset 13); save it as UTF-8."


def test_debug_without_a_subcommand_is_accepted(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--debug")  # no terminal here: the TUI refuses, with a traceback
    assert code == 2 and out == ""
    assert "unrecognized arguments" not in err
    assert err.splitlines()[-1].startswith("sm-advisor: error: the interactive questionnaire")
    assert run(capsys, "--debug", "assess", "--team-size", "3")[0] == 0
    assert run(capsys, "assess", "--debug", "--team-size", "3")[0] == 0


def test_debug_shows_the_traceback_and_keeps_the_exit_code(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "--debug", "assess", "--team-size", "x")
    assert code == 2 and err.startswith("Traceback (most recent call last):")
    assert err.splitlines()[-1].startswith("sm-advisor: error: --team-size: 'x'")


def test_empty_evidence_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    message = one_line(capsys, "assess", "--evidence", "")
    assert message == "--evidence expects an S3 URI such as s3://my-bucket/training-data/, got ''."


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "1e400", "3601", "", "x", "١"])
def test_aws_timeout_is_a_sane_number_of_seconds(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    message = one_line(capsys, "assess", "--evidence", "s3://b/p", "--aws-timeout", value)
    assert message.startswith("argument --aws-timeout: ")


MIB = 1 << 20
WORST_CASES = {
    "json-list": ("a.json", '{"team_size": [' + ",".join(["1"] * (MIB // 2 - 20)) + "]}"),
    "json-string": ("b.json", '{"team_size": "' + "x" * (MIB - 20) + '"}'),
    "yaml-flow": ("a.yaml", "team_size: [" + ",".join(["1"] * (MIB // 2 - 20)) + "]"),
    "yaml-block": ("b.yaml", "team_size:\n" + "- 1\n" * (MIB // 4 - 10)),
    "yaml-32-deep": ("c.yaml", "team_size: " + ("[" * 32 + "]" * 32 + ",") * 10_000),
}


@pytest.mark.parametrize("case", list(WORST_CASES))
def test_the_largest_files_within_the_cap_stay_cheap(case: str, tmp_path: Path) -> None:
    """Just under 1 MiB of the costliest shapes: one line, under 512 MB and a few seconds."""
    name, text = WORST_CASES[case]
    assert len(text.encode()) <= MIB
    proc, seconds = limited_run(["assess", "--answers", write(tmp_path / name, text)], 512 << 20)
    assert proc.returncode == 2 and proc.stdout == "" and proc.stderr.count("\n") == 1
    assert "Traceback" not in proc.stderr and len(proc.stderr) < 400
    assert seconds < 15  # about 1 s each on an idle machine
