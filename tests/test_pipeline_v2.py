"""The pipeline project for SDK v2 (`sm-advisor new DIR --kind pipeline --sdk v2`).

Fast checks: ruff, format and compile for every framework x {plain, tuning, spark, tuning+spark};
the files and code that ``--sdk v2`` switches (the v2 SDK pin, v2-only imports, the
``deploy-lambda`` command and its Lambda handler); byte-identical regeneration; the README's v2
notes; the v2 allow-list's shape.

Slow checks (marked ``slow``, still run by CI), each in a venv built from the project's own
requirements.txt (``generated.project_venv``, cached by content):

- ``python -m pipelines definition`` (offline) validates against AWS's schema step by step,
  tolerating exactly ``tests/data/schema_allowlist_v2.json`` (``pipeline_checks``, shared with
  the v3 tests), passes the structural checks, keeps v3's parameter and step names (except v2's
  ``ModelStep`` suffixes) and is byte-identical from one build to the next;
- the project's own tests pass (they run every step locally and rebuild the definition);
- ``python -m pipelines local`` runs;
- ``deploy-lambda``, ``upsert`` twice, ``start`` twice and ``status`` (the latest execution)
  succeed against the moto server, and the deploy Lambda's handler creates an endpoint there
  (the upsert / start / status sequence is shared with the v3 tests: ``pipeline_runs``).

Matrix, to save CI time: framework (3) x tuning (on/off) x spark (on/off) is covered pairwise by
the six RUN_VARIANTS (every pair of levels of any two factors occurs at least once, tuning+spark
included). The local run and the moto checks exercise SDK-independent code that
``test_pipeline_project_run.py`` already runs for nine v3 variants: the moto checks run here for
the plain variant and for the full profile (every extra on: the variant the README promises),
the ``local`` command for the plain one (the full profile's own tests run its steps).

Where a v3 variant of the same framework and extras runs (``V3_TWINS``), the v2 project's step
code, local runner, step tests and sample are byte-identical to the v3 one, its settings differ
only in the images (which only the definition reads), its requirements only in the SDK pin, and
its venv resolves the same libraries for the steps: a fast test and the slow one hold all of
that. Its own tests then skip ``tests/test_steps.py``, which the v3 variant's own tests run on
the same code and libraries (the steps' run is most of an own-tests run's time).
Timings print as ``[timing]`` lines (``-rP``).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pipeline_checks
import pytest
from generated import Venv, generate, project_venv, tree, uv_binary
from moto_fixture import aws_env
from pipeline_runs import (
    Built,
    Defined,
    assert_allowlist_exact,
    assert_cache_keys_follow_the_data,
    assert_own_tests_pass,
    build_definitions,
    built_variants,
    moto_client,
    run_local,
    schema_allowances,
    start_twice_and_status,
    upsert_twice,
)
from pipeline_variants import FRAMEWORKS, FULL, VARIANTS, options

from advisor.cli import main as cli_main
from generators.containers import SPARK_3_5

SDK_PIN = "sagemaker==2.257.7"
RUFF = str(Path(sys.executable).parent / "ruff")
ROLE = "arn:aws:iam::123456789012:role/SageMakerExecutionRole"
LINT_VARIANTS = [(fw, x) for fw in FRAMEWORKS for x in ("plain", "tuning", "spark", "tuning,spark")]
RUN_VARIANTS = [
    ("sklearn", "plain"),
    ("sklearn", FULL),
    ("xgboost", "tuning"),
    ("xgboost", "spark"),
    ("pytorch", "spark"),
    ("pytorch", "tuning"),
]
LOCAL_AND_MOTO_VARIANTS = [("sklearn", "plain"), ("sklearn", FULL)]
LOCAL_VARIANTS = [("sklearn", "plain")]
# RUN_VARIANTS whose v3 variant runs its own tests too (test_pipeline_project_run.py).
V3_TWINS = [variant for variant in RUN_VARIANTS if variant in VARIANTS]
# What a project's tests/test_steps.py runs: the same in a v2 project and its v3 twin.
STEP_FILES = ("pipelines/__init__.py", "pipelines/_local.py", "pipelines/{pkg}/steps/", "data/")
STEP_FILES += ("tests/conftest.py", "tests/test_steps.py", "tests/steps/")
# settings.py names that only the definition reads (the images differ between the SDKs' tables).
DEFINITION_ONLY_SETTINGS = {"PROCESSING_IMAGE", "TRAINING_IMAGE", "INFERENCE_IMAGE"}
V2_ONLY_FILES = {
    "pipelines/_deploy_lambda.py",
    "pipelines/{pkg}/endpoint_lambda.py",
    "tests/test_deploy_lambda.py",
}
# Modules that exist only in SDK v3: a v2 project must not import them.
V3_MODULES = re.compile(r"^\s*(from|import) sagemaker\.(core|mlops|train|serve)\b", re.M)


def name_of(framework: str, extras: str) -> str:
    """A distinct project (pipeline, bucket prefix, Lambda) name per variant."""
    return f"v2-{framework}-{extras.replace(',', '-')}"


def new_v2(tmp: Path, framework: str, extras: str, name: str = "demo") -> Path:
    """Generate one v2 variant into ``tmp/name`` with the real CLI."""
    return generate(tmp / name, "--name", name, *options(framework, extras), "--sdk", "v2")


def ruff(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([RUFF, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


# ------------------------------------------------------------------------------ fast checks


@pytest.mark.parametrize(("framework", "extras"), LINT_VARIANTS)
def test_v2_code_passes_ruff_and_compiles(tmp_path: Path, framework: str, extras: str) -> None:
    project = new_v2(tmp_path, framework, extras)
    for args in (["check", "--no-cache", "."], ["format", "--no-cache", "--diff", "."]):
        result = ruff(*args, cwd=project)
        assert result.returncode == 0, result.stdout + result.stderr
    for path in sorted(project.rglob("*.py")):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
    pipeline = (project / "pipelines" / "demo" / "pipeline.py").read_text()
    assert not V3_MODULES.search(pipeline)
    assert ("PySparkProcessor(" in pipeline) == ("spark" in extras)
    assert ("HyperparameterTuner(" in pipeline) == ("tuning" in extras)


def test_sdk_v2_switches_files_pin_and_images(tmp_path: Path) -> None:
    v2 = new_v2(tmp_path, "xgboost", "plain", "two")
    v3 = generate(tmp_path / "three", "--name", "three", *options("xgboost", "plain"))
    v2_files, v3_files = set(tree(v2)), set(tree(v3))
    assert {f.format(pkg="two") for f in V2_ONLY_FILES} <= v2_files
    assert not {f.format(pkg="three") for f in V2_ONLY_FILES} & v3_files
    renamed = {f.replace("/two/", "/three/") for f in v2_files}
    assert renamed - {f.format(pkg="three") for f in V2_ONLY_FILES} == v3_files
    assert SDK_PIN in (v2 / "requirements.txt").read_text().splitlines()
    assert f'aws = ["{SDK_PIN}"]' in (v2 / "pyproject.toml").read_text()
    assert "sagemaker==3." in (v3 / "requirements.txt").read_text()
    # Images from v2's own table (its newest xgboost with training and inference images).
    settings = (v2 / "pipelines" / "two" / "settings.py").read_text()
    assert settings.count('"version": "3.0-5"') == 2, settings
    for source in (v2 / "pipelines").rglob("*.py"):
        assert not V3_MODULES.search(source.read_text()), source


def test_script_projects_refuse_sdk_v2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--sdk targets the pipeline; the script project's submit.py is SDK v3 code."""
    code = cli_main(["new", str(tmp_path / "s"), "--kind", "script", "--sdk", "v2"])
    err = capsys.readouterr().err
    assert code == 2 and "--sdk v2" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "s").exists()


def test_cli_help_lists_deploy_lambda_only_for_v2(tmp_path: Path) -> None:
    """--help imports no SDK, so the dev venv's Python can run it."""
    for sdk, listed in (("v2", True), ("v3", False)):
        project = generate(
            tmp_path / sdk, "--name", "demo", *options("sklearn", "plain"), "--sdk", sdk
        )
        done = subprocess.run(
            [sys.executable, "-m", "pipelines", "--help"],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert ("deploy-lambda" in done.stdout) == listed, done.stdout


def test_v2_generation_is_byte_identical(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert tree(new_v2(tmp_path / "a", "pytorch", FULL)) == tree(
        new_v2(tmp_path / "b", "pytorch", FULL)
    )


def test_readme_explains_the_v2_differences(tmp_path: Path) -> None:
    readme = (new_v2(tmp_path, "sklearn", FULL) / "README.md").read_text()
    assert SDK_PIN in readme and "SDK v3" not in readme.split("## SDK v2 notes")[0]
    for command in ("definition", "local", "upsert --role-arn", "start", "status"):
        assert f"python -m pipelines {command}" in readme, command
    assert "python -m pipelines deploy-lambda --role-arn" in readme
    for fact in ("RegisterModel-RegisterModel", "LambdaStep", "endpoint_lambda.py"):
        assert fact in readme, fact
    for v3_only in ("EndpointConfigStep", "`CreateEndpointConfig`", "ModelTrainer", "SDK v3's"):
        assert v3_only not in readme, f"{v3_only}: SDK v2 has no such step or class"


def test_v2_allowlist_entries_say_why_and_share_ids_with_v3() -> None:
    v2 = {e["id"]: e for e in pipeline_checks.load_allowlist("v2")}
    v3 = {e["id"]: e for e in pipeline_checks.load_allowlist("v3")}
    assert len(v2) == len(pipeline_checks.load_allowlist("v2")), "ids must be unique"
    fields = ("step_type", "path", "message")
    for entry_id, entry in v2.items():
        assert len(entry.get("why", "")) > 20, entry_id
        assert isinstance(entry.get("documented"), bool), entry_id
        if entry_id in v3:  # same lag, same id: same patterns
            assert [entry[f] for f in fields] == [v3[entry_id][f] for f in fields], entry_id


def step_files(project: Path, pkg: str) -> dict[str, bytes]:
    """The files behind a project's step tests (``STEP_FILES``), by relative path."""
    prefixes = tuple(f.format(pkg=pkg) for f in STEP_FILES)
    return {rel: data for rel, data in tree(project).items() if rel.startswith(prefixes)}


def settings_values(project: Path, pkg: str) -> dict[str, Any]:
    """The public names of ``settings.py`` (plain data: it imports nothing)."""
    namespace: dict[str, Any] = {}
    exec((project / "pipelines" / pkg / "settings.py").read_text(encoding="utf-8"), namespace)
    return {k: v for k, v in namespace.items() if k.isupper()}


def requirement_lines(project: Path) -> list[str]:
    lines = (project / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


@pytest.mark.parametrize(("framework", "extras"), V3_TWINS)
def test_v2_steps_are_the_v3_steps(tmp_path: Path, framework: str, extras: str) -> None:
    """What lets a v2 variant skip its step tests: they would run the v3 twin's code again."""
    (tmp_path / "v2").mkdir()
    v2 = new_v2(tmp_path / "v2", framework, extras)
    v3 = generate(tmp_path / "v3", "--name", "demo", *options(framework, extras))
    files = step_files(v2, "demo")
    assert any("/steps/" in rel for rel in files) and "tests/test_steps.py" in files
    assert files == step_files(v3, "demo")
    two, three = settings_values(v2, "demo"), settings_values(v3, "demo")
    assert set(two) == set(three) and {"TRAINING_IMAGE", "INFERENCE_IMAGE"} <= set(two)
    assert {k for k in two if two[k] != three[k]} <= DEFINITION_ONLY_SETTINGS
    for rel, data in files.items():
        for name in DEFINITION_ONLY_SETTINGS:
            assert name.encode() not in data, f"{rel} reads {name}: the step tests must run"
    pins = [
        (a, b) for a, b in zip(requirement_lines(v2), requirement_lines(v3), strict=True) if a != b
    ]
    assert pins == [(SDK_PIN, "sagemaker==3.27.0")]


# ------------------------------------------------------------------------------ slow checks


@pytest.fixture(scope="session")
def built_v2(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], Built]:
    """Return ``get(framework, extras)``: the v2 variant generated once, with its venv."""
    return built_variants(tmp_path_factory.mktemp("pipelines-v2"), new_v2, name_of)


def definition(project: Built) -> str:
    """``python -m pipelines definition``'s JSON text, built offline in the project's venv."""
    start = time.perf_counter()
    done = project.run("-m", "pipelines", "definition")
    print(f"[timing] {project.project.name}: definition {time.perf_counter() - start:.1f} s")
    assert done.returncode == 0, done.stderr[-3000:]
    assert not done.stderr.strip(), f"the offline build should be quiet:\n{done.stderr[-2000:]}"
    return done.stdout


@pytest.fixture(scope="session")
def definitions_v2(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Defined]:
    """Every run variant's ``python -m pipelines definition`` output, built in one process."""
    root = tmp_path_factory.mktemp("definitions-v2")
    projects = {(fw, x): new_v2(root, fw, x, name_of(fw, x)) for fw, x in RUN_VARIANTS}
    return build_definitions(projects, root / "out")


def steps_by_name(built: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {step["Name"]: step for step, _ in pipeline_checks.walk(built["Steps"])}


USED_ALLOWLIST: dict[tuple[str, str], set[str]] = {}
run_variants = pytest.mark.parametrize(("framework", "extras"), RUN_VARIANTS)
venv = pytest.mark.venv(lambda p: [*options(p["framework"], p["extras"]), "--sdk", "v2"])
# On one xdist worker, in file order: the allow-list check needs every variant's definition.
definitions = pytest.mark.xdist_group("v2-definitions")


@pytest.mark.slow
@pytest.mark.timeout(3600)
@run_variants
@venv
@definitions
def test_v2_definition_validates_against_the_schema(
    definitions_v2: dict[tuple[str, str], Defined], framework: str, extras: str
) -> None:
    built = json.loads(definitions_v2[(framework, extras)].text)
    train = "TuneModel" if "tuning" in extras else "TrainModel"
    top = [step["Name"] for step in built["Steps"]]
    assert top == ["PreprocessData", train, "EvaluateModel", "CheckAccuracy", "CheckDeploy"]
    steps = steps_by_name(built)
    # v2's ModelStep suffixes its step; the deploy branch is CreateModel + a LambdaStep.
    assert {"RegisterModel-RegisterModel", "AccuracyTooLow", "CreateModel-CreateModel"} <= set(
        steps
    )
    assert steps["DeployEndpoint"]["Type"] == "Lambda"
    function = f"function:{name_of(framework, extras)[:24].rstrip('-')}-deploy-endpoint"
    assert steps["DeployEndpoint"]["FunctionArn"].endswith(function)
    assert "MlflowConfig" not in built, "an SDK v3 field in a v2 definition"
    assert_cache_keys_follow_the_data(built)
    # Issue 9, defects 3 and 5: uploads stay under the project prefix; Spark's image is pinned.
    assert pipeline_checks.outside_project_prefix(built) == []
    if "spark" in extras:
        uri = steps["PreprocessData"]["Arguments"]["AppSpecification"]["ImageUri"]
        assert uri.endswith(f"/{SPARK_3_5.repository}:{SPARK_3_5.tag()}")
    USED_ALLOWLIST[(framework, extras)] = schema_allowances(built, "v2")


@pytest.mark.slow
@definitions
def test_v2_allowlist_has_no_entry_that_no_variant_needs() -> None:
    """Runs after the definition tests (file order); the list must stay exact."""
    assert_allowlist_exact(USED_ALLOWLIST, RUN_VARIANTS, "v2")


@pytest.mark.slow
@pytest.mark.timeout(3600)
@pytest.mark.venv(lambda _: [*options("xgboost", "tuning"), "--sdk", "v2"])
@definitions
def test_v2_definition_is_the_same_on_every_build(
    definitions_v2: dict[tuple[str, str], Defined], tmp_path: Path
) -> None:
    """Content-addressed code paths (the tuner's too): unchanged code keeps the step cache.

    The other build is the batch one (another process and another variant's venv:
    ``pipeline_runs.build_definitions``), so this also holds that batch build equal to the
    command's own output."""
    batch = definitions_v2[("xgboost", "tuning")]
    (tmp_path / "home").mkdir()
    first = definition(Built(batch.project, project_venv(batch.project), tmp_path / "home"))
    assert batch.text == first
    assert first.count("/code/") >= 3 and "-tune-" in first


@pytest.mark.slow
@pytest.mark.timeout(3600)
@run_variants
@venv
def test_v2_project_passes_its_own_tests(
    built_v2: Callable[[str, str], Built],
    tmp_path: Path,
    framework: str,
    extras: str,
) -> None:
    project = built_v2(framework, extras)
    if (framework, extras) not in V3_TWINS:
        assert_own_tests_pass(project, at_least=15)
        return
    # The step tests run in the v3 twin's own tests (test_v2_steps_are_the_v3_steps holds the
    # code identical); here the libraries they would use must be the twin's too.
    twin = project_venv(generate(tmp_path / "v3", "--name", "demo", *options(framework, extras)))
    assert step_libraries(project.venv) == step_libraries(twin), "the step libraries differ"
    assert_own_tests_pass(project, 10, "--ignore", "tests/test_steps.py", "--ignore", "tests/steps")


def step_libraries(venv: Venv) -> dict[str, str]:
    """Versions of what the steps import, in ``venv`` (uv reads its site-packages)."""
    done = subprocess.run(
        [uv_binary(), "pip", "freeze", "--python", str(venv.python)],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    wanted = {"numpy", "pandas", "scikit-learn", "xgboost", "torch", "pyspark", "py4j", "scipy"}
    wanted |= {"sagemaker-inference", "joblib", "threadpoolctl", "pytest"}
    pins = dict(line.split("==", 1) for line in done.stdout.splitlines() if "==" in line)
    found = {name: version for name, version in pins.items() if name.lower() in wanted}
    assert "numpy" in found and "pandas" in found, done.stdout[-2000:]
    return found


@pytest.mark.slow
@pytest.mark.timeout(3600)
@pytest.mark.parametrize(("framework", "extras"), LOCAL_VARIANTS)
@venv
def test_v2_local_run_writes_the_evaluation(
    built_v2: Callable[[str, str], Built], tmp_path: Path, framework: str, extras: str
) -> None:
    run_local(built_v2(framework, extras), tmp_path / "work")


@pytest.mark.slow
@pytest.mark.timeout(3600)
@pytest.mark.parametrize(("framework", "extras"), LOCAL_AND_MOTO_VARIANTS)
@venv
def test_v2_deploy_lambda_upsert_start_status_on_moto(
    built_v2: Callable[[str, str], Built], moto_server: str, framework: str, extras: str
) -> None:
    project = built_v2(framework, extras)
    env = aws_env(moto_server)
    name = name_of(framework, extras)
    role = f"arn:aws:iam::123456789012:role/{name}"
    # Lambda checks that it may assume the function's role.
    trust = {"Service": ["lambda.amazonaws.com", "sagemaker.amazonaws.com"]}
    moto_client(moto_server, "iam").create_role(
        RoleName=name, AssumeRolePolicyDocument=policy(trust)
    )

    start = time.perf_counter()
    prefix = name[:24].rstrip("-")
    arn = f"arn:aws:lambda:us-east-1:123456789012:function:{prefix}-deploy-endpoint"
    for _ in range(2):  # the second run updates the function
        assert f"Deploy Lambda ready: {arn}" in project.cli(
            "deploy-lambda", "--role-arn", role, env=env
        )
    function = moto_client(moto_server, "lambda").get_function(FunctionName=arn)["Configuration"]
    assert function["Runtime"] == "python3.12"
    assert function["Handler"] == "endpoint_lambda.lambda_handler"

    described = upsert_twice(
        project, env, moto_server, name, role, code_prefix=name[:24].rstrip("-")
    )
    stored = steps_by_name(json.loads(described["PipelineDefinition"]))
    assert stored["DeployEndpoint"]["FunctionArn"] == arn
    start_twice_and_status(project, env, name, "Deploy=true")
    print(
        f"[timing] {name}: moto deploy-lambda x2, upsert x2, start x2, status "
        f"{time.perf_counter() - start:.1f} s"
    )
    run_handler_on_moto(project, env, moto_server, name)


def run_handler_on_moto(project: Built, env: dict[str, str], url: str, name: str) -> None:
    """endpoint_lambda.lambda_handler in the project's venv, against moto (moto cannot run a
    Lambda without Docker; its UpdateEndpoint is not implemented, so only the create path)."""
    sm = moto_client(url, "sagemaker")
    sm.create_model(
        ModelName=f"{name}-model",
        ExecutionRoleArn=f"arn:aws:iam::123456789012:role/{name}",
        PrimaryContainer={"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/x:1"},
    )
    event = {
        "model_name": f"{name}-model",
        "endpoint_name": f"{name}-endpoint",
        "endpoint_config_name": f"{name}-config-1",
        "instance_type": "ml.m5.large",
        "instance_count": 1,
    }
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); import endpoint_lambda; "
        "print(json.dumps(endpoint_lambda.lambda_handler(json.loads(sys.argv[2]), None)))"
    )
    (handler,) = project.project.glob("pipelines/*/endpoint_lambda.py")
    done = project.run("-c", code, str(handler.parent), json.dumps(event), env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout) == {"statusCode": 200, "endpoint_name": event["endpoint_name"]}
    endpoint = sm.describe_endpoint(EndpointName=event["endpoint_name"])
    assert endpoint["EndpointConfigName"] == event["endpoint_config_name"]
    config = sm.describe_endpoint_config(EndpointConfigName=event["endpoint_config_name"])
    assert config["ProductionVariants"][0]["ModelName"] == event["model_name"]


def policy(principal: dict[str, Any]) -> str:
    statement = {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})
