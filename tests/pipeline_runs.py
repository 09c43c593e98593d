"""What the slow pipeline tests of both SDKs share (``test_pipeline_project_run.py`` for v3,
``test_pipeline_v2.py`` for v2): a generated project with the venv its own requirements.txt
built, running its own tests, AWS's definition schema, and the upsert / start / status sequence
against the moto server. Each SDK's test file adds its own assertions around these.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pipeline_checks
import pytest
from generated import Venv, clean_env, project_venv

DRIVER = Path(__file__).resolve().parent / "definitions_driver.py"

ACCOUNT = "123456789012"
REGION = "us-east-1"


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

    def cli(self, *args: str, env: dict[str, str]) -> str:
        """``python -m pipelines ARGS``, which must succeed; return its stdout."""
        done = self.run("-m", "pipelines", *args, env=env)
        assert done.returncode == 0, f"{args}: {done.stdout[-2000:]}{done.stderr[-3000:]}"
        return done.stdout


def built_variants(
    root: Path, make: Callable[[Path, str, str, str], Path], name_of: Callable[[str, str], str]
) -> Callable[[str, str], Built]:
    """Return ``get(framework, extras)``: ``make(root, framework, extras, name)`` run once per
    variant, with its (shared, cached) venv; for a session-scoped fixture."""
    cache: dict[tuple[str, str], Built] = {}

    def get(framework: str, extras: str) -> Built:
        if (framework, extras) not in cache:
            name = name_of(framework, extras)
            project = make(root, framework, extras, name)
            venv = project_venv(project)
            state = f"built in {venv.seconds:.0f} s" if venv.built else "cached"
            print(f"[timing] {name}: venv {state}")
            (root / f"{name}-home").mkdir()
            cache[(framework, extras)] = Built(project, venv, root / f"{name}-home")
        return cache[(framework, extras)]

    return get


@dataclass(frozen=True)
class Defined:
    """A generated project and its definition text, built by ``build_definitions``."""

    project: Path
    text: str


def build_definitions(
    projects: Mapping[tuple[str, str], Path], out: Path
) -> dict[tuple[str, str], Defined]:
    """Each project's ``python -m pipelines definition`` text, all built in one process.

    The projects of one SDK pin the same SDK; the first one's venv builds them all (the
    definition needs the SDK only, not the training libraries), through
    ``definitions_driver.py``, which runs each project's own command-line module in turn.
    Each variant's own tests still build its definition in its own venv, from the command
    line too; ``test_*definition_is_the_same*`` compare one with a standalone build of the same
    folder (the SDK's own code hashes include the folder's absolute path). Output on stderr
    fails the build: the offline build must be quiet.
    """
    first = next(iter(projects.values()))
    venv = project_venv(first)
    out.mkdir(parents=True, exist_ok=True)
    home = out / "home"
    home.mkdir(exist_ok=True)
    start = time.perf_counter()
    done = subprocess.run(
        [str(venv.python), str(DRIVER), str(out), *map(str, projects.values())],
        cwd=out, env=clean_env(venv, home), capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    print(
        f"[timing] {len(projects)} definitions in one process: {time.perf_counter() - start:.1f} s"
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    assert not done.stderr.strip(), f"the offline build should be quiet:\n{done.stderr[-2000:]}"
    return {
        key: Defined(project, (out / f"{project.name}.json").read_text(encoding="utf-8"))
        for key, project in projects.items()
    }


def load_schema() -> dict[str, Any]:
    """AWS's pipeline-definition schema; skip (the structural checks still ran) without it."""
    if not pipeline_checks.SCHEMA.is_file():
        pytest.skip(
            f"AWS's pipeline-definition schema is missing ({pipeline_checks.SCHEMA}): schema "
            "validation skipped; the structural checks ran."
        )
    schema: dict[str, Any] = json.loads(pipeline_checks.SCHEMA.read_text(encoding="utf-8"))
    return schema


def assert_own_tests_pass(project: Built, at_least: int, *options: str) -> None:
    """The project's own pytest run: green, at least ``at_least`` tests, none skipped.

    ``options`` go to that pytest (``--ignore`` a file whose code another variant runs)."""
    start = time.perf_counter()
    done = project.run("-m", "pytest", "-q", "-p", "no:cacheprovider", *options)
    print(f"[timing] {project.project.name}: own tests {time.perf_counter() - start:.1f} s")
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    passed = re.search(r"(\d+) passed", done.stdout)
    assert passed and int(passed.group(1)) >= at_least, done.stdout[-2000:]
    assert "failed" not in done.stdout and "skipped" not in done.stdout


def moto_client(url: str, service: str) -> Any:
    """A boto3 client on the moto server (AWS_ENDPOINT_URL is not set in this process)."""
    return boto3.client(
        service,
        endpoint_url=url,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def upsert_twice(
    project: Built, env: dict[str, str], url: str, name: str, role: str, code_prefix: str
) -> dict[str, Any]:
    """``upsert`` creates the pipeline, a second one updates it (one pipeline, the second
    description) and the step code lands in the default bucket; return DescribePipeline."""
    first = project.cli("upsert", "--role-arn", role, "--description", "first", env=env)
    second = project.cli("upsert", "--role-arn", role, "--description", "second", env=env)
    arn = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:pipeline/{name}"
    assert f"Created pipeline {name}: {arn}" in first
    assert f"Updated pipeline {name}: {arn}" in second
    sm = moto_client(url, "sagemaker")
    listed = [p["PipelineName"] for p in sm.list_pipelines(MaxResults=100)["PipelineSummaries"]]
    assert listed.count(name) == 1
    described: dict[str, Any] = sm.describe_pipeline(PipelineName=name)
    assert described["PipelineDescription"] == "second"
    keys = moto_client(url, "s3").list_objects_v2(
        Bucket=f"sagemaker-{REGION}-{ACCOUNT}", Prefix=code_prefix
    )
    assert keys.get("KeyCount", 0) > 0, "upsert uploads the step code to the default bucket"
    return described


def input_data_location(sm: Any, name: str) -> tuple[str, str]:
    """The bucket and prefix of the upserted pipeline's InputDataUrl default."""
    definition = json.loads(sm.describe_pipeline(PipelineName=name)["PipelineDefinition"])
    url = next(p["DefaultValue"] for p in definition["Parameters"] if p["Name"] == "InputDataUrl")
    bucket, _, prefix = str(url).removeprefix("s3://").partition("/")
    return bucket, prefix


# What SageMaker hashes into a step's cache key, per step type (AWS's "Default cache key
# attributes by pipeline step type"; ProcessingOutputConfig and OutputDataConfig are not in it).
CACHE_KEY_FIELDS = (
    "AppSpecification",
    "Environment",
    "ProcessingInputs",
    "AlgorithmSpecification",
    "HyperParameters",
    "InputDataConfig",
    "HyperParameterTuningJobConfig",
    "TrainingJobDefinition",
)


def assert_cache_keys_follow_the_data(definition: dict[str, Any]) -> None:
    """PreprocessData's arguments hold the InputFingerprint parameter (so its cache key
    changes with the data), and no cached step's key holds the execution id (which would make
    every execution miss, or a hit read another execution's paths)."""
    steps = {step["Name"]: step for step in definition["Steps"]}
    first = steps["PreprocessData"]["Arguments"]
    held = json.dumps(first["AppSpecification"])
    assert "Parameters.InputFingerprint" in held, f"PreprocessData's key lacks the data: {held}"
    for name, step in steps.items():
        if not step.get("CacheConfig", {}).get("Enabled"):
            continue
        key = {k: v for k, v in step.get("Arguments", {}).items() if k in CACHE_KEY_FIELDS}
        assert "PipelineExecutionId" not in json.dumps(key), f"{name}: {json.dumps(key)[:1500]}"


def start_twice_and_status(project: Built, env: dict[str, str], name: str, param: str) -> None:
    """With the sample uploaded to InputDataUrl: two ``start``s on unchanged data pass the same
    InputFingerprint (it lands in the executions' parameters), one added object changes it,
    ``--param InputFingerprint=`` overrides it; ``status`` shows the latest execution (not the
    first, which is what moto lists first) and, given its ARN, the first one."""
    arn = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:pipeline/{name}"
    sm, s3 = (
        moto_client(env["AWS_ENDPOINT_URL"], "sagemaker"),
        moto_client(env["AWS_ENDPOINT_URL"], "s3"),
    )
    bucket, prefix = input_data_location(sm, name)
    sample = (project.project / "data" / "sample.csv").read_bytes()
    s3.put_object(Bucket=bucket, Key=f"{prefix}sample.csv", Body=sample)

    def start(*params: str) -> tuple[str, str]:
        out = project.cli("start", *(a for p in params for a in ("--param", p)), env=env)
        found = re.search(r"Started (\S+)", out)
        assert found and found.group(1).startswith(f"{arn}/execution/")
        listed = sm.list_pipeline_parameters_for_execution(PipelineExecutionArn=found.group(1))
        values = {p["Name"]: p["Value"] for p in listed["PipelineParameters"]}
        return found.group(1), values["InputFingerprint"]

    started = [start(param), start(param)]
    assert started[0][1] == started[1][1], "unchanged data, same fingerprint"
    assert started[0][1].startswith("1-"), started[0][1]
    s3.put_object(Bucket=bucket, Key=f"{prefix}2026/more.csv", Body=sample[:200])
    started.append(start(param))
    assert started[2][1] != started[0][1] and started[2][1].startswith("2-"), started[2][1]
    started.append(start(param, "InputFingerprint=data-v7"))
    assert started[3][1] == "data-v7", "--param overrides the computed fingerprint"
    status = json.loads(project.cli("status", "--json", env=env))
    assert status["execution_arn"] == started[-1][0], "status must show the latest execution"
    assert status["status"] in {"Executing", "Succeeded"}
    assert status["steps"] is not None or "step details unavailable" in status["note"]
    shown = project.cli("status", "--execution-arn", started[0][0], env=env)
    assert "status" in shown and started[0][0] in shown


def schema_allowances(definition: dict[str, Any], sdk: str) -> set[str]:
    """Validate ``definition`` against AWS's schema, tolerating only ``sdk``'s allow-list;
    return the allow-list entries it needed (for ``assert_allowlist_exact``)."""
    report = pipeline_checks.check(definition, load_schema(), pipeline_checks.load_allowlist(sdk))
    assert not report.problems(), "\n".join(report.problems())
    return {entry for _, entry in report.allowed}


def assert_allowlist_exact(used: dict[tuple[str, str], set[str]], variants: Any, sdk: str) -> None:
    """Every allow-list entry is needed by some variant; skip unless every variant ran."""
    if set(used) != set(variants):
        pytest.skip("needs every variant's definition test in the same run")
    needed = set().union(*used.values())
    declared = {entry["id"] for entry in pipeline_checks.load_allowlist(sdk)}
    assert declared - needed == set(), "remove allow-list entries no definition needs"


def run_local(project: Built, work: Path) -> str:
    """``python -m pipelines local`` into ``work``: it succeeds, the evaluation is written with
    a plausible accuracy and the condition is checked; return its stdout."""
    start = time.perf_counter()
    done = project.run("-m", "pipelines", "local", "--work-dir", str(work))
    print(f"[timing] {project.project.name}: local {time.perf_counter() - start:.1f} s")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    evaluation = json.loads((work / "evaluation.json").read_text())
    assert 0.7 <= evaluation["binary_classification_metrics"]["accuracy"]["value"] <= 1.0
    assert "==> CheckAccuracy" in done.stdout
    return done.stdout
