"""boto3 plumbing for evidence: a session, retrying clients, progress, and errors as one sentence.

boto3 and botocore are imported inside these functions only, so nothing but ``--evidence`` ever
loads them. Throttling is retried by botocore itself (adaptive mode, 10 attempts); whatever still
fails becomes an ``EvidenceError`` that names the AWS action and what to do about it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from advisor import __version__
from advisor.errors import EvidenceError

MAX_ATTEMPTS = 10

DENIED = {"AccessDenied", "AccessDeniedException", "AllAccessDisabled", "Forbidden", "403"}
BAD_CREDENTIALS = {
    "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "ExpiredTokenException",
    "InvalidClientTokenId", "UnrecognizedClientException", "InvalidToken", "RequestExpired",
}  # fmt: skip
THROTTLED = {
    "Throttling", "ThrottlingException", "SlowDown", "RequestLimitExceeded",
    "TooManyRequestsException", "RequestThrottled", "RequestThrottledException",
}  # fmt: skip

NO_CREDENTIALS = (
    "no AWS credentials were found; run 'aws configure' or 'aws sso login', set AWS_PROFILE, "
    "or pass --profile."
)


def session(profile: str | None, region: str | None) -> Any:
    """Open a boto3 session; a region is required because SageMaker history is regional."""
    try:
        import boto3
        from botocore.exceptions import ProfileNotFound
    except ImportError:
        raise EvidenceError(
            "--evidence needs boto3; install it with: pip install 'sm-advisor[aws]'."
        ) from None
    try:
        result = boto3.session.Session(profile_name=profile, region_name=region)
    except ProfileNotFound:
        raise EvidenceError(
            f"the AWS profile '{profile}' is not configured; check --profile or run "
            f"'aws configure --profile {profile}'."
        ) from None
    if not result.region_name:
        raise EvidenceError(
            "no AWS region is configured; pass --region (SageMaker history is read per region)."
        )
    return result


def client(aws_session: Any, service: str) -> Any:
    """A client that retries throttling and fails fast on unreachable endpoints."""
    from botocore.config import Config

    config = Config(
        # A fresh dict each time: botocore rewrites the one it is given (max_attempts becomes
        # total_max_attempts), which once broke the throttling message below.
        retries={"max_attempts": MAX_ATTEMPTS, "mode": "adaptive"},
        connect_timeout=10,
        read_timeout=60,
        user_agent_extra=f"sm-advisor/{__version__}",
    )
    return aws_session.client(service, config=config)


def describe(err: Exception, action: str, target: str) -> str:
    """Say in one sentence what went wrong with an AWS call and what to do about it."""
    from botocore import exceptions as bx

    if isinstance(err, bx.NoCredentialsError | bx.PartialCredentialsError):
        return NO_CREDENTIALS
    if isinstance(err, bx.SSOError | bx.TokenRetrievalError | bx.CredentialRetrievalError):
        return (
            f"AWS credentials could not be loaded ({err}); run 'aws sso login' or check --profile."
        )
    if isinstance(err, bx.EndpointConnectionError | bx.ConnectTimeoutError):
        return f"cannot reach AWS for {action} ({err}); check the network, --region and proxies."
    if isinstance(err, bx.ClientError):
        return _client_error(err, action, target)
    return f"{action} on {target} failed ({err}); run with --debug for details."


def _client_error(err: Any, action: str, target: str) -> str:
    error = err.response.get("Error", {})
    code = str(error.get("Code", "Unknown"))
    if code == "NoSuchBucket":
        return f"the bucket of {target} does not exist; check the --evidence URI."
    if code in DENIED:
        return (
            f"access denied to {action} on {target}; grant that permission to the identity in "
            "use, or pass --profile with one that has it."
        )
    if code in BAD_CREDENTIALS:
        return f"AWS rejected the credentials ({code}); refresh them or pass another --profile."
    if code in THROTTLED:
        return (
            f"AWS kept throttling {action} after {MAX_ATTEMPTS} attempts; retry later."
        )
    message = error.get("Message") or "no message"
    return f"{action} on {target} failed: {code}: {message}."


@contextmanager
def aws_errors(action: str, target: str) -> Iterator[None]:
    """Turn any botocore error raised inside into an ``EvidenceError`` (exit 2, one line)."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except (BotoCoreError, ClientError) as err:
        raise EvidenceError(describe(err, action, target)) from None


class Progress:
    """Progress of long listings on stderr, never stdout (JSON output stays clean).

    On a terminal, one line updated in place; otherwise one line every ``every`` pages, so that
    CI logs show that a big listing is moving without flooding.
    """

    def __init__(self, stream: TextIO | None = None, every: int = 100) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.every = every
        self.width = 0

    def update(self, pages: int, text: str) -> None:
        """Report that ``pages`` pages were read so far; ``text`` says how much that is."""
        if self.tty:
            line = f"sm-advisor: {text}"
            self.stream.write("\r" + line.ljust(self.width))
            self.width = len(line)
            self.stream.flush()
        elif pages % self.every == 0:
            self.stream.write(f"sm-advisor: {text}\n")
            self.stream.flush()

    def done(self) -> None:
        """End the live line, if one was drawn."""
        if self.tty and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0
