"""The container table (``generators/containers.py``) against the SDKs, the templates and vermin.

- Every row resolves, with ``image_uris.retrieve`` of the SDK that uses it, to an image of the
  row's repository and tag in us-east-1 and eu-west-1 (v3 here; v2 in a venv with sagemaker
  2.257.7, marked slow).
- The rendered projects take their images from the table and nowhere else.
- The floor check: every generated ``.py`` that runs in a container, in every template variant,
  passes vermin at its container's Python version (defects 1 and 3 of issue 9 fail it).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from contracts import container_files, floor_violations
from generated import ROOT, requirements_venv

from advisor.models import Answers
from advisor.scoring import score
from advisor.usecases import decision
from generators.containers import CONTRACTS, Contract, images_for
from generators.context import build_spec
from generators.render import plan
from generators.spec import ProjectSpec

REGIONS = ("us-east-1", "eu-west-1")
V2_ONLY = {"sklearn-1.2-1", "xgboost-3.0-5"}
# Asks image_uris for each row; run with the SDK's own Python (v3 here, v2 in its venv).
RETRIEVE = """
import json, os, sys
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
try:
    from sagemaker.core import image_uris
except ImportError:
    from sagemaker import image_uris
out = []
for q in json.load(sys.stdin):
    cv = q.pop("container_version")
    extra = {"container_version": "v" + cv} if cv else {}
    scope = q.pop("scope")
    if scope != "processing":
        extra["image_scope"] = scope
    out.append(image_uris.retrieve(**q, **extra))
print(json.dumps(out))
"""


def queries(rows: list[Contract]) -> list[dict[str, Any]]:
    """One retrieve call per row, scope, region and processor."""
    found = []
    for row, region, scope in itertools.product(rows, REGIONS, ("training", "inference")):
        if scope not in row.scopes and not (scope == "training" and "processing" in row.scopes):
            continue
        scope = "processing" if row.framework == "spark" else scope
        for processor in row.processors:
            instance = "ml.g5.xlarge" if processor == "gpu" else "ml.m5.xlarge"
            found.append(
                {
                    **row.image,
                    "region": region,
                    "instance_type": instance,
                    "scope": scope,
                    "container_version": row.container_version,
                    "_row": row,
                    "_cpu": processor,
                }
            )
    return found


def retrieve(python: Path, asked: list[dict[str, Any]]) -> list[str]:
    """The URIs the SDK of ``python`` resolves for ``asked``."""
    payload = [{k: v for k, v in q.items() if not k.startswith("_")} for q in asked]
    env = {**os.environ, "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"}
    done = subprocess.run(
        [str(python), "-c", RETRIEVE],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    uris: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return uris


def assert_uris_match(asked: list[dict[str, Any]], uris: list[str]) -> None:
    for query, uri in zip(asked, uris, strict=True):
        row: Contract = query["_row"]
        tag = row.tag(query["_cpu"])
        expected = f".dkr.ecr.{query['region']}.amazonaws.com/{row.repository}:{tag}"
        assert uri.endswith(expected), f"{row.key}: {uri} is not …{expected}"


@pytest.mark.slow  # a subprocess that imports the v3 SDK: 5 s, a tenth of the fast loop's CPU
def test_v3_rows_match_the_v3_sdk() -> None:
    rows = [r for r in CONTRACTS if r.key not in V2_ONLY]
    asked = queries(rows)
    assert_uris_match(asked, retrieve(Path(sys.executable), asked))


@pytest.mark.slow
def test_v2_rows_match_the_v2_sdk() -> None:
    """The rows a ``--sdk v2`` project uses, resolved by sagemaker 2.257.7 (its own venv)."""
    v2_rows = {row.key: row for fw in ("sklearn", "xgboost", "pytorch") for row in _v2(fw)}
    asked = queries(list(v2_rows.values()))
    venv = requirements_venv("sagemaker==2.257.7\n")
    assert_uris_match(asked, retrieve(venv.python, asked))


def _v2(framework: str) -> tuple[Contract, ...]:
    return (
        images_for(spec_of("pipeline", framework, "v2", ("spark",))).all
        + images_for(spec_of("pipeline", framework, "v2", ())).all
    )


def test_every_row_names_its_sources_and_its_python() -> None:
    for row in CONTRACTS:
        assert row.sources, row.key
        for source in row.sources:
            assert source.repo.startswith("aws/"), row.key
            assert re.fullmatch(r"[0-9a-f]{40}", source.commit), (row.key, source.commit)
            assert source.path and source.facts, row.key
        if row.py_version.startswith("py3") and len(row.py_version) > 3:
            assert row.py_version == "py" + row.python.replace(".", ""), row.key
        assert not set(row.libraries) & set(row.unpinned), row.key
    assert len({row.key for row in CONTRACTS}) == len(CONTRACTS)


# Variants: kind x framework x SDK x extras (the script project has no SDK or extras choice).
EXTRA_SETS = [
    tuple(e for e in ("tuning", "spark", "ci", "team") if e in combo)
    for n in range(5)
    for combo in itertools.combinations(("tuning", "spark", "ci", "team"), n)
]
VARIANTS = [("script", fw, "v3", ()) for fw in ("sklearn", "xgboost", "pytorch")] + [
    ("pipeline", fw, sdk, extras)
    for fw in ("sklearn", "xgboost", "pytorch")
    for sdk in ("v3", "v2")
    for extras in EXTRA_SETS
]


def spec_of(kind: str, framework: str, sdk: str, extras: tuple[str, ...]) -> ProjectSpec:
    others = [e for e in ("tuning", "spark", "ci", "team") if e not in extras]
    return build_spec(
        decision(score(Answers())),
        name="contract-demo",
        kind=kind,
        framework=framework,
        sdk=sdk,
        with_=extras,
        without=[] if kind == "script" else others,
    )


def settings_of(files: dict[str, bytes]) -> dict[str, Any]:
    path = next(p for p in files if p.endswith("/settings.py"))
    namespace: dict[str, Any] = {}
    exec(compile(files[path], path, "exec"), namespace)  # plain data: no imports
    return namespace


@pytest.mark.parametrize(
    ("framework", "sdk"), itertools.product(("sklearn", "xgboost", "pytorch"), ("v3", "v2"))
)
def test_rendered_images_come_from_the_table(framework: str, sdk: str) -> None:
    for extras in ((), ("spark",)):
        spec = spec_of("pipeline", framework, sdk, extras)
        images = images_for(spec)
        settings = settings_of(plan(spec))
        assert settings["TRAINING_IMAGE"] == images.training.image
        assert settings["INFERENCE_IMAGE"] == images.inference.image
        if extras:
            assert settings["SPARK_VERSION"] == images.processing.version
            assert settings["SPARK_PY_VERSION"] == images.processing.py_version
            assert settings["SPARK_CONTAINER_VERSION"] == images.processing.container_version
        else:
            assert settings["PROCESSING_IMAGE"] == images.processing.image
    script = plan(spec_of("script", framework, "v3", ()))["submit.py"].decode()
    image = images_for(spec_of("script", framework, "v3", ())).training.image
    for key, value in image.items():
        assert f'"{key}": "{value}"' in script


def test_templates_hold_no_image_choices() -> None:
    """Versions of images live in generators/containers.py only."""
    # A quoted image field with a literal value, a py3x tag (ruff's target-version aside), a
    # version tag such as 1.9-0, or an ECR repository name.
    literal = re.compile(
        r"\"(py_version|version)\"\s*:\s*\"[^{]|(?<!target-version = )\"py3\d*\""
        r"|\b\d+\.\d+-\d\b|sagemaker-(scikit-learn|xgboost|spark)|pytorch-(training|inference)"
    )
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "templates").rglob("*.jinja"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if literal.search(line)
    ]
    assert offenders == []


def test_pytorch_trains_and_serves_one_version_and_python() -> None:
    """Defect 5: the pickled preprocessor crosses from the training to the serving image."""
    for sdk in ("v3", "v2"):
        images = images_for(spec_of("pipeline", "pytorch", sdk, ()))
        assert images.training.repository != images.inference.repository
        assert (images.training.version, images.training.python) == (
            images.inference.version,
            images.inference.python,
        )
    train = plan(spec_of("pipeline", "pytorch", "v3", ()))
    code = next(v for k, v in train.items() if k.endswith("steps/train.py")).decode()
    assert "scikit-learn=={sklearn.__version__}" in code and '"requirements.txt"' in code


def test_floor_check_catches_what_python_3_9_rejects(tmp_path: Path) -> None:
    """The check itself: unions outside postponed annotations and zip(strict=) fail at 3.9."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from pathlib import Path\n\n\ndef read(path: str | Path) -> None:\n"
        "    print(list(zip([1], [2], strict=True)))\n"
    )
    good = tmp_path / "good.py"
    good.write_text(
        "from __future__ import annotations\n\nfrom pathlib import Path\n\n\n"
        "def read(path: str | Path) -> Path | None:\n    return None\n"
    )
    runtime = tmp_path / "runtime.py"
    runtime.write_text(
        "from __future__ import annotations\n\n\ndef f(x: object) -> bool:\n"
        "    return isinstance(x, int | str)\n"
    )
    problems = floor_violations([bad, good, runtime], (3, 9))
    assert [p.split(": ")[0].rsplit("/", 1)[1] for p in problems] == [
        "bad.py:4",
        "bad.py:5",
        "runtime.py:5",
    ]
    assert floor_violations([good], (3, 9)) == []


def test_every_variant_passes_the_floor_check_of_its_containers(tmp_path: Path) -> None:
    """Every variant's container code at each of its images' Python (deduplicated by content)."""
    by_target: dict[tuple[int, int], dict[bytes, Path]] = {}
    owners: dict[Path, str] = {}
    for kind, framework, sdk, extras in VARIANTS:
        spec = spec_of(kind, framework, sdk, extras)
        label = f"{kind}-{framework}-{sdk}-{'-'.join(extras) or 'plain'}"
        root = tmp_path / label
        for rel, content in plan(spec).items():
            if rel.endswith(".py"):
                (root / rel).parent.mkdir(parents=True, exist_ok=True)
                (root / rel).write_bytes(content)
        for path, rows in container_files(root, images_for(spec)).items():
            for row in rows:
                unique = by_target.setdefault(row.python_minor, {})
                if path.read_bytes() not in unique:
                    unique[path.read_bytes()] = path
                    owners[path] = f"{label} on {row.key}"
    problems = []
    for python, files in sorted(by_target.items()):
        problems += floor_violations(sorted(files.values()), python)
    assert problems == [], "\n".join(problems)
    assert set(by_target) >= {(3, 9), (3, 10), (3, 12)}


def test_the_user_guide_lists_every_row() -> None:
    """docs/containers.md quotes the table: each row's key, Python and library pins."""
    guide = (ROOT / "docs" / "containers.md").read_text(encoding="utf-8")
    for row in CONTRACTS:
        line = next((x for x in guide.splitlines() if x.startswith(f"| `{row.key}` |")), "")
        assert line, f"docs/containers.md has no row for {row.key}"
        assert f"| {row.python} |" in line, row.key
        for name, version in row.libraries.items():
            assert f"{name} {version.rstrip('.*')}" in line, (row.key, name)


@pytest.mark.slow
def test_a_long_named_project_keeps_every_upload_under_its_prefix(tmp_path: Path) -> None:
    """Defect 5 where the S3 prefix (24 characters) is shorter than the pipeline name, which
    the SDK uses for its own code uploads; built by this venv's sagemaker 3.27.0, offline."""
    import pipeline_checks
    from generated import generate

    name = "customer-churn-weekly-retraining"
    project = generate(
        tmp_path / name,
        "--name",
        name,
        "--kind",
        "pipeline",
        "--framework",
        "pytorch",
        "--with",
        "tuning,spark,ci,team",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SAGEMAKER_"))}
    done = subprocess.run(
        [sys.executable, "-m", "pipelines", "definition"],
        cwd=project,
        env={**env, "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    definition = json.loads(done.stdout)
    assert pipeline_checks.outside_project_prefix(definition) == []
    assert len(set(pipeline_checks.s3_locations(definition))) >= 8
