"""Build the ``ProjectSpec`` from the decision (``spec.Decision``) and the user's options. Pure."""

from __future__ import annotations

from collections.abc import Iterable

from generators.errors import SpecError
from generators.message_text import clip
from generators.naming import package_name, slugify
from generators.spec import (
    EXTRA_FOR_CRITERION,
    EXTRAS,
    FRAMEWORKS,
    KINDS,
    SDKS,
    Decision,
    Extra,
    ProjectSpec,
)


def choose_extras(
    decision: Decision, with_: Iterable[str] = (), without: Iterable[str] = ()
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
    for c in decision.criteria:
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
    decision: Decision,
    *,
    name: str,
    kind: str = "auto",
    framework: str = "sklearn",
    sdk: str = "v3",
    with_: Iterable[str] = (),
    without: Iterable[str] = (),
) -> ProjectSpec:
    """Return the spec for one project; ``kind='auto'`` follows the recommendation."""
    resolved = decision.recommendation if kind == "auto" else kind
    extras, reasons = choose_extras(decision, with_, without)
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
        recommendation=decision.recommendation,
        score=decision.score,
        answers=dict(decision.answers),
        generator_version=decision.generator_version,
    )
