"""Turn raw columns into model inputs: scale numbers, one-hot encode categories.

train.py fits the preprocessor on the train split only and saves it beside the model, so the
evaluation step and the endpoint (inference.py) apply exactly the encoding the model learned.
"""

from __future__ import annotations

from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.preprocessing import OneHotEncoder, StandardScaler

# ---- sm-advisor region features: the script's train.py has the same code ----
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
