"""The generate form's values, turned into a project the way ``sm-advisor new`` does it.

No UI here, so the steps can be tested on their own and run in a worker thread:
``prepare`` builds the spec and the in-memory plan, ``check`` checks the target (together: the
dry run), ``generate`` writes the plan. They raise ``UserError`` subclasses for what the user can
fix; the target is checked again by ``write`` itself, so a race cannot slip past the check.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from advisor.errors import TargetError
from advisor.models import Assessment
from generators import ProjectSpec, WriteResult, build_spec, plan
from generators.naming import NameError_
from generators.write import check_target, write


@dataclass(frozen=True)
class ProjectForm:
    """What the user entered on the generate screen."""

    directory: str
    name: str = ""
    kind: str = "auto"
    framework: str = "sklearn"
    sdk: str = "v3"
    force: bool = False

    @property
    def target(self) -> Path:
        """The target directory (``~`` expanded, as a shell would have done for the CLI)."""
        if not self.directory.strip():
            raise TargetError("enter the directory to create the project in, e.g. ./churn-model.")
        return Path(self.directory.strip()).expanduser()


@dataclass(frozen=True)
class Prepared:
    """A rendered, checked project that is ready to write."""

    form: ProjectForm
    spec: ProjectSpec
    files: dict[str, bytes]


def prepare(form: ProjectForm, assessment: Assessment) -> Prepared:
    """Build the spec and render the plan in memory; the name defaults to the directory's.

    Mirrors ``advisor.commands.new.run``.
    """
    target = form.target
    name = form.name.strip() or target.resolve().name
    spec = build_spec(assessment, name=name, kind=form.kind, framework=form.framework, sdk=form.sdk)
    return Prepared(form, spec, plan(spec))


def check(prepared: Prepared) -> None:
    """Refuse a target that cannot be written as asked (not empty without force, ...)."""
    check_target(prepared.form.target.absolute(), prepared.form.force)


def generate(prepared: Prepared) -> WriteResult:
    """Write the planned files atomically; only generated files are ever overwritten."""
    return write(prepared.files, prepared.form.target, force=prepared.form.force)


def field_of(error: Exception) -> str:
    """Which form field an error belongs to: ``name``, ``directory`` or ``form``."""
    if isinstance(error, NameError_):
        return "name"
    if isinstance(error, TargetError):
        return "directory"
    return "form"
