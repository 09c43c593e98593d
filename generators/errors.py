"""The generator's own typed errors.

``generators`` knows nothing of ``advisor`` (the arrow points one way), so it raises these and the
shells (``advisor``'s CLI and TUI) turn them into one friendly line. ``advisor.errors`` re-exports
them inside its own hierarchy so that callers catch one family of errors.
"""


class GeneratorError(Exception):
    """A project could not be generated or updated (a template failed, a write failed)."""


class SpecError(GeneratorError):
    """The input to the generator is bad: a name, an option, a manifest. Reported with exit 2."""


class TargetError(SpecError):
    """The target directory cannot be written as asked (not empty, not a directory, ...)."""


class NeedsJinja(Exception):
    """The compiled-template runtime cannot render this; ``generators.render`` asks Jinja.

    Internal: never reaches a user, so it is not a ``GeneratorError``. Jinja renders the same
    templates again, and its output or its error is the answer.
    """
