"""The decision report: cost model, price table, content, formats and CLI contract (no browser)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from advisor.cli import main
from advisor.evidence.mapping import measure_answers
from advisor.evidence.model import Evidence, S3Summary, SageMakerSummary
from advisor.evidence.timeline import Timeline
from advisor.models import Answers
from advisor.report import make_report
from advisor.report.chart import bar_chart, nice_ceiling
from advisor.report.cost import PricesError, estimate, load_prices
from advisor.report.document import Meta
from advisor.scoring import score

ROOT = Path(__file__).resolve().parent.parent
BIG = {"data_size_gb": 500, "processing_steps": 3, "candidate_models": 3, "tuning": "automated"}
META = Meta("ADR 7: training workflow", "Proposed", None, "9.9.9")


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cost_model_matches_the_documented_arithmetic() -> None:
    script, pipeline = estimate(Answers(BIG), load_prices())
    # 500 GB → ml.m5.12xlarge at $2.765/h and 240 GB/h: one pass 2.083 h, training 3 passes.
    # Script: 3 candidates × 20 trials, each job repeats 3 stages of processing + training.
    assert script.total == pytest.approx(60 * (3 + 3) * (500 / 240) * 2.765)
    # Pipeline: 3 processing jobs, 60 training jobs, 3 evaluations of 0.1 h on ml.m5.large.
    expected = 3 * (500 / 240) * 2.765 + 60 * 3 * (500 / 240) * 2.765 + 3 * 0.1 * 0.115
    assert pipeline.total == pytest.approx(expected)
    assert pipeline.cached_rerun == pytest.approx(expected - 3 * (500 / 240) * 2.765)


def test_small_data_bills_the_minimum_and_the_script_is_cheaper() -> None:
    script, pipeline = estimate(Answers(), load_prices())
    assert [line.hours_per_job for line in pipeline.lines] == pytest.approx([0.1, 0.15, 0.1])
    assert script.total < pipeline.total


def test_price_override_layers_over_the_shipped_table(tmp_path: Path) -> None:
    prices = tmp_path / "eu.json"
    prices.write_text(
        json.dumps(
            {
                "source": "our negotiated rates",
                "as_of": "2026-01-31",
                "region": "eu-west-1",
                "usd_per_hour": {"ml.m5.12xlarge": 3.0},
                "assumptions": {"tuning_trials": 10},
            }
        )
    )
    loaded = load_prices(str(prices))
    assert (loaded.source, loaded.as_of, loaded.note) == ("our negotiated rates", "2026-01-31", "")
    assert loaded.usd_per_hour["ml.m5.12xlarge"] == 3.0 and loaded.price("ml.m5.large") == 0.115
    script, _ = estimate(Answers(BIG), loaded)
    assert script.lines[0].jobs == 30 and script.lines[0].usd_per_hour == 3.0


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"as_of": "2026-01-01"}', "missing source; say where the prices come from."),
        ("[1, 2]", "expected a JSON object like the shipped prices.json."),
        ("{not json", "not valid JSON at line 1, column 2"),
        (
            '{"source": "s", "as_of": "d", "usd_per_hour": {"ml.m5.xlarge": -1}}',
            "usd_per_hour.ml.m5.xlarge: input should be greater than 0; follow the shipped",
        ),
    ],
)
def test_bad_price_tables_are_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, expected: str
) -> None:
    prices = tmp_path / "prices.json"
    prices.write_text(content)
    code, out, err = run_cli(capsys, "report", "-o", "-", "--prices", str(prices))
    assert code == 2 and out == "" and err.count("\n") == 1
    assert expected in err


def test_a_missing_price_names_the_instance(tmp_path: Path) -> None:
    prices = tmp_path / "p.json"
    tiers = [{"up_to_gb": None, "instance": "ml.trn1.2xlarge", "gb_per_hour": 100}]
    prices.write_text(json.dumps({"source": "s", "as_of": "d", "assumptions": {"tiers": tiers}}))
    with pytest.raises(PricesError, match="no price for ml.trn1.2xlarge; add it under"):
        estimate(Answers(), load_prices(str(prices)))


def test_chart_geometry_is_proportional() -> None:
    chart = bar_chart("c", "t", [("a", 50, "50", "x"), ("b", 100, "100", "y")], 100, (50, "th"))
    assert chart.bars[1].width == pytest.approx(chart.plot_width)
    assert chart.bars[0].width == pytest.approx(chart.plot_width / 2)
    assert chart.marker is not None and chart.marker.x == pytest.approx(
        chart.x0 + chart.plot_width / 2
    )
    assert [nice_ceiling(x) for x in (0.07, 1, 2073.75, 0)] == [0.1, 1, 2500, 1]


def measured_evidence() -> Evidence:
    now = datetime(2026, 5, 1, tzinfo=UTC)
    t = Timeline(now)
    for day in range(40):
        t.add(now - timedelta(days=day, hours=1), 5_000_000_000)
    s3 = S3Summary.from_timeline("s3://ml-data/churn/", t)
    sm = SageMakerSummary("eu-west-1", 12, 2, 0, 0, 0, 0, 0, None, None)
    return Evidence(s3, sm, measure_answers(s3, sm, now))


def test_markdown_record_marks_measured_answers_and_is_deterministic() -> None:
    evidence = measured_evidence()
    answers = {**evidence.answers(), "team_size": 9}
    sources = dict.fromkeys(evidence.answers(), "measured") | {"team_size": "flag"}
    assessment = score(Answers(answers), sources)  # type: ignore[arg-type]
    first = make_report(assessment, META, "markdown", None, evidence)
    assert first == make_report(assessment, META, "markdown", None, evidence)
    assert first.startswith("# ADR 7: training workflow\n\n- Status: Proposed\n- Assessed with")
    assert "- Date:" not in first
    assert "| Data size (`data_size_gb`) | 200 GB<br>total size of 40 objects" in first
    assert (
        "- Hyperparameter tuning: automated search, automated search wants a tuning step"
        " *(measured)*" in first
    )
    assert "## 7. Evidence from the AWS account" in first
    name = {"script": "a single SageMaker training script", "pipeline": "a SageMaker Pipeline"}
    assert f"**Decision: use {name[assessment.recommendation]}.**" in first
    assert "as of 2024-06-01 (USD)" in first


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_html_record_is_self_contained_with_an_svg_chart() -> None:
    html = make_report(score(Answers(BIG), dict.fromkeys(BIG, "flag")), META, "html")  # type: ignore[arg-type]
    parser = Collector()
    parser.feed(html)
    tags = parser.tags
    assert not [t for t, _ in tags if t in ("script", "link", "img", "iframe")]
    assert not [a for _, a in tags if a.get("src") or a.get("href")]  # no assets, no links
    bars = [a for t, a in tags if t == "rect" and a.get("class") == "bar"]
    assert len(bars) == 5 + 2  # four criteria and the total, then two options
    assert ("svg", "score-chart") in [(t, a.get("id")) for t, a in tags]
    assert html.count('<span class="badge flag">flag</span>') == 4
    assert re.search(r"Decision: use a single SageMaker training script\.</p>", html)  # 35.2 < 50


def test_cli_writes_html_and_stdout_markdown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "decision.html"
    code, out, _ = run_cli(
        capsys, "report", "-o", str(target), "--team-size", "2", "--date", "2026-03-01"
    )
    assert code == 0
    expected = score(Answers({"team_size": 2}))
    assert out == (
        f"Wrote the decision record to {target}: {expected.recommendation} "
        f"(score {expected.score:.1f}, threshold 50).\n"
    )
    assert "<span>Date: 2026-03-01</span>" in target.read_text()
    code, out, _ = run_cli(capsys, "report", "-o", "-", "--status", "Accepted")
    assert code == 0 and out.startswith("# Train with a SageMaker Pipeline or a single script?")
    assert (
        "- Status: Accepted" in out
        and "**Decision: use a single SageMaker training script.**" in out
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["-o", "decision.pdf"], "cannot tell the report format from 'decision.pdf'"),
        (["-o", "/nonexistent-dir/d.md"], "/nonexistent-dir/d.md: cannot be written"),
        ([], "the following arguments are required: -o/--output"),
    ],
)
def test_report_usage_errors(
    capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    code, out, err = run_cli(capsys, "report", *args)
    assert code == 2 and out == "" and err.count("\n") == 1 and expected in err


def test_report_without_evidence_never_imports_boto3(tmp_path: Path) -> None:
    code = (
        "import sys; from advisor.cli import main; "
        f"main(['report', '-o', {str(tmp_path / 'd.html')!r}]); "
        "assert 'boto3' not in sys.modules and 'botocore' not in sys.modules"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
