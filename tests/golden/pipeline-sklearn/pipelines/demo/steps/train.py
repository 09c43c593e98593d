"""Step TrainModel: fit the preprocessor and the model, log metrics, save.

SageMaker runs it in the sklearn training image with this folder as its code:

- data: the CSV files written by the preprocessing step, in the ``train`` and ``validation``
  channels (``$SM_CHANNEL_TRAIN``, ``$SM_CHANNEL_VALIDATION``);
- hyperparameters: flags (``python train.py --help``), passed as ``--name value``;
- model: ``$SM_MODEL_DIR`` (uploaded as model.tar.gz) gets the model, the fitted preprocessor
  and ``code/`` with inference.py and the modules it imports, for the endpoint;
- metrics: log lines such as ``validation:accuracy=0.8250`` (the metric definitions and the
  tuner's objective read them) and ``metrics.json`` in ``$SM_OUTPUT_DATA_DIR``.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from dataset import env_path, read_table, split_xy
from features import build_preprocessor, save_preprocessor, to_matrix
from metrics import compute_metrics, log_metrics, write_json
from model import add_hyperparameters, fit_model, predict_proba, save_model

HERE = Path(__file__).resolve().parent
# Copied into the model so the endpoint can load it (SAGEMAKER_SUBMIT_DIRECTORY=.../code).
INFERENCE_CODE = ("inference.py", "features.py", "model.py")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read locations from SageMaker's environment (or flags) and the hyperparameters."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    channel = "/opt/ml/input/data/"
    parser.add_argument(
        "--train", type=Path, default=env_path("SM_CHANNEL_TRAIN", channel + "train")
    )
    parser.add_argument(
        "--validation",
        type=Path,
        default=env_path("SM_CHANNEL_VALIDATION", channel + "validation"),
    )
    parser.add_argument("--model-dir", type=Path, default=env_path("SM_MODEL_DIR", "/opt/ml/model"))
    parser.add_argument(
        "--output-dir", type=Path, default=env_path("SM_OUTPUT_DATA_DIR", "/opt/ml/output/data")
    )
    add_hyperparameters(parser)
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        print(f"ignoring unknown arguments: {unknown}")
    return args


def package_inference_code(model_dir: Path) -> None:
    """Put inference.py and its imports in model_dir/code, where the serving container looks."""
    target = model_dir / "code"
    target.mkdir(parents=True, exist_ok=True)
    for name in INFERENCE_CODE:
        shutil.copy(HERE / name, target / name)


def main(argv: list[str] | None = None) -> dict:
    """Train, log and save; return the validation metrics."""
    args = parse_args(argv)
    x_train, y_train = split_xy(read_table(args.train))
    x_val, y_val = split_xy(read_table(args.validation))
    preprocessor = build_preprocessor(x_train).fit(x_train)
    model = fit_model(to_matrix(preprocessor, x_train), y_train, args)
    metrics = compute_metrics(y_val, predict_proba(model, to_matrix(preprocessor, x_val)))
    log_metrics(metrics, "validation")
    save_preprocessor(preprocessor, args.model_dir)
    save_model(model, args.model_dir)
    package_inference_code(args.model_dir)
    locations = {"train", "validation", "model_dir", "output_dir"}
    report = {
        "validation": metrics,
        "rows": {"train": len(x_train), "validation": len(x_val)},
        "hyperparameters": {k: v for k, v in vars(args).items() if k not in locations},
    }
    write_json(report, args.output_dir, "metrics.json")
    return metrics


if __name__ == "__main__":
    main()
