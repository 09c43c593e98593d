"""Run train.py as one SageMaker training job, with the sagemaker SDK v3 (ModelTrainer).

    python submit.py --role-arn arn:aws:iam::123456789012:role/SageMakerExecutionRole
    python submit.py --dry-run          # build the job offline and print it; nothing is sent

The job runs this folder's train.py unchanged in AWS's sklearn container: SageMaker
mounts the ``train`` channel (the local data/ folder, uploaded for you, or an s3:// prefix) at
``$SM_CHANNEL_TRAIN``, passes the hyperparameters as flags, and uploads ``$SM_MODEL_DIR`` as
model.tar.gz to the output path. The SDK (sagemaker==3.27.0) is imported only when needed, so
``--help`` is instant.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sagemaker.core.training.configs import InputData
    from sagemaker.train import ModelTrainer

PROJECT = Path(__file__).resolve().parent
BASE_JOB_NAME = "demo"
IMAGE = {
    "framework": "sklearn",
    "version": "1.9-0",
    "py_version": "py3",
}
HYPERPARAMETERS = {
    "n-estimators": 150,
    "max-depth": 2,
    "learning-rate": 0.05,
    "subsample": 0.8,
    "seed": 42,
}
METRIC_DEFINITIONS = {
    "validation:accuracy": r"validation:accuracy=([0-9\.]+)",
    "validation:auc": r"validation:auc=([0-9\.]+)",
    "validation:f1": r"validation:f1=([0-9\.]+)",
}
# Only train.py is needed in the container: keep data, outputs and tooling out of the upload.
# requirements.txt above all: the container's training toolkit pip-installs a requirements.txt
# found beside the entry point, which would replace the image's scikit-learn and numpy (and
# install the SDK and test tools) on every job.
IGNORE_PATTERNS = [
    "requirements.txt",
    ".venv",
    ".git",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    "*.egg-info",
    "data",
    "model",
    "output",
    "tests",
]
DRY_RUN_ROLE = "arn:aws:iam::000000000000:role/dry-run-placeholder"
DRY_RUN_BUCKET = "dry-run-placeholder-bucket"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the job's settings; defaults suit the sample data."""
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="Hyperparameters: " + ", ".join(f"{k}={v}" for k, v in HYPERPARAMETERS.items()),
    )
    parser.add_argument("--role-arn", help="IAM role the job runs as (required unless --dry-run)")
    parser.add_argument(
        "--bucket", help="S3 bucket for code, data and model (default: the SDK's default bucket)"
    )
    parser.add_argument(
        "--instance-type", default="ml.m5.large", help="training instance (default ml.m5.large)"
    )
    parser.add_argument(
        "--region",
        default=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1",
        help="AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, else us-east-1)",
    )
    parser.add_argument(
        "--data",
        default=str(PROJECT / "data"),
        help="training data: a local folder (uploaded) or an s3:// prefix (default: data/)",
    )
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a hyperparameter, e.g. --set max-depth=5 (repeatable)",
    )
    parser.add_argument("--no-wait", action="store_true", help="return once the job has started")
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="build the job offline and print what would run; upload and start nothing",
    )
    args = parser.parse_args(argv)
    if not args.dry_run and not args.role_arn:
        parser.error("--role-arn is required to start a job (or pass --dry-run to preview it)")
    args.hyperparameters = hyperparameters(parser, args.overrides)
    return args


def hyperparameters(parser: argparse.ArgumentParser, overrides: list[str]) -> dict:
    """Return the default hyperparameters with ``NAME=VALUE`` overrides applied."""
    values = dict(HYPERPARAMETERS)
    for item in overrides:
        name, sep, value = item.partition("=")
        if not sep or name not in values:
            parser.error(f"--set {item!r}: use NAME=VALUE with NAME one of {', '.join(values)}")
        values[name] = type(values[name])(value)
    return values


def offline_environment() -> None:
    """Keep a dry run off the network: no role check, no instance-metadata credential lookup."""
    os.environ.setdefault("SAGEMAKER_VALIDATE_ROLE", "false")
    os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")


def build_trainer(args: argparse.Namespace) -> ModelTrainer:
    """Build the ModelTrainer for one job. Makes no AWS call when a bucket and role ARN are set."""
    os.environ["AWS_DEFAULT_REGION"] = args.region  # the SDK creates clients at import time
    import boto3
    from sagemaker.core import image_uris
    from sagemaker.core.helper.session_helper import Session
    from sagemaker.core.training.configs import (
        Compute,
        MetricDefinition,
        OutputDataConfig,
        SourceCode,
    )
    from sagemaker.train import ModelTrainer

    bucket = args.bucket or (DRY_RUN_BUCKET if args.dry_run else None)
    session = Session(boto_session=boto3.Session(region_name=args.region), default_bucket=bucket)
    image = image_uris.retrieve(
        framework=IMAGE["framework"],
        region=args.region,
        version=IMAGE["version"],
        py_version=IMAGE["py_version"],
        instance_type=args.instance_type,
        image_scope="training",
    )
    output = f"s3://{bucket}/{BASE_JOB_NAME}/output" if bucket else None
    trainer = ModelTrainer(
        training_image=image,
        source_code=SourceCode(
            source_dir=str(PROJECT), entry_script="train.py", ignore_patterns=IGNORE_PATTERNS
        ),
        compute=Compute(instance_type=args.instance_type, instance_count=1),
        hyperparameters=args.hyperparameters,
        role=args.role_arn or DRY_RUN_ROLE,
        sagemaker_session=session,
        base_job_name=BASE_JOB_NAME,
        output_data_config=OutputDataConfig(s3_output_path=output) if output else None,
    )
    return trainer.with_metric_definitions(
        [MetricDefinition(name=k, regex=v) for k, v in METRIC_DEFINITIONS.items()]
    )


def train_input(args: argparse.Namespace) -> InputData:
    """Return the ``train`` channel: an s3:// prefix as is, or a local folder to upload."""
    from sagemaker.core.training.configs import InputData

    source = args.data
    if not source.startswith("s3://"):
        path = Path(source).resolve()
        if not path.exists():
            sys.exit(f"submit.py: error: no data at {path}; pass --data with a folder or s3:// URI")
        source = str(path)
    return InputData(channel_name="train", data_source=source)


def describe(trainer: ModelTrainer, channel: InputData) -> str:
    """Say in a few lines what the job would run, for --dry-run."""
    command = " ".join(f"--{k} {v}" for k, v in trainer.hyperparameters.items())
    data = channel.data_source
    where = data if data.startswith("s3://") else f"{data} (uploaded to S3 when submitted)"
    output = trainer.output_data_config.s3_output_path
    return "\n".join(
        [
            "Dry run: this training job would run (nothing was uploaded or started):",
            f"  base job name  {trainer.base_job_name}",
            f"  image          {trainer.training_image}",
            f"  compute        {trainer.compute.instance_count} x {trainer.compute.instance_type}",
            f"  role           {trainer.role}",
            f"  code           {trainer.source_code.source_dir}",
            f"  command        python {trainer.source_code.entry_script} {command}",
            f"  train channel  {where}",
            f"  output         {output}",
            f"  metrics        {', '.join(METRIC_DEFINITIONS)}",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    """Build the job; print it (--dry-run) or start it and follow its logs."""
    args = parse_args(argv)
    if args.dry_run:
        offline_environment()
    trainer = build_trainer(args)
    channel = train_input(args)
    if args.dry_run:
        print(describe(trainer, channel))
        return 0
    trainer.train(input_data_config=[channel], wait=not args.no_wait, logs=not args.no_wait)
    job = trainer._latest_training_job  # the SDK's documented way to reach the job
    print(f"training job {job.training_job_name} submitted")
    if not args.no_wait:
        job.refresh()
        print(f"model artifacts: {job.model_artifacts.s3_model_artifacts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
