"""train.py trains on the shipped sample, saves a model that reloads, and follows SageMaker's
contract: data from $SM_CHANNEL_TRAIN, model to $SM_MODEL_DIR, metrics to $SM_OUTPUT_DATA_DIR,
hyperparameters as flags, and metric lines a tuner's regex can read."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import train

PROJECT = Path(__file__).resolve().parent.parent
# The sample is learnable to about 0.85 accuracy; below this floor training is broken.
FLOOR = 0.7
TUNER_REGEX = r"validation:accuracy=([0-9\.]+)"
# A cheaper setting, spelled with underscores as a SageMaker tuner may pass it.
QUICK = ["--n_estimators", "50"]


def run_train(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run train.py as SageMaker would: a fresh process, settings in flags and SM_* variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SM_")}
    return subprocess.run(
        [sys.executable, str(PROJECT / "train.py"), *args],
        cwd=cwd,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def default_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """``python train.py`` with no arguments, in an empty folder."""
    work = tmp_path_factory.mktemp("default-run")
    return work, run_train(work).stdout


def test_train_without_arguments_writes_model_and_metrics(default_run: tuple[Path, str]) -> None:
    work, _ = default_run
    assert (work / "model" / train.MODEL_FILE).is_file()
    assert (work / "model" / train.PREPROCESSOR_FILE).is_file()
    report = json.loads((work / "output" / "metrics.json").read_text())
    scores = report["validation"]
    assert set(scores) == {"accuracy", "precision", "recall", "f1", "roc_auc"}
    assert scores["accuracy"] >= FLOOR and scores["roc_auc"] >= FLOOR
    assert report["rows"] == {"train": 640, "validation": 160}


def test_metric_lines_match_the_tuner_regex(default_run: tuple[Path, str]) -> None:
    work, stdout = default_run
    report = json.loads((work / "output" / "metrics.json").read_text())
    match = re.search(TUNER_REGEX, stdout)
    assert match, stdout
    assert float(match.group(1)) == pytest.approx(report["validation"]["accuracy"], abs=1e-4)
    assert re.search(r"validation:auc=([0-9\.]+)", stdout)


def test_saved_model_reloads_and_predicts(default_run: tuple[Path, str]) -> None:
    work, _ = default_run
    features, labels = train.split_xy(train.read_table(train.SAMPLE_DATA))
    preprocessor = train.load_preprocessor(work / "model")
    model = train.load_model(work / "model")
    scores = train.predict_proba(model, train.to_matrix(preprocessor, features))
    assert scores.shape == labels.shape
    assert ((scores >= 0) & (scores <= 1)).all()
    assert train.compute_metrics(labels, scores)["accuracy"] >= FLOOR


def test_sagemaker_channel_and_output_folders(tmp_path: Path) -> None:
    channel = tmp_path / "input" / "data" / "train"
    channel.mkdir(parents=True)
    sample = pd.read_csv(train.SAMPLE_DATA)
    sample.iloc[:500].to_csv(channel / "part-0.csv", index=False)
    sample.iloc[500:].to_csv(channel / "part-1.csv", index=False)
    run_train(
        tmp_path,
        *QUICK,
        SM_CHANNEL_TRAIN=str(channel),
        SM_MODEL_DIR=str(tmp_path / "sm-model"),
        SM_OUTPUT_DATA_DIR=str(tmp_path / "sm-output"),
    )
    assert (tmp_path / "sm-model" / train.MODEL_FILE).is_file()
    report = json.loads((tmp_path / "sm-output" / "metrics.json").read_text())
    assert report["rows"]["train"] + report["rows"]["validation"] == len(sample)
    assert report["hyperparameters"]["n_estimators"] == 50
    assert not (tmp_path / "model").exists(), "SM_MODEL_DIR must replace the ./model default"


def test_training_is_reproducible(tmp_path: Path) -> None:
    first = train.main([*QUICK, "--model-dir", str(tmp_path / "a"), "--output-dir", str(tmp_path)])
    second = train.main([*QUICK, "--model-dir", str(tmp_path / "b"), "--output-dir", str(tmp_path)])
    assert first == second


def test_missing_label_column_is_a_clear_error(tmp_path: Path) -> None:
    data = tmp_path / "no-label.csv"
    pd.read_csv(train.SAMPLE_DATA).drop(columns=["target"]).to_csv(data, index=False)
    with pytest.raises(SystemExit, match="no 'target' column"):
        train.main(["--train", str(data), "--model-dir", str(tmp_path / "m")])
