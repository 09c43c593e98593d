"""The questionnaire, as data: criteria, questions, need curves, weights and thresholds.

This module is the single definition that feeds scoring, the CLI flags, the answers-file JSON
Schema, ``sm-advisor explain``, the docs/assess.md table and the TUI form. Nothing here does I/O or
imports anything heavier than the standard library, so every entry point can afford it. The
records are ``NamedTuple``s, not dataclasses: ``dataclasses`` imports ``inspect`` (with ``ast``,
``dis``, ``tokenize``) and builds each class with ``exec``, a tenth of the start-up of ``assess``.

Each answer is mapped to a *need* between 0 and 1: how much that answer alone calls for the
machinery of a SageMaker Pipeline. Choices carry their need directly; numbers use a piecewise
linear curve through ``Point``s. Needs never decrease as an answer moves toward "more" (more data,
more releases, more people), which is what makes the recommendation monotone.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Kind = Literal["float", "int", "choice", "bool"]
CriterionId = Literal["data", "tuning", "cicd", "team"]
Value = float | int | str | bool


class Point(NamedTuple):
    """One point of a numeric need curve: from ``at`` upward, ``reason`` describes the value."""

    at: float
    need: float
    reason: str


class Choice(NamedTuple):
    """One accepted value of a choice (or boolean) question, in order of increasing need."""

    value: str | bool
    label: str
    need: float
    reason: str


class Question(NamedTuple):
    """One question: how it is asked, validated, defaulted and scored."""

    id: str
    criterion: CriterionId
    label: str
    prompt: str
    help: str
    kind: Kind
    default: Value
    weight: float
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    choices: tuple[Choice, ...] = ()
    curve: tuple[Point, ...] = ()

    @property
    def flag(self) -> str:
        """The CLI flag, e.g. ``--data-size-gb``."""
        return "--" + self.id.replace("_", "-")

    def accepted(self) -> str:
        """Say in words which values are accepted, for help texts and error messages."""
        if self.kind == "choice":
            return "one of " + ", ".join(str(c.value) for c in self.choices)
        if self.kind == "bool":
            return "true or false"
        noun = "a number" if self.kind == "float" else "a whole number"
        low = "" if self.minimum is None else f" ≥ {_num(self.minimum)}"
        high = "" if self.maximum is None else f" and ≤ {_num(self.maximum)}"
        return f"{noun}{low}{high}"

    def display(self, value: Value) -> str:
        """Show a value the way a person would say it (``500 GB``, ``yes``)."""
        if self.kind == "bool":
            return "yes" if value else "no"
        if isinstance(value, float):
            value = _num(value)
        return f"{value} {self.unit}".strip() if self.unit else str(value)


class Criterion(NamedTuple):
    """One of the four criteria of the decision."""

    id: CriterionId
    title: str
    summary: str
    weight: float

    @property
    def short(self) -> str:
        """The first word of the title, for tabs (``Data``, ``Tuning``, ``CI/CD``, ``Team``)."""
        return self.title.split()[0]


class ScoringModel(NamedTuple):
    """Weights and thresholds. Defaults are documented in docs/assess.md and by ``explain``."""

    criteria: tuple[Criterion, ...]
    questions: tuple[Question, ...]
    threshold: float = 50.0
    met_at: float = 50.0
    notes: tuple[str, ...] = ()

    def question(self, qid: str) -> Question:
        """Return the question with this id (KeyError if there is none)."""
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)

    def questions_for(self, cid: str) -> tuple[Question, ...]:
        """Return the questions of one criterion, in questionnaire order."""
        return tuple(q for q in self.questions if q.criterion == cid)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "data",
        "Data volume and processing",
        "Large or frequently refreshed data, or several processing stages, want their own steps.",
        0.25,
    ),
    Criterion(
        "tuning",
        "Tuning and model selection",
        "Hyperparameter searches and comparing candidate models want tracked, repeatable runs.",
        0.25,
    ),
    Criterion(
        "cicd",
        "CI/CD and release frequency",
        "Frequent releases across environments want an automated, versioned workflow.",
        0.25,
    ),
    Criterion(
        "team",
        "Team size and collaboration",
        "Several people or teams sharing the work want clear steps, owners and lineage.",
        0.25,
    ),
)

QUESTIONS: tuple[Question, ...] = (
    Question(
        id="data_size_gb",
        criterion="data",
        label="Data size",
        prompt="How much training data do you process per run (GB)?",
        help="Raw input read by one training run, before preprocessing. A few GB fit in memory "
        "on one instance; hundreds of GB call for a separate, possibly distributed, processing "
        "step.",
        kind="float",
        default=1.0,
        weight=0.45,
        minimum=0,
        maximum=10_000_000,
        unit="GB",
        curve=(
            Point(0, 0.0, "fits in memory on one instance"),
            Point(10, 0.15, "fits on one large instance"),
            Point(50, 0.45, "large enough to deserve its own processing step"),
            Point(200, 0.75, "very large: distributed processing (Spark) pays off"),
            Point(1000, 1.0, "terabyte scale: processing must be distributed and cached"),
        ),
    ),
    Question(
        id="data_frequency",
        criterion="data",
        label="New data",
        prompt="How often does new training data arrive?",
        help="How often the model must be retrained on fresh data. Static data is processed once; "
        "daily or hourly data wants a scheduled, repeatable processing step.",
        kind="choice",
        default="static",
        weight=0.30,
        choices=(
            Choice("static", "Static (one data set)", 0.0, "processed once, no refresh"),
            Choice("monthly", "Monthly", 0.3, "refreshed monthly"),
            Choice("weekly", "Weekly", 0.55, "refreshed weekly: reruns should be automated"),
            Choice("daily", "Daily", 0.8, "refreshed daily: processing must be scheduled"),
            Choice("hourly", "Hourly", 1.0, "refreshed hourly: processing must be automated"),
        ),
    ),
    Question(
        id="processing_steps",
        criterion="data",
        label="Processing stages",
        prompt="How many distinct processing stages does the data go through?",
        help="Cleaning, joining, feature engineering, splitting... Stages that can be cached and "
        "rerun on their own are what pipeline steps are for.",
        kind="int",
        default=1,
        weight=0.25,
        minimum=1,
        maximum=1000,
        curve=(
            Point(1, 0.0, "a single preprocessing pass"),
            Point(2, 0.3, "a few stages"),
            Point(3, 0.6, "several stages worth caching separately"),
            Point(5, 1.0, "many stages: each deserves its own cached step"),
        ),
    ),
    Question(
        id="tuning",
        criterion="tuning",
        label="Hyperparameter tuning",
        prompt="How do you tune hyperparameters?",
        help="Automated tuning runs many training jobs and picks the best; a pipeline tracks "
        "them and feeds the winner to evaluation and registration.",
        kind="choice",
        default="none",
        weight=0.6,
        choices=(
            Choice("none", "No tuning", 0.0, "fixed hyperparameters"),
            Choice("manual", "Manual tries", 0.5, "tried by hand: runs should be tracked"),
            Choice("automated", "Automated search", 1.0, "automated search wants a tuning step"),
        ),
    ),
    Question(
        id="candidate_models",
        criterion="tuning",
        label="Candidate models",
        prompt="How many candidate models or algorithms do you compare?",
        help="Model selection across several algorithms needs each candidate evaluated the same "
        "way, on the same split.",
        kind="int",
        default=1,
        weight=0.4,
        minimum=1,
        maximum=1000,
        curve=(
            Point(1, 0.0, "one model"),
            Point(2, 0.4, "a couple of candidates"),
            Point(3, 0.7, "several candidates to compare on equal terms"),
            Point(5, 1.0, "many candidates: selection must be systematic"),
        ),
    ),
    Question(
        id="release_frequency",
        criterion="cicd",
        label="Release frequency",
        prompt="How often do you release a new model version?",
        help="Frequent releases want the path from code change to registered model automated and "
        "versioned.",
        kind="choice",
        default="adhoc",
        weight=0.5,
        choices=(
            Choice("adhoc", "Ad hoc", 0.0, "released now and then, by hand"),
            Choice("quarterly", "Quarterly", 0.2, "released quarterly"),
            Choice("monthly", "Monthly", 0.45, "released monthly: worth automating"),
            Choice("weekly", "Weekly", 0.75, "released weekly: needs CI/CD"),
            Choice("daily", "Daily", 1.0, "released daily: needs CI/CD end to end"),
        ),
    ),
    Question(
        id="environments",
        criterion="cicd",
        label="Environments",
        prompt="How many deployment environments (dev, staging, prod...) does a model pass?",
        help="Promotion across environments wants a model registry and an approval step.",
        kind="int",
        default=1,
        weight=0.25,
        minimum=1,
        maximum=100,
        curve=(
            Point(1, 0.0, "a single environment"),
            Point(2, 0.5, "promotion between two environments"),
            Point(3, 1.0, "promotion across several environments with approvals"),
        ),
    ),
    Question(
        id="models_in_production",
        criterion="cicd",
        label="Models in production",
        prompt="How many models built this way run in production?",
        help="Each production model needs retraining, monitoring and rollback; several of them "
        "want one repeatable process.",
        kind="int",
        default=0,
        weight=0.25,
        minimum=0,
        maximum=100_000,
        curve=(
            Point(0, 0.0, "none yet"),
            Point(1, 0.2, "one model to maintain"),
            Point(3, 0.6, "several models to maintain"),
            Point(10, 1.0, "a fleet of models: maintenance must be automated"),
        ),
    ),
    Question(
        id="team_size",
        criterion="team",
        label="Team size",
        prompt="How many people work on the model?",
        help="Data scientists, ML and data engineers who change the code or the data.",
        kind="int",
        default=1,
        weight=0.45,
        minimum=1,
        maximum=100_000,
        curve=(
            Point(1, 0.0, "one person"),
            Point(2, 0.1, "two or three people"),
            Point(4, 0.4, "a small team: shared conventions help"),
            Point(8, 0.8, "a team that needs clear steps and owners"),
            Point(15, 1.0, "a large team: steps must be owned separately"),
        ),
    ),
    Question(
        id="teams",
        criterion="team",
        label="Teams involved",
        prompt="How many teams hand work to each other (data, science, platform, ...)?",
        help="Hand-offs between teams want well-defined step boundaries and artifacts.",
        kind="int",
        default=1,
        weight=0.3,
        minimum=1,
        maximum=1000,
        curve=(
            Point(1, 0.0, "one team"),
            Point(2, 0.6, "two teams hand work over"),
            Point(3, 1.0, "several teams: step boundaries are contracts"),
        ),
    ),
    Question(
        id="audit_lineage",
        criterion="team",
        label="Audit and lineage",
        prompt="Do you need audit trails or lineage (who trained what, on which data)?",
        help="Regulated or shared models need every artifact traced back to its data and code; "
        "pipelines record that lineage for you.",
        kind="bool",
        default=False,
        weight=0.25,
        choices=(
            Choice(False, "No", 0.0, "no audit requirement"),
            Choice(True, "Yes", 1.0, "lineage must be recorded"),
        ),
    ),
)

THRESHOLD = 50.0
"""The total from which a pipeline is recommended, and the score at which a criterion is met."""

DEFAULT_MODEL = ScoringModel(
    criteria=CRITERIA,
    questions=QUESTIONS,
    threshold=THRESHOLD,
    met_at=THRESHOLD,
    notes=(
        "Each answer maps to a need from 0 to 1 (choices directly, numbers along a curve).",
        "A criterion's score is 100 × the weighted mean of its answers' needs.",
        "The total is the weighted mean of the criteria; a criterion is met when "
        f"its score is {THRESHOLD:g} or more.",
        f"The recommendation is a pipeline when the total is {THRESHOLD:g} or more, "
        "else a single script.",
    ),
)
