"""The use cases (``advisor.usecases``) called directly, as the CLI and the TUI call them."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from advisor import usecases
from advisor.cli import main
from advisor.errors import AnswersError, TargetError
from advisor.models import Answers
from advisor.scoring import score
from generators.manifest import FILENAME, ManifestError

FLAGS = {"team_size": "6", "release_frequency": "weekly", "data_size_gb": "800"}


def test_assess_layers_the_file_under_the_flags(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"team_size": 2, "candidate_models": 5}))
    assessed = usecases.assess(usecases.Inputs(str(answers), {"team_size": "9"}))
    got = assessed.assessment.answers
    assert (got["team_size"], got["candidate_models"]) == (9, 5)
    assert assessed.sources["team_size"] == "flag"
    assert assessed.sources["candidate_models"] == "file"
    assert assessed.sources["data_size_gb"] == "default"
    assert assessed.evidence is None


def test_a_bad_flag_names_the_flag() -> None:
    with pytest.raises(AnswersError, match="--team-size: 'many' is not accepted"):
        usecases.assess(usecases.Inputs(None, {"team_size": "many"}))


def test_plan_check_generate_and_read_the_project_back(tmp_path: Path) -> None:
    assessed = usecases.assess(usecases.Inputs(None, FLAGS))
    target = tmp_path / "churn"
    options = usecases.ProjectOptions(target, kind="pipeline", with_=("ci",))
    planned = usecases.plan_project(assessed.assessment, options)
    assert planned.spec.name == "churn"  # defaults to the directory's name
    assert "ci" in planned.spec.extras
    assert planned.spec.answers == dict(assessed.assessment.answers)
    usecases.check_target(planned)
    assert not target.exists()  # checking writes nothing
    result = usecases.generate(planned)
    assert sorted(result.created) == sorted(planned.files)
    assert (target / FILENAME).read_bytes() == planned.files[FILENAME]

    # The project read back scores as its answers did (the slot for re-assessing a project).
    again = usecases.assess_project(target)
    assert again.assessment == score(Answers(assessed.assessment.answers), again.sources)
    assert again.assessment.recommendation == assessed.assessment.recommendation
    assert set(again.sources.values()) == {"file"}

    with pytest.raises(TargetError, match="not empty"):
        usecases.check_target(planned)


def test_the_cli_and_the_use_case_plan_the_same_files(tmp_path: Path) -> None:
    out = io.StringIO()
    with redirect_stdout(out):
        args = ["new", str(tmp_path / "p"), "--dry-run", "--format", "json", "--team-size", "6"]
        assert main(args) == 0
    shown = json.loads(out.getvalue())
    assessed = usecases.assess(usecases.Inputs(None, {"team_size": "6"}))
    planned = usecases.plan_project(assessed.assessment, usecases.ProjectOptions(tmp_path / "p"))
    assert shown == usecases.new_json(planned, None, str(tmp_path / "p"))


def test_assess_project_names_the_manifest_for_a_bad_stored_answer(tmp_path: Path) -> None:
    assessed = usecases.assess(usecases.Inputs())
    planned = usecases.plan_project(assessed.assessment, usecases.ProjectOptions(tmp_path / "p"))
    usecases.generate(planned)
    manifest = tmp_path / "p" / FILENAME
    manifest.write_text(manifest.read_text().replace("team_size: 1", "team_size: -4"))
    with pytest.raises(AnswersError, match=f"{manifest}: team_size: -4 is not accepted"):
        usecases.assess_project(tmp_path / "p")
    with pytest.raises(ManifestError, match="not found"):
        usecases.assess_project(tmp_path)


def test_update_project_with_nothing_changed_changes_nothing(tmp_path: Path) -> None:
    assessed = usecases.assess(usecases.Inputs())
    planned = usecases.plan_project(assessed.assessment, usecases.ProjectOptions(tmp_path / "p"))
    usecases.generate(planned)
    notes: list[str] = []
    updated = usecases.update_project(tmp_path / "p", usecases.UpdateOptions(), notes.append)
    assert updated.shown == [] and updated.conflicts == [] and notes == []
    data = usecases.update_json(updated)
    assert (data["clean"], data["changes"], data["kind"]) == (True, [], planned.spec.kind)
