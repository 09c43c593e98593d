"""The pipeline project run for real: every framework x {plain, tuning, spark} (slow, in CI).

Each variant gets a venv built from its own requirements.txt (``generated.project_venv``: cached
by content, so variants with equal requirements, and the script project, share one). In it:

- the project's own tests pass;
- ``python -m pipelines definition`` (offline) validates against AWS's pipeline-definition schema
  step by step, tolerating only the allow-listed lags (``tests/data/schema_allowlist_v3.json``,
  which must stay exact), and passes the structural checks (``pipeline_checks``);
- ``python -m pipelines local`` runs the steps on the sample and writes evaluation.json;
- ``upsert`` twice (the second updates), ``start`` and ``status`` succeed against a moto server
  on 127.0.0.1 (``moto_server`` fixture; ``AWS_ENDPOINT_URL`` and dummy credentials).

Timings are printed as ``[timing]`` lines (``pytest -s`` or ``-rP`` shows them).
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pipeline_checks
import pytest
from generated import Venv, clean_env, project_venv
from moto_fixture import aws_env
from pipeline_variants import VARIANTS, new, project_name

ROLE = "arn:aws:iam::123456789012:role/SageMakerExecutionRole"


@dataclass
class Built:
    """A generated project and the venv its own requirements.txt built."""

    project: Path
    venv: Venv
    home: Path

    def run(
        self, *args: str, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run ``python ARGS`` in the project with its venv and a clean environment."""
        return subprocess.run(
            [str(self.venv.python), *args],
            cwd=self.project,
            env={**clean_env(self.venv, self.home), **(env or {})},
            capture_output=True,
            text=True,
            timeout=1800,
        )


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], Built]:
    """Return ``get(framework, extras)``: the variant generated once, with its (shared) venv."""
    root = tmp_path_factory.mktemp("pipelines")
    cache: dict[tuple[str, str], Built] = {}

    def get(framework: str, extras: str) -> Built:
        if (framework, extras) not in cache:
            name = project_name(framework, extras)
            project = new(root, framework, extras, name)
            venv = project_venv(project)
            state = f"built in {venv.seconds:.0f} s" if venv.built else "cached"
            print(f"[timing] {name}: venv {state}")
            (root / f"{name}-home").mkdir()
            cache[(framework, extras)] = Built(project, venv, root / f"{name}-home")
        return cache[(framework, extras)]

    return get


@pytest.fixture(scope="session")
def definition_of(built: Callable[[str, str], Built]) -> Callable[[str, str], dict[str, Any]]:
    """Return ``get(framework, extras)``: ``python -m pipelines definition`` output, parsed."""
    cache: dict[tuple[str, str], dict[str, Any]] = {}

    def get(framework: str, extras: str) -> dict[str, Any]:
        if (framework, extras) not in cache:
            done = built(framework, extras).run("-m", "pipelines", "definition")
            assert done.returncode == 0, done.stderr[-3000:]
            cache[(framework, extras)] = json.loads(done.stdout)
        return cache[(framework, extras)]

    return get


def load_schema() -> dict[str, Any]:
    if not pipeline_checks.SCHEMA.is_file():
        pytest.skip(
            f"AWS's pipeline-definition schema is missing ({pipeline_checks.SCHEMA}): schema "
            "validation skipped; the structural checks ran."
        )
    schema: dict[str, Any] = json.loads(pipeline_checks.SCHEMA.read_text(encoding="utf-8"))
    return schema


USED_ALLOWLIST: dict[tuple[str, str], set[str]] = {}
variants = pytest.mark.parametrize(("framework", "extras"), VARIANTS)


@pytest.mark.slow
@pytest.mark.timeout(3600)
@variants
def test_project_passes_its_own_tests(
    built: Callable[[str, str], Built], framework: str, extras: str
) -> None:
    project = built(framework, extras)
    start = time.perf_counter()
    done = project.run("-m", "pytest", "-q", "-p", "no:cacheprovider")
    print(f"[timing] {project.project.name}: own tests {time.perf_counter() - start:.1f} s")
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    passed = re.search(r"(\d+) passed", done.stdout)
    assert passed and int(passed.group(1)) >= 12, done.stdout[-2000:]
    assert "failed" not in done.stdout and "skipped" not in done.stdout


@pytest.mark.slow
@pytest.mark.timeout(3600)
@variants
def test_definition_validates_against_the_schema(
    definition_of: Callable[[str, str], dict[str, Any]], framework: str, extras: str
) -> None:
    definition = definition_of(framework, extras)
    train = "TuneModel" if "tuning" in extras else "TrainModel"
    names = [step["Name"] for step in definition["Steps"]]
    assert names == ["PreprocessData", train, "EvaluateModel", "CheckAccuracy", "CheckDeploy"]
    structural = pipeline_checks.structural_errors(definition)
    assert not structural, "\n".join(structural)
    report = pipeline_checks.check(definition, load_schema(), pipeline_checks.load_allowlist("v3"))
    assert not report.problems(), "\n".join(report.problems())
    USED_ALLOWLIST[(framework, extras)] = {entry for _, entry in report.allowed}


@pytest.mark.slow
def test_allowlist_has_no_entry_that_no_variant_needs() -> None:
    """Runs after the definition tests (file order); the list must stay exact."""
    if set(USED_ALLOWLIST) != set(VARIANTS):
        pytest.skip("needs every variant's definition test in the same run")
    used = set().union(*USED_ALLOWLIST.values())
    declared = {entry["id"] for entry in pipeline_checks.load_allowlist("v3")}
    assert declared - used == set(), "remove allow-list entries no definition needs"


@pytest.mark.slow
@pytest.mark.timeout(3600)
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
@variants
def test_local_run_writes_the_evaluation(
    built: Callable[[str, str], Built], tmp_path: Path, framework: str, extras: str
) -> None:
    project = built(framework, extras)
    start = time.perf_counter()
    done = project.run("-m", "pipelines", "local", "--work-dir", str(tmp_path / "work"))
    print(f"[timing] {project.project.name}: local {time.perf_counter() - start:.1f} s")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    evaluation = json.loads((tmp_path / "work" / "evaluation.json").read_text())
    accuracy = evaluation["binary_classification_metrics"]["accuracy"]["value"]
    assert 0.7 <= accuracy <= 1.0
    assert "==> CheckAccuracy" in done.stdout and "register this model" in done.stdout
    if "tuning" in extras:
        assert len(re.findall(r"^    trial \d+: validation:accuracy=", done.stdout, re.M)) == 3
    if "spark" in extras:
        assert "(local pyspark)" in done.stdout
        assert list((tmp_path / "work" / "preprocess" / "spark" / "train").glob("part-*.csv"))


@pytest.mark.slow
@pytest.mark.timeout(3600)
@variants
def test_upsert_start_status_on_moto(
    built: Callable[[str, str], Built], moto_server: str, framework: str, extras: str
) -> None:
    project = built(framework, extras)
    # moto has no iam:SimulatePrincipalPolicy, which the SDK's role check calls.
    env = {**aws_env(moto_server), "SAGEMAKER_VALIDATE_ROLE": "false"}
    name = project_name(framework, extras)

    def cli(*args: str) -> str:
        done = project.run("-m", "pipelines", *args, env=env)
        assert done.returncode == 0, f"{args}: {done.stdout[-2000:]}{done.stderr[-3000:]}"
        return done.stdout

    start = time.perf_counter()
    first = cli("upsert", "--role-arn", ROLE, "--description", "first")
    second = cli("upsert", "--role-arn", ROLE, "--description", "second")
    arn = f"arn:aws:sagemaker:us-east-1:123456789012:pipeline/{name}"
    assert f"Created pipeline {name}: {arn}" in first
    assert f"Updated pipeline {name}: {arn}" in second
    sm = boto3.client("sagemaker", **client_options(moto_server))
    listed = [p["PipelineName"] for p in sm.list_pipelines(MaxResults=100)["PipelineSummaries"]]
    assert listed.count(name) == 1
    described = sm.describe_pipeline(PipelineName=name)
    assert described["PipelineDescription"] == "second"
    assert json.loads(described["PipelineDefinition"])["Steps"][0]["Name"] == "PreprocessData"
    keys = boto3.client("s3", **client_options(moto_server)).list_objects_v2(
        Bucket="sagemaker-us-east-1-123456789012", Prefix=name[:24]
    )
    assert keys.get("KeyCount", 0) > 0, "upsert uploads the step code to the default bucket"

    started = re.search(r"Started (\S+)", cli("start", "--param", "MinAccuracy=0.8"))
    assert started and started.group(1).startswith(f"{arn}/execution/")
    status = json.loads(cli("status", "--json"))
    assert status["execution_arn"] == started.group(1)
    assert status["status"] in {"Executing", "Succeeded"}
    assert status["steps"] is not None or "step details unavailable" in status["note"]
    assert "status" in cli("status", "--execution-arn", started.group(1))
    print(f"[timing] {name}: moto upsert x2, start, status {time.perf_counter() - start:.1f} s")


def client_options(url: str) -> dict[str, str]:
    return {
        "endpoint_url": url,
        "region_name": "us-east-1",
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
    }
