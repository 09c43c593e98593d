"""Train with AWS's training toolkit, then serve with AWS's inference toolkit (slow, in CI).

For every framework, the pipeline project of each SDK (v3, v2) and the script project (v3):

1. ``train.py`` is started by ``sagemaker_training.trainer.train()`` from an ``/opt/ml`` tree
   whose ``hyperparameters.json`` holds what the SDK sends (for the pipelines: the
   HyperParameters of the TrainModel step in ``python -m pipelines definition``; for the script
   project: ModelTrainer's encoding of submit.py's HYPERPARAMETERS, by the SDK's own
   ``safe_serialize``). It must succeed and leave the model (with ``code/inference.py``) in
   ``/opt/ml/model`` and metrics.json in ``/opt/ml/output/data``.
2. The project's own serve command (``python -m pipelines serve`` / ``python serve.py``) serves
   that model.tar.gz through the ``sagemaker-inference`` Transformer, and answers every request
   shape clients send (``toolkit_runs.assert_endpoint_contract``): no Accept, ``*/*``,
   ``text/csv; charset=utf-8``, JSON in and out, a wrong column count (400), an empty body (400).
   On the templates before this change, no Accept, ``*/*`` and the charset were 500s (defect 2).

The interpreter and libraries come from the ``runtime`` fixture (``toolkit_runs.runtime_venv``).
Timings are printed as ``[timing]`` lines (``pytest -s`` shows them).
"""

from __future__ import annotations

import json
import runpy
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import toolkit_runs
from generated import Venv, clean_env, generate, project_venv
from pipeline_variants import options

FRAMEWORKS = ("sklearn", "xgboost", "pytorch")
CASES = [("pipeline", fw, sdk) for fw in FRAMEWORKS for sdk in ("v3", "v2")]
CASES += [("script", fw, "v3") for fw in FRAMEWORKS]


@pytest.fixture(scope="session")
def runtime() -> Callable[[Path], Venv]:
    """The venv that trains and serves a project: ``toolkit_runs.runtime_venv``, in one place."""
    return toolkit_runs.runtime_venv


def new_project(root: Path, kind: str, framework: str, sdk: str) -> Path:
    """Generate one case with the real CLI."""
    name = f"{kind}-{framework}-{sdk}"
    if kind == "pipeline":
        return generate(root / name, "--name", name, *options(framework, "plain"), "--sdk", sdk)
    return generate(root / name, "--name", name, "--kind", "script", "--framework", framework)


def pipeline_hyperparameters(project: Path, home: Path) -> dict[str, str]:
    """What the SDK put in the definition's TrainModel step (built offline in the project);
    and every model in it answers text/csv by default, the format of the rows it is sent."""
    venv = project_venv(project)
    done = subprocess.run(
        [str(venv.python), "-m", "pipelines", "definition"],
        cwd=project,
        env=clean_env(venv, home),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    definition = json.loads(done.stdout)
    models = toolkit_runs.serving_environments(definition)
    assert models, "the definition creates or registers no model running inference.py"
    for env in models:
        assert env.get("SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT") == "text/csv", env
    return toolkit_runs.training_hyperparameters(definition)


def script_job(project: Path, into: Path) -> tuple[Path, dict[str, str]]:
    """The script project's job: the code folder submit.py uploads, and the hyperparameters
    as ModelTrainer encodes them (``safe_serialize`` of sagemaker 3.27.0)."""
    from sagemaker.train.container_drivers.common.utils import safe_serialize

    submit: dict[str, Any] = runpy.run_path(str(project / "submit.py"))
    code = into / "code-upload"
    shutil.copytree(project, code, ignore=shutil.ignore_patterns(*submit["IGNORE_PATTERNS"]))
    encoded = {name: safe_serialize(value) for name, value in submit["HYPERPARAMETERS"].items()}
    return code, encoded


@pytest.mark.slow
@pytest.mark.timeout(1800)
@pytest.mark.parametrize(("kind", "framework", "sdk"), CASES)
def test_toolkit_trains_and_the_served_model_answers_like_an_endpoint(
    tmp_path: Path, runtime: Callable[[Path], Venv], kind: str, framework: str, sdk: str
) -> None:
    project = new_project(tmp_path, kind, framework, sdk)
    home = tmp_path / "home"
    home.mkdir()
    venv = runtime(project)
    if kind == "pipeline":
        code = project / "pipelines" / project.name.replace("-", "_") / "steps"
        hyperparameters = pipeline_hyperparameters(project, home)
        serve = ["-m", "pipelines", "serve"]
    else:
        code, hyperparameters = script_job(project, tmp_path)
        serve = ["serve.py"]
    assert code.is_dir(), code
    channels = toolkit_runs.split_sample(project / "data" / "sample.csv", tmp_path / "channels")

    run = toolkit_runs.train_with_toolkit(
        venv, tmp_path / "opt-ml", code, channels, hyperparameters, sdk, home
    )
    assert run.succeeded, run.output[-4000:]
    assert "Installing dependencies" not in run.output, "the job would pip-install over the image"
    saved = {p.relative_to(run.model_dir).as_posix() for p in run.model_dir.rglob("*.*")}
    assert {"preprocessor.joblib", "code/inference.py"} <= saved, saved
    assert any(name.startswith("model.") for name in saved), saved
    report = run.metrics
    assert report["validation"]["accuracy"] >= 0.7
    for name, value in hyperparameters.items():
        if not name.startswith("sagemaker_"):
            assert report["hyperparameters"][name.replace("-", "_")] == json.loads(value), name

    start = time.perf_counter()
    with toolkit_runs.serving(venv, project, [*serve, "--model", str(run.archive())], home) as url:
        rows = toolkit_runs.Rows.read(channels["validation"] / "validation.csv")
        toolkit_runs.assert_endpoint_contract(url, rows)
        if (kind, framework, sdk) == ("pipeline", "sklearn", "v3"):
            assert_default_accept_is_the_environments(venv, project, serve, run.model_dir, home)
    served = time.perf_counter() - start
    print(f"[timing] {project.name}: toolkit training {run.seconds:.1f} s, serving {served:.1f} s")


def assert_default_accept_is_the_environments(
    venv: Venv, project: Path, serve: list[str], model: Path, home: Path
) -> None:
    """Without the variable, the serving stacks' default is JSON: the local server follows the
    environment it is given, as the endpoint follows the model's."""
    json_default = {"SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT": "application/json"}
    with toolkit_runs.serving(
        venv, project, [*serve, "--model", str(model)], home, json_default
    ) as url:
        answer = toolkit_runs.invoke(
            url, b"45,50.1,1,37,one-year,dsl,card,no\n", {"Content-Type": "text/csv"}
        )
    assert answer.status == 200 and answer.content_type == "application/json", answer
    assert len(json.loads(answer.body)["predictions"]) == 1
