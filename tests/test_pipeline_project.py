"""The pipeline project (`sm-advisor new DIR --kind pipeline`, SDK v3): fast checks.

Ruff and compile for every framework x {plain, tuning, spark, tuning+spark}, the files and code
each extra switches on, byte-identical regeneration, requirements equal to the script project's
(so the two kinds share venvs), the README's commands, and the golden tree of the sklearn plain
variant. ``test_pipeline_project_run.py`` builds and runs the projects (slow).

Golden tree: ``tests/golden/pipeline-sklearn/``. v3 definitions are not deterministic (training
code prefixes hold timestamps), the generated files are. After an intended template change:

    SM_ADVISOR_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_pipeline_project.py -k golden
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from generated import ROOT, assert_matches_golden, generate, tree
from pipeline_variants import LINT_VARIANTS, new, project_name

from generators.next_steps import next_steps

GOLDEN = ROOT / "tests" / "golden" / "pipeline-sklearn"
RUFF = str(Path(sys.executable).parent / "ruff")
COMMON_FILES = {
    ".gitignore",
    "README.md",
    "data/sample.csv",
    "pyproject.toml",
    "requirements.txt",
    "pipelines/__init__.py",
    "pipelines/__main__.py",
    "pipelines/_local.py",
    "pipelines/_serve.py",
    "pipelines/_service.py",
    "pipelines/_session.py",
    "pipelines/{pkg}/__init__.py",
    "pipelines/{pkg}/pipeline.py",
    "pipelines/{pkg}/settings.py",
    "pipelines/{pkg}/steps/dataset.py",
    "pipelines/{pkg}/steps/features.py",
    "pipelines/{pkg}/steps/model.py",
    "pipelines/{pkg}/steps/metrics.py",
    "pipelines/{pkg}/steps/train.py",
    "pipelines/{pkg}/steps/evaluate.py",
    "pipelines/{pkg}/steps/inference.py",
    "tests/conftest.py",
    "tests/test_steps.py",
    "tests/test_definition.py",
}


def ruff(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([RUFF, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(("framework", "extras"), LINT_VARIANTS)
def test_generated_code_passes_ruff_and_compiles(
    tmp_path: Path, framework: str, extras: str
) -> None:
    project = new(tmp_path, framework, extras, project_name(framework, extras))
    for args in (["check", "--no-cache", "."], ["format", "--no-cache", "--diff", "."]):
        result = ruff(*args, cwd=project)
        assert result.returncode == 0, result.stdout + result.stderr
    for path in sorted(project.rglob("*.py")):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")


@pytest.mark.parametrize("extras", ["plain", "tuning", "spark", "tuning,spark"])
def test_extras_switch_files_and_code(tmp_path: Path, extras: str) -> None:
    files = set(tree(new(tmp_path, "xgboost", extras)))
    expected = {f.format(pkg="demo") for f in COMMON_FILES}
    spark = "spark" in extras
    expected.add("pipelines/demo/steps/" + ("preprocess_spark.py" if spark else "preprocess.py"))
    assert expected <= files
    assert not {f for f in files if f.startswith(("pipelines/", "tests/"))} - expected
    pipeline = (tmp_path / "demo" / "pipelines" / "demo" / "pipeline.py").read_text()
    assert ("PySparkProcessor(" in pipeline) == spark
    assert ("HyperparameterTuner(" in pipeline) == ("tuning" in extras)
    assert ("TrainingStep(" in pipeline) == ("tuning" not in extras)
    requirements = (tmp_path / "demo" / "requirements.txt").read_text()
    assert ("pyspark" in requirements) == spark


@pytest.mark.parametrize("framework", ["sklearn", "xgboost", "pytorch"])
def test_requirements_match_the_script_project(tmp_path: Path, framework: str) -> None:
    """Equal requirements let both kinds share one venv; spark only adds pyspark."""
    script = generate(tmp_path / "s", "--kind", "script", "--framework", framework)
    plain = new(tmp_path, framework, "plain")
    spark = new(tmp_path, framework, "spark", "demo-spark")
    expected = (script / "requirements.txt").read_text()
    assert (plain / "requirements.txt").read_text() == expected
    added = set((spark / "requirements.txt").read_text().splitlines()) - set(expected.splitlines())
    assert added == {"pyspark>=3.5,<3.6"}


@pytest.mark.parametrize("extras", ["plain", "tuning,spark"])
def test_generation_is_byte_identical(tmp_path: Path, extras: str) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = tree(new(tmp_path / "a", "pytorch", extras))
    second = tree(new(tmp_path / "b", "pytorch", extras))
    assert first == second


def test_readme_documents_the_commands_it_asks_for(tmp_path: Path) -> None:
    project = new(tmp_path, "sklearn", "tuning,spark")
    readme = (project / "README.md").read_text()
    for command in ("definition", "local", "upsert --role-arn", "start", "status"):
        assert f"python -m pipelines {command}" in readme, command
    for step in next_steps(SimpleNamespace(kind="pipeline"), str(project))[2:]:  # type: ignore[arg-type]
        command = step.split(" --role-arn")[0]
        assert command in readme, f"next step {step!r} is not explained in the README"
    for topic in ("## Instances and what they cost", "## Deployment", "## Step caching"):
        assert topic in readme
    assert "max_jobs" in readme and "not a pipeline parameter" in readme
    assert "Java 17" in readme and "PySparkProcessor" in readme


def test_pipeline_sklearn_matches_golden_tree(tmp_path: Path) -> None:
    """Compare file by file; SM_ADVISOR_UPDATE_GOLDEN=1 rewrites the golden tree instead."""
    project = new(tmp_path, "sklearn", "plain")
    assert_matches_golden(project, GOLDEN)
