"""Train the model: load, preprocess, train, evaluate and save, in one script.

The same file runs on a laptop and as a SageMaker training job (see submit.py):

- data: the ``train`` channel folder SageMaker mounts (``SM_CHANNEL_TRAIN``), else ``--train``
  (default: the sample CSV shipped in data/);
- model: written to ``SM_MODEL_DIR`` (default ./model), which SageMaker uploads as model.tar.gz;
- metrics: ``metrics.json`` in ``SM_OUTPUT_DATA_DIR`` (default ./output), and log lines such as
  ``validation:accuracy=0.8750`` that SageMaker's metric definitions and tuners parse;
- hyperparameters: flags (``python train.py --help``); SageMaker passes them the same way.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import (
    accuracy_score,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
)
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import OneHotEncoder, StandardScaler

HERE = Path(__file__).resolve().parent
SAMPLE_DATA = HERE / "data" / "sample.csv"
# Copied into the model's code/ (SAGEMAKER_SUBMIT_DIRECTORY) so an endpoint or serve.py loads it.
INFERENCE_CODE = ("inference.py", "train.py")

# ---- sm-advisor region dataset: becomes the pipeline's steps/dataset.py ----
TARGET = "target"


def env_path(variable: str, default: str) -> Path:
    """Return the folder SageMaker gives in ``variable``, or ``default`` when run locally."""
    return Path(os.environ.get(variable, default))


def read_table(path: str | Path) -> pd.DataFrame:
    """Read one CSV file, or every ``*.csv`` in a folder (a SageMaker channel), in name order."""
    path = Path(path)
    files = sorted(path.glob("*.csv")) if path.is_dir() else [path]
    if not files or not files[0].is_file():
        raise SystemExit(f"no CSV data at {path}; pass --train with a CSV file or a folder of CSVs")
    return pd.concat([pd.read_csv(f) for f in files], ignore_index=True)


def split_xy(frame: pd.DataFrame, target: str = TARGET) -> tuple[pd.DataFrame, np.ndarray]:
    """Split a table into its features and its 0/1 label column."""
    if target not in frame.columns:
        raise SystemExit(f"the data has no {target!r} column; columns are {list(frame.columns)}")
    labels = frame[target].to_numpy()
    if not np.isin(labels, (0, 1)).all():
        raise SystemExit(f"the {target!r} column must hold 0/1 labels for binary classification")
    return frame.drop(columns=[target]), labels.astype(np.int64)


def split_holdout(
    features: pd.DataFrame, labels: np.ndarray, fraction: float, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray, np.ndarray]:
    """Hold out ``fraction`` of the rows, stratified by label, reproducibly for a given seed."""
    return train_test_split(
        features, labels, test_size=fraction, random_state=seed, stratify=labels
    )


# ---- end of sm-advisor region dataset ----


# ---- sm-advisor region features: becomes the pipeline's steps/features.py ----
PREPROCESSOR_FILE = "preprocessor.joblib"


def build_preprocessor(features: pd.DataFrame) -> ColumnTransformer:
    """Scale the numeric columns and one-hot encode the others (unseen categories become 0s)."""
    numeric = features.select_dtypes(include="number").columns.tolist()
    categorical = [c for c in features.columns if c not in numeric]
    encoder = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
    return ColumnTransformer(
        [("numeric", StandardScaler(), numeric), ("categorical", encoder, categorical)],
        sparse_threshold=0.0,
    )


def to_matrix(preprocessor: ColumnTransformer, features: pd.DataFrame) -> np.ndarray:
    """Transform features with a fitted preprocessor into a dense float32 matrix."""
    return np.asarray(preprocessor.transform(features), dtype=np.float32)


def save_preprocessor(preprocessor: ColumnTransformer, folder: Path) -> Path:
    """Save the fitted preprocessor beside the model, so predictions see the same encoding."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / PREPROCESSOR_FILE
    joblib.dump(preprocessor, path)
    return path


def load_preprocessor(folder: Path) -> ColumnTransformer:
    """Load the preprocessor saved by ``save_preprocessor``."""
    return joblib.load(folder / PREPROCESSOR_FILE)


# ---- end of sm-advisor region features ----


# ---- sm-advisor region model: becomes the pipeline's steps/model.py ----
MODEL_FILE = "model.joblib"


def add_hyperparameters(parser: argparse.ArgumentParser) -> None:
    """Add the model's hyperparameters as flags; SageMaker passes them as ``--name value``."""
    group = parser.add_argument_group("hyperparameters")
    group.add_argument(
        "--n-estimators", "--n_estimators", type=int, default=150, help="number of boosting stages"
    )
    group.add_argument("--max-depth", "--max_depth", type=int, default=2, help="depth of each tree")
    group.add_argument(
        "--learning-rate", "--learning_rate", type=float, default=0.05, help="shrinkage per stage"
    )
    group.add_argument("--subsample", type=float, default=0.8, help="fraction of rows per stage")
    group.add_argument("--seed", type=int, default=42, help="random seed (splits and model)")


def fit_model(
    features: np.ndarray, labels: np.ndarray, params: argparse.Namespace
) -> GradientBoostingClassifier:
    """Train gradient-boosted trees: strong on small tabular data and needing little tuning."""
    model = GradientBoostingClassifier(
        n_estimators=params.n_estimators,
        max_depth=params.max_depth,
        learning_rate=params.learning_rate,
        subsample=params.subsample,
        random_state=params.seed,
    )
    return model.fit(features, labels)


def predict_proba(model: GradientBoostingClassifier, features: np.ndarray) -> np.ndarray:
    """Return the predicted probability of the positive class (label 1) for each row."""
    return model.predict_proba(features)[:, 1]


def save_model(model: GradientBoostingClassifier, folder: Path) -> Path:
    """Save the model with joblib (load it with the same scikit-learn version)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / MODEL_FILE
    joblib.dump(model, path)
    return path


def load_model(folder: Path) -> GradientBoostingClassifier:
    """Load the model saved by ``save_model``."""
    return joblib.load(folder / MODEL_FILE)


# ---- end of sm-advisor region model ----


# ---- sm-advisor region metrics: becomes the pipeline's steps/metrics.py ----
LOG_NAMES = {"roc_auc": "auc"}


def compute_metrics(labels: np.ndarray, scores: np.ndarray, threshold: float = 0.5) -> dict:
    """Return accuracy, precision, recall, f1 and ROC AUC for predicted probabilities of 1."""
    predicted = (np.asarray(scores) >= threshold).astype(np.int64)
    return {
        "accuracy": float(accuracy_score(labels, predicted)),
        "precision": float(precision_score(labels, predicted, zero_division=0)),
        "recall": float(recall_score(labels, predicted, zero_division=0)),
        "f1": float(f1_score(labels, predicted, zero_division=0)),
        "roc_auc": float(roc_auc_score(labels, scores)),
    }


def log_metrics(metrics: dict, prefix: str = "validation") -> None:
    """Print ``validation:accuracy=0.9123`` lines: the format SageMaker's metric regexes read.

    ROC AUC is logged as ``auc``, the name SageMaker's built-in algorithms use.
    """
    for name, value in metrics.items():
        print(f"{prefix}:{LOG_NAMES.get(name, name)}={value:.4f}", flush=True)


def write_json(data: dict, folder: Path, name: str) -> Path:
    """Write ``data`` as indented JSON to ``folder/name``, creating the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


# ---- end of sm-advisor region metrics ----


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the input/output locations and the hyperparameters from flags and SageMaker's env."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--train",
        default=os.environ.get("SM_CHANNEL_TRAIN", str(SAMPLE_DATA)),
        help="CSV file or folder of CSVs (default: $SM_CHANNEL_TRAIN, else the sample data)",
    )
    parser.add_argument(
        "--model-dir",
        type=Path,
        default=env_path("SM_MODEL_DIR", "model"),
        help="where to save the model (default: $SM_MODEL_DIR, else ./model)",
    )
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=env_path("SM_OUTPUT_DATA_DIR", "output"),
        help="where to write metrics.json (default: $SM_OUTPUT_DATA_DIR, else ./output)",
    )
    parser.add_argument(
        "--validation-fraction",
        type=float,
        default=0.2,
        help="share of rows held out to measure the model (default 0.2)",
    )
    add_hyperparameters(parser)
    return parser.parse_args(argv)


def package_inference_code(model_dir: Path) -> None:
    """Put inference.py and train.py (which it imports) in model_dir/code for serving."""
    target = model_dir / "code"
    target.mkdir(parents=True, exist_ok=True)
    for name in INFERENCE_CODE:
        shutil.copy(HERE / name, target / name)


def main(argv: list[str] | None = None) -> dict:
    """Run the whole job and return the validation metrics."""
    args = parse_args(argv)
    features, labels = split_xy(read_table(args.train))
    x_train, x_val, y_train, y_val = split_holdout(
        features, labels, args.validation_fraction, args.seed
    )
    preprocessor = build_preprocessor(x_train).fit(x_train)
    model = fit_model(to_matrix(preprocessor, x_train), y_train, args)
    metrics = compute_metrics(y_val, predict_proba(model, to_matrix(preprocessor, x_val)))
    log_metrics(metrics, "validation")
    save_preprocessor(preprocessor, args.model_dir)
    save_model(model, args.model_dir)
    package_inference_code(args.model_dir)
    report = {
        "framework": "sklearn",
        "validation": metrics,
        "rows": {"train": len(x_train), "validation": len(x_val)},
        "hyperparameters": {
            k: v for k, v in vars(args).items() if k not in {"train", "model_dir", "output_dir"}
        },
    }
    path = write_json(report, args.output_dir, "metrics.json")
    print(f"saved the model in {args.model_dir} and the metrics in {path}", file=sys.stderr)
    return metrics


if __name__ == "__main__":
    main()
