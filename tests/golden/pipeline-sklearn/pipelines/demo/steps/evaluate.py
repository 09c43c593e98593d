"""Step EvaluateModel: score the trained model on the held-out test split.

Runs as a SageMaker processing job in the sklearn training image (it has the
framework's libraries); ``python -m pipelines local`` runs it with ``--base-dir`` pointing at a
local folder instead of /opt/ml/processing:

- reads ``<base-dir>/model/model.tar.gz`` (the training step's artifact) and
  ``<base-dir>/test/*.csv``;
- writes ``<base-dir>/evaluation/evaluation.json`` in the model registry's format, e.g.
  ``{"binary_classification_metrics": {"accuracy": {"value": 0.83, ...}, ...}}``. The pipeline
  reads the accuracy from it (a PropertyFile) to decide whether to register the model, and
  attaches the file to the registered model package.
"""

from __future__ import annotations

import argparse
import json
import tarfile
from pathlib import Path

from dataset import read_table, split_xy
from features import load_preprocessor, to_matrix
from metrics import compute_metrics, write_json
from model import load_model, predict_proba

BASE_DIR = Path("/opt/ml/processing")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the base folder; unknown flags are ignored (the container may add some)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--base-dir", type=Path, default=BASE_DIR, help="stands for /opt/ml/processing"
    )
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        print(f"ignoring unknown arguments: {unknown}")
    return args


def unpack_model(folder: Path) -> Path:
    """Extract model.tar.gz (as SageMaker's serving containers do) and return the folder."""
    with tarfile.open(folder / "model.tar.gz") as archive:
        if hasattr(tarfile, "data_filter"):  # Python >= 3.11.4: refuse unsafe members
            archive.extractall(folder, filter="data")
        else:
            archive.extractall(folder)  # our own training job's artifact
    return folder


def report(metrics: dict) -> dict:
    """Shape metrics as SageMaker's model-quality report (one value per metric)."""
    return {
        "binary_classification_metrics": {
            name: {"value": value, "standard_deviation": "NaN"} for name, value in metrics.items()
        }
    }


def main(argv: list[str] | None = None) -> dict:
    """Evaluate; return the evaluation report."""
    args = parse_args(argv)
    model_dir = unpack_model(args.base_dir / "model")
    features, labels = split_xy(read_table(args.base_dir / "test"))
    preprocessor = load_preprocessor(model_dir)
    scores = predict_proba(load_model(model_dir), to_matrix(preprocessor, features))
    evaluation = report(compute_metrics(labels, scores))
    write_json(evaluation, args.base_dir / "evaluation", "evaluation.json")
    print(json.dumps(evaluation, sort_keys=True))
    return evaluation


if __name__ == "__main__":
    main()
