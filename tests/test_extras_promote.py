"""deploy/promote.py (ci extra) against a moto server: approval, staging before prod, idempotence.

moto 5.2.5 serves every call promote.py makes except UpdateEndpoint (NotImplementedError), so
switching an existing endpoint to a new package is checked through ``--dry-run``'s plan, which
reads the real endpoint state from the server; the call itself is not executed here. The
EventBridge rule of deploy/README.md is checked on moto's EventBridge too.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest
from generated import generate
from moto_fixture import aws_env, reset, use_aws_env

ROLE = "arn:aws:iam::123456789012:role/SageMakerExecution"
GROUP = "churn-model-models"
INFERENCE = {
    "Containers": [
        {
            "Image": "763104351884.dkr.ecr.us-east-1.amazonaws.com/sklearn-inference:1.4-2",
            "ModelDataUrl": "s3://bucket/churn/model.tar.gz",
        }
    ],
    "SupportedContentTypes": ["text/csv"],
    "SupportedResponseMIMETypes": ["text/csv"],
}


@pytest.fixture(scope="module")
def promote_py(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = generate(
        tmp_path_factory.mktemp("promote") / "p",
        *("--kind", "pipeline", "--name", "Churn Model", "--with", "ci"),
    )
    return project / "deploy" / "promote.py"


@pytest.fixture
def sm(moto_server: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A SageMaker client on an empty moto account, with one model package group."""
    reset(moto_server)
    use_aws_env(monkeypatch, moto_server)
    client = boto3.client("sagemaker")
    client.create_model_package_group(ModelPackageGroupName=GROUP)
    return client


def register(sm: Any, status: str = "PendingManualApproval", group: str = GROUP) -> str:
    """Register a model version as the pipeline's RegisterModel step does."""
    arn: str = sm.create_model_package(
        ModelPackageGroupName=group, ModelApprovalStatus=status, InferenceSpecification=INFERENCE
    )["ModelPackageArn"]
    return arn


def promote(script: Path, url: str, *args: str) -> tuple[int, Any, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SAGEMAKER_"))}
    result = subprocess.run(
        [sys.executable, str(script), *args],
        env={**env, **aws_env(url)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    report = json.loads(result.stdout) if result.returncode == 0 else None
    return result.returncode, report, result.stderr


def serving(sm: Any, endpoint: str) -> str:
    config = sm.describe_endpoint(EndpointName=endpoint)["EndpointConfigName"]
    model = sm.describe_endpoint_config(EndpointConfigName=config)["ProductionVariants"][0]
    return str(
        sm.describe_model(ModelName=model["ModelName"])["PrimaryContainer"]["ModelPackageName"]
    )


def endpoints(sm: Any) -> list[str]:
    return sorted(e["EndpointName"] for e in sm.list_endpoints()["Endpoints"])


@pytest.mark.slow
def test_promotion_flow(promote_py: Path, moto_server: str, sm: Any) -> None:
    arn = register(sm)
    stage = ("--model-package-arn", arn, "--role-arn", ROLE, "--stage")

    code, _, err = promote(promote_py, moto_server, *stage, "staging")
    assert code == 2 and "is PendingManualApproval, not Approved" in err
    assert endpoints(sm) == []

    sm.update_model_package(ModelPackageArn=arn, ModelApprovalStatus="Approved")
    code, _, err = promote(promote_py, moto_server, *stage, "prod")
    assert code == 2 and "promote the package to staging first" in err

    code, plan, _ = promote(promote_py, moto_server, *stage, "staging", "--dry-run")
    assert code == 0 and plan["status"] == "planned"
    assert [c["api"] for c in plan["calls"]] == [
        "create_model",
        "create_endpoint_config",
        "create_endpoint",
    ]
    assert endpoints(sm) == [] and sm.list_models()["Models"] == []

    code, done, _ = promote(promote_py, moto_server, *stage, "staging", "--wait")
    assert code == 0 and done["status"] == "deployed" and done["endpoint"] == "churn-model-staging"
    assert serving(sm, "churn-model-staging") == arn
    model = done["calls"][0]["params"]
    assert sm.describe_model(ModelName=model["ModelName"])["ExecutionRoleArn"] == ROLE

    code, again, _ = promote(promote_py, moto_server, *stage, "staging")
    assert code == 0 and again["status"] == "unchanged" and again["calls"] == []

    code, done, _ = promote(promote_py, moto_server, *stage, "prod", "--wait")
    assert code == 0 and done["status"] == "deployed"
    assert endpoints(sm) == ["churn-model-prod", "churn-model-staging"]
    assert serving(sm, "churn-model-prod") == arn


@pytest.mark.slow
def test_a_new_version_updates_staging_and_must_pass_it_before_prod(
    promote_py: Path, moto_server: str, sm: Any
) -> None:
    first, second = register(sm, "Approved"), register(sm, "Approved")
    base = ("--role-arn", ROLE, "--stage")
    assert promote(promote_py, moto_server, "--model-package-arn", first, *base, "staging")[0] == 0

    code, plan, _ = promote(
        promote_py, moto_server, "--model-package-arn", second, *base, "staging", "--dry-run"
    )
    assert code == 0
    assert [c["api"] for c in plan["calls"]] == [
        "create_model",
        "create_endpoint_config",
        "update_endpoint",
    ]
    swap = plan["calls"][2]["params"]
    assert swap == {
        "EndpointName": "churn-model-staging",
        "EndpointConfigName": plan["calls"][1]["params"]["EndpointConfigName"],
    }
    assert "-staging-v2-" in swap["EndpointConfigName"]
    assert serving(sm, "churn-model-staging") == first  # the dry run changed nothing

    code, _, err = promote(promote_py, moto_server, "--model-package-arn", second, *base, "prod")
    assert code == 2 and f"serves {first}, not {second}" in err
    code, _, _ = promote(
        promote_py,
        moto_server,
        "--model-package-arn",
        second,
        *base,
        "prod",
        "--skip-staging-check",
    )
    assert code == 0 and serving(sm, "churn-model-prod") == second


@pytest.mark.slow
def test_packages_of_other_groups_and_unknown_arns_are_refused(
    promote_py: Path, moto_server: str, sm: Any
) -> None:
    sm.create_model_package_group(ModelPackageGroupName="someone-else")
    other = register(sm, "Approved", group="someone-else")
    code, _, err = promote(
        promote_py,
        moto_server,
        "--model-package-arn",
        other,
        "--stage",
        "staging",
        "--role-arn",
        ROLE,
    )
    assert code == 2 and "belongs to model package group 'someone-else'" in err
    missing = other.replace("someone-else/1", f"{GROUP}/9")
    code, _, err = promote(
        promote_py,
        moto_server,
        "--model-package-arn",
        missing,
        "--stage",
        "staging",
        "--role-arn",
        ROLE,
    )
    assert (
        code == 1
        and "AWS refused the promotion" in err
        and "\n" == err[-1]
        and err.count("\n") == 1
    )
    assert endpoints(sm) == []


@pytest.mark.slow
def test_approval_rule_dispatches_the_deploy_workflow_for_approvals_only(
    promote_py: Path, moto_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rule of deploy/README.md, with its event pattern file and input transformer, on
    moto's EventBridge. moto implements neither TestEventPattern nor calls to API destinations,
    so an SQS queue stands in for the GitHub API destination and receives what GitHub would."""
    reset(moto_server)
    use_aws_env(monkeypatch, moto_server)
    events, sqs = boto3.client("events"), boto3.client("sqs")
    queue = sqs.create_queue(QueueName="github-dispatches")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])
    readme = (promote_py.parent / "README.md").read_text()
    target = json.loads(re.search(r"--targets '(\[.*?\])'", readme, re.S).group(1))[0]
    target.update(Arn=queue_arn["Attributes"]["QueueArn"])
    del target["RoleArn"]
    pattern = (promote_py.parent / "approval-event-pattern.json").read_text()
    events.put_rule(Name="model-approved", EventPattern=pattern)
    events.put_targets(Rule="model-approved", Targets=[target])

    sent = [("Approved", GROUP), ("PendingManualApproval", GROUP), ("Rejected", GROUP)]
    sent.append(("Approved", "someone-else"))
    for status, group in sent:
        arn = f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{group}/1"
        detail = {"ModelPackageGroupName": group, "ModelPackageArn": arn}
        entry = {
            "Source": "aws.sagemaker",
            "DetailType": "SageMaker Model Package State Change",
            "Resources": [arn],
            "Detail": json.dumps({**detail, "ModelApprovalStatus": status}),
        }
        assert events.put_events(Entries=[entry])["FailedEntryCount"] == 0
    received = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, WaitTimeSeconds=1)
    bodies = [json.loads(m["Body"]) for m in received.get("Messages", [])]
    approved = f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{GROUP}/1"
    # The body of GitHub's workflow-dispatch call: deploy.yml's input, on main.
    assert bodies == [{"ref": "main", "inputs": {"model_package_arn": approved}}]
