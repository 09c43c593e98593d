"""Typed errors. Every error a user can cause is a ``UserError``; the CLI turns it into one line.

Messages are whole sentences that say what to do next. Nothing below ``cli`` prints or exits.
"""


class AdvisorError(Exception):
    """Base class for every error sm-advisor raises on purpose."""


class UserError(AdvisorError):
    """Bad input from the user: a flag, a file, a name. Reported as one line, exit code 2."""


class AnswersError(UserError):
    """An answer has the wrong type, is out of range or is not a known choice."""


class AnswersFileError(UserError):
    """An answers file is missing, unreadable, malformed or has unknown keys."""


class GeneratorError(AdvisorError):
    """A project could not be generated (a template failed to render, the target is unusable)."""


class TargetError(GeneratorError, UserError):
    """The target directory cannot be written as asked (not empty, not a directory, ...)."""


class EvidenceError(UserError):
    """Evidence could not be read from the AWS account (credentials, access, throttling)."""
