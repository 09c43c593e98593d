"""``python -m pipelines local``: the pipeline's steps as local processes, on local data.

Each step runs the same script as in SageMaker, in a fresh Python process, with the paths of
its container mapped to folders of the work dir (the S3 hand-offs between steps become copies):

    PreprocessData  /opt/ml/processing/*      -> <work>/preprocess/processing/*
    TrainModel      /opt/ml/{input/data,model} -> <work>/train/{input/data,model}
    EvaluateModel   /opt/ml/processing/*      -> <work>/evaluate/processing/*
    CheckAccuracy   the evaluation's accuracy against MinAccuracy (settings.MIN_ACCURACY)

Registration and deployment need SageMaker and are not run locally.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

from pipelines import CommandError
from pipelines.demo import settings

STEPS = Path(settings.__file__).resolve().parent / "steps"
OBJECTIVE = re.compile(settings.METRIC_DEFINITIONS[settings.OBJECTIVE_METRIC])


def run_script(script: str, args: list[str], log: Path, env: dict[str, str] | None = None) -> str:
    """Run one step script in a fresh process; keep its output in ``log``; return stdout."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SM_")}
    # No __pycache__ in steps/: it would change the code SageMaker receives, and its hash.
    clean["PYTHONDONTWRITEBYTECODE"] = "1"
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(STEPS / script), *args],
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(done.stdout + done.stderr, encoding="utf-8")
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
        raise CommandError(f"{script} failed (exit {done.returncode}); log: {log}\n{tail}")
    print(f"    {script} done in {time.perf_counter() - started:.1f} s (log: {log})")
    return done.stdout


def copy_into(source: Path, target: Path) -> Path:
    """Copy a file or a folder's files into ``target`` (what a processing input does)."""
    target.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, target, dirs_exist_ok=True)
    else:
        shutil.copy(source, target / source.name)
    return target


def preprocess(work: Path, data: Path) -> Path:
    """PreprocessData; returns the folder holding the split folders."""
    print("==> PreprocessData")
    base = work / "preprocess" / "processing"
    copy_into(data, base / "input")
    out = run_script("preprocess.py", ["--base-dir", str(base)], work / "preprocess" / "log.txt")
    print(out.strip())
    return base


def train(root: Path, splits: Path, hyperparameters: dict) -> tuple[Path, float]:
    """One training job under ``root``; returns its model.tar.gz and the objective metric."""
    channels = {
        name: copy_into(splits / name, root / "input" / "data" / name)
        for name in ("train", "validation")
    }
    env = {
        "SM_CHANNEL_TRAIN": str(channels["train"]),
        "SM_CHANNEL_VALIDATION": str(channels["validation"]),
        "SM_MODEL_DIR": str(root / "model"),
        "SM_OUTPUT_DATA_DIR": str(root / "output" / "data"),
    }
    args = [item for name, value in hyperparameters.items() for item in (f"--{name}", str(value))]
    stdout = run_script("train.py", args, root / "log.txt", env)
    found = OBJECTIVE.findall(stdout)
    if not found:
        raise CommandError(f"train.py logged no {settings.OBJECTIVE_METRIC}; see {root}/log.txt")
    archive = root / "output" / "model.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:  # what SageMaker uploads from /opt/ml/model
        for path in sorted((root / "model").iterdir()):
            tar.add(path, arcname=path.name)
    return archive, float(found[-1])


def evaluate(work: Path, archive: Path, splits: Path) -> dict:
    """EvaluateModel; returns evaluation.json's content."""
    print("==> EvaluateModel")
    base = work / "evaluate" / "processing"
    copy_into(archive, base / "model")
    copy_into(splits / "test", base / "test")
    run_script("evaluate.py", ["--base-dir", str(base)], work / "evaluate" / "log.txt")
    return json.loads((base / "evaluation" / "evaluation.json").read_text(encoding="utf-8"))


def accuracy_of(evaluation: dict) -> float:
    """Read the value at settings.EVALUATION_METRIC_PATH, as the pipeline's JsonGet does."""
    value: object = evaluation
    for key in settings.EVALUATION_METRIC_PATH.split("."):
        value = value[key]  # type: ignore[index]
    return float(value)  # type: ignore[arg-type]


def run(data: Path, work: Path) -> dict:
    """Run every step in a fresh work dir; return the evaluation report."""
    if not data.exists():
        raise CommandError(f"no data at {data}; pass --data with a CSV file or a folder of CSVs")
    shutil.rmtree(work, ignore_errors=True)
    splits = preprocess(work, data)
    print("==> TrainModel")
    archive, score = train(work / "train", splits, settings.HYPERPARAMETERS)
    print(f"    {settings.OBJECTIVE_METRIC}={score:.4f}")
    evaluation = evaluate(work, archive, splits)
    (work / "evaluation.json").write_text(json.dumps(evaluation, indent=2) + "\n", encoding="utf-8")
    return evaluation


def main(args: argparse.Namespace) -> int:
    """The ``local`` command: run, print the evaluation, apply CheckAccuracy."""
    evaluation = run(args.data, args.work_dir)
    print(json.dumps(evaluation, indent=2, sort_keys=True))
    accuracy = accuracy_of(evaluation)
    verdict = ">=" if accuracy >= settings.MIN_ACCURACY else "<"
    print(f"==> CheckAccuracy: {accuracy:.4f} {verdict} MinAccuracy {settings.MIN_ACCURACY}")
    print(f"evaluation written to {args.work_dir / 'evaluation.json'}")
    if accuracy < settings.MIN_ACCURACY:
        print("The pipeline would fail here (AccuracyTooLow).", file=sys.stderr)
        return 1
    print("The pipeline would register this model (RegisterModel).")
    return 0
