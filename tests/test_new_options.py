"""``sm-advisor new``: how options and answers shape the spec, and how bad options are refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor.cli import main
from advisor.models import Answers
from advisor.scoring import score
from advisor.usecases import decision
from generators import build_spec
from generators.naming import package_name, slugify

PIPELINE_PROFILE = [
    "--data-size-gb",
    "500",
    "--data-frequency",
    "daily",
    "--tuning",
    "automated",
    "--candidate-models",
    "3",
    "--release-frequency",
    "weekly",
    "--environments",
    "3",
    "--team-size",
    "8",
    "--teams",
    "2",
]


def new_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, object], str]:
    code = main(["new", *args, "--format", "json"])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out else {}), err


def test_auto_kind_follows_the_recommendation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, small, _ = new_json(capsys, str(tmp_path / "a"), "--dry-run")
    assert code == 0 and small["kind"] == "script" and small["extras"] == {}
    code, big, _ = new_json(capsys, str(tmp_path / "b"), "--dry-run", *PIPELINE_PROFILE)
    assert code == 0 and big["kind"] == "pipeline"
    assert set(big["extras"]) == {"tuning", "spark", "ci", "team"}  # type: ignore[arg-type]
    assert "is met" in big["extras"]["ci"]  # type: ignore[index]
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_with_and_without_force_extras(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, data, _ = new_json(
        capsys,
        str(tmp_path / "p"),
        "--dry-run",
        "--kind",
        "pipeline",
        "--with",
        "tuning",
        *PIPELINE_PROFILE,
        "--without",
        "spark,team",
    )
    assert code == 0
    assert data["extras"] == {"tuning": "forced with --with", "ci": data["extras"]["ci"]}  # type: ignore[index]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "script", "--sdk", "v2"], "--sdk v2 is offered for pipeline projects only"),
        (["--kind", "pipeline", "--with", "gpu"], "unknown extra 'gpu'"),
        (["--kind", "pipeline", "--with", "ci", "--without", "ci"], "ci is both in --with"),
        (["--name", "../escape"], "project name '../escape' is not usable"),
        (["--name", "9lives"], "start with a letter"),
        (["--framework", "jax"], "invalid choice: 'jax'"),
    ],
)
def test_bad_options_are_refused_with_one_line_and_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    target = tmp_path / "proj"
    code = main(["new", str(target), *args])
    _, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1 and message in err
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_missing_parent_directory_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["new", str(tmp_path / "no" / "such" / "proj")])
    assert code == 2 and "does not exist; create it first" in capsys.readouterr().err


def test_names_become_safe_slugs_and_identifiers() -> None:
    assert slugify("Churn Model v2.1") == "churn-model-v2-1"
    assert package_name("Churn Model v2.1") == "churn_model_v2_1"
    assert package_name("class") == "class_project"
    assert package_name("tests").isidentifier()


def test_spec_carries_answers_and_recommendation() -> None:
    assessment = score(Answers(team_size=8, teams=3, audit_lineage=True))
    spec = build_spec(decision(assessment), name="demo", kind="pipeline", framework="xgboost")
    assert spec.kind == "pipeline" and spec.framework == "xgboost" and spec.sdk == "v3"
    assert spec.answers["team_size"] == 8 and spec.recommendation == assessment.recommendation
    assert spec.extras == ("team",) and spec.has("team") and not spec.has("ci")


@pytest.mark.parametrize("name", ["demo", "Churn model 2", "v1.2-beta", "Yes", "Null", "a" * 63])
def test_manifest_reads_back_with_a_yaml_parser(name: str, tmp_path: Path) -> None:
    import yaml

    from generators import plan
    from generators.manifest import yaml_value

    answers = Answers(data_size_gb=1e-05, team_size=3, audit_lineage=True, tuning="manual")
    spec = build_spec(decision(score(answers)), name=name, kind="pipeline", with_=("ci", "team"))
    data = yaml.safe_load(plan(spec)[".sm-advisor.yaml"])
    assert data["project"]["name"] == name and data["generator"]["name"] == "sm-advisor"
    assert data["answers"] == dict(answers)
    assert data["project"]["extras"] == ["ci", "team"]
    odd = ("yes", "No", "on", "~", "1.5", "[x]", "a: b", 'say "hi"', "ünï", "", "e5", "-x")
    odd += ("1.2.3", "1.2")
    for value in (name, 1e-05, 1e20, 0.1, -3, True, False, *odd):
        assert yaml.safe_load(f"k: {yaml_value(value)}") == {"k": value}


def test_an_unwritable_template_cache_never_fails_generation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import jinja2

    from generators import render
    from generators.jinja_cache import bytecode_cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    cache = bytecode_cache("0.0.test")
    assert cache is not None

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError("read-only cache")

    monkeypatch.setattr(jinja2.FileSystemBytecodeCache, "dump_bytecode", refuse)
    render.environment.cache_clear()
    try:
        assert main(["new", str(tmp_path / "p"), "--kind", "pipeline"]) == 0
    finally:
        render.environment.cache_clear()
    assert (tmp_path / "p" / "pipelines").is_dir()
    capsys.readouterr()
