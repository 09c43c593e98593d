"""The generate form's values, turned into a project by the use cases ``sm-advisor new`` calls.

No UI here, so the steps can be tested on their own and run in a worker thread:
``prepare`` builds the spec and the in-memory plan (``usecases.plan_project``), ``check`` checks
the target (together: the dry run), ``generate`` writes the plan (``usecases.generate``). They
raise ``UserError``/``SpecError`` subclasses for what the user can fix; the target is checked
again by ``write`` itself, so a race cannot slip past the check.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from advisor import usecases
from advisor.errors import TargetError
from advisor.models import Assessment
from generators import ProjectSpec, WriteResult
from generators.naming import NameError_


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

    def options(self) -> usecases.ProjectOptions:
        """The form as the options of ``usecases.plan_project`` (no extras forced here)."""
        return usecases.ProjectOptions(
            self.target, self.name.strip(), self.kind, self.framework, self.sdk, force=self.force
        )


@dataclass(frozen=True)
class Prepared:
    """A rendered project that is ready to check and write: the form and the use case's plan."""

    form: ProjectForm
    planned: usecases.Planned

    @property
    def spec(self) -> ProjectSpec:
        """The spec the files were rendered from."""
        return self.planned.spec

    @property
    def files(self) -> dict[str, bytes]:
        """The rendered files, by relative path."""
        return self.planned.files


def prepare(form: ProjectForm, assessment: Assessment) -> Prepared:
    """Build the spec and render the plan in memory; the name defaults to the directory's."""
    return Prepared(form, usecases.plan_project(assessment, form.options()))


NOT_EMPTY = (
    "{target} is not empty: tick “Overwrite generated files” below to overwrite the files "
    "sm-advisor generates (other files are never deleted), or choose another directory."
)


def check(prepared: Prepared) -> None:
    """Refuse a target that cannot be written as asked (not empty without force, ...).

    A non-empty directory is the one refusal the form itself can lift, so it says so (the
    checkbox) instead of the CLI's ``--force``.
    """
    planned = prepared.planned
    try:
        usecases.check_target(planned)
    except TargetError:
        if planned.options.force:
            raise
        usecases.check_target(planned._replace(options=planned.options._replace(force=True)))
        target = planned.options.directory.absolute()  # the other refusals were raised above
        raise NotEmptyError(NOT_EMPTY.format(target=target)) from None


class NotEmptyError(TargetError):
    """The target has files in it and overwriting was not ticked."""


def generate(prepared: Prepared) -> WriteResult:
    """Write the planned files atomically; only generated files are ever overwritten."""
    return usecases.generate(prepared.planned)


def field_of(error: Exception) -> str:
    """Which form field an error belongs to: ``name``, ``directory``, ``force`` or ``form``."""
    if isinstance(error, NameError_):
        return "name"
    if isinstance(error, NotEmptyError):
        return "force"
    if isinstance(error, TargetError):
        return "directory"
    return "form"
