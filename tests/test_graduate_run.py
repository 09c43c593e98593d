"""A script project, edited as a data scientist would, graduates and runs as a pipeline (slow).

Per framework: ``sm-advisor new --kind script``, the edits of ``tests/graduation.py``,
``sm-advisor update --kind pipeline``; then, in the project's own venv (``project_venv``), the
pipeline project's own tests pass, ``python -m pipelines local`` runs with the edits in effect
(the derived column is in the preprocessed splits, the training step used the new default,
the model option is in the model) and ``python -m pipelines definition`` still validates.
"""

from __future__ import annotations

import json
from pathlib import Path

import pipeline_checks
import pytest
from generated import generate, project_venv
from graduation import DERIVED, INSTANCE_TYPE, MODEL_OPTION, NEW_DEFAULT, edit_script
from pipeline_runs import Built, assert_own_tests_pass, load_schema, run_local

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
    assert_own_tests_pass(built, at_least=8)
    work = tmp_path / "work"
    run_local(built, work)
    for split in ("train", "validation", "test"):
        header = next((work / split).rglob("*.csv")).read_text().splitlines()[0]
        assert DERIVED in header.split(","), (split, header)
    reports = [json.loads(p.read_text()) for p in work.rglob("metrics.json")]
    used = [r["hyperparameters"] for r in reports if "hyperparameters" in r]
    assert used and all(h[name.replace("-", "_")] == new for h in used), used

    done = built.run("-m", "pipelines", "definition")
    assert done.returncode == 0, done.stderr[-3000:]
    definition = json.loads(done.stdout)
    allowlist = pipeline_checks.load_allowlist("v3")
    assert pipeline_checks.check(definition, load_schema(), allowlist).problems() == []
