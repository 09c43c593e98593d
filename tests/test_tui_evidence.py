"""The TUI's "Measure from AWS" modal (ctrl+g) against a real moto server on 127.0.0.1.

The pilot opens the modal, types the URI, submits, and waits until the modal closes with the
evidence or shows why not. Expected values come from the CLI's own path (``gather``,
``collect``, ``score``) run by the test itself.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto_fixture import reset, use_aws_env
from textual.pilot import Pilot
from textual.widgets import Input, Label
from tui_pilot import drive, focused, send, shown, type_text, until

from advisor.collect import collect
from advisor.errors import EvidenceError
from advisor.evidence import gather
from advisor.models import Answers
from advisor.scoring import score
from advisor.tui.app import AdvisorApp, make_app
from advisor.tui.screens.evidence import EvidenceScreen
from advisor.tui.screens.questionnaire import QuestionnaireScreen
from advisor.tui.widgets.question import MEASURED, QuestionField
from advisor.tui.widgets.score_panel import ScorePanel

ROOT = Path(__file__).resolve().parent.parent
SIZES = (1_500_000, 2_000_000, 250_000)  # 3.75 MB in total


@pytest.fixture
def aws(moto_server: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """An empty account on the shared moto server, with this process pointed at it."""
    reset(moto_server)
    use_aws_env(monkeypatch, moto_server)
    return moto_server


async def measure(pilot: Pilot[Any], uri: str) -> EvidenceScreen:
    """Open the questions, press ctrl+g, type the URI, submit, and wait for the outcome.

    The modal closes with the evidence, or stays open and shows why it could not measure.
    """
    await focused(pilot, "#start")
    send(pilot, "enter")
    await shown(pilot, QuestionnaireScreen)
    await focused(pilot, "#q-data_size_gb")
    send(pilot, "ctrl+g")
    modal = await shown(pilot, EvidenceScreen)
    await focused(pilot, "#evidence-uri")
    await type_text(pilot, uri)
    send(pilot, "enter")
    status = modal.query_one("#evidence-status")
    await until(
        pilot,
        lambda: pilot.app.screen is not modal or status.has_class("error-text"),
        f"the measurement of {uri}",
    )
    return modal


def test_measured_answers_fill_the_form(aws: str) -> None:
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="tui-data")
    for i, size in enumerate(SIZES):
        s3.put_object(Bucket="tui-data", Key=f"train/part-{i}.csv", Body=b"x" * size)
    s3.put_object(Bucket="tui-data", Key="other/big.bin", Body=b"x" * 5_000_000)
    uri = "s3://tui-data/train/"
    expected = gather(uri)  # what `assess --evidence` measures
    answers, sources = collect([("measured", expected.answers())])
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        await measure(pilot, uri)
        screen = await shown(pilot, QuestionnaireScreen)
        field = screen.query_one("#field-data_size_gb", QuestionField)
        panel = screen.query_one(ScorePanel)
        await until(pilot, lambda: field.query_one(Input).value == "0.00375", "the measured size")
        await until(pilot, lambda: panel.assessment == score(answers, sources), "the new score")
        assert str(field.query_one(".prompt", Label).content).endswith(MEASURED)

    drive(app, scenario)
    assert app.answers["data_size_gb"] == sum(SIZES) / 1e9 == 0.00375
    assert app.answers == answers
    assert app.sources["data_size_gb"] == "measured"
    assert {q for q, s in app.sources.items() if s == "measured"} == set(expected.answers())
    assert app.current == score(answers, sources)
    assert app.current.sources["data_size_gb"] == "measured"


def test_editing_a_measured_answer_overrides_it(aws: str) -> None:
    boto3.client("s3").create_bucket(Bucket="tui-edit")
    boto3.client("s3").put_object(Bucket="tui-edit", Key="d/a.csv", Body=b"x" * 2_000_000)
    app = AdvisorApp()

    async def scenario(pilot: Pilot[Any]) -> None:
        await measure(pilot, "s3://tui-edit/d/")
        screen = await shown(pilot, QuestionnaireScreen)
        field = screen.query_one("#field-data_size_gb", QuestionField)
        prompt = field.query_one(".prompt", Label)
        await until(pilot, lambda: str(prompt.content).endswith(MEASURED), "the measured mark")
        assert app.sources["data_size_gb"] == "measured"
        field.query_one(Input).value = "42"
        await until(pilot, lambda: app.answers["data_size_gb"] == 42, "the answer 42")
        assert not str(prompt.content).endswith(MEASURED)

    drive(app, scenario)
    assert app.answers["data_size_gb"] == 42
    assert app.sources["data_size_gb"] == "tui"


def test_a_missing_bucket_shows_one_line_and_changes_nothing(aws: str) -> None:
    uri = "s3://no-such-tui-bucket/data/"
    with pytest.raises(EvidenceError) as cli_error:
        gather(uri)
    app = AdvisorApp()
    status: list[str] = []

    async def scenario(pilot: Pilot[Any]) -> None:
        modal = await measure(pilot, uri)
        assert pilot.app.screen is modal  # stays open so the URI can be fixed
        status.append(modal.status)

    drive(app, scenario)
    assert status == [str(cli_error.value)]
    assert "does not exist" in status[0] and "\n" not in status[0]
    assert app.answers == Answers()
    assert "measured" not in app.sources.values()


def test_evidence_given_at_start_is_measured_above_the_answers_file(
    aws: str, tmp_path: Path
) -> None:
    boto3.client("s3").create_bucket(Bucket="tui-start")
    boto3.client("s3").put_object(Bucket="tui-start", Key="d/a.csv", Body=b"x" * 123_456)
    answers_path = tmp_path / "answers.yaml"
    answers_path.write_text("data_size_gb: 500\nteam_size: 7\n")
    app = make_app(str(answers_path), gather("s3://tui-start/d/"))
    marked: list[str] = []

    async def scenario(pilot: Pilot[Any]) -> None:
        await focused(pilot, "#start")
        send(pilot, "enter")
        screen = await shown(pilot, QuestionnaireScreen)
        await focused(pilot, "#q-data_size_gb")
        for field in screen.query(QuestionField):
            if str(field.query_one(".prompt", Label).content).endswith(MEASURED):
                marked.append(field.question.id)

    drive(app, scenario)
    assert app.answers["data_size_gb"] == 0.0001235  # 123,456 bytes, four significant figures
    assert app.answers["team_size"] == 7
    assert (app.sources["data_size_gb"], app.sources["team_size"]) == ("measured", "file")
    assert "data_size_gb" in marked and "team_size" not in marked
    assert not app.dirty


def test_opening_the_tui_does_not_import_boto3() -> None:
    code = (
        "import sys, advisor.tui.app, advisor.tui.screens.evidence, advisor.commands.tui; "
        "print(sorted(m for m in ('boto3', 'botocore') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
