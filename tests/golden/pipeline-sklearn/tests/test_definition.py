"""The pipeline definition, built offline with the real SageMaker SDK: its steps and wiring."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pipelines import _session
from pipelines.demo import settings

PROJECT = Path(__file__).resolve().parent.parent
TRAIN = "TrainModel"
REGISTER = "RegisterModel"
DEPLOY_TYPES = ["Model", "EndpointConfig", "Endpoint"]


def steps_by_name(definition: dict) -> dict[str, dict]:
    """Every step, including those inside condition branches, by name."""
    found: dict[str, dict] = {}

    def walk(steps: list[dict]) -> None:
        for step in steps:
            found[step["Name"]] = step
            walk(step["Arguments"].get("IfSteps", []) if step["Type"] == "Condition" else [])
            walk(step["Arguments"].get("ElseSteps", []) if step["Type"] == "Condition" else [])

    walk(definition["Steps"])
    return found


def gets(value: object) -> list[str]:
    """Every ``{"Get": ...}`` reference inside a JSON value."""
    if isinstance(value, dict):
        own = [value["Get"]] if isinstance(value.get("Get"), str) else []
        return own + [ref for v in value.values() for ref in gets(v)]
    if isinstance(value, list):
        return [ref for v in value for ref in gets(v)]
    return []


def test_steps_and_their_order(definition: dict) -> None:
    top = [(s["Name"], s["Type"]) for s in definition["Steps"]]
    assert top == [
        ("PreprocessData", "Processing"),
        (TRAIN, "Training"),
        ("EvaluateModel", "Processing"),
        ("CheckAccuracy", "Condition"),
        ("CheckDeploy", "Condition"),
    ]


def test_parameters(definition: dict) -> None:
    params = {p["Name"]: p for p in definition["Parameters"]}
    assert set(params) == {
        "ProcessingInstanceType",
        "ProcessingInstanceCount",
        "TrainingInstanceType",
        "TrainingInstanceCount",
        "InputDataUrl",
        "InputFingerprint",
        "ModelApprovalStatus",
        "MinAccuracy",
        "Deploy",
        "EndpointInstanceType",
        "EndpointName",
    }
    assert params["MinAccuracy"]["DefaultValue"] == settings.MIN_ACCURACY
    assert params["Deploy"]["DefaultValue"] is False
    # start passes a digest of the input data: PreprocessData's cache key follows the data.
    preprocess = steps_by_name(definition)["PreprocessData"]["Arguments"]["AppSpecification"]
    assert {"Get": "Parameters.InputFingerprint"} in preprocess["ContainerArguments"]


def test_every_reference_resolves(definition: dict) -> None:
    params = {p["Name"] for p in definition["Parameters"]}
    steps = steps_by_name(definition)
    for name, step in steps.items():
        for ref in gets(step["Arguments"]):
            kind, _, rest = ref.partition(".")
            target = rest.split(".")[0].split("[")[0]
            assert kind in ("Parameters", "Steps", "Execution"), f"{name}: {ref}"
            if kind == "Parameters":
                assert target in params, f"{name}: {ref}"
            if kind == "Steps":
                assert target in steps and target != name, f"{name}: {ref}"
        for dependency in step.get("DependsOn", []):
            assert dependency in steps, f"{name} depends on unknown {dependency}"


def test_model_is_registered_only_when_accuracy_passes(definition: dict) -> None:
    check = steps_by_name(definition)["CheckAccuracy"]["Arguments"]
    (condition,) = check["Conditions"]
    assert condition["Type"] == "GreaterThanOrEqualTo"
    assert condition["LeftValue"]["Std:JsonGet"]["Path"] == settings.EVALUATION_METRIC_PATH
    assert condition["RightValue"] == {"Get": "Parameters.MinAccuracy"}
    assert [s["Name"] for s in check["IfSteps"]] == [REGISTER]
    assert [s["Type"] for s in check["ElseSteps"]] == ["Fail"]
    register = steps_by_name(definition)[REGISTER]["Arguments"]
    assert register["ModelPackageGroupName"] == settings.MODEL_PACKAGE_GROUP
    assert register["ModelApprovalStatus"] == {"Get": "Parameters.ModelApprovalStatus"}


def test_deployment_needs_the_deploy_parameter(definition: dict) -> None:
    check = steps_by_name(definition)["CheckDeploy"]["Arguments"]
    kinds = {c["Type"]: c for c in check["Conditions"]}
    assert kinds["Equals"]["LeftValue"] == {"Get": "Parameters.Deploy"}
    assert kinds["Equals"]["RightValue"] is True
    assert "GreaterThanOrEqualTo" in kinds, "never deploy a model that failed the threshold"
    assert [s["Type"] for s in check["IfSteps"]] == DEPLOY_TYPES


def test_deploy_branch_and_caching_are_build_options() -> None:
    built = json.loads(
        _session.build_definition("us-east-1", None, None, with_deploy=False, enable_caching=False)
    )
    assert "CheckDeploy" not in steps_by_name(built)
    assert "Deploy" not in {p["Name"] for p in built["Parameters"]}
    cached = [s for s in built["Steps"] if "CacheConfig" in s]
    assert cached and all(s["CacheConfig"]["Enabled"] is False for s in cached)


def test_caching_is_on_by_default(definition: dict) -> None:
    cached = [s for s in definition["Steps"] if "CacheConfig" in s]
    assert {s["Name"] for s in cached} == {"PreprocessData", TRAIN, "EvaluateModel"}
    for step in cached:
        assert step["CacheConfig"] == {"Enabled": True, "ExpireAfter": settings.CACHE_EXPIRE_AFTER}


def test_processing_code_location_depends_only_on_the_code(definition: dict) -> None:
    """Content-addressed code keeps step caching working across rebuilds."""
    rebuilt = json.loads(_session.build_definition("us-east-1", None, None))

    def code_uri(built: dict) -> str:
        inputs = steps_by_name(built)["PreprocessData"]["Arguments"]["ProcessingInputs"]
        return next(i["S3Input"]["S3Uri"] for i in inputs if i["InputName"] == "code")

    assert code_uri(rebuilt) == code_uri(definition)


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m pipelines ARGS`` with no AWS settings or credentials at all."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SAGEMAKER_"))}
    env["HOME"] = str(home)  # no ~/.aws either
    return subprocess.run(
        [sys.executable, "-m", "pipelines", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_command_line_prints_the_definition_without_aws(tmp_path: Path) -> None:
    role = "arn:aws-cn:iam::210987654321:role/team/Runner"  # other partition, a role path
    done = cli(tmp_path, "definition", "--no-deploy", "--role-arn", role)
    assert done.returncode == 0, done.stderr[-3000:]
    built = json.loads(done.stdout)
    assert [s["Name"] for s in built["Steps"]][-1] == "CheckAccuracy"
    assert role in done.stdout


def test_command_line_refuses_a_role_that_is_not_a_role_arn(tmp_path: Path) -> None:
    """Checked before any AWS call: one line and exit status 2, not the SDK's traceback."""
    commands = ["upsert", "definition"]
    wrong = [
        "SageMakerExecutionRole",
        "arn:aws:iam::1234:role/Short",
        "arn:aws:iam::123456789012:user/me",
    ]
    for command in commands:
        for role in wrong:
            done = cli(tmp_path, command, "--region", "us-east-1", "--role-arn", role)
            assert done.returncode == 2, (command, role, done.stderr[-2000:])
            assert done.stderr.startswith(f"error: --role-arn {role!r} is not an IAM role ARN")
            assert len(done.stderr.strip().splitlines()) == 1, done.stderr
