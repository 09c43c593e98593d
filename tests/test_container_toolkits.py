"""Train with AWS's training toolkit, then serve with AWS's inference toolkit (slow, in CI).

For every framework, the pipeline project of each SDK (v3, v2) and the script project (v3):

1. ``train.py`` is started by ``sagemaker_training.trainer.train()`` from an ``/opt/ml`` tree
   whose ``hyperparameters.json`` holds what the SDK sends (for the pipelines: the
   HyperParameters of the TrainModel step in ``python -m pipelines definition``; for the script
   project: ModelTrainer's encoding of submit.py's HYPERPARAMETERS, by the SDK's own
   ``safe_serialize``). It must succeed and leave the model (with ``code/inference.py``) in
   ``/opt/ml/model`` and metrics.json in ``/opt/ml/output/data``.
2. The project's own serving code (``pipelines/_serve.py``, the module behind ``python -m
   pipelines serve``, run without the CLI; ``python serve.py``) serves
   that model.tar.gz through the ``sagemaker-inference`` Transformer, and answers every request
   shape clients send (``toolkit_runs.assert_endpoint_contract``): no Accept, ``*/*``,
   ``text/csv; charset=utf-8``, JSON in and out, a wrong column count (400), an empty body (400).
   On the templates before this change, no Accept, ``*/*`` and the charset were 500s (defect 2).

Each run is under its image's container contract (``toolkit_runs.runtime_for``): the
pipeline's ``preprocess.py`` on the processing image's Python and libraries (with the
``--input-fingerprint`` argument the pipeline passes), ``train.py`` (toolkit) and
``evaluate.py`` on the training image's, serving on the inference image's; PyTorch on this
machine's Python (torch 2.6.0 for 3.12 is CUDA-only on PyPI). This replaces the separate
training and evaluation runs of ``test_container_runs.py``: each script runs once per
contract and SDK encoding. Serving runs once per distinct ``inference.py`` and contract: the
v2 PyTorch pipeline serves byte-identical code on the same images as v3 (a fast test holds
them identical), so only v3 serves. Tests are grouped by venv (``xdist_group``) so that one
worker builds each. Timings are printed as ``[timing]`` lines (``pytest -s`` shows them).
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
from contracts import ContractVenv, Interpreter, run_step
from generated import clean_env, generate, project_venv
from pipeline_variants import options

from advisor.models import Answers
from advisor.scoring import score
from advisor.usecases import decision
from generators.containers import RUN_UNDER_CONTRACT, Contract, ProjectImages, images_for
from generators.context import build_spec

FRAMEWORKS = ("sklearn", "xgboost", "pytorch")
ALL_CASES = [("pipeline", fw, sdk) for fw in FRAMEWORKS for sdk in ("v3", "v2")]
ALL_CASES += [("script", fw, "v3") for fw in FRAMEWORKS]
# Cases whose served code and images equal another case's: (case, the case that serves it).
SERVED_BY = {("pipeline", "pytorch", "v2"): ("pipeline", "pytorch", "v3")}


def images(kind: str, framework: str, sdk: str) -> ProjectImages:
    """The images of one case, from the container table."""
    spec = build_spec(
        decision(score(Answers())),
        name="x",
        kind=kind,
        framework=framework,
        sdk=sdk,
        with_=(),
        without=("tuning", "spark", "ci", "team"),
    )
    return images_for(spec)


def grouped(case: tuple[str, str, str]) -> Any:
    """The case, in the xdist group of its training venv (one worker builds each venv)."""
    return pytest.param(*case, marks=pytest.mark.xdist_group(images(*case).training.key))


CASES = [grouped(case) for case in ALL_CASES]


@pytest.fixture(scope="session")
def runtime() -> Callable[[Path, Contract], toolkit_runs.Runtime]:
    """What trains and serves a project: ``toolkit_runs.runtime_for``, in one place. Every
    contract venv the cases need is built first, in parallel (cached by hash)."""
    start = time.perf_counter()
    needed = [row for case in ALL_CASES for row in images(*case).all]
    toolkit_runs.prebuild(needed)
    print(f"[timing] contract venvs ready in {time.perf_counter() - start:.1f} s")
    return toolkit_runs.runtime_for


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


def preprocessed_channels(
    runtime: toolkit_runs.Runtime, row: Contract, project: Path, work: Path, home: Path
) -> Path:
    """Run the pipeline's preprocess.py on the processing image's contract, as the pipeline
    calls it (with --input-fingerprint); return the folder of its train/validation/test splits."""
    steps = next(project.glob("pipelines/*/steps"))
    base = work / "processing"
    (base / "input").mkdir(parents=True)
    shutil.copy(project / "data" / "sample.csv", base / "input" / "sample.csv")
    cv = ContractVenv(row, runtime.venv, contract_interpreter(runtime))
    done = run_step(cv, steps / "preprocess.py", ["--base-dir", str(base), *FINGERPRINT], home)
    print(f"[contract] preprocess.py on {runtime.contract}: exit {done.returncode}")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert "ignoring unknown arguments" not in done.stdout, done.stdout
    return base


def evaluated(
    runtime: toolkit_runs.Runtime, row: Contract, steps: Path, run: Any, splits: Path, home: Path
) -> dict[str, Any]:
    """evaluate.py on the training image's contract, on the model the toolkit run wrote."""
    base = splits.parent / "evaluate"
    (base / "model").mkdir(parents=True)
    shutil.copy(run.archive(), base / "model" / "model.tar.gz")
    shutil.copytree(splits / "test", base / "test")
    cv = ContractVenv(row, runtime.venv, contract_interpreter(runtime))
    done = run_step(cv, steps / "evaluate.py", ["--base-dir", str(base)], home)
    print(f"[contract] evaluate.py on {runtime.contract}: exit {done.returncode}")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    result: dict[str, Any] = json.loads((base / "evaluation" / "evaluation.json").read_text())
    return result


def contract_interpreter(runtime: toolkit_runs.Runtime) -> Interpreter:
    """The interpreter record run_step needs (its environment: an unpacked one's libraries)."""
    return Interpreter(runtime.venv.python, runtime.env)


FINGERPRINT = ["--input-fingerprint", "0123abcd"]
# ``python -m pipelines serve`` without the rest of the command line: the CLI is the developer's
# tool (the project requires Python 3.11+), while its serving module and the handler chain it
# loads (inference.py, the toolkit) must run on the container's Python. The CLI's own tests
# (test_serve_errors.py) start ``python -m pipelines serve``.
SERVE_MODULE = (
    "import argparse, sys; from pipelines import _serve; "
    "sys.exit(_serve.run(_serve.add_arguments(argparse.ArgumentParser()).parse_args()))"
)


@pytest.mark.slow
@pytest.mark.timeout(1800)
@pytest.mark.parametrize(("kind", "framework", "sdk"), CASES)
def test_toolkit_trains_and_the_served_model_answers_like_an_endpoint(
    tmp_path: Path,
    runtime: Callable[[Path, Contract], toolkit_runs.Runtime],
    kind: str,
    framework: str,
    sdk: str,
) -> None:
    project = new_project(tmp_path, kind, framework, sdk)
    home = tmp_path / "home"
    home.mkdir()
    rows = images(kind, framework, sdk)
    trainer = runtime(project, rows.training)
    print(f"[contract] {kind} {framework} {sdk}: training under {trainer.contract}")
    if kind == "pipeline":
        code = project / "pipelines" / project.name.replace("-", "_") / "steps"
        hyperparameters = pipeline_hyperparameters(project, home)
        serve = ["-c", SERVE_MODULE]
        processor = runtime(project, rows.processing)
        splits = preprocessed_channels(processor, rows.processing, project, tmp_path, home)
        channels = {name: splits / name for name in toolkit_runs.SPLITS}
    else:
        code, hyperparameters = script_job(project, tmp_path)
        serve = ["serve.py"]
        sample = project / "data" / "sample.csv"
        channels = toolkit_runs.split_sample(sample, tmp_path / "channels")
    assert code.is_dir(), code

    run = toolkit_runs.train_with_toolkit(
        trainer, tmp_path / "opt-ml", code, channels, hyperparameters, sdk, home
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
    if kind == "pipeline":
        evaluation = evaluated(trainer, rows.training, code, run, splits, home)
        assert 0.7 <= evaluation["binary_classification_metrics"]["accuracy"]["value"] <= 1.0
    if (kind, framework, sdk) in SERVED_BY:
        print(
            f"[timing] {project.name}: toolkit training {run.seconds:.1f} s; served by "
            f"{SERVED_BY[(kind, framework, sdk)]}"
        )
        return

    start = time.perf_counter()
    server = runtime(project, rows.inference)
    archive = run.archive()
    with toolkit_runs.serving(server, project, [*serve, "--model", str(archive)], home) as url:
        served_rows = toolkit_runs.Rows.read(channels["validation"] / "validation.csv")
        toolkit_runs.assert_endpoint_contract(url, served_rows)
        if (kind, framework, sdk) == ("pipeline", "sklearn", "v3"):
            assert_default_accept_is_the_environments(server, project, serve, run.model_dir, home)
    served = time.perf_counter() - start
    print(f"[timing] {project.name}: toolkit training {run.seconds:.1f} s, serving {served:.1f} s")


def test_cases_served_elsewhere_serve_identical_code_on_the_same_images(tmp_path: Path) -> None:
    """A case that does not serve must ship byte-identical serving code on the same images."""
    for case, server in SERVED_BY.items():
        ours, theirs = (same_name(tmp_path / "-".join(c), *c) for c in (case, server))
        assert images(*case).inference is images(*server).inference
        assert images(*case).training is images(*server).training
        served = sorted(theirs.glob("pipelines/*/steps/*.py"))
        assert any(path.name == "inference.py" for path in served), served
        for path in served:
            if path.name in {"train.py", "preprocess.py", "evaluate.py"}:
                continue
            twin = ours / path.relative_to(theirs)
            assert twin.read_bytes() == path.read_bytes(), path.name


def same_name(root: Path, kind: str, framework: str, sdk: str) -> Path:
    """One case generated under the name ``p`` (names enter the generated code)."""
    return generate(root, "--name", "p", *options(framework, "plain"), "--sdk", sdk)


def test_the_table_says_which_contracts_these_tests_run() -> None:
    """The generated READMEs quote RUN_UNDER_CONTRACT: it must be what these runs use (plus
    test_container_runs.py's Spark run)."""
    ran = {"spark-3.5"}
    for case in ALL_CASES:
        found = images(*case)
        used = {found.training, found.inference}
        if case[0] == "pipeline":
            used.add(found.processing)
        ran |= {row.key for row in used if row.framework != "pytorch"}
    assert ran == RUN_UNDER_CONTRACT


def assert_default_accept_is_the_environments(
    venv: toolkit_runs.Runtime, project: Path, serve: list[str], model: Path, home: Path
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
