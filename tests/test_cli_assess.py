"""The non-interactive CLI: assess, explain, schema, and its error contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from advisor import explain
from advisor.cli import main

ROOT = Path(__file__).resolve().parent.parent
OUTPUT_SCHEMA = json.loads((ROOT / "docs" / "assess-output.schema.json").read_text())


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_assess_json_follows_the_documented_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(
        capsys, "assess", "--format", "json", "--team-size", "8", "--tuning", "automated"
    )
    assert code == 0, err
    data = json.loads(out)
    jsonschema.Draft202012Validator(OUTPUT_SCHEMA).validate(data)
    assert data["answers"]["team_size"] == 8
    assert data["sources"]["team_size"] == "flag"
    assert "team_size" not in data["defaulted"] and "data_size_gb" in data["defaulted"]


def test_flags_override_the_answers_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("team_size: 3\ntuning: manual\naudit_lineage: true\n")
    code, out, _ = run_cli(
        capsys, "assess", "--answers", str(answers), "--team-size", "12", "--format", "json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["answers"]["team_size"] == 12 and data["sources"]["team_size"] == "flag"
    assert data["answers"]["tuning"] == "manual" and data["sources"]["tuning"] == "file"
    assert data["answers"]["audit_lineage"] is True


def test_json_answers_file_and_boolean_flags(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"audit_lineage": True, "teams": 2}))
    code, out, _ = run_cli(
        capsys, "assess", "--answers", str(answers), "--no-audit-lineage", "--format", "json"
    )
    assert code == 0
    assert json.loads(out)["answers"]["audit_lineage"] is False


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--data-frequency", "yearly"],
            "--data-frequency: 'yearly' is not accepted; expected "
            "one of static, monthly, weekly, daily, hourly.",
        ),
        (["--team-size", "0"], "--team-size: '0' is not accepted; expected a whole number ≥ 1"),
        (["--data-size-gb", "lots"], "--data-size-gb: 'lots' is not accepted; expected a number"),
        (["--team-size", "2.5"], "--team-size: '2.5' is not accepted"),
        (["--data-size-gb", "nan"], "--data-size-gb: 'nan' is not accepted"),
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["--format", "xml"], "invalid choice: 'xml'"),
    ],
)
def test_bad_flags_give_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    code, out, err = run_cli(capsys, "assess", *args)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("sm-advisor: error: ")
    assert expected in err


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("a.yaml", "team_sise: 3\n", "unknown question 'team_sise'; did you mean 'team_size'?"),
        ("a.yaml", "team_size: [1\n", "not valid YAML"),
        ("a.yaml", "- 1\n- 2\n", "expected a mapping of question ids"),
        ("a.json", "{", "not valid JSON"),
        ("a.json", '{"tuning": "grid"}', "a.json: tuning: 'grid' is not accepted; expected one of"),
        ("a.txt", "team_size: 3", "unknown file type"),
    ],
)
def test_bad_answers_files_give_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_text(content)
    code, out, err = run_cli(capsys, "assess", "--answers", str(path))
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert expected in err


def test_missing_answers_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "assess", "--answers", str(tmp_path / "nope.yaml"))
    assert code == 2 and "no such file" in err and err.count("\n") == 1


def test_several_problems_are_counted_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(capsys, "assess", "--team-size", "-1", "--teams", "x")
    assert code == 2 and "(and 1 more problem)" in err and err.count("\n") == 1


def test_markdown_and_table_formats(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "assess", "--format", "markdown", "--teams", "3")
    assert code == 0
    assert out.startswith("# sm-advisor assessment") and "| Teams involved | 3 | flag |" in out
    code, out, _ = run_cli(capsys, "assess", "--teams", "3")
    assert code == 0 and "Recommendation: a single script" in out and "Teams involved: 3" in out


def test_schema_command_matches_the_answers_model(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "schema")
    schema = json.loads(out)
    assert code == 0
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid({"team_size": 3, "tuning": "manual"})
    assert not validator.is_valid({"team_size": 0})
    assert not validator.is_valid({"tuning": "grid"})
    assert not validator.is_valid({"unknown": 1})


def test_explain_lists_every_question_and_threshold(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "explain")
    assert code == 0 and "threshold: pipeline when total ≥ 50" in out
    for flag in ("--data-size-gb", "--tuning", "--release-frequency", "--teams"):
        assert flag in out
    code, out, _ = run_cli(capsys, "explain", "--format", "json")
    assert [c["id"] for c in json.loads(out)["criteria"]] == ["data", "tuning", "cicd", "team"]


def test_docs_questionnaire_table_is_generated_from_the_definition() -> None:
    guide = (ROOT / "docs" / "assess.md").read_text()
    assert explain.markdown_table() in guide, "paste 'sm-advisor explain --format markdown' there"


HEAVY = ("textual", "sagemaker", "boto3", "botocore")
# Standard-library modules the fast paths do without (the start-up budget, docs/benchmarks.md):
# dataclasses brings inspect, ast, dis, tokenize; pathlib brings urllib.parse and ipaddress;
# shutil (argparse's formatters, see advisor.help_format) brings bz2, lzma and zlib.
STDLIB = ("dataclasses", "inspect", "pathlib", "shutil", "difflib")


@pytest.mark.parametrize(
    ("command", "forbidden"),
    [
        ("assess --format json", (*HEAVY, *STDLIB, "jinja2", "rich", "yaml", "pydantic")),
        ("assess --format markdown --team-size 3", (*HEAVY, *STDLIB, "jinja2", "rich")),
        ("explain", (*HEAVY, *STDLIB, "jinja2")),
        ("schema", (*HEAVY, *STDLIB, "jinja2")),
        ("--help", (*HEAVY, *STDLIB, "jinja2")),
        ("new {tmp}/demo --kind pipeline --dry-run --format json", (*HEAVY, "yaml", "pydantic")),
        ("new {tmp}/demo --kind pipeline --with ci", (*HEAVY, "yaml", "pydantic", "dataclasses")),
    ],
)
def test_fast_paths_do_not_import_heavy_modules(
    tmp_path: Path, command: str, forbidden: tuple[str, ...]
) -> None:
    argv = command.format(tmp=tmp_path).split()
    code = (
        "import sys\n"
        "from advisor.cli import main\n"
        "try:\n"
        f"    code = main({argv!r})\n"
        "except SystemExit as done:\n"
        "    code = done.code\n"
        f"loaded = sorted(m for m in {forbidden!r} if m in sys.modules)\n"
        "print('LOADED', loaded, 'EXIT', code, file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert "LOADED [] EXIT 0" in proc.stderr, proc.stderr


def test_help_texts_are_complete(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["assess", "--help"])
    out = capsys.readouterr().out
    assert exc.value.code == 0
    assert "--data-size-gb FLOAT" in out and "Accepts a number ≥ 0" in out
    assert "{adhoc,quarterly,monthly,weekly,daily}" in out


def test_module_entry_point_runs() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "advisor", "assess", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0 and json.loads(proc.stdout)["recommendation"] == "script"


def test_no_tty_bare_command_explains_and_exits_2() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "advisor"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert proc.returncode == 2
    assert "needs a terminal" in proc.stderr and "Traceback" not in proc.stderr
