"""Read the tabular data and split it: shared by the preprocess, train and evaluate steps.

The same functions back the single-script project that sm-advisor generates.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

# ---- sm-advisor region dataset: the script's train.py has the same code ----
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
