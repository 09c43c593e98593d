"""SageMaker Pipelines of this project; run ``python -m pipelines --help``."""


class CommandError(Exception):
    """A problem the user can fix: the command line prints it as one line, exit status 2."""
