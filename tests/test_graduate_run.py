"""A script project, edited as a data scientist would, graduates and runs as a pipeline (slow).

Per framework: ``sm-advisor new --kind script``, the edits of ``tests/graduation.py``,
``sm-advisor update --kind pipeline``; then, in the project's own venv (``project_venv``), the
pipeline project's own tests pass, and their local run of the steps ran with the edits in
effect (the derived column is in the preprocessed splits, the training step used the new
default, the model option is in the model) and ``python -m pipelines definition`` still validates.
"""

from __future__ import annotations

import json
from pathlib import Path

import pipeline_checks
import pytest
from generated import generate, project_venv
from graduation import (
    DERIVED,
    INSTANCE_TYPE,
    MODEL_OPTION,
    NEW_DEFAULT,
    edit_script,
    replace_once,
)
from pipeline_runs import Built, assert_own_tests_pass, load_schema

from advisor.cli import main as cli_main


@pytest.mark.slow
@pytest.mark.timeout(3600)
@pytest.mark.parametrize("framework", ["sklearn", "xgboost", "pytorch"])
def test_graduated_project_runs_with_the_edits(
    tmp_path: Path, framework: str, capsys: pytest.CaptureFixture[str]
) -> None:
    project = generate(tmp_path / "churn", "--kind", "script", "--framework", framework)
    edit_script(project, framework)
    assert cli_main(["update", str(project), "--kind", "pipeline"]) == 0
    out = capsys.readouterr().out
    assert "region model     train.py -> pipelines/churn/steps/model.py: your edits carried" in out
    assert not (project / "train.py").exists() and not (project / "submit.py").exists()
    steps = project / "pipelines" / "churn" / "steps"
    assert MODEL_OPTION[framework][1] in (steps / "model.py").read_text()
    name, _, new = NEW_DEFAULT[framework]
    settings = (project / "pipelines" / "churn" / "settings.py").read_text()
    assert f'    "{name}": {new},\n' in settings
    assert f'TRAINING_INSTANCE_TYPE = "{INSTANCE_TYPE}"' in settings

    venv = project_venv(project)
    (tmp_path / "home").mkdir()
    built = Built(project, venv, tmp_path / "home")
    # The own tests' local run (conftest's ``local_run``: <basetemp>/local0) is the run checked
    # below: a second ``python -m pipelines local`` would repeat it (the command itself is
    # tested in test_pipeline_project_run.py).
    assert_own_tests_pass(built, 8, "--basetemp", str(tmp_path / "own"))
    work = tmp_path / "own" / "local0"
    assert (work / "evaluation.json").is_file(), sorted(p.name for p in work.parent.iterdir())
    for split in ("train", "validation", "test"):
        folder = work / "preprocess" / "processing" / split
        header = next(folder.glob("*.csv")).read_text().splitlines()[0]
        assert DERIVED in header.split(","), (split, header)
    reports = [json.loads(p.read_text()) for p in work.rglob("metrics.json")]
    used = [r["hyperparameters"] for r in reports if "hyperparameters" in r]
    assert used and all(h[name.replace("-", "_")] == new for h in used), used

    done = built.run("-m", "pipelines", "definition")
    assert done.returncode == 0, done.stderr[-3000:]
    definition = json.loads(done.stdout)
    allowlist = pipeline_checks.load_allowlist("v3")
    assert pipeline_checks.check(definition, load_schema(), allowlist).problems() == []


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_the_way_back_runs_as_a_script(tmp_path: Path) -> None:
    """Pipeline → script: the step modules' edits and settings land in a script that runs."""
    project = generate(tmp_path / "churn", "--kind", "pipeline", "--framework", "sklearn")
    steps = project / "pipelines" / "churn" / "steps"
    model = steps / "model.py"
    model.write_text(
        replace_once(model.read_text(), *MODEL_OPTION["sklearn"])  # a model option
    )
    settings = project / "pipelines" / "churn" / "settings.py"
    settings.write_text(
        replace_once(settings.read_text(), '    "n-estimators": 150,', '    "n-estimators": 60,')
    )
    assert cli_main(["update", str(project), "--kind", "script"]) == 0
    assert MODEL_OPTION["sklearn"][1] in (project / "train.py").read_text()
    venv = project_venv(project)
    (tmp_path / "home").mkdir()
    built = Built(project, venv, tmp_path / "home")
    assert_own_tests_pass(built, at_least=5)
    # submit.py passes its HYPERPARAMETERS to the job: the dry run shows the carried value
    done = built.run("submit.py", "--dry-run")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "--n-estimators 60" in done.stdout
    # train.py runs with the model option carried back (as the job would: flags from submit.py)
    done = built.run("train.py", "--n-estimators", "60", "--output-dir", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads((tmp_path / "out" / "metrics.json").read_text())
    assert report["validation"]["accuracy"] >= 0.7
