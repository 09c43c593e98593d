"""The step scripts run under their containers' contracts: Python version and library pins.

Each representative variant's steps run as ``python -m pipelines local`` runs them (same
arguments, same folders), but each on the interpreter and library versions of the image
SageMaker runs it in (``generators.containers``): preprocess on the processing image's,
train and evaluate on the training image's. Nothing runs on AWS. A variant whose contract
cannot be had here skips with the reason; which ran where is printed as ``[contract]`` lines.

PyTorch is absent on purpose: torch 2.6.0 for Python 3.12 on PyPI is the CUDA build (several
GB); its code gets the vermin floor check (``test_containers.py``) and the local run on this
machine's Python.
"""

from __future__ import annotations

import json
import shutil
import tarfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from contracts import ContractVenv, contract_venv, run_step
from generated import generate
from pipeline_variants import options

from advisor.models import Answers
from advisor.scoring import score
from advisor.usecases import decision
from generators.containers import RUN_UNDER_CONTRACT, Contract, images_for
from generators.context import build_spec
from generators.spec import ProjectSpec

# Each contract runs each script once: preprocessing per processing image, training and
# evaluation per training image (their splits come from the preprocessing of the same SDK).
PREPROCESSING = [("sklearn", "v2", "plain"), ("sklearn", "v3", "plain"), ("sklearn", "v3", "spark")]
TRAINING = [
    ("sklearn", "v2"),  # sklearn 1.2-1 on Python 3.9 (defect 1)
    ("sklearn", "v3"),  # sklearn 1.9-0 on Python 3.12
    ("xgboost", "v2"),  # xgboost 3.0-5 on Python 3.10
    ("xgboost", "v3"),  # xgboost 3.2-0 on Python 3.12
]


def needed(row: Contract) -> ContractVenv:
    start = time.perf_counter()
    cv = contract_venv(row)
    if cv is None:
        pytest.skip(f"no Python {row.python} here for {row.key}: run tools/debian_python.sh")
    state = f"built in {time.perf_counter() - start:.0f} s" if cv.venv.built else "cached"
    print(f"[timing] contract venv {row.key}: {state}")
    return cv


def spec_for(framework: str, sdk: str, extras: str) -> ProjectSpec:
    chosen = () if extras == "plain" else tuple(extras.split(","))
    others = [e for e in ("tuning", "spark", "ci", "team") if e not in chosen]
    return build_spec(
        decision(score(Answers())),
        name="x",
        kind="pipeline",
        framework=framework,
        sdk=sdk,
        with_=chosen,
        without=others,
    )


def step(
    cv: ContractVenv,
    steps: Path,
    script: str,
    args: list[str],
    home: Path,
    env: dict[str, str] | None = None,
) -> str:
    started = time.perf_counter()
    done = run_step(cv, steps / script, args, home, env)
    print(
        f"[contract] {script} on {cv.row.key} (Python {cv.row.python}): "
        f"exit {done.returncode} in {time.perf_counter() - started:.1f} s ({cv.interpreter.path})"
    )
    assert done.returncode == 0, (
        f"{script} on {cv.row.key}:\n{done.stdout[-2000:]}{done.stderr[-3000:]}"
    )
    return done.stdout


def preprocess(cv: ContractVenv, steps: Path, data: Path, work: Path, home: Path) -> Path:
    if cv.row.framework == "spark":
        output = work / "spark"
        env = {
            "PYSPARK_PYTHON": str(cv.python),
            "PYSPARK_DRIVER_PYTHON": str(cv.python),
            "SPARK_LOCAL_IP": "127.0.0.1",
            "PYSPARK_SUBMIT_ARGS": "--conf spark.ui.enabled=false pyspark-shell",
        }
        step(
            cv,
            steps,
            "preprocess_spark.py",
            ["--input", str(data), "--output", str(output)],
            home,
            env,
        )
        return output
    base = work / "processing"
    (base / "input").mkdir(parents=True)
    shutil.copy(data, base / "input" / data.name)
    step(cv, steps, "preprocess.py", ["--base-dir", str(base)], home)
    return base


def train_and_evaluate(cv: ContractVenv, steps: Path, splits: Path, work: Path, home: Path) -> dict:
    root = work / "train"
    env = {
        "SM_CHANNEL_TRAIN": str(splits / "train"),
        "SM_CHANNEL_VALIDATION": str(splits / "validation"),
        "SM_MODEL_DIR": str(root / "model"),
        "SM_OUTPUT_DATA_DIR": str(root / "output" / "data"),
    }
    assert "validation:accuracy=" in step(cv, steps, "train.py", [], home, env)
    base = work / "evaluate"
    (base / "model").mkdir(parents=True)
    with tarfile.open(base / "model" / "model.tar.gz", "w:gz") as tar:
        for path in sorted((root / "model").iterdir()):
            tar.add(path, arcname=path.name)
    shutil.copytree(splits / "test", base / "test")
    step(cv, steps, "evaluate.py", ["--base-dir", str(base)], home)
    evaluation: dict = json.loads((base / "evaluation" / "evaluation.json").read_text())
    return evaluation


class Variant:
    """A generated project, its steps folder and a clean HOME, made once per test session."""

    def __init__(self, root: Path, framework: str, sdk: str, extras: str) -> None:
        self.spec = spec_for(framework, sdk, extras)
        sdk_option = ["--sdk", sdk] if sdk == "v2" else []
        name = f"{framework}-{sdk}-{extras}"
        self.project = generate(
            root / name, "--name", "p", *options(framework, extras), *sdk_option
        )
        self.steps = next(self.project.glob("pipelines/*/steps"))
        self.home = root / f"{name}-home"
        self.home.mkdir()
        self.work = root / f"{name}-work"


@pytest.fixture(scope="module")
def splits_of(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str, str], Path]:
    """``get(framework, sdk, extras)``: the split folders its preprocessing step wrote."""
    root = tmp_path_factory.mktemp("contracts")
    cache: dict[tuple[str, str, str], Path] = {}

    def get(framework: str, sdk: str, extras: str) -> Path:
        if (framework, sdk, extras) not in cache:
            variant = Variant(root, framework, sdk, extras)
            cv = needed(images_for(variant.spec).processing)
            data = variant.project / "data" / "sample.csv"
            cache[(framework, sdk, extras)] = preprocess(
                cv, variant.steps, data, variant.work, variant.home
            )
        return cache[(framework, sdk, extras)]

    return get


@pytest.mark.slow
@pytest.mark.parametrize(("framework", "sdk", "extras"), PREPROCESSING)
def test_preprocessing_runs_under_its_container_contract(
    splits_of: Callable[[str, str, str], Path], framework: str, sdk: str, extras: str
) -> None:
    splits = splits_of(framework, sdk, extras)
    rows = {}
    for name in ("train", "validation", "test"):
        files = sorted((splits / name).glob("*.csv"))
        assert files, f"no {name} split in {splits}"
        rows[name] = sum(len(f.read_text().splitlines()) - 1 for f in files)
    assert rows["train"] > rows["validation"] > 0 and rows["test"] > 0


@pytest.mark.slow
@pytest.mark.parametrize(("framework", "sdk"), TRAINING)
def test_training_and_evaluation_run_under_their_container_contract(
    tmp_path: Path, splits_of: Callable[[str, str, str], Path], framework: str, sdk: str
) -> None:
    splits = splits_of("sklearn", sdk, "plain")
    variant = Variant(tmp_path, framework, sdk, "plain")
    cv = needed(images_for(variant.spec).training)
    evaluation = train_and_evaluate(cv, variant.steps, splits, variant.work, variant.home)
    accuracy = evaluation["binary_classification_metrics"]["accuracy"]["value"]
    assert 0.7 <= accuracy <= 1.0


@pytest.mark.slow
@pytest.mark.parametrize("framework", ["sklearn", "xgboost"])
def test_script_project_trains_under_its_container_contract(tmp_path: Path, framework: str) -> None:
    project = generate(tmp_path / "s", "--name", "s", "--kind", "script", "--framework", framework)
    spec = build_spec(decision(score(Answers())), name="s", kind="script", framework=framework)
    cv = needed(images_for(spec).training)
    (tmp_path / "home").mkdir()
    env = {"SM_MODEL_DIR": str(tmp_path / "model"), "SM_OUTPUT_DATA_DIR": str(tmp_path / "out")}
    assert "validation:accuracy=" in step(cv, project, "train.py", [], tmp_path / "home", env)
    assert any((tmp_path / "model").iterdir())


def test_the_table_says_which_contracts_these_tests_run() -> None:
    """The generated READMEs quote RUN_UNDER_CONTRACT: it must be what this module runs."""
    ran = {images_for(spec_for(*variant)).processing.key for variant in PREPROCESSING}
    ran |= {images_for(spec_for(fw, sdk, "plain")).training.key for fw, sdk in TRAINING}
    assert ran == RUN_UNDER_CONTRACT
