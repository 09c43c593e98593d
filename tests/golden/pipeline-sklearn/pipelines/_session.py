"""SageMaker SDK v3 sessions for the CLI: an offline one (definition) and a live one (upsert).

Building a pipeline with the SDK is not pure: it uploads the code in steps/ to S3, checks that
the default bucket exists (S3 ListBuckets, even when the bucket is given) and may call IAM. To
print the definition with no AWS credentials and no network, ``offline_session`` answers every
AWS request made through its boto3 session with an empty HTTP 200 (a botocore ``before-send``
hook: no SDK function is patched), and ``socket_guard`` fails the build on any attempt to reach
a non-loopback address.

Both sessions opt out of the SDK's usage telemetry (sent with ``requests``, so not covered by
the hook); delete ``sagemaker_config=TELEMETRY_OPT_OUT`` in ``live_session`` to opt in.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import warnings
from collections.abc import Iterator
from typing import Any

TELEMETRY_OPT_OUT = {
    "SchemaVersion": "1.0",
    "SageMaker": {"PythonSDK": {"Modules": {"TelemetryOptOut": True}}},
}
OFFLINE_ROLE = "arn:aws:iam::123456789012:role/SageMakerExecutionRole"
_LIST_BUCKETS = (
    "<ListAllMyBucketsResult><Buckets><Bucket><Name>{bucket}</Name>"
    "<CreationDate>2020-01-01T00:00:00.000Z</CreationDate></Bucket></Buckets>"
    "</ListAllMyBucketsResult>"
)


def prepare_env(region: str, offline: bool) -> None:
    """Set what the SDK needs before ``import sagemaker`` (it creates a client at import)."""
    os.environ.setdefault("AWS_DEFAULT_REGION", region)
    if offline:
        os.environ["SAGEMAKER_VALIDATE_ROLE"] = "false"  # no iam:SimulatePrincipalPolicy
        os.environ["AWS_EC2_METADATA_DISABLED"] = "true"  # no instance-metadata probing
        os.environ.pop("AWS_PROFILE", None)
        # Requests are signed before the stub answers them: dummy credentials suffice.
        os.environ["AWS_ACCESS_KEY_ID"] = "offline"
        os.environ["AWS_SECRET_ACCESS_KEY"] = "offline"
        os.environ.pop("AWS_SESSION_TOKEN", None)


def validate_config_once() -> None:
    """Validate each distinct SDK config once, not on each of its ~50 lookups per build.

    With a non-empty ``sagemaker_config`` (we pass one, for the telemetry opt-out) the SDK
    re-validates the whole config against its JSON schema on every lookup: about 4 s of a 5 s
    build. The config does not change, so once is enough. Behaviour is otherwise identical.
    """
    from sagemaker.core.config.config_manager import SageMakerConfig

    original = SageMakerConfig.validate_sagemaker_config
    if getattr(original, "_once", False):
        return
    seen: set[str] = set()

    def validate(sagemaker_config: Any = None) -> None:
        key = json.dumps(sagemaker_config, sort_keys=True, default=str)
        if key not in seen:
            original(sagemaker_config)
            seen.add(key)

    validate._once = True  # type: ignore[attr-defined]
    SageMakerConfig.validate_sagemaker_config = staticmethod(validate)  # type: ignore[method-assign]


def quiet_sdk(level: int) -> None:
    """Keep the SDK's chatter off the terminal.

    It logs every config lookup at INFO and, as WARNINGs, each field it leaves out of the
    definition on purpose; its errors still show.
    """
    for name in ("sagemaker", "sagemaker.config", "botocore"):
        logging.getLogger(name).setLevel(level)
    warnings.filterwarnings("ignore", message="Running within a PipelineSession")


def _session(region: str, bucket: str | None, offline: bool) -> Any:
    prepare_env(region, offline)
    import boto3
    from sagemaker.core.workflow.pipeline_context import PipelineSession

    validate_config_once()
    quiet_sdk(logging.ERROR)
    boto_session = boto3.Session(region_name=region)
    if offline:
        stub_aws(boto_session, bucket or offline_bucket(region))
    return PipelineSession(
        boto_session=boto_session, default_bucket=bucket, sagemaker_config=TELEMETRY_OPT_OUT
    )


def live_session(region: str, bucket: str | None = None) -> Any:
    """A PipelineSession on the real AWS account (or the endpoint in $AWS_ENDPOINT_URL)."""
    return _session(region, bucket, offline=False)


class NetworkAttempt(RuntimeError):
    """An offline build tried to reach a non-loopback address."""


def offline_bucket(region: str) -> str:
    """The placeholder bucket name used in an offline definition."""
    return f"sagemaker-{region}-123456789012"


def _is_loopback(address: Any) -> bool:
    host = address[0] if isinstance(address, tuple) else address
    return isinstance(host, str) and (host in ("localhost", "::1") or host.startswith("127."))


@contextlib.contextmanager
def socket_guard() -> Iterator[list[Any]]:
    """Refuse connections and DNS lookups for non-loopback addresses; yield what was refused."""
    blocked: list[Any] = []
    real_connect, real_getaddrinfo = socket.socket.connect, socket.getaddrinfo

    def connect(sock: socket.socket, address: Any) -> None:
        if sock.family != socket.AF_UNIX and not _is_loopback(address):
            blocked.append(address)
            raise NetworkAttempt(f"blocked a connection to {address!r}")
        real_connect(sock, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not _is_loopback(host):
            blocked.append(host)
            raise NetworkAttempt(f"blocked a DNS lookup of {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.getaddrinfo = getaddrinfo  # type: ignore[assignment]
    try:
        yield blocked
    finally:
        socket.socket.connect = real_connect  # type: ignore[method-assign]
        socket.getaddrinfo = real_getaddrinfo


def stub_aws(boto_session: Any, bucket: str) -> None:
    """Answer every AWS request of ``boto_session`` with HTTP 200 (ListBuckets lists ``bucket``)."""
    from botocore.awsrequest import AWSResponse

    class Raw:
        def __init__(self, body: bytes) -> None:
            self.body = body

        def stream(self, **_: Any) -> Iterator[bytes]:
            yield self.body

    def answer(request: Any, event_name: str = "", **_: Any) -> AWSResponse:
        body = b""
        if event_name.endswith(".s3.ListBuckets"):
            body = _LIST_BUCKETS.format(bucket=bucket).encode()
        return AWSResponse(request.url, 200, {}, Raw(body))

    boto_session.events.register("before-send", answer)


def offline_session(region: str, bucket: str) -> Any:
    """A PipelineSession that cannot reach AWS: every request gets an empty success."""
    return _session(region, bucket, offline=True)


def pipeline_module() -> Any:
    """The project's pipeline.py, imported late: the SDK must see what ``prepare_env`` set."""
    from pipelines.demo import pipeline

    return pipeline


def build_definition(region: str, bucket: str | None, role: str | None, **options: Any) -> str:
    """Build the pipeline with no credentials and no network; return its definition JSON."""
    bucket = bucket or offline_bucket(region)
    with socket_guard() as blocked:
        session = offline_session(region, bucket)
        pipeline = pipeline_module().get_pipeline(
            region=region,
            role=role or OFFLINE_ROLE,
            default_bucket=bucket,
            sagemaker_session=session,
            **options,
        )
        definition = pipeline.definition()
    if blocked:  # the SDK may swallow the error: check what was refused too
        raise NetworkAttempt(f"the offline build tried to reach {blocked}")
    return str(definition)
