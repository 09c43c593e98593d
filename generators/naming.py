"""Project names: validated, and turned into a safe slug and Python package name."""

from __future__ import annotations

import keyword
import re

from generators.errors import SpecError

# The longest name: SageMaker resource names allow 63 characters, and the generated pipeline
# project passes ruff (line length 100) with a package name this long (tests check both SDKs).
MAX_LENGTH = 63
# ASCII only, matched whole (``fullmatch``: a ``$`` would also match before a final newline).
_ALLOWED = re.compile(rf"[A-Za-z][A-Za-z0-9 _.-]{{0,{MAX_LENGTH - 1}}}", re.ASCII)


class NameError_(SpecError):
    """The project name cannot be used."""


def slugify(name: str) -> str:
    """Return the kebab-case slug used for the pipeline name and distribution name."""
    check(name)
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug


def package_name(name: str) -> str:
    """Return a valid Python identifier (snake_case) for the project's package."""
    ident = slugify(name).replace("-", "_")
    if keyword.iskeyword(ident) or ident in {"pipelines", "test", "tests", "sagemaker"}:
        ident = f"{ident}_project"
    return ident


def check(name: str) -> None:
    """Refuse names that are empty, too long, or could escape the target directory."""
    if not _ALLOWED.fullmatch(name) or ".." in name or not re.search(r"[A-Za-z0-9]", name):
        raise NameError_(
            f"project name {ascii(name)} is not usable; start with a letter and use up to "
            f"{MAX_LENGTH} ASCII letters, digits, spaces, '-', '_' or '.' (e.g. --name churn)."
        )
