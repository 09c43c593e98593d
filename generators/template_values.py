"""Values the templates place, computed here so that the templates hold no decisions.

``generators.render`` puts these in the Jinja context next to ``spec``:

- ``framework``: the framework's display names (``framework.title``, ``framework.a_title``,
  ``framework.estimator``);
- ``readme``: for each slot of the pipeline README, the keys of the paragraphs it holds
  (``pipeline_readme``; the paragraphs are macros in ``_partials/pipeline_readme.jinja``).

And ``switches`` decides which conditional files exist (``[ci]`` in a template's file name).
"""

from __future__ import annotations

from dataclasses import dataclass

from generators.spec import EXTRAS, SDKS, ProjectSpec

# How prose names each framework, and the SDK v2 estimator class that runs it.
FRAMEWORK_TITLES = {"sklearn": "scikit-learn", "xgboost": "XGBoost", "pytorch": "PyTorch"}
ARTICLES = {"sklearn": "A", "xgboost": "An", "pytorch": "A"}  # "an ex-G-Boost"
ESTIMATORS = {"sklearn": "SKLearn", "xgboost": "XGBoost", "pytorch": "PyTorch"}

# Names a template file may be switched by: ``[ci]x`` exists with the extra, ``[!spark]x``
# without it; ``[sdk-v2]x`` only in a project on that SDK.
SWITCHES: tuple[str, ...] = (*EXTRAS, *(f"sdk-{sdk}" for sdk in SDKS))


@dataclass(frozen=True)
class FrameworkNames:
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


def pipeline_readme(spec: ProjectSpec) -> dict[str, tuple[str, ...]]:
    """Return, for each slot of the pipeline README, the paragraph keys it holds, in order.

    A key names a macro of ``_partials/pipeline_readme.jinja``; an empty tuple leaves the slot
    out. Every decision of the README is made here (and tested), none in the template.
    """
    tuning, spark, v2 = spec.has("tuning"), spec.has("spark"), spec.sdk == "v2"
    team, ci, torch = spec.has("team"), spec.has("ci"), spec.framework == "pytorch"
    sdk = "v2" if v2 else "v3"
    return {
        "why": (f"why_{spec.recommendation}", *(("extras",) if spec.extras else ())),
        "train_step": ("tune_step" if tuning else "train_step",),
        "deploy_chain": (f"deploy_chain_{sdk}",),
        "preprocess_row": ("preprocess_spark_row" if spark else "preprocess_row",),
        "train_row": ("tune_row",) if tuning else (f"train_row_{sdk}",),
        "evaluated_model": ("best_job",) if tuning else (),
        "deploy_row": (f"deploy_row_{sdk}",),
        "processing_param": ("spark_cluster",) if spark else (),
        "training_param": ("each_tuning_job",) if tuning else (),
        "build_options": ("tuning_options",) if tuning else (),
        "settings": ("tuning_ranges",) if tuning else (),
        "sdk_notes": ("sdk_v2_notes",) if v2 else (),
        "preprocess_script": ("preprocess_spark_script" if spark else "preprocess_script",),
        "files": ("sdk_v2_files",) if v2 else (),
        "install_needs": ("java",) if spark else (),
        "install_notes": ("pytorch_cpu",) if torch else (),
        "local_notes": (*(("local_tuning",) if tuning else ()), *(("local_spark",) if spark else ())),
        "run_commands": ("sdk_v2_commands",) if v2 else (),
        "cost_notes": (*(("tuning_cost",) if tuning else ()), *(("spark_cost",) if spark else ())),
        "deployment": (f"deployment_{sdk}",),
        "and_tuning": ("and_tuning",) if tuning else (),
        "sections": (
            *(("tuning_section",) if tuning else ()),
            *(("spark_section",) if spark else ()),
            *(("together",) if team or ci else ()),
        ),
        "together": (*(("team_link",) if team else ()), *(("ci_link",) if ci else ())),
        "tuning_limit": (f"tuning_limit_{sdk}",),
        "pytorch_images": ("pytorch_images",) if torch else (),
    }
