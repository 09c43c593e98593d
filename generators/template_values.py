"""Values the templates place, computed here so that the templates hold no decisions.

``generators.render`` puts these in the Jinja context next to ``spec``:

- ``framework``: the framework's display names (``framework.title``, ``framework.a_title``,
  ``framework.estimator``);
- ``readme``: for each slot of the pipeline README, the keys of the paragraphs it holds
  (``pipeline_readme``; the paragraphs are macros in ``_partials/pipeline_readme.jinja``).

And ``switches`` decides which conditional files exist (``[ci]`` in a template's file name).
"""

from __future__ import annotations

from typing import NamedTuple

from generators.spec import EXTRAS, SDKS, ProjectSpec

# How prose names each framework, and the SDK v2 estimator class that runs it.
FRAMEWORK_TITLES = {"sklearn": "scikit-learn", "xgboost": "XGBoost", "pytorch": "PyTorch"}
ARTICLES = {"sklearn": "A", "xgboost": "An", "pytorch": "A"}  # "an ex-G-Boost"
ESTIMATORS = {"sklearn": "SKLearn", "xgboost": "XGBoost", "pytorch": "PyTorch"}

# Names a template file may be switched by: ``[ci]x`` exists with the extra, ``[!spark]x``
# without it; ``[sdk-v2]x`` only in a project on that SDK.
SWITCHES: tuple[str, ...] = (*EXTRAS, *(f"sdk-{sdk}" for sdk in SDKS))


class FrameworkNames(NamedTuple):
    """The display names of a project's framework (``framework.title`` in templates)."""

    title: str
    a_title: str
    estimator: str


def framework_names(framework: str) -> FrameworkNames:
    """Return how the README, pyproject and SDK v2 code name ``framework``."""
    title = FRAMEWORK_TITLES[framework]
    return FrameworkNames(title, f"{ARTICLES[framework]} {title}", ESTIMATORS[framework])


def switches(spec: ProjectSpec) -> frozenset[str]:
    """Return the switches that are on for a spec: its extras and ``sdk-<sdk>``."""
    return frozenset((*spec.extras, f"sdk-{spec.sdk}"))


class PipelineReadme(NamedTuple):
    """What the pipeline README places: its diagram's head and, per slot, its paragraph keys."""

    diagram_head: str
    diagram_pad: str
    parts: dict[str, tuple[str, ...]]


def pipeline_readme(spec: ProjectSpec) -> PipelineReadme:
    """Return the pipeline README's values: for each slot, the keys it holds, in order.

    A key names a macro of ``_partials/pipeline_readme/paragraphs.jinja`` (or, for a slot inside a
    sentence, of ``words.jinja``); an empty tuple leaves the slot out. Every decision of the
    README is made here, none in the template.
    """
    tuning, spark, team, ci = (spec.has(e) for e in ("tuning", "spark", "team", "ci"))
    sdk = spec.sdk
    head = f"PreprocessData ─▶ {'TuneModel' if tuning else 'TrainModel'} ─▶ EvaluateModel "
    parts = {
        "why": (f"why_{spec.recommendation}", *_when(bool(spec.extras), "extras")),
        "deploy_chain": (f"deploy_chain_{sdk}",),
        "preprocess_row": ("preprocess_spark_row" if spark else "preprocess_row",),
        "train_row": ("tune_row" if tuning else "train_row",),
        "train_runner": (f"train_runner_{sdk}",),
        "evaluated_model": _when(tuning, "best_job"),
        "deploy_row": (f"deploy_row_{sdk}",),
        "processing_param": _when(spark, "spark_cluster"),
        "training_param": _when(tuning, "each_tuning_job"),
        "build_options": _when(tuning, "tuning_options"),
        "settings": _when(tuning, "tuning_ranges"),
        "sdk_notes": _when(sdk == "v2", "sdk_v2_notes"),
        "preprocess_script": ("preprocess_spark_script" if spark else "preprocess_script",),
        "files": _when(sdk == "v2", "sdk_v2_files"),
        "install_needs": _when(spark, "java"),
        "install_notes": _when(spec.framework == "pytorch", "pytorch_cpu"),
        "local_notes": (*_when(tuning, "local_tuning"), *_when(spark, "local_spark")),
        "run_commands": _when(sdk == "v2", "sdk_v2_commands"),
        "cost_notes": (*_when(tuning, "tuning_cost"), *_when(spark, "spark_cost")),
        "deployment": (f"deployment_{sdk}",),
        "and_tuning": _when(tuning, "and_tuning"),
        "tuner_code": _when(tuning, "tuner_code"),
        "sdk_v2_differences": (
            *_when(spec.framework == "sklearn", "one_training_instance"),
            *_when(tuning, "v2_tuning_config"),
        ),
        "sections": (
            *_when(tuning, "tuning_section"),
            *_when(spark, "spark_section"),
            *_when(team or ci, "together"),
            *_when(team, "team_link"),
            *_when(ci, "ci_link"),
        ),
        "tuning_limit": (f"tuning_limit_{sdk}",),
        "framework_notes": _when(spec.framework == "pytorch", "pytorch_images"),
    }
    return PipelineReadme(head, " " * len(head), parts)


def _when(on: bool, key: str) -> tuple[str, ...]:
    return (key,) if on else ()
