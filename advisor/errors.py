"""Typed errors. Every error a user can cause is a ``UserError``; the CLI turns it into one line.

Messages are whole sentences that say what to do next. Nothing below ``cli`` prints or exits.
"""

from generators.errors import GeneratorError, SpecError, TargetError

__all__ = [
    "AdvisorError",
    "AnswersError",
    "AnswersFileError",
    "EvidenceError",
    "GeneratorError",
    "SpecError",
    "TargetError",
    "UserError",
]


class AdvisorError(Exception):
    """Base class for every error sm-advisor raises on purpose."""


class UserError(AdvisorError):
    """Bad input from the user: a flag, a file, a name. Reported as one line, exit code 2."""


class AnswersError(UserError):
    """An answer has the wrong type, is out of range or is not a known choice."""


class AnswersFileError(UserError):
    """An answers file is missing, unreadable, malformed or has unknown keys."""


class EvidenceError(UserError):
    """Evidence could not be read from the AWS account (credentials, access, throttling)."""


# What the shells catch: the advisor's own errors and the generator's (which knows nothing of ours).
USER_ERRORS: tuple[type[Exception], ...] = (UserError, SpecError)
ALL_ERRORS: tuple[type[Exception], ...] = (AdvisorError, GeneratorError)
