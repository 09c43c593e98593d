"""Build the ``ProjectSpec`` from answers, the assessment and the user's options. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from advisor import __version__
from generators.errors import SpecError
from generators.naming import package_name, slugify
from generators.spec import (
    EXTRA_FOR_CRITERION,
    EXTRAS,
    FRAMEWORKS,
    KINDS,
    SDKS,
    Extra,
    ProjectSpec,
)
from generators.untrusted import clip

if TYPE_CHECKING:
    from advisor.models import Assessment


def choose_extras(
    assessment: Assessment, with_: Iterable[str] = (), without: Iterable[str] = ()
) -> tuple[tuple[Extra, ...], dict[str, str]]:
    """Pick the pipeline extras: one per met criterion, then ``--with``/``--without``.

    Returns the extras in canonical order and, for each, why it was chosen.
    """
    forced_on, forced_off = set(with_), set(without)
    for e in forced_on | forced_off:
        if e not in EXTRAS:
            raise SpecError(
                f"unknown extra '{clip(e)}' in --with/--without; choose from {', '.join(EXTRAS)}."
            )
    if forced_on & forced_off:
        both = ", ".join(sorted(forced_on & forced_off))
        raise SpecError(f"{both} is both in --with and --without; keep it in one of them.")
    reasons: dict[str, str] = {}
    for c in assessment.criteria:
        extra = EXTRA_FOR_CRITERION[c.id]
        if c.met:
            reasons[extra] = f"{c.title} is met (score {c.score:.0f})"
    for e in forced_on:
        reasons[e] = "forced with --with"
    for e in forced_off:
        reasons.pop(e, None)
    chosen = tuple(e for e in EXTRAS if e in reasons)
    return chosen, {e: reasons[e] for e in chosen}


def build_spec(
    assessment: Assessment,
    *,
    name: str,
    kind: str = "auto",
    framework: str = "sklearn",
    sdk: str = "v3",
    with_: Iterable[str] = (),
    without: Iterable[str] = (),
) -> ProjectSpec:
    """Return the spec for one project; ``kind='auto'`` follows the recommendation."""
    resolved = assessment.recommendation if kind == "auto" else kind
    extras, reasons = choose_extras(assessment, with_, without)
    if resolved == "script":
        extras, reasons = (), {}
        if sdk == "v2":
            raise SpecError(
                "--sdk v2 is offered for pipeline projects only (the script project's submit.py "
                "uses SDK v3's ModelTrainer); drop --sdk v2 or pass --kind pipeline."
            )
    if resolved not in KINDS or framework not in FRAMEWORKS or sdk not in SDKS:
        raise SpecError(
            f"unsupported project: kind '{clip(resolved)}', framework '{clip(framework)}', "
            f"sdk '{clip(sdk)}'; "
            f"choose kind from {KINDS}, framework from {FRAMEWORKS}, sdk from {SDKS}."
        )
    return ProjectSpec(
        name=name,
        slug=slugify(name),
        package=package_name(name),
        kind=resolved,
        framework=framework,
        sdk=sdk,
        extras=extras,
        extra_reasons=reasons,
        recommendation=assessment.recommendation,
        score=assessment.score,
        answers=dict(assessment.answers),
        generator_version=__version__,
    )
