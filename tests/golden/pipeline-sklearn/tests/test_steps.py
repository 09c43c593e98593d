"""The steps, run locally on the sample data as ``python -m pipelines local`` runs them."""

from __future__ import annotations

import importlib
import json
import re
import sys
import tarfile
from pathlib import Path

import pandas as pd
import pytest

from pipelines import _local
from pipelines.demo import settings

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample.csv"
SPLITS = ("train", "validation", "test")
OBJECTIVE = re.compile(settings.METRIC_DEFINITIONS[settings.OBJECTIVE_METRIC])


def splits_dir(work: Path) -> Path:
    """Where the local run leaves the preprocessing step's outputs."""
    return work / "preprocess" / "processing"


def read_split(folder: Path) -> pd.DataFrame:
    """Every CSV of a split folder, as the next step reads it."""
    return pd.concat([pd.read_csv(f) for f in sorted(folder.glob("*.csv"))], ignore_index=True)


def train_dirs(work: Path) -> list[Path]:
    """The folder of each training run."""
    return [work / "train"]


def test_preprocess_puts_every_row_in_exactly_one_split(local_run: Path) -> None:
    sample = pd.read_csv(SAMPLE)
    parts = {name: read_split(splits_dir(local_run) / name) for name in SPLITS}
    assert sum(len(part) for part in parts.values()) == len(sample)
    columns = list(sample.columns)
    for part in parts.values():  # read_table may derive more columns: the sample's are all there
        assert [c for c in part.columns if c in columns] == columns
    assert 0.6 < len(parts["train"]) / len(sample) < 0.8
    merged = pd.concat(parts.values())[columns].sort_values(columns, ignore_index=True)
    expected = sample.sort_values(columns, ignore_index=True)
    pd.testing.assert_frame_equal(merged, expected, check_dtype=False)


def test_training_logs_the_objective_metric(local_run: Path) -> None:
    for run in train_dirs(local_run):
        logged = OBJECTIVE.findall((run / "log.txt").read_text())
        assert len(logged) == 1, f"{run}: one {settings.OBJECTIVE_METRIC} line expected"
        report = json.loads((run / "output" / "data" / "metrics.json").read_text())
        assert float(logged[0]) == pytest.approx(report["validation"]["accuracy"], abs=1e-4)


def test_model_archive_holds_model_preprocessor_and_inference_code(local_run: Path) -> None:
    archive = local_run / "evaluate" / "processing" / "model" / "model.tar.gz"
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    expected = {"preprocessor.joblib", "code/inference.py", "code/features.py", "code/model.py"}
    assert expected <= names
    assert any(n.startswith("model.") for n in names), names


def test_evaluation_reaches_the_threshold(local_run: Path) -> None:
    evaluation = json.loads((local_run / "evaluation.json").read_text())
    metrics = evaluation["binary_classification_metrics"]
    assert set(metrics) == {"accuracy", "precision", "recall", "f1", "roc_auc"}
    accuracy = _local.accuracy_of(evaluation)
    assert accuracy == metrics["accuracy"]["value"]
    assert accuracy >= settings.MIN_ACCURACY
    written = local_run / "evaluate" / "processing" / "evaluation" / "evaluation.json"
    assert json.loads(written.read_text()) == evaluation


@pytest.fixture
def inference(local_run: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    """inference.py as the serving container loads it: from the model archive's code/."""
    monkeypatch.syspath_prepend(str(local_run / "evaluate" / "processing" / "model" / "code"))
    for name in ("inference", "features", "model"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    return importlib.import_module("inference")


def test_served_model_answers_csv_rows(local_run: Path, inference: object) -> None:
    test = read_split(splits_dir(local_run) / "test")
    body = test.drop(columns="target").to_csv(header=False, index=False).encode()
    artifacts = inference.model_fn(str(local_run / "evaluate" / "processing" / "model"))
    rows = inference.input_fn(bytearray(body), "text/csv; charset=utf-8")
    answer, content_type = inference.output_fn(inference.predict_fn(rows, artifacts), "*/*")
    assert content_type == "text/csv"
    scores = [float(line) for line in answer.splitlines()]
    assert len(scores) == len(test)
    assert all(0.0 <= s <= 1.0 for s in scores)
    hits = sum((s >= 0.5) == bool(y) for s, y in zip(scores, test["target"], strict=True))
    assert hits / len(test) >= settings.MIN_ACCURACY
    records = test.drop(columns="target").to_json(orient="records")
    predicted = inference.predict_fn(inference.input_fn(records, "application/json"), artifacts)
    answer, content_type = inference.output_fn(predicted, "application/json")
    assert content_type == "application/json"
    assert json.loads(answer)["predictions"] == pytest.approx(scores, abs=2e-6)
    with pytest.raises(ValueError, match="unsupported content type"):
        inference.input_fn(body, "application/x-npy")
    with pytest.raises(ValueError, match="expected"):
        inference.predict_fn(inference.input_fn(b"1,2\n", "text/csv"), artifacts)
    with pytest.raises(ValueError, match="empty"):
        inference.input_fn(b"", "text/csv")


def test_preprocess_rejects_data_without_a_label(
    tmp_path: Path, steps_on_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(sys.modules, "preprocess", raising=False)
    preprocess = importlib.import_module("preprocess")
    (tmp_path / "input").mkdir()
    pd.read_csv(SAMPLE).drop(columns="target").to_csv(tmp_path / "input" / "x.csv", index=False)
    with pytest.raises(SystemExit, match="no 'target' column"):
        preprocess.main(["--base-dir", str(tmp_path)])
