"""Fixtures: one local run of the whole pipeline, and one offline definition, per test session."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

# Importing steps/ must not leave __pycache__ there: SageMaker receives that folder.
sys.dont_write_bytecode = True

PROJECT = Path(__file__).resolve().parent.parent
SAMPLE = PROJECT / "data" / "sample.csv"
PACKAGE = "demo"
STEPS = PROJECT / "pipelines" / PACKAGE / "steps"


@pytest.fixture(scope="session")
def local_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Run ``python -m pipelines local``'s steps once on the sample; return the work dir."""
    from pipelines import _local

    work = tmp_path_factory.mktemp("local")
    _local.run(SAMPLE, work)
    return work


@pytest.fixture(scope="session")
def definition() -> dict:
    """The pipeline definition, built offline with the default options."""
    from pipelines import _session

    return json.loads(_session.build_definition("us-east-1", None, None))


@pytest.fixture
def steps_on_path(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make steps/ importable, as it is inside the containers."""
    monkeypatch.syspath_prepend(str(STEPS))
    for name in ("dataset", "features", "model", "metrics", "inference"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    return STEPS
