"""Step PreprocessData: check the raw data and split it into train, validation and test.

Runs as a SageMaker processing job in the scikit-learn image (``python -m pipelines local`` runs
it here, with ``--base-dir`` pointing at a local folder instead of /opt/ml/processing):

- reads ``<base-dir>/input/*.csv`` (the InputDataUrl parameter, copied in by SageMaker);
- drops incomplete rows, checks that the ``target`` column holds 0/1 labels;
- writes ``<base-dir>/{train,validation,test}/<split>.csv``, raw columns and header kept,
  split reproducibly and stratified by label. SageMaker uploads these folders to S3.

Encoding (scaling, one-hot) is fitted later, in train.py, on the train split only.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from dataset import TARGET, read_table, split_holdout, split_xy

BASE_DIR = Path("/opt/ml/processing")
SPLITS = ("train", "validation", "test")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the split settings; unknown flags are ignored (the container may add some)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--base-dir", type=Path, default=BASE_DIR, help="stands for /opt/ml/processing"
    )
    parser.add_argument("--validation-fraction", type=float, default=0.15)
    parser.add_argument("--test-fraction", type=float, default=0.15)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--input-fingerprint", help="digest of the input listing: it only enters the cache key"
    )
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        print(f"ignoring unknown arguments: {unknown}")
    return args


def split(
    frame: pd.DataFrame, validation_fraction: float, test_fraction: float, seed: int
) -> dict[str, pd.DataFrame]:
    """Split rows into train/validation/test, stratified by label; columns stay as they are."""
    features, labels = split_xy(frame.dropna())
    x_rest, x_test, y_rest, y_test = split_holdout(features, labels, test_fraction, seed)
    share = validation_fraction / (1.0 - test_fraction)
    x_train, x_val, y_train, y_val = split_holdout(x_rest, y_rest, share, seed)
    parts = {"train": (x_train, y_train), "validation": (x_val, y_val), "test": (x_test, y_test)}
    return {name: x.assign(**{TARGET: y}) for name, (x, y) in parts.items()}


def main(argv: list[str] | None = None) -> dict[str, int]:
    """Run the step; return the number of rows written per split."""
    args = parse_args(argv)
    frame = read_table(args.base_dir / "input")
    parts = split(frame, args.validation_fraction, args.test_fraction, args.seed)
    counts = {}
    for name in SPLITS:
        folder = args.base_dir / name
        folder.mkdir(parents=True, exist_ok=True)
        parts[name].to_csv(folder / f"{name}.csv", index=False)
        counts[name] = len(parts[name])
    dropped = len(frame) - sum(counts.values())
    print(f"rows: {counts} (dropped {dropped} incomplete)")
    return counts


if __name__ == "__main__":
    main()
