"""The ci and team extras of the pipeline project: which files they add, and that those files are
valid where it can be checked offline (GitHub's workflow schema, YAML structure, ruff)."""

from __future__ import annotations

import fnmatch
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from generated import generate, tree

BIN = Path(sys.executable).parent
# Answers that meet the CI/CD criterion (score 100) and nothing else.
CICD_MET = ("--release-frequency", "daily", "--environments", "3", "--models-in-production", "10")
WORKFLOWS = (
    ".github/workflows/ci.yml",
    ".github/workflows/upsert.yml",
    ".github/workflows/deploy.yml",
)
CI_FILES = {
    *WORKFLOWS,
    "codebuild-buildspec.yml",
    "deploy/promote.py",
    "deploy/README.md",
    "deploy/approval-event-pattern.json",
    "tests/test_promote.py",
}
TEAM_FILES = {
    "CODEOWNERS",
    ".pre-commit-config.yaml",
    "CONTRIBUTING.md",
    "tests/steps/test_preprocess.py",
    "tests/steps/test_train.py",
    "tests/steps/__init__.py",
    "tests/steps/conftest.py",
    "tests/steps/test_evaluate.py",
}
# A dead proxy: any attempt of check-jsonschema to download a schema would fail the run.
OFFLINE = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9"}


def new(tmp: Path, *options: str) -> Path:
    return generate(tmp, "--kind", "pipeline", "--name", "Churn Model", *options)


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pytorch project with both extras (pytorch adds lines to the CI files)."""
    return new(tmp_path_factory.mktemp("full") / "p", "--framework", "pytorch", "--with", "ci,team")


@pytest.fixture(scope="module")
def full_v2(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both extras on a project for the SDK v2 (its own CLI module and requirements)."""
    return new(tmp_path_factory.mktemp("v2") / "p", "--sdk", "v2", "--with", "ci,team")


@pytest.fixture(scope="module")
def ci_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ci extra switched on by the answers (the criterion is met), team off."""
    return new(tmp_path_factory.mktemp("ci") / "p", *CICD_MET)


def load_module(path: Path) -> ModuleType:
    """Import a generated file under a unique name (dataclasses need it in sys.modules)."""
    name = f"generated_{path.stem}_{abs(hash(str(path)))}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def check_jsonschema(*files: Path) -> subprocess.CompletedProcess[str]:
    command = [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows"]
    return subprocess.run(
        [*command, *map(str, files)],
        capture_output=True,
        text=True,
        env={**os.environ, **OFFLINE},
        timeout=120,
    )


# --- which files -------------------------------------------------------------------------------


def test_extras_add_their_files(full: Path) -> None:
    files = set(tree(full))
    assert CI_FILES | TEAM_FILES <= files
    manifest = yaml.safe_load((full / ".sm-advisor.yaml").read_text())
    assert manifest["project"]["extras"] == ["ci", "team"]


def test_no_extras_no_files(tmp_path: Path) -> None:
    files = set(tree(new(tmp_path / "p")))
    assert not (CI_FILES | TEAM_FILES) & files
    assert not any(f.startswith((".github/", "deploy/", "tests/steps/")) for f in files)


@pytest.mark.parametrize("extras", [(), ("ci",), ("team",), ("ci", "team")])
def test_switched_off_files_leave_no_trace_in_the_plan(extras: tuple[str, ...]) -> None:
    """A file switched off by its name ('[team]CODEOWNERS.jinja') is dropped: no empty or
    '.jinja' path is planned."""
    from advisor.models import Answers
    from advisor.scoring import score
    from advisor.usecases import decision
    from generators import build_spec, plan

    spec = build_spec(decision(score(Answers())), name="x", kind="pipeline", with_=extras)
    paths = list(plan(spec))
    assert all(p and not p.endswith("/") for p in paths)
    assert all(part and not part.endswith(".jinja") for p in paths for part in p.split("/"))
    assert ("CODEOWNERS" in paths) is ("team" in extras)
    assert ("codebuild-buildspec.yml" in paths) is ("ci" in extras)


def test_met_criterion_switches_ci_on_and_without_overrides_it(
    ci_only: Path, tmp_path: Path
) -> None:
    files = set(tree(ci_only))
    assert CI_FILES <= files and not TEAM_FILES & files
    assert yaml.safe_load((ci_only / ".sm-advisor.yaml").read_text())["project"]["extras"] == ["ci"]
    forced_off = set(tree(new(tmp_path / "off", *CICD_MET, "--without", "ci")))
    assert not CI_FILES & forced_off


def test_team_alone_adds_no_ci_files(tmp_path: Path) -> None:
    project = new(tmp_path / "p", "--with", "team")
    files = set(tree(project))
    assert TEAM_FILES <= files and not CI_FILES & files
    owners = (project / "CODEOWNERS").read_text()
    assert "/.github/" not in owners and "/deploy/" not in owners
    assert ".github/workflows" not in (project / "CONTRIBUTING.md").read_text()


@pytest.mark.parametrize("extras", [(), ("ci",), ("team",), ("ci", "team")])
def test_readme_links_the_extras_guides(extras: tuple[str, ...], tmp_path: Path) -> None:
    """CONTRIBUTING.md (team) and deploy/README.md (ci) are linked, and only when generated."""
    options = ("--with", ",".join(extras)) if extras else ("--without", "ci,team")
    project = new(tmp_path / "p", *options)
    links = set(re.findall(r"\]\(([^)#]+)\)", (project / "README.md").read_text()))
    guides = {"team": "CONTRIBUTING.md", "ci": "deploy/README.md"}
    assert {g for e, g in guides.items() if e in extras} == links & set(guides.values())
    assert all((project / link).is_file() for link in links if "://" not in link), links


# --- GitHub workflows ----------------------------------------------------------------------------


@pytest.mark.parametrize("project", ["full", "full_v2", "ci_only"])
def test_workflows_validate_against_github_schema(
    project: str, request: pytest.FixtureRequest
) -> None:
    root: Path = request.getfixturevalue(project)
    result = check_jsonschema(*(root / w for w in WORKFLOWS))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


def test_schema_check_rejects_a_broken_workflow(full: Path, tmp_path: Path) -> None:
    """The validator is live and offline: a job without runs-on fails, with no download."""
    broken = tmp_path / "ci.yml"
    broken.write_text((full / WORKFLOWS[0]).read_text().replace("    runs-on: ubuntu-latest\n", ""))
    result = check_jsonschema(broken)
    assert result.returncode == 1
    assert "runs-on" in result.stdout


def workflow(root: Path, name: str) -> dict:
    data = yaml.safe_load((root / ".github/workflows" / name).read_text())
    data["on"] = data.pop(True)  # YAML 1.1 reads the key "on" as a boolean
    return data


def test_workflows_have_no_template_left_and_declare_their_inputs(full: Path) -> None:
    for name in WORKFLOWS:
        text = (full / name).read_text()
        assert "{%" not in text and "{#" not in text
        assert not re.search(r"(?<!\$)\{\{", text), f"unrendered Jinja in {name}"
        declared = set(
            (workflow(full, Path(name).name)["on"].get("workflow_dispatch") or {}).get("inputs", {})
        )
        assert set(re.findall(r"\binputs\.(\w+)", text)) <= declared, name


def steps_of(job: dict) -> list[dict]:
    return job.get("steps", [])


def test_aws_access_is_oidc_only(full: Path) -> None:
    for name in ("upsert.yml", "deploy.yml"):
        text = (full / ".github/workflows" / name).read_text()
        assert "aws-access-key-id" not in text and "secrets.AWS" not in text
        for job_name, job in workflow(full, name)["jobs"].items():
            creds = [s for s in steps_of(job) if "configure-aws-credentials" in s.get("uses", "")]
            if not creds:
                continue
            assert job["permissions"]["id-token"] == "write", job_name
            assert creds[0]["with"]["role-to-assume"] == "${{ vars.AWS_ROLE_TO_ASSUME }}"
            assert creds[0]["with"]["aws-region"] == "${{ vars.AWS_REGION }}"


def test_ci_runs_lint_tests_and_offline_definition(full: Path, ci_only: Path) -> None:
    for root, team in ((full, True), (ci_only, False)):
        ci = workflow(root, "ci.yml")
        assert set(ci["on"]) == {"pull_request", "workflow_call"}
        runs = " ".join(s.get("run", "") for s in steps_of(ci["jobs"]["test"]))
        for command in (
            'pip install -e ".[dev]"',
            "ruff check .",
            "pytest",
            "python -m pipelines definition",
        ):
            assert command in runs
        assert ("pre-commit run --all-files" in runs) is team
        assert ci["jobs"]["test"]["steps"][1]["with"]["python-version"] == "3.11"


def test_upsert_runs_on_main_after_ci_and_starts_on_request(full: Path) -> None:
    upsert = workflow(full, "upsert.yml")
    assert upsert["on"]["push"]["branches"] == ["main"]
    assert upsert["on"]["workflow_dispatch"]["inputs"]["start"]["type"] == "boolean"
    assert upsert["jobs"]["ci"]["uses"] == "./.github/workflows/ci.yml"
    job = upsert["jobs"]["upsert"]
    assert job["needs"] == "ci"
    assert job["env"]["SAGEMAKER_PIPELINE_ROLE_ARN"] == "${{ vars.SAGEMAKER_PIPELINE_ROLE_ARN }}"
    runs = {s.get("name"): s for s in steps_of(job)}
    assert runs["Upsert the pipeline"]["run"] == (
        'python -m pipelines upsert --role-arn "$SAGEMAKER_PIPELINE_ROLE_ARN" --no-deploy'
    )
    assert "inputs.start" in runs["Start an execution"]["if"]
    assert runs["Start an execution"]["run"] == "python -m pipelines start"


def test_deploy_goes_through_staging_then_reviewed_production(full: Path) -> None:
    deploy = workflow(full, "deploy.yml")
    assert set(deploy["on"]) == {"workflow_dispatch"}
    assert deploy["on"]["workflow_dispatch"]["inputs"]["model_package_arn"]["required"] is True
    staging, production = deploy["jobs"]["staging"], deploy["jobs"]["production"]
    assert staging["environment"]["name"] == "staging"
    assert production["environment"]["name"] == "production"
    assert production["needs"] == "staging"
    promote = load_module(full / "deploy/promote.py")
    for job, stage in ((staging, "staging"), (production, "prod")):
        run = steps_of(job)[-1]["run"]
        assert f"python deploy/promote.py --stage {stage}" in run and "--wait" in run
        assert job["environment"]["url"].endswith("/endpoints/" + promote.endpoint_name(stage))


PARSE = """
import shlex, sys
from pipelines.__main__ import build_parser
for line in sys.stdin.read().splitlines():
    argv = shlex.split(line.replace("$SAGEMAKER_PIPELINE_ROLE_ARN", "arn:aws:iam::1:role/r"))
    build_parser().parse_args(argv[3:argv.index(">")] if ">" in argv else argv[3:])
"""


def commands(full: Path) -> list[str]:
    """The shell lines of every workflow step and buildspec phase."""
    runs = [
        step.get("run", "")
        for name in WORKFLOWS
        for job in workflow(full, Path(name).name)["jobs"].values()
        for step in steps_of(job)
    ]
    buildspec = yaml.safe_load((full / "codebuild-buildspec.yml").read_text())
    runs += [c for phase in buildspec["phases"].values() for c in phase["commands"]]
    return [line.strip() for run in runs for line in run.splitlines()]


@pytest.mark.parametrize("project", ["full", "full_v2"])
def test_ci_commands_are_accepted_by_the_project_cli(
    project: str, request: pytest.FixtureRequest
) -> None:
    """Every ``python -m pipelines ...`` line of the workflows and the buildspec parses with the
    generated project's own argument parser (no SDK is imported to parse), for both SDKs."""
    full: Path = request.getfixturevalue(project)
    lines = [c for c in commands(full) if c.startswith("python -m pipelines ")]
    assert len(lines) == 6, lines  # ci: definition; upsert: upsert, start; buildspec: all three
    result = subprocess.run(
        [sys.executable, "-c", PARSE],
        input="\n".join(lines),
        cwd=full,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


# --- CodeBuild, EventBridge, consistency ---------------------------------------------------------


def test_buildspec_structure(full: Path) -> None:
    spec = yaml.safe_load((full / "codebuild-buildspec.yml").read_text())
    assert spec["version"] == 0.2
    assert list(spec["phases"]) == ["install", "pre_build", "build"]
    for phase in spec["phases"].values():
        assert phase["commands"] and all(isinstance(c, str) for c in phase["commands"])
    assert spec["phases"]["install"]["runtime-versions"]["python"] == 3.11
    build = spec["phases"]["build"]["commands"]
    assert build == [
        'python -m pipelines upsert --role-arn "$SAGEMAKER_PIPELINE_ROLE_ARN" --no-deploy',
        "python -m pipelines start",
    ]
    assert spec["artifacts"]["files"] == ["pipeline-definition.json"]


def test_model_package_group_is_the_pipelines(full: Path) -> None:
    promote = load_module(full / "deploy/promote.py")
    settings = load_module(full / "pipelines/churn_model/settings.py")
    pattern = json.loads((full / "deploy/approval-event-pattern.json").read_text())
    assert promote.MODEL_PACKAGE_GROUP == settings.MODEL_PACKAGE_GROUP
    assert pattern["detail"]["ModelPackageGroupName"] == [settings.MODEL_PACKAGE_GROUP]
    readme = (full / "deploy/README.md").read_text()
    for stage in promote.STAGES:
        assert f"`{promote.endpoint_name(stage)}`" in readme


@pytest.mark.parametrize("name", ["x", "a" * 63, "Model " * 10])
def test_promote_names_fit_sagemaker_limits(name: str, tmp_path: Path) -> None:
    import datetime as dt

    promote = load_module(
        new(tmp_path / "p", "--name", name[:63].strip(), "--with", "ci") / "deploy/promote.py"
    )
    now = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    for stage in promote.STAGES:
        for made in (promote.endpoint_name(stage), promote.resource_name(stage, 12345, now)):
            assert re.fullmatch(r"[a-zA-Z0-9](-*[a-zA-Z0-9])*", made) and len(made) <= 63, made


# --- team ----------------------------------------------------------------------------------------


def test_codeowners_patterns_match_generated_files(full: Path) -> None:
    files = tree(full)
    rules = [
        line.split()
        for line in (full / "CODEOWNERS").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    teams = {"data", "training", "evaluation", "ci"}
    for pattern, *owners in rules:
        assert owners and all(re.fullmatch(r"@your-org/churn-model-[a-z]+", o) for o in owners)
        assert {o.rsplit("-", 1)[1] for o in owners} <= teams
        if pattern == "*":
            continue
        path = pattern.lstrip("/")
        matched = [
            f
            for f in files
            if (f.startswith(path) if path.endswith("/") else fnmatch.fnmatch(f, path))
        ]
        assert matched, f"CODEOWNERS names {pattern}, which the project does not have"


def test_pre_commit_config_pins_the_hooks(full: Path) -> None:
    config = yaml.safe_load((full / ".pre-commit-config.yaml").read_text())
    hooks = {}
    for repo in config["repos"]:
        assert re.fullmatch(r"v\d+\.\d+\.\d+", repo["rev"]), repo
        hooks.update({h["id"]: repo["repo"] for h in repo["hooks"]})
    wanted = {"ruff-check", "ruff-format", "end-of-file-fixer", "trailing-whitespace", "check-yaml"}
    assert wanted <= set(hooks)


def test_generated_tree_passes_the_pre_commit_checks(full: Path) -> None:
    """What the hooks would change on a fresh project: nothing (else CI's pre-commit step fails)."""
    exclude = re.compile(yaml.safe_load((full / ".pre-commit-config.yaml").read_text())["exclude"])
    problems = []
    for rel, data in tree(full).items():
        if exclude.search(rel) or b"\0" in data:
            continue
        text = data.decode()
        if text and (not text.endswith("\n") or text.endswith("\n\n")):
            problems.append(f"{rel}: end of file")
        problems += [
            f"{rel}:{i}: trailing whitespace"
            for i, line in enumerate(text.splitlines(), 1)
            if line != line.rstrip()
        ]
        if rel.endswith((".yml", ".yaml")):
            yaml.safe_load(text)
    assert not problems, problems
    pythons = [str(full / f) for f in tree(full) if f.endswith(".py")]
    result = subprocess.run(
        [str(BIN / "ruff"), "format", "--isolated", "--line-length", "100", "--check", *pythons],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- the Python the extras add -------------------------------------------------------------------

EXTRAS_PYTHON = ("deploy/promote.py", "tests/test_promote.py", "tests/steps")


@pytest.mark.parametrize("name", ["Churn Model", "a" * 63])
def test_extras_python_passes_ruff(name: str, tmp_path: Path) -> None:
    """Lint and format with the generated project's own ruff settings, long names included."""
    root = new(tmp_path / "p", "--name", name, "--with", "ci,team,spark")
    for command in (["check", "--no-cache"], ["format", "--check", "--no-cache"]):
        result = subprocess.run(
            [str(BIN / "ruff"), *command, *EXTRAS_PYTHON], cwd=root, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_extras_tests_pass_in_the_project_venv(full: Path, tmp_path: Path) -> None:
    """The per-step tests and promote.py's tests, in a venv made from the project's own
    requirements.txt (the whole generated suite runs in the pipeline tests)."""
    from generated import project_venv, run_in_venv

    venv = project_venv(full)
    tests = ["tests/steps", "tests/test_promote.py"]
    result = run_in_venv(
        venv, ["-m", "pytest", "-q", "-p", "no:cacheprovider", *tests], full, tmp_path
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout
