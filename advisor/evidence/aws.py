"""boto3 plumbing for evidence: a session, retrying clients, progress, and errors as one sentence.

boto3 and botocore are imported inside these functions only, so nothing but ``--evidence`` ever
loads them. Throttling is retried by botocore itself (adaptive mode, 10 attempts), but every call
gives up after ``--aws-timeout`` seconds (default 30) however its attempts went: a silent endpoint
cannot hold the command. Whatever fails becomes an ``EvidenceError``: one line that names the AWS
action and what to do about it, with any text from AWS cut short and made printable.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from advisor import __version__
from advisor.errors import EvidenceError
from generators.message_text import clip

MAX_ATTEMPTS = 10
DEFAULT_TIMEOUT = 30.0

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
        has_region = bool(result.region_name)
    except ProfileNotFound as err:
        name = clip(err.kwargs.get("profile", profile))
        raise EvidenceError(
            f"the AWS profile '{name}' is not configured; check --profile or AWS_PROFILE, or run "
            f"'aws configure --profile {name}'."
        ) from None
    except Exception as err:
        if not _from_sdk(err):
            raise
        raise EvidenceError(describe(err, "opening an AWS session", "this account")) from None
    if not has_region:
        raise EvidenceError(
            "no AWS region is configured; pass --region (SageMaker history is read per region)."
        )
    return result


def client(
    aws_session: Any, service: str, timeout: float = DEFAULT_TIMEOUT, pool: int | None = None
) -> Any:
    """A client that retries throttling and gives up on any call after ``timeout`` seconds.

    ``pool`` sizes the connection pool for a client shared by that many threads (default 10).
    """
    from botocore.config import Config

    budget = Budget(timeout)
    config = Config(
        # A fresh dict each time: botocore rewrites the one it is given (max_attempts becomes
        # total_max_attempts), which once broke the throttling message below.
        retries={"max_attempts": MAX_ATTEMPTS, "mode": "adaptive"},
        connect_timeout=budget.per_attempt,
        read_timeout=budget.per_attempt,
        user_agent_extra=f"sm-advisor/{__version__}",
        **({"max_pool_connections": pool} if pool else {}),
    )
    with aws_errors(f"creating the {service} client", f"region {aws_session.region_name}"):
        result = aws_session.client(service, config=config)
    events = result.meta.events
    events.register("before-call", budget.start)
    events.register("before-send", budget.check)
    events.register_first("needs-retry", budget.check_retry)
    return result


class BudgetSpent(Exception):
    """A call ran out of its ``--aws-timeout`` budget; ``aws_errors`` turns it into one line."""

    def __init__(self, timeout: float, last: Exception | None = None) -> None:
        super().__init__(f"no answer within {timeout:g} s")
        self.timeout = timeout
        self.last = last


class Budget:
    """Time allowed to one API call, all its attempts and retry pauses included.

    Each attempt may take up to twice ``per_attempt`` (connect, then read), so an attempt starts
    only if that still fits; after a failed attempt, the call gives up at once if botocore's
    longest pause before the retry (``2 ** attempts`` s, at most 20) and one more attempt would
    not fit. A hung endpoint is abandoned within ``timeout``.
    """

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.per_attempt = max(0.2, min(10.0, timeout / 4))
        self.local = threading.local()  # calls may run in several threads at once

    def start(self, **_: Any) -> None:
        """At the start of a call (before its first attempt): start its clock."""
        self.local.started = time.monotonic()
        self.local.last = None

    def fits(self, pause: float = 0.0) -> bool:
        """Whether one more attempt, after ``pause`` seconds, can end within the budget."""
        started = getattr(self.local, "started", None)
        return started is None or (
            time.monotonic() - started + pause + 2 * self.per_attempt <= self.timeout
        )

    def check(self, **_: Any) -> None:
        """Before each attempt: give up if it might not end within the budget."""
        if not self.fits():
            raise BudgetSpent(self.timeout, getattr(self.local, "last", None))

    def check_retry(
        self,
        caught_exception: Exception | None = None,
        response: Any = None,
        attempts: int = 1,
        **_: Any,
    ) -> None:
        """After a failed attempt: give up now rather than sleep before a retry that cannot fit."""
        self.local.last = caught_exception
        status = getattr(response[0], "status_code", 200) if response else 200
        failed = caught_exception is not None or status == 429 or status >= 500
        if failed and not self.fits(pause=min(20.0, 2.0**attempts)):
            raise BudgetSpent(self.timeout, caught_exception)


def describe(err: Exception, action: str, target: str) -> str:
    """Say in one sentence what went wrong with an AWS call and what to do about it."""
    from botocore import exceptions as bx

    if isinstance(err, BudgetSpent) and isinstance(err.last, bx.BotoCoreError):
        last = describe(err.last, action, target)
        return f"{last[:-1]} (no retry fits in --aws-timeout {err.timeout:g} s)."
    if isinstance(err, BudgetSpent):
        return (
            f"AWS did not answer {action} within {err.timeout:g} s; check the network, --region "
            "and proxies, or allow longer with --aws-timeout SECONDS."
        )
    if isinstance(err, bx.ClientError):
        return _client_error(err, action, target)
    if isinstance(err, bx.BotoCoreError):
        return _botocore_error(err, action, target)
    return _config_error(err)


def _botocore_error(err: Any, action: str, target: str) -> str:
    from botocore import exceptions as bx

    kw = getattr(err, "kwargs", {})
    if isinstance(err, bx.NoCredentialsError):
        return NO_CREDENTIALS
    if isinstance(err, bx.PartialCredentialsError):
        return (
            f"the AWS credentials are incomplete: {clip(kw.get('cred_var'))} is missing "
            f"(from {clip(kw.get('provider'))}); set it, or unset the others and pass --profile."
        )
    if isinstance(err, bx.InvalidRegionError):
        return (
            f"'{clip(kw.get('region_name'))}' is not an AWS region name; pass --region with one "
            "such as eu-west-1."
        )
    if isinstance(err, bx.ConfigParseError):
        return (
            f"the AWS config file {clip(kw.get('path'), 200)} cannot be parsed; fix it, or point "
            "AWS_CONFIG_FILE (or AWS_SHARED_CREDENTIALS_FILE) at a valid file."
        )
    if isinstance(err, bx.SSOError | bx.TokenRetrievalError | bx.CredentialRetrievalError):
        return (
            f"AWS credentials could not be loaded ({clip(str(err), 160)}); check the profile's "
            "credential_process or run 'aws sso login', or pass another --profile."
        )
    if isinstance(err, bx.NoRegionError):
        return "no AWS region is configured; pass --region (SageMaker history is read per region)."
    if isinstance(err, bx.ParamValidationError):
        lines = str(err).splitlines()
        return (
            f"{action} on {clip(target, 200)} was refused before sending "
            f"({clip(lines[-1] if lines else str(err), 160)}); check the --evidence URI."
        )
    if isinstance(err, bx.EndpointConnectionError | bx.ConnectTimeoutError | bx.HTTPClientError):
        return (
            f"cannot reach AWS for {action} ({clip(str(err), 160)}); check the network, "
            "--region and proxies."
        )
    if isinstance(err, bx.InvalidConfigError | bx.InvalidRetryConfigurationError):
        return f"the AWS configuration is invalid ({clip(str(err), 160)}); {CHECK_CONFIG}"
    return (
        f"{action} on {clip(target, 200)} failed ({clip(str(err), 160)}); run with --debug "
        "for details."
    )


CHECK_CONFIG = "check the AWS_* environment variables, the AWS config files and --profile."


def _config_error(err: Exception) -> str:
    """A ValueError from inside boto3: a bad endpoint URL, a credential_process printing junk."""
    text = str(err)
    if text.startswith("Invalid endpoint") or "URL" in text:
        return (
            f"the AWS endpoint URL is not valid ({clip(text, 160)}); fix or unset AWS_ENDPOINT_URL "
            "(or the profile's endpoint_url)."
        )
    return f"the AWS configuration could not be used ({clip(text, 160)}); {CHECK_CONFIG}"


def _from_sdk(err: BaseException) -> bool:
    """Whether an exception was raised inside boto3/botocore/urllib3 (not by sm-advisor)."""
    tb = err.__traceback__
    while tb is not None:
        module = str(tb.tb_frame.f_globals.get("__name__", ""))
        if module.split(".")[0] in ("boto3", "botocore", "urllib3", "s3transfer"):
            return True
        tb = tb.tb_next
    return False


def _client_error(err: Any, action: str, target: str) -> str:
    error = err.response.get("Error", {})
    code = str(error.get("Code", "Unknown"))
    if code == "NoSuchBucket":
        return f"the bucket of {clip(target, 200)} does not exist; check the --evidence URI."
    if code in DENIED:
        return (
            f"access denied to {action} on {clip(target, 200)}; grant that permission to the "
            "identity in "
            "use, or pass --profile with one that has it."
        )
    if code in BAD_CREDENTIALS:
        return (
            f"AWS rejected the credentials ({clip(code)}); refresh them or pass another --profile."
        )
    if code in THROTTLED:
        return f"AWS kept throttling {action} after {MAX_ATTEMPTS} attempts; retry later."
    message = error.get("Message") or "no message"
    return f"{action} on {clip(target, 200)} failed: {clip(code)}: {clip(str(message), 160)}."


@contextmanager
def aws_errors(action: str, target: str) -> Iterator[None]:
    """Turn any boto3/botocore error raised inside into an ``EvidenceError`` (exit 2, one line).

    Some configuration problems surface as a plain ValueError from inside botocore (a malformed
    endpoint URL, a credential_process that prints something else than JSON); those count too.
    """
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except (BotoCoreError, ClientError, BudgetSpent) as err:
        raise EvidenceError(describe(err, action, target)) from None
    except ValueError as err:
        if not _from_sdk(err):
            raise
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
