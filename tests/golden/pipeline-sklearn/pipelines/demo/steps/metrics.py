"""Binary-classification metrics: computed, logged for SageMaker's regexes, written as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
)

# ---- sm-advisor region metrics: the script's train.py has the same code ----
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
