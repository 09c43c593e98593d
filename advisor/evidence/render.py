"""Show the evidence next to an assessment: what was measured, from where, and what it set.

Plain strings only (no Rich, no Jinja), shared by the table, the Markdown output and the report.
A measured answer that a flag overrode is still listed, marked as overridden.
"""

from __future__ import annotations

from collections.abc import Mapping

from advisor.evidence.model import Evidence, S3Summary
from advisor.questions import DEFAULT_MODEL


def answer_lines(evidence: Evidence, sources: Mapping[str, str]) -> list[str]:
    """One line per measured answer: value, basis, source, and whether a flag overrode it."""
    lines = []
    for m in evidence.measured:
        q = DEFAULT_MODEL.question(m.question)
        used = sources.get(m.question, "measured")
        note = " [estimated]" if m.estimated else ""
        note += "" if used == "measured" else f" [overridden by {used}]"
        lines.append(f"{m.question} = {q.display(m.value)}: {cite(m.basis, m.source)}{note}")
    return lines


def cite(basis: str, source: str) -> str:
    """A basis with its source in brackets, unless the basis already names it."""
    return basis if source in basis else f"{basis} ({source})"


def size(n_bytes: float) -> str:
    """Bytes in decimal units, three significant figures: ``4.1 kB``, ``215 GB``."""
    for unit, scale in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n_bytes >= scale:
            return f"{n_bytes / scale:.3g} {unit}"
    return f"{n_bytes:.0f} B"


def measurement_lines(evidence: Evidence) -> list[str]:
    """The raw measurements, one fact a line."""
    s3, sm = evidence.s3, evidence.sagemaker
    about = "about " if s3.estimated else ""
    lines = [
        f"{s3.uri}: {about}{s3.objects:,} objects, {size(s3.bytes)}; {s3.new_objects_30d:,} new "
        f"in 30 days ({size(s3.new_bytes_30d / 30)}/day), {s3.new_objects_90d:,} new in 90 days "
        f"({size(s3.new_bytes_90d / 90)}/day); {_how(s3)}",
        f"SageMaker {sm.region}, last 90 days: {sm.training_jobs_90d} training jobs, "
        f"{sm.tuning_jobs_90d} tuning jobs, {sm.pipeline_runs_90d} pipeline runs "
        f"({sm.pipelines} pipelines), {sm.model_versions_90d} model versions registered",
        f"Model registry: {sm.model_package_groups} model package groups, "
        f"{sm.approved_groups} with an approved version",
    ]
    unmeasured = [q.id for q in DEFAULT_MODEL.questions if q.id not in evidence.by_question()]
    lines.append("Not measured (answer them yourself): " + ", ".join(unmeasured))
    return lines


def _how(s3: S3Summary) -> str:
    """How the S3 figures were obtained, with the estimate's marker when there is one."""
    if s3.estimate is not None:
        return s3.estimate.note()
    if s3.inventory is not None:
        return f"{s3.origin()} ({s3.inventory.rows:,} rows of {s3.inventory.manifest})"
    if s3.listing is not None:
        n = s3.listing
        return (
            f"listed in {n.seconds:.1f} s ({n.requests:,} requests over {n.prefixes:,} "
            f"prefixes, {n.workers} threads)"
        )
    return "listed"


def heading(evidence: Evidence) -> str:
    """The section title: measured, and whether part of it is estimated."""
    if evidence.s3.estimated:
        return "Evidence (measured from AWS; data totals estimated)"
    return "Evidence (measured from AWS)"


def markdown_section(evidence: Evidence, sources: Mapping[str, str]) -> str:
    """The ``## Evidence`` section appended to ``assess --format markdown``."""
    lines = [f"## {heading(evidence)}", ""]
    lines += [f"- {line}" for line in answer_lines(evidence, sources)]
    lines += ["", "Measurements:", ""]
    lines += [f"- {line}" for line in measurement_lines(evidence)]
    return "\n".join(lines) + "\n"


def text_section(evidence: Evidence, sources: Mapping[str, str]) -> str:
    """The evidence block printed under the table."""
    lines = [heading(evidence)]
    lines += [f"  • {line}" for line in answer_lines(evidence, sources)]
    lines += [f"  · {line}" for line in measurement_lines(evidence)]
    return "\n".join(lines)
