"""The sklearn model: its hyperparameters (flags), training, prediction, save and load.

Change the model here: train.py, evaluate.py and inference.py only call these functions.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import joblib
import numpy as np
from sklearn.ensemble import GradientBoostingClassifier

# ---- sm-advisor region model: the script's train.py has the same code ----
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
