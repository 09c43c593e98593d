"""The pipeline project's test variants, shared by the fast and the slow pipeline tests."""

from __future__ import annotations

from pathlib import Path

from generated import generate

FRAMEWORKS = ("sklearn", "xgboost", "pytorch")
# Every extra on: the variant the README promises.
FULL = "tuning,spark,ci,team"
# Every framework x {plain, tuning, spark}: the variants that are built and run; scikit-learn
# takes the full profile for its Spark cell (Spark alone runs with the other two frameworks),
# so that the v2 tests' full profile has a v3 twin (test_pipeline_v2.py).
VARIANTS = [
    (fw, FULL if (fw, extras) == ("sklearn", "spark") else extras)
    for fw in FRAMEWORKS
    for extras in ("plain", "tuning", "spark")
]
# Each framework once and each extras level once: for the checks whose code does not depend on
# the variant beyond what every variant's own tests already run (the `local` and moto commands).
# Of the six such pairings, the cheapest to run: PyTorch's slow start with one training job,
# Spark's with the quickest trainer (PyTorch with Spark took 34 s, this set about half).
ONE_PER_LEVEL = [("pytorch", "plain"), ("sklearn", "tuning"), ("xgboost", "spark")]
# Linting is cheap: add both extras together.
LINT_VARIANTS = [*VARIANTS, *[(fw, "tuning,spark") for fw in FRAMEWORKS]]


def options(framework: str, extras: str) -> list[str]:
    """``sm-advisor new`` options for one variant: exactly these extras, whatever the answers."""
    chosen = set() if extras == "plain" else set(extras.split(","))
    others = ",".join(e for e in ("tuning", "spark", "ci", "team") if e not in chosen)
    forced = ["--with", ",".join(sorted(chosen))] if chosen else []
    return ["--kind", "pipeline", "--framework", framework, *forced, "--without", others]


def project_name(framework: str, extras: str) -> str:
    """A distinct project (and pipeline) name per variant."""
    return f"pipe-{framework}-{extras.replace(',', '-')}"


def new(tmp: Path, framework: str, extras: str, name: str = "demo") -> Path:
    """Generate one variant into ``tmp/name`` with the real CLI."""
    return generate(tmp / name, "--name", name, *options(framework, extras))
