"""Values the templates place, decided in Python (generators/template_values.py), and the one
spelling of switched file names (generators/render.py)."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import pytest

from generators.errors import GeneratorError
from generators.render import context_for, environment, plan, templates_root
from generators.spec import EXTRAS, FRAMEWORKS, SDKS, ProjectSpec
from generators.template_values import (
    SWITCHES,
    framework_names,
    pipeline_readme,
    switches,
)

ROOT = templates_root()
README_TEMPLATES = (
    "pipeline/README.md.jinja",
    "_partials/pipeline_readme/paragraphs.jinja",
    "_partials/pipeline_readme/words.jinja",
    "_partials/pipeline_v2/readme.md.jinja",
)


def make_spec(**changes: Any) -> ProjectSpec:
    values: dict[str, Any] = {
        "name": "churn",
        "slug": "churn",
        "package": "churn",
        "kind": "pipeline",
        "framework": "sklearn",
        "recommendation": "pipeline",
        "score": 70.0,
        "answers": {},
        "generator_version": "0.0.0",
    }
    return ProjectSpec(**(values | changes))


def all_pipeline_specs() -> list[ProjectSpec]:
    subsets = [c for r in range(len(EXTRAS) + 1) for c in itertools.combinations(EXTRAS, r)]
    return [
        make_spec(framework=fw, sdk=sdk, extras=extras, recommendation=rec)
        for fw in FRAMEWORKS
        for sdk in SDKS
        for extras in subsets
        for rec in ("script", "pipeline")
    ]


def test_framework_names() -> None:
    assert framework_names("sklearn").a_title == "A scikit-learn"
    assert framework_names("xgboost").a_title == "An XGBoost"
    assert framework_names("pytorch").estimator == "PyTorch"
    assert framework_names("sklearn").estimator == "SKLearn"


def test_switches_are_the_extras_and_the_sdk() -> None:
    spec = make_spec(extras=("spark", "ci"), sdk="v2")
    assert switches(spec) == {"spark", "ci", "sdk-v2"}
    assert switches(spec) <= set(SWITCHES)


def test_readme_parts_follow_the_spec() -> None:
    plain = pipeline_readme(make_spec())
    assert plain.parts["why"] == ("why_pipeline",)
    assert plain.parts["sections"] == () and plain.parts["train_row"] == ("train_row",)
    assert plain.diagram_head == "PreprocessData ─▶ TrainModel ─▶ EvaluateModel "
    full = pipeline_readme(
        make_spec(extras=EXTRAS, sdk="v2", framework="pytorch", recommendation="script")
    )
    assert full.parts["why"] == ("why_script", "extras")
    assert full.parts["sections"] == (
        "tuning_section",
        "spark_section",
        "together",
        "team_link",
        "ci_link",
    )
    assert full.parts["tuning_limit"] == ("tuning_limit_v2",)
    assert full.parts["sdk_v2_differences"] == ("v2_tuning_config",)
    assert len(full.diagram_pad) == len(full.diagram_head) and not full.diagram_pad.strip()


def _macros(template: str, spec: ProjectSpec) -> set[str]:
    env = environment(ROOT, spec.generator_version)
    module = env.get_template(template).make_module(context_for(spec))
    return {n for n in dir(module) if not n.startswith("_") and callable(getattr(module, n))}


def test_every_key_names_a_macro_and_every_macro_is_used() -> None:
    """A typo in a key fails here, and so does prose that no project can reach."""
    spec = make_spec()
    paragraphs = _macros("_partials/pipeline_readme/paragraphs.jinja", spec)
    words = _macros("_partials/pipeline_readme/words.jinja", spec)
    used = {
        key
        for s in all_pipeline_specs()
        for keys in pipeline_readme(s).parts.values()
        for key in keys
    }
    assert used <= paragraphs | words, used - paragraphs - words
    assert paragraphs | words <= used, (paragraphs | words) - used


def test_the_readme_templates_hold_no_decisions() -> None:
    for name in README_TEMPLATES:
        text = (ROOT / name).read_text()
        assert not re.search(r"\{%-?\s*(if|elif|else)\b| if .* else ", text), name


def test_no_template_repeats_a_framework_map() -> None:
    for path in ROOT.rglob("*.jinja"):
        assert '{"sklearn":' not in path.read_text(), path


def test_template_file_names_use_one_spelling() -> None:
    for path in ROOT.rglob("*"):
        rel = path.relative_to(ROOT).as_posix()
        assert "{%" not in rel and " if " not in rel, rel
        for _negated, name in re.findall(r"\[(!?)([^\]]*)\]", rel):
            assert name in SWITCHES, rel


def build(root: Path, names: list[str]) -> Path:
    (root / "common").mkdir(parents=True)
    for name in names:
        path = root / "pipeline" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{{ spec.name }}\n" if name.endswith(".jinja") else "plain\n")
    return root


def test_switched_names_in_plan(tmp_path: Path) -> None:
    root = build(
        tmp_path / "t",
        [
            "[ci].github/workflows/ci.yml.jinja",
            "[!spark]preprocess.py.jinja",
            "[spark]preprocess_spark.py.jinja",
            "[sdk-v2]lambda.py",
            "{{ spec.package }}/[team]owners.txt",
            "always.txt",
        ],
    )
    files = plan(make_spec(extras=("spark", "team")), root)
    assert set(files) - {".sm-advisor.yaml", ".sm-advisor/base.json"} == {
        "preprocess_spark.py",
        "churn/owners.txt",
        "always.txt",
    }
    files = plan(make_spec(extras=("ci",), sdk="v2"), root)
    assert files[".github/workflows/ci.yml"] == b"churn\n" and files["lambda.py"] == b"plain\n"
    assert "preprocess.py" in files and "churn/owners.txt" not in files


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("[cli]x.txt", "unknown switch [cli]"),
        ("{% if spec.has('ci') %}x{% endif %}.txt", "[name] prefix"),
        ('{{ "" }}.jinja', "renders empty"),
    ],
)
def test_bad_switched_names_name_the_file(tmp_path: Path, name: str, message: str) -> None:
    root = build(tmp_path / "t", [name])
    with pytest.raises(GeneratorError, match=re.escape(message)) as err:
        plan(make_spec(), root)
    assert name in str(err.value)
