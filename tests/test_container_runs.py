"""The Spark step runs under its container's contract: Python 3.12 and pyspark 3.5.

``preprocess_spark.py`` runs as ``python -m pipelines local`` runs it (same arguments), but on
the interpreter and pyspark series of ``sagemaker-spark-processing:3.5`` (the project's own
local run, ``test_pipeline_project_run.py``, uses this machine's Python 3.11). Nothing runs on
AWS. Without a Python 3.12 here it skips with the reason.

The other step scripts (preprocess, train, evaluate) run under their contracts in
``test_container_toolkits.py``, once per contract, with training started by AWS's toolkit.
"""

from __future__ import annotations

import shutil
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
from generators.containers import Contract, images_for
from generators.context import build_spec
from generators.spec import ProjectSpec

PREPROCESSING = [
    pytest.param("sklearn", "v3", "spark", marks=pytest.mark.xdist_group("spark-3.5")),
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
