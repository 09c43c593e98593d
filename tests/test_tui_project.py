"""``sm-advisor tui DIR``: the answers come from the project, its kind shows beside the
recommendation, and the last screen updates the project (with the dry run) instead of
generating a new one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from graduation import edit_script
from test_graduate import PIPELINE_FLAGS
from textual.pilot import Pilot
from textual.widgets import Static
from tui_pilot import drive, focused, send, settle, shown, until

from advisor.cli import main
from advisor.tui.app import make_app
from advisor.tui.screens.result import ResultScreen
from advisor.tui.screens.update import UpdateScreen
from generators.manifest import load


def test_tui_opens_a_project_and_graduates_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "churn"
    assert main(["new", str(project), "--kind", "script", *PIPELINE_FLAGS]) == 0
    edit_script(project, "sklearn")
    manifest = load(project)
    app = make_app(None, None, (project, manifest))
    assert all(app.answers[k] == v for k, v in manifest.answers.items())
    assert app.current.recommendation == "pipeline"

    async def scenario(pilot: Pilot[Any]) -> None:
        app.push_screen(ResultScreen())
        result = await shown(pilot, ResultScreen)
        headline = str(result.query_one("#headline", Static).render())
        assert "this project: a single script, which no longer fits" in headline
        await focused(pilot, "#generate")
        send(pilot, "g")
        screen = await shown(pilot, UpdateScreen)
        text = screen.query_one("#update-preview", Static)
        await until(pilot, lambda: "Dry run" in str(text.render()), "the update's dry run")
        await settle(pilot)
        preview = str(text.render())
        assert "a pipeline project" in preview
        assert "train.py -> pipelines/churn/steps/model.py: your edits carried" in preview
        assert not (project / "pipelines").exists()  # the preview wrote nothing
        await pilot.click("#update-button")
        await until(pilot, lambda: "Updated" in str(text.render()), "the update to be written")

    drive(app, scenario, size=(140, 50))
    assert load(project).project.kind == "pipeline"
    model = (project / "pipelines" / "churn" / "steps" / "model.py").read_text()
    assert 'max_features="sqrt"' in model
    assert not (project / "train.py").exists()
    assert app.generated == project
