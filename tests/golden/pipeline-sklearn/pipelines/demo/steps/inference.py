"""Serve the model on a SageMaker endpoint (the sklearn inference container).

The container calls these four functions. Requests are ``text/csv`` rows holding the feature
columns in training order, without header and without the ``target`` column; the response is
one probability of label 1 per row, one per line. train.py copies this file, features.py and
model.py into the model archive's ``code/`` folder (SAGEMAKER_SUBMIT_DIRECTORY).
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from features import load_preprocessor, to_matrix
from model import load_model, predict_proba

CSV = "text/csv"


def model_fn(model_dir: str, context: object = None) -> dict:
    """Load the model and the preprocessor fitted with it."""
    folder = Path(model_dir)
    return {"model": load_model(folder), "preprocessor": load_preprocessor(folder)}


def input_fn(body: bytes | str, content_type: str = CSV) -> pd.DataFrame:
    """Parse CSV rows (no header) into a table."""
    if not content_type.startswith(CSV):
        raise ValueError(f"unsupported content type {content_type!r}; send {CSV}")
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    return pd.read_csv(io.StringIO(text), header=None)


def predict_fn(rows: pd.DataFrame, artifacts: dict) -> np.ndarray:
    """Name the columns as in training, encode them and predict."""
    preprocessor = artifacts["preprocessor"]
    names = list(preprocessor.feature_names_in_)
    if rows.shape[1] != len(names):
        raise ValueError(f"expected {len(names)} columns ({', '.join(names)}), got {rows.shape[1]}")
    rows = rows.set_axis(names, axis=1)
    return predict_proba(artifacts["model"], to_matrix(preprocessor, rows))


def output_fn(prediction: np.ndarray, accept: str = CSV) -> str:
    """Return one probability per line."""
    if not accept.startswith(CSV) and accept != "*/*":
        raise ValueError(f"unsupported accept type {accept!r}; ask for {CSV}")
    return "".join(f"{p:.6f}\n" for p in np.asarray(prediction).ravel())
