"""submit.py builds the SageMaker training job offline, with no credentials and no network,
and the job it builds runs train.py with flags train.py accepts."""

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

import submit
import train

PROJECT = Path(__file__).resolve().parent.parent
ROLE = "arn:aws:iam::123456789012:role/TrainingRole"


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No AWS credentials or config from this machine, and any network connection fails."""
    for name in list(os.environ):
        if name.startswith(("AWS_", "SAGEMAKER_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("SAGEMAKER_VALIDATE_ROLE", "false")
    config = tmp_path / "sagemaker-config.yaml"
    config.write_text(
        "SchemaVersion: '1.0'\n"
        "SageMaker:\n  PythonSDK:\n    Modules:\n      TelemetryOptOut: true\n"
    )
    monkeypatch.setenv("SAGEMAKER_USER_CONFIG_OVERRIDE", str(config))

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(f"network access during an offline test: {args[1:]}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_dry_run_prints_the_job_without_aws(
    offline: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert submit.main(["--dry-run", "--region", "eu-west-1"]) == 0
    out = capsys.readouterr().out
    assert "nothing was uploaded or started" in out
    assert re.search(r"dkr\.ecr\.eu-west-1\.amazonaws\.com/sagemaker-scikit-learn:", out), out
    assert "1 x ml.m5.large" in out
    first = next(iter(submit.HYPERPARAMETERS.items()))
    assert f"python train.py --{first[0]} {first[1]}" in out


def test_trainer_runs_train_py_with_its_own_flags(offline: None) -> None:
    args = submit.parse_args(
        [
            "--role-arn",
            ROLE,
            "--bucket",
            "my-bucket",
            "--region",
            "eu-west-1",
            "--instance-type",
            "ml.c5.xlarge",
            "--set",
            "n-estimators=400",
        ]
    )
    trainer = submit.build_trainer(args)
    assert trainer.role == ROLE
    assert trainer.compute.instance_type == "ml.c5.xlarge"
    assert trainer.compute.instance_count == 1
    output = trainer.output_data_config.s3_output_path
    assert output == f"s3://my-bucket/{submit.BASE_JOB_NAME}/output"
    assert trainer.source_code.entry_script == "train.py"
    assert Path(trainer.source_code.source_dir, "train.py").is_file()
    assert trainer.hyperparameters["n-estimators"] == 400
    flags = [f"--{k}={v}" for k, v in trainer.hyperparameters.items()]
    parsed = vars(train.parse_args(flags))
    for name, value in trainer.hyperparameters.items():
        assert parsed[name.replace("-", "_")] == value


def test_metric_definitions_read_train_py_log_lines() -> None:
    lines = [f"validation:{n}=0.8125" for n in ("accuracy", "auc", "f1")]
    for name, regex in submit.METRIC_DEFINITIONS.items():
        assert any(re.search(regex, line) for line in lines), name


def test_code_upload_leaves_out_data_and_outputs() -> None:
    for folder in ("data", "model", "output", "tests", ".venv"):
        assert folder in submit.IGNORE_PATTERNS


def test_a_real_submit_needs_a_role(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        submit.parse_args([])
    assert exit_info.value.code == 2
    assert "--role-arn is required" in capsys.readouterr().err


def test_unknown_hyperparameter_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        submit.parse_args(["--dry-run", "--set", "no-such-thing=1"])
    assert "NAME=VALUE" in capsys.readouterr().err


def test_help_does_not_import_the_sdk() -> None:
    code = "import sys, submit; submit.parse_args(['--dry-run']); print('sagemaker' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
