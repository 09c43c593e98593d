"""From measurements to answers: each rule, and why it is defensible. Pure; no AWS calls.

Only answers the evidence actually speaks to are filled; the others keep their file, flag or
default value. Flags always override a measured answer.

``data_size_gb``
    Total size of the objects under the prefix, in decimal GB. It is what one run reads when it
    trains on the whole prefix: point ``--evidence`` at the training input, not at a bucket root.
``data_frequency``
    The rhythm at which new objects arrive (``LastModified``), see ``advisor.evidence.timeline``:
    hourly, daily, weekly or monthly when at least half of those periods got new data; *static*
    when nothing arrived in the last 30 days. Anything less regular (or a prefix younger than a
    month with no rhythm yet) is left unanswered.
``tuning``
    *automated* when the region has at least one hyperparameter tuning job created in the last
    90 days. No tuning jobs says nothing (people tune by hand), so the answer is left alone.
``models_in_production``
    The number of model package groups with at least one *Approved* version: the registry's own
    "cleared for production". Left alone when the account has no model registry at all.
``release_frequency``
    The rhythm of new model versions registered in the model registry over the last 90 days (or,
    without a registry, of pipeline executions that did not fail or stop), by the same rules as
    data_frequency; daily for hourly rhythms. With a full 90-day history and no regular rhythm:
    *quarterly* if anything was released, *ad hoc* if nothing was.

Not measured, on purpose: ``candidate_models`` (distinct training images across an account mix
projects, framework upgrades and processing containers, so they do not count the candidates of
one project), ``processing_steps``, ``environments``, and the team questions.
"""

from __future__ import annotations

from datetime import datetime

from advisor.evidence.model import Measured, S3Summary, SageMakerSummary
from advisor.evidence.timeline import WINDOW_DAYS


def measure_answers(s3: S3Summary, sm: SageMakerSummary, now: datetime) -> tuple[Measured, ...]:
    """Apply every rule; return the answers the evidence supports, in questionnaire order."""
    found = (
        data_size(s3),
        data_frequency(s3, now),
        tuning(sm),
        release_frequency(sm),
        models_in_production(sm),
    )
    return tuple(m for m in found if m is not None)


def _qualify(s3: S3Summary, basis: str) -> str:
    """Add where the totals come from: an inventory's date, or the estimate's marker."""
    if s3.inventory is not None:
        basis += f", {s3.origin()}"
    if s3.estimate is not None:
        basis += f" ({s3.estimate.note()})"
    return basis


def data_size(s3: S3Summary) -> Measured:
    """Total size under the prefix."""
    about = "about " if s3.estimated else ""
    basis = _qualify(s3, f"total size of {about}{s3.objects:,} objects under {s3.uri}")
    return Measured("data_size_gb", s3.size_gb, s3.uri, basis, s3.estimated)


def data_frequency(s3: S3Summary, now: datetime) -> Measured | None:
    """The arrival rhythm of new objects, or static, or nothing.

    From a partial listing, a rhythm seen in what was listed stands (more objects only add
    active periods) but "static" is not concluded: the unlisted part may hold new objects.
    """
    a = s3.activity
    rhythm = a.cadence()
    if rhythm is not None:
        basis = _qualify(s3, f"new objects in {a.phrase(rhythm)}")
        return Measured("data_frequency", rhythm, s3.uri, basis, s3.estimated)
    as_of = s3.as_of or now
    if s3.estimated or s3.last_modified is None or (as_of - s3.last_modified).days < 30:
        return None
    basis = _qualify(s3, f"no new objects in the last {(as_of - s3.last_modified).days} days")
    return Measured("data_frequency", "static", s3.uri, basis)


def _source(sm: SageMakerSummary, api: str) -> str:
    return f"SageMaker {sm.region}: {api}"


def tuning(sm: SageMakerSummary) -> Measured | None:
    """Automated when tuning jobs ran recently."""
    if sm.tuning_jobs_90d == 0:
        return None
    n = sm.tuning_jobs_90d
    basis = f"{n} hyperparameter tuning job{'s' if n != 1 else ''} in the last 90 days"
    return Measured("tuning", "automated", _source(sm, "ListHyperParameterTuningJobs"), basis)


def models_in_production(sm: SageMakerSummary) -> Measured | None:
    """Model package groups with an approved version."""
    if sm.model_package_groups == 0:
        return None
    basis = (
        f"{sm.approved_groups} of {sm.model_package_groups} model package groups have an "
        "approved version"
    )
    source = _source(sm, "ListModelPackageGroups, ListModelPackages")
    return Measured("models_in_production", sm.approved_groups, source, basis)


def release_frequency(sm: SageMakerSummary) -> Measured | None:
    """The rhythm of registered model versions (or pipeline runs)."""
    a, origin = sm.releases, sm.releases_from
    if a is None or origin is None:
        return None
    api = "ListModelPackages" if origin == "model registry" else "ListPipelineExecutions"
    noun = "model versions" if origin == "model registry" else "pipeline runs"
    source = _source(sm, api)
    rhythm = a.cadence()
    if rhythm is not None:
        basis = f"{noun} in {a.phrase(rhythm)}"
        value = "daily" if rhythm == "hourly" else rhythm
        return Measured("release_frequency", value, source, basis)
    if a.window_hours < WINDOW_DAYS * 24:
        return None
    basis = f"{a.items_90d} {noun} in the last 90 days, with no regular rhythm"
    return Measured("release_frequency", "quarterly" if a.items_90d else "adhoc", source, basis)
