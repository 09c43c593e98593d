"""The generated pipeline project's command line and names, for both SDKs: fast checks.

The commands checked here (``--help``, the --role-arn check, ``start`` and ``status``) import no
SageMaker SDK, so they run with this repo's own Python inside the generated project; ``start``
and ``status`` talk to the moto server (``moto_server`` fixture). The slow tests
(``test_pipeline_project_run.py``, ``test_pipeline_v2.py``) run the whole sequence, upsert
included, in each project's own venv.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from generated import PRIVATE_PREFIXES, generate
from moto_fixture import aws_env
from pipeline_runs import moto_client
from pipeline_variants import options

from generators.naming import MAX_LENGTH

RUFF = str(Path(sys.executable).parent / "ruff")
SDKS = ("v3", "v2")
# The longest accepted names: the longest package, and the longest name with spaces (the one
# that wraps docstrings).
LONGEST = ("A" + "b" * (MAX_LENGTH - 1), ("Model " * 11)[:MAX_LENGTH])


def new(tmp: Path, sdk: str, extras: str, name: str = "demo") -> Path:
    folder = re.sub(r"\W+", "-", name)[:20] + f"-{sdk}-{extras.replace(',', '-')}"
    return generate(tmp / folder, "--name", name, *options("sklearn", extras), "--sdk", sdk)


def cli(
    project: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m pipelines ARGS`` in ``project`` with no AWS settings but ``env``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(PRIVATE_PREFIXES)}
    clean["HOME"] = str(project)  # no ~/.aws
    return subprocess.run(
        [sys.executable, "-m", "pipelines", *args],
        cwd=project,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("name", LONGEST)
@pytest.mark.parametrize("sdk", SDKS)
def test_longest_name_passes_ruff(tmp_path: Path, sdk: str, name: str) -> None:
    assert len(name) == MAX_LENGTH
    for extras in ("plain", "tuning,spark,ci,team"):
        project = new(tmp_path, sdk, extras, name)
        for args in (["check", "--no-cache", "."], ["format", "--no-cache", "--diff", "."]):
            result = subprocess.run(
                [RUFF, *args], cwd=project, capture_output=True, text=True, timeout=120
            )
            assert result.returncode == 0, f"{extras}: {result.stdout}{result.stderr}"
    helped = cli(project, "--help")
    assert helped.returncode == 0, helped.stderr
    shown = " ".join(helped.stdout.split())
    assert shown.startswith("usage: python -m pipelines") and f"of the {name} pipeline" in shown


@pytest.mark.parametrize("sdk", SDKS)
def test_a_role_that_is_not_a_role_arn_is_one_line_and_exit_2(tmp_path: Path, sdk: str) -> None:
    project = new(tmp_path, sdk, "plain")
    commands = ["upsert", "definition", *(["deploy-lambda"] if sdk == "v2" else [])]
    for command in commands:
        for role in ("SageMakerExecutionRole", "arn:aws:iam::123456789012:user/me"):
            done = cli(project, command, "--region", "us-east-1", "--role-arn", role)
            assert done.returncode == 2, (command, role, done.stderr)
            assert done.stderr.startswith(f"error: --role-arn {role!r} is not an IAM role ARN")
            assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    # A role ARN passes the check: upsert goes on, to the missing region here.
    done = cli(project, "upsert", "--role-arn", "arn:aws:iam::123456789012:role/path/Runner")
    assert done.returncode == 2 and "no AWS region" in done.stderr, done.stderr


@pytest.mark.parametrize("sdk", SDKS)
def test_status_shows_the_latest_execution(tmp_path: Path, moto_server: str, sdk: str) -> None:
    """moto lists executions oldest first whatever SortOrder says: status must still pick the
    newest (it sorts by start time itself)."""
    name = f"latest-{sdk}"
    project = new(tmp_path, sdk, "plain", name)
    env = aws_env(moto_server)
    sm = moto_client(moto_server, "sagemaker")
    definition = {"Version": "2020-12-01", "Parameters": [], "Steps": []}
    sm.create_pipeline(
        PipelineName=name,
        PipelineDefinition=json.dumps(definition),
        RoleArn="arn:aws:iam::123456789012:role/SageMakerExecutionRole",
    )
    started = []
    for _ in range(3):
        done = cli(project, "start", env=env)
        assert done.returncode == 0, done.stderr
        found = re.search(r"Started (\S+)", done.stdout)
        assert found, done.stdout
        started.append(found.group(1))
    listed = sm.list_pipeline_executions(PipelineName=name, SortOrder="Descending")
    first_listed = listed["PipelineExecutionSummaries"][0]["PipelineExecutionArn"]
    assert first_listed == started[0], "moto changed its order: this test no longer bites"
    done = cli(project, "status", "--json", env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["execution_arn"] == started[-1]
