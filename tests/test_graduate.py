"""Changing a project's kind carries its training code (``generators.graduate``), fast tests.

The slow, run-it-for-real counterpart is ``test_graduate_run.py``. Here: the region markers
pair the two kinds' renders exactly; ``update --kind pipeline`` moves each edited region, the
added helper, the changed defaults and instance type to their new files and lists where they
went; a conflicting edit is marked and exits 1; edits with no new home keep the old file; the
way back (pipeline → script) uses the same mapping; ``assess DIR --check`` both ways.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from graduation import DERIVED, INSTANCE_TYPE, MODEL_OPTION, edit_script, replace_once

from advisor.cli import main
from generators import build_spec, plan
from generators.graduate import REGIONS, body, centred, regions, step_path
from generators.merge import SNAPSHOT

PIPELINE_FLAGS = [
    "--team-size", "10", "--teams", "3", "--release-frequency", "weekly",
    "--data-size-gb", "200", "--processing-steps", "4", "--tuning", "automated",
]  # fmt: skip


@pytest.mark.parametrize("framework", ["sklearn", "xgboost", "pytorch"])
def test_regions_pair_the_script_with_the_step_modules(framework: str) -> None:
    from advisor.models import Answers
    from advisor.scoring import score
    from advisor.usecases import decision

    files = {}
    for kind in ("script", "pipeline"):
        spec = build_spec(decision(score(Answers())), name="churn", kind=kind, framework=framework)
        files[kind] = {k: v.decode() for k, v in plan(spec).items() if k.endswith(".py")}
    script = files["script"]["train.py"]
    assert list(regions(script)) == list(REGIONS)
    for name in REGIONS:
        module = files["pipeline"][step_path("churn", name)]
        assert list(regions(module)) == [name]
        assert body(module, name) == body(script, name) != ""


def _update(project: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> tuple[int, str]:
    code = main(["update", str(project), *flags])
    return code, capsys.readouterr().out


def test_graduation_carries_regions_helpers_and_settings(
    new_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    project = new_project("--kind", "script", "--framework", "sklearn", name="churn")
    edit_script(project, "sklearn")
    capsys.readouterr()
    code, out = _update(project, capsys, "--kind", "pipeline", *PIPELINE_FLAGS)
    assert code == 0, out
    steps = project / "pipelines" / "churn" / "steps"
    for line in (
        "region dataset   train.py -> pipelines/churn/steps/dataset.py: your edits carried",
        "region features  train.py -> pipelines/churn/steps/features.py: your edits carried",
        "region metrics   train.py -> pipelines/churn/steps/metrics.py: as generated",
        "region helpers   train.py -> pipelines/churn/steps/from_script.py: your edits carried",
        "setting  n-estimators = 300 (settings.HYPERPARAMETERS)",
        f'setting  TRAINING_INSTANCE_TYPE = "{INSTANCE_TYPE}" (from submit.py)',
    ):
        assert line in out
    assert "  removed   train.py (your edits went to" in out
    assert "  removed   submit.py (its settings went to pipelines/churn/settings.py)" in out
    assert not (project / "train.py").exists() and not (project / "submit.py").exists()
    helpers = (steps / "from_script.py").read_text()
    assert "import pandas as pd\n" in helpers and "def add_charges_per_call(" in helpers
    for module in ("dataset", "features"):
        text = (steps / f"{module}.py").read_text()
        assert "from from_script import add_charges_per_call\n" in text
        assert "add_charges_per_call(" in body(text, module)
    assert MODEL_OPTION["sklearn"][1] in (steps / "model.py").read_text()
    assert 'default=300, help="number of boosting stages"' in (steps / "model.py").read_text()
    assert '"from_script.py")' in (steps / "train.py").read_text()  # shipped to the endpoint
    for path in steps.glob("*.py"):
        ast.parse(path.read_text(), str(path))
    settings = (project / "pipelines" / "churn" / "settings.py").read_text()
    assert '    "n-estimators": 300,\n' in settings
    # tuning was switched on by the answers: the range is centred on the new default
    assert '    "n-estimators": ("integer", 125, 475),\n' in settings
    # the snapshot is the plain render: the carried code counts as your edits next time
    base = json.loads((project / SNAPSHOT).read_text())["files"]
    assert DERIVED not in base[step_path("churn", "dataset")]
    assert _update(project, capsys)[0] == 0


def test_centred_ranges_stay_positive() -> None:
    assert centred("integer", 50, 400, 300) == (125, 475)
    assert centred("integer", 50, 400, 60) == (50, 400)
    low, high = centred("continuous", 0.01, 0.3, 0.02)
    assert low == 0.01 and high >= 0.3


def test_a_conflicting_edit_is_marked_and_listed_with_exit_1(
    new_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """The templates changed the same line since the project was generated: a real conflict."""
    project = new_project("--kind", "script", "--framework", "sklearn", name="churn")
    snapshot = json.loads((project / SNAPSHOT).read_text())
    old = snapshot["files"]["train.py"]
    snapshot["files"]["train.py"] = replace_once(old, "default=150,", "default=120,")
    (project / SNAPSHOT).write_text(json.dumps(snapshot))
    train = project / "train.py"
    train.write_text(replace_once(train.read_text(), "default=150,", "default=300,"))
    capsys.readouterr()
    code, out = _update(project, capsys, "--kind", "pipeline")
    assert code == 1, out
    model = project / "pipelines" / "churn" / "steps" / "model.py"
    text = model.read_text()
    assert "<<<<<<< ours" in text and "default=300," in text and ">>>>>>> theirs" in text
    assert "CONFLICT (content): Merge conflict in pipelines/churn/steps/model.py" in out
    assert "region model     train.py -> pipelines/churn/steps/model.py: CONFLICT (1 block)" in out


def test_edits_with_no_place_in_a_pipeline_keep_the_script(
    new_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    project = new_project("--kind", "script", "--framework", "sklearn", name="churn")
    train = project / "train.py"
    text = replace_once(train.read_text(), "default=0.2,", "default=0.3,")  # in parse_args
    train.write_text(text)
    capsys.readouterr()
    code, out = _update(project, capsys, "--kind", "pipeline")
    assert code == 0, out
    assert train.read_text() == text
    assert "  kept      train.py (edits outside its regions" in out


def test_the_way_back_uses_the_same_mapping(
    new_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    project = new_project("--kind", "pipeline", "--framework", "xgboost", name="churn")
    features = project / "pipelines" / "churn" / "steps" / "features.py"
    edited = '    numeric = sorted(features.select_dtypes(include="number").columns.tolist())\n'
    features.write_text(
        replace_once(
            features.read_text(),
            '    numeric = features.select_dtypes(include="number").columns.tolist()\n',
            edited,
        )
    )
    settings = project / "pipelines" / "churn" / "settings.py"
    text = replace_once(
        settings.read_text(), '    "n-estimators": 100,', '    "n-estimators": 250,'
    )
    settings.write_text(replace_once(text, 'TRAINING_INSTANCE_TYPE = "ml.m5.xlarge"',
                                     'TRAINING_INSTANCE_TYPE = "ml.c5.xlarge"'))  # fmt: skip
    capsys.readouterr()
    code, out = _update(project, capsys, "--kind", "script")
    assert code == 0, out
    assert (
        "region features  pipelines/churn/steps/features.py -> train.py: your edits carried" in out
    )
    train = (project / "train.py").read_text()
    assert edited in body(train, "features")
    submit = (project / "submit.py").read_text()
    assert '    "n-estimators": 250,\n' in submit and 'default="ml.c5.xlarge"' in submit
    assert not (project / "pipelines").exists()
    ast.parse(train)


def test_assess_check_on_a_script_project(
    new_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    project = new_project("--kind", "script", name="churn")
    capsys.readouterr()
    assert main(["assess", str(project), "--check"]) == 0
    out = capsys.readouterr().out
    assert (
        "churn is a script project; its answers now score 0 < 50: a script project still fits"
        in out
    )
    assert main(["assess", str(project), "--check", *PIPELINE_FLAGS]) == 3
    out = capsys.readouterr().out
    assert (
        "churn is a script project; its answers now score 55 ≥ 50: a pipeline is recommended "
        f"(sm-advisor update {project} --kind pipeline)"
    ) in out
    # without --check the verdict is printed but the exit code stays 0
    assert main(["assess", str(project), "--format", "json", *PIPELINE_FLAGS]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["project"]["kind"] == "script" and data["project"]["fits"] is False


def test_assess_check_on_a_pipeline_project(
    new_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    project = new_project("--kind", "pipeline", *PIPELINE_FLAGS, name="churn")
    capsys.readouterr()
    assert main(["assess", str(project), "--check"]) == 0
    assert "a pipeline project still fits" in capsys.readouterr().out
    low = ["--team-size", "1", "--teams", "1", "--release-frequency", "quarterly",
           "--data-size-gb", "1", "--processing-steps", "1", "--tuning", "none"]  # fmt: skip
    assert main(["assess", str(project), "--check", *low]) == 3
    out = capsys.readouterr().out
    assert "churn is a pipeline project; its answers now score" in out
    assert f"a single script is recommended (sm-advisor update {project} --kind script)" in out


def test_assess_check_needs_a_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", "--check"]) == 2
    assert main(["assess", str(tmp_path), "--check"]) == 2
    err = capsys.readouterr().err
    assert "--check needs DIR" in err and "Traceback" not in err
