"""``upsert``, ``start`` and ``status``: the pipeline in SageMaker.

Credentials and region come from the usual AWS places (environment, ~/.aws, SSO, an instance
role). Every client honours ``$AWS_ENDPOINT_URL``, which is how the tests run these commands
against a local emulator.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
from typing import Any

from pipelines import CommandError

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)  # sorts first: a summary without a time
# The fingerprint lists at most this many objects (100 pages); past it, pass your own value.
MAX_FINGERPRINT_OBJECTS = 100_000


def client(region: str, **config: Any) -> Any:
    """A boto3 SageMaker client; ``config`` goes to botocore's Config (e.g. retries)."""
    import boto3
    from botocore.config import Config

    return boto3.client("sagemaker", region_name=region, config=Config(**config))


def aws_errors(func: Any) -> Any:
    """Turn missing credentials and AWS errors into one-line CommandErrors."""
    import functools

    @functools.wraps(func)
    def wrapper(args: argparse.Namespace) -> int:
        from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

        try:
            return int(func(args))
        except NoCredentialsError as err:
            raise CommandError(
                "no AWS credentials found; run 'aws configure' (or set AWS_PROFILE) and retry."
            ) from err
        except (ClientError, BotoCoreError) as err:
            raise CommandError(f"AWS refused the request: {err}") from err

    return wrapper


def pipeline_exists(sm: Any, name: str) -> bool:
    """Say whether the pipeline is already in SageMaker."""
    from botocore.exceptions import ClientError

    try:
        sm.describe_pipeline(PipelineName=name)
    except ClientError as err:
        if err.response.get("Error", {}).get("Code") in ("ResourceNotFound", "ValidationException"):
            return False
        raise
    return True


def default_bucket(region: str) -> str:
    """The SDK's default bucket name, sagemaker-<region>-<account id>.

    Computed here with a plain STS client, which honours $AWS_ENDPOINT_URL; the SDK's own
    lookup pins the public STS endpoint.
    """
    import boto3

    account = boto3.client("sts", region_name=region).get_caller_identity()["Account"]
    return f"sagemaker-{region}-{account}"


@aws_errors
def upsert(args: argparse.Namespace) -> int:
    """Build the pipeline (uploading steps/ to S3) and create or update it."""
    from pipelines import _session

    session = _session.live_session(args.region, args.bucket or default_bucket(args.region))
    bucket = session.default_bucket()  # creates the bucket when it does not exist yet
    pipeline = _session.pipeline_module().get_pipeline(
        region=args.region,
        role=args.role_arn,
        default_bucket=bucket,
        sagemaker_session=session,
        **args.options,
    )
    existed = pipeline_exists(client(args.region), args.pipeline_name)
    response = pipeline.upsert(role_arn=args.role_arn, description=args.description)
    verb = "Updated" if existed else "Created"
    print(f"{verb} pipeline {args.pipeline_name}: {response['PipelineArn']}")
    print(f"code and artifacts go to s3://{bucket}/; start it with: python -m pipelines start")
    return 0


def parse_params(items: list[str]) -> list[dict[str, str]]:
    """``Name=Value`` strings as SageMaker's PipelineParameters."""
    params = []
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise CommandError(f"--param {item!r}: write it as NAME=VALUE, e.g. MinAccuracy=0.8.")
        params.append({"Name": name, "Value": value})
    return params


def split_s3_url(url: str) -> tuple[str, str]:
    """``s3://bucket/prefix`` as (bucket, prefix)."""
    bucket, _, prefix = url.removeprefix("s3://").partition("/")
    if not url.startswith("s3://") or not bucket:
        raise CommandError(f"InputDataUrl {url!r} is not an s3://bucket/prefix URL.")
    return bucket, prefix


def input_fingerprint(region: str, url: str) -> str:
    """A digest of every object under ``url``: its key, size and ETag (S3's content hash).

    Any added, removed or rewritten object changes it; listing the same data gives the same
    value. Only the listing is read (paginated, at most MAX_FINGERPRINT_OBJECTS objects).
    """
    import boto3

    bucket, prefix = split_s3_url(url)
    pages = boto3.client("s3", region_name=region).get_paginator("list_objects_v2")
    digest, count = hashlib.sha256(), 0
    for page in pages.paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            count += 1
            if count > MAX_FINGERPRINT_OBJECTS:
                raise CommandError(
                    f"more than {MAX_FINGERPRINT_OBJECTS} objects under {url}; pass your own "
                    "data version with --param InputFingerprint=VALUE."
                )
            line = f"{item['Key']}\t{item['Size']}\t{item.get('ETag', '')}\n"
            digest.update(line.encode("utf-8"))
    if count == 0:
        raise CommandError(f"no data under {url}; upload it first or pass --param InputDataUrl=.")
    return f"{count}-{digest.hexdigest()[:24]}"


def declared_defaults(sm: Any, name: str) -> dict[str, Any]:
    """The upserted pipeline's parameters and their default values."""
    definition = json.loads(sm.describe_pipeline(PipelineName=name)["PipelineDefinition"])
    return {p["Name"]: p.get("DefaultValue") for p in definition.get("Parameters", [])}


def with_fingerprint(sm: Any, args: argparse.Namespace, params: list[dict[str, str]]) -> list:
    """``params`` plus InputFingerprint of the input data, unless --param sets it.

    InputDataUrl is the one of --param, else the upserted pipeline's default. A pipeline
    upserted before InputFingerprint existed gets no value (SageMaker would refuse it).
    """
    if any(p["Name"] == "InputFingerprint" for p in params):
        return params
    declared = declared_defaults(sm, args.pipeline_name)
    if "InputFingerprint" not in declared or "InputDataUrl" not in declared:
        print("note: this pipeline has no InputFingerprint parameter; upsert it again so that")
        print("      its step cache follows the input data (see README, Step caching)")
        return params
    given = [p["Value"] for p in params if p["Name"] == "InputDataUrl"]
    url = given[-1] if given else str(declared["InputDataUrl"])
    fingerprint = input_fingerprint(args.region, url)
    print(f"InputFingerprint={fingerprint} ({url})")
    return [*params, {"Name": "InputFingerprint", "Value": fingerprint}]


@aws_errors
def start(args: argparse.Namespace) -> int:
    """Start an execution of the upserted pipeline, keyed to the data it reads (see README)."""
    sm = client(args.region)
    params = with_fingerprint(sm, args, parse_params(args.param))
    response = sm.start_pipeline_execution(
        PipelineName=args.pipeline_name, PipelineParameters=params
    )
    print(f"Started {response['PipelineExecutionArn']}")
    print("follow it with: python -m pipelines status")
    return 0


def latest_execution(sm: Any, name: str) -> str:
    """The ARN of the pipeline's most recent execution, by start time.

    Sorted here too: the request asks for newest first, but some endpoints (moto, the emulator
    used in tests) answer oldest first and ignore MaxResults. Ties keep the endpoint's order.
    """
    found = sm.list_pipeline_executions(
        PipelineName=name, SortBy="CreationTime", SortOrder="Descending", MaxResults=100
    )["PipelineExecutionSummaries"]
    if not found:
        raise CommandError(f"pipeline {name} has no execution yet; run: python -m pipelines start")
    newest = max(found, key=lambda s: s.get("StartTime") or s.get("CreationTime") or EPOCH)
    return str(newest["PipelineExecutionArn"])


def steps_of(region: str, arn: str) -> tuple[list[dict] | None, str | None]:
    """The execution's steps, or None and why when the endpoint cannot list them.

    Some endpoints (moto, the emulator used in tests) do not implement this call; the status
    of the execution itself is still known, so this degrades instead of failing.
    """
    from botocore.exceptions import BotoCoreError, ClientError

    sm = client(region, retries={"max_attempts": 1, "mode": "standard"})
    try:
        response = sm.list_pipeline_execution_steps(PipelineExecutionArn=arn, SortOrder="Ascending")
    except (ClientError, BotoCoreError) as err:
        reason = " ".join(str(err).split("<", 1)[0].split())  # some answer with an HTML page
        return None, f"step details unavailable from this endpoint: {reason}"
    steps = [
        {
            "name": s.get("StepName"),
            "status": s.get("StepStatus"),
            "failure": s.get("FailureReason"),
        }
        for s in response.get("PipelineExecutionSteps", [])
    ]
    return steps, None


@aws_errors
def status(args: argparse.Namespace) -> int:
    """Describe an execution (the latest by default) and list its steps when possible."""
    sm = client(args.region)
    arn = args.execution_arn or latest_execution(sm, args.pipeline_name)
    described = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
    steps, note = steps_of(args.region, arn)
    report = {
        "execution_arn": arn,
        "status": described.get("PipelineExecutionStatus"),
        "started": str(described.get("CreationTime", "")),
        "last_modified": str(described.get("LastModifiedTime", "")),
        "failure": described.get("FailureReason"),
        "steps": steps,
        "note": note,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"Execution {arn}")
    print(f"  status   {report['status']}")
    print(f"  started  {report['started']}")
    if report["failure"]:
        print(f"  failure  {report['failure']}")
    for step in steps or []:
        reason = f" ({step['failure']})" if step["failure"] else ""
        print(f"  step {step['name']}: {step['status']}{reason}")
    if note:
        print(f"  ({note})")
    return 0
