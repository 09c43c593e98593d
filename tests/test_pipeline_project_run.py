"""The pipeline project run for real: every framework x {plain, tuning, spark} (slow, in CI;
scikit-learn's Spark cell is the full profile, every extra on: ``pipeline_variants.VARIANTS``).

Each variant gets a venv built from its own requirements.txt (``generated.project_venv``: cached
by content, so variants with equal requirements, and the script project, share one). In it:

- the project's own tests pass;
- ``python -m pipelines definition`` (offline) validates against AWS's pipeline-definition schema
  step by step, tolerating only the allow-listed lags (``tests/data/schema_allowlist_v3.json``,
  which must stay exact), and passes the structural checks (``pipeline_checks``);
- ``python -m pipelines local`` runs the steps on the sample and writes evaluation.json;
- ``upsert`` twice (the second updates), ``start`` twice and ``status`` (which must show the
  latest execution) succeed against a moto server on 127.0.0.1 (``moto_server`` fixture;
  ``AWS_ENDPOINT_URL`` and dummy credentials); the sequence is shared with the v2 tests
  (``pipeline_runs``).

The last two run for one variant per framework and per extras level (``ONE_PER_LEVEL``): every
variant's own tests already run all of its steps locally and build its definition, and every
variant's definition is validated above, so the other six cells would repeat covered code.
The definition checks run on one xdist worker (``xdist_group``), so that the allow-list check
sees every variant's definition; each test's venv is built in the background from the start of
the session (``venv`` marker, ``venv_prebuild``).

Timings are printed as ``[timing]`` lines (``pytest -s`` or ``-rP`` shows them).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pipeline_checks
import pytest
from generated import project_venv
from moto_fixture import aws_env
from pipeline_runs import (
    Built,
    Defined,
    assert_allowlist_exact,
    assert_cache_keys_follow_the_data,
    assert_own_tests_pass,
    build_definitions,
    built_variants,
    load_schema,
    run_local,
    schema_allowances,
    start_twice_and_status,
    upsert_twice,
)
from pipeline_variants import ONE_PER_LEVEL, VARIANTS, new, options, project_name

from generators.containers import SPARK_3_5

ROLE = "arn:aws:iam::123456789012:role/SageMakerExecutionRole"


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], Built]:
    """Return ``get(framework, extras)``: the variant generated once, with its (shared) venv."""
    return built_variants(tmp_path_factory.mktemp("pipelines"), new, project_name)


@pytest.fixture(scope="session")
def defined(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Defined]:
    """Every variant's ``python -m pipelines definition`` output, built in one process."""
    root = tmp_path_factory.mktemp("definitions")
    projects = {(fw, x): new(root, fw, x, project_name(fw, x)) for fw, x in VARIANTS}
    return build_definitions(projects, root / "out")


@pytest.fixture(scope="session")
def definition_of(
    defined: dict[tuple[str, str], Defined],
) -> Callable[[str, str], dict[str, Any]]:
    """Return ``get(framework, extras)``: ``python -m pipelines definition`` output, parsed."""

    def get(framework: str, extras: str) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(defined[(framework, extras)].text)
        return parsed

    return get


USED_ALLOWLIST: dict[tuple[str, str], set[str]] = {}
variants = pytest.mark.parametrize(("framework", "extras"), VARIANTS)
one_per_level = pytest.mark.parametrize(("framework", "extras"), ONE_PER_LEVEL)
venv = pytest.mark.venv(lambda p: options(p["framework"], p["extras"]))
definitions = pytest.mark.xdist_group("v3-definitions")


@pytest.mark.slow
@pytest.mark.timeout(3600)
@variants
@venv
def test_project_passes_its_own_tests(
    built: Callable[[str, str], Built], framework: str, extras: str
) -> None:
    assert_own_tests_pass(built(framework, extras), at_least=12)


@pytest.mark.slow
@pytest.mark.timeout(3600)
@variants
@venv
@definitions
def test_definition_validates_against_the_schema(
    definition_of: Callable[[str, str], dict[str, Any]], framework: str, extras: str
) -> None:
    definition = definition_of(framework, extras)
    train = "TuneModel" if "tuning" in extras else "TrainModel"
    names = [step["Name"] for step in definition["Steps"]]
    assert names == ["PreprocessData", train, "EvaluateModel", "CheckAccuracy", "CheckDeploy"]
    structural = pipeline_checks.structural_errors(definition)
    assert not structural, "\n".join(structural)
    assert_cache_keys_follow_the_data(definition)
    # Issue 9, defect 5: code, models and outputs stay under s3://<bucket>/<prefix>/.
    assert pipeline_checks.outside_project_prefix(definition) == []
    # Defect 3: the Spark image is pinned (Python and container version) from the table.
    images = [
        s["Arguments"].get("AppSpecification", {}).get("ImageUri") for s in definition["Steps"]
    ]
    if "spark" in extras:
        assert images[0].endswith(f"/{SPARK_3_5.repository}:{SPARK_3_5.tag()}")
    USED_ALLOWLIST[(framework, extras)] = schema_allowances(definition, "v3")


# SDK v3's ModelTrainer puts its code under a timestamped training job prefix, on every build.
TRAINING_TIMESTAMP = re.compile(r"-train-\d{14}/")


@pytest.mark.slow
@pytest.mark.timeout(3600)
@pytest.mark.venv(lambda _: options("pytorch", "spark"))
@definitions
def test_definition_is_the_same_built_alone_in_its_own_venv(
    defined: dict[tuple[str, str], Defined], tmp_path: Path
) -> None:
    """The batch build (one process, another variant's venv) is the command's own output."""
    batch = defined[("pytorch", "spark")]
    (tmp_path / "home").mkdir()
    alone = Built(batch.project, project_venv(batch.project), tmp_path / "home")
    done = alone.run("-m", "pipelines", "definition")
    assert done.returncode == 0, done.stderr[-3000:]
    assert TRAINING_TIMESTAMP.search(done.stdout), "no timestamp to tell apart: update this test"
    assert TRAINING_TIMESTAMP.sub("-train-T/", done.stdout) == TRAINING_TIMESTAMP.sub(
        "-train-T/", batch.text
    )


@pytest.mark.slow
@definitions
def test_allowlist_has_no_entry_that_no_variant_needs() -> None:
    """Runs after the definition tests (file order); the list must stay exact."""
    assert_allowlist_exact(USED_ALLOWLIST, VARIANTS, "v3")


@pytest.mark.slow
@pytest.mark.timeout(3600)
@pytest.mark.venv(lambda _: options("sklearn", "plain"))
@definitions
def test_checks_catch_broken_definitions(
    definition_of: Callable[[str, str], dict[str, Any]],
) -> None:
    schema, allowlist = load_schema(), pipeline_checks.load_allowlist("v3")
    good = definition_of("sklearn", "plain")
    assert not pipeline_checks.check(good, schema, allowlist).problems()

    def broken(change: Callable[[dict[str, Any]], None]) -> list[str]:
        definition = json.loads(json.dumps(good))
        change(definition)
        return pipeline_checks.check(definition, schema, allowlist).problems()

    def extra_field(d: dict[str, Any]) -> None:
        d["Steps"][1]["Arguments"]["Surprise"] = 1

    def unknown_parameter(d: dict[str, Any]) -> None:
        d["Parameters"] = [p for p in d["Parameters"] if p["Name"] != "MinAccuracy"]

    def forward_reference(d: dict[str, Any]) -> None:
        d["Steps"][1]["DependsOn"] = ["EvaluateModel"]

    def duplicate_name(d: dict[str, Any]) -> None:
        d["Steps"][2]["Name"] = "PreprocessData"

    def missing_property_file(d: dict[str, Any]) -> None:
        d["Steps"][2]["PropertyFiles"][0]["PropertyFileName"] = "Other"

    assert any("UNEXPECTED" in p and "Surprise" in p for p in broken(extra_field))
    assert any("unknown parameter Parameters.MinAccuracy" in p for p in broken(unknown_parameter))
    assert any("DependsOn EvaluateModel" in p for p in broken(forward_reference))
    assert any("duplicate step name" in p for p in broken(duplicate_name))
    assert any("no such property file" in p for p in broken(missing_property_file))


@pytest.mark.slow
@pytest.mark.timeout(3600)
@one_per_level
@venv
def test_local_run_writes_the_evaluation(
    built: Callable[[str, str], Built], tmp_path: Path, framework: str, extras: str
) -> None:
    stdout = run_local(built(framework, extras), tmp_path / "work")
    assert "register this model" in stdout
    if "tuning" in extras:
        assert len(re.findall(r"^    trial \d+: validation:accuracy=", stdout, re.M)) == 3
    if "spark" in extras:
        assert "(local pyspark)" in stdout
        assert list((tmp_path / "work" / "preprocess" / "spark" / "train").glob("part-*.csv"))


@pytest.mark.slow
@pytest.mark.timeout(3600)
@one_per_level
@venv
def test_upsert_start_status_on_moto(
    built: Callable[[str, str], Built], moto_server: str, framework: str, extras: str
) -> None:
    project = built(framework, extras)
    # moto has no iam:SimulatePrincipalPolicy, which the SDK's role check calls.
    env = {**aws_env(moto_server), "SAGEMAKER_VALIDATE_ROLE": "false"}
    name = project_name(framework, extras)
    start = time.perf_counter()
    described = upsert_twice(project, env, moto_server, name, ROLE, code_prefix=name[:24])
    assert json.loads(described["PipelineDefinition"])["Steps"][0]["Name"] == "PreprocessData"
    start_twice_and_status(project, env, name, "MinAccuracy=0.8")
    print(f"[timing] {name}: moto upsert x2, start x2, status {time.perf_counter() - start:.1f} s")
