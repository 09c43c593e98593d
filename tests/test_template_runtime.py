"""The compiled templates (generators/template_bundle.py) and their Jinja-free runtime
(generators/template_runtime.py): the same bytes as Jinja for every project, never stale code,
and Jinja whenever the runtime cannot do something."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest
from test_template_values import all_pipeline_specs, make_spec

import advisor
from generators import render, template_bundle
from generators.digests import sha256_hex
from generators.errors import NeedsJinja
from generators.imports_sort import import_block
from generators.render import _CompiledRenderer, _JinjaRenderer, _plan, plan, templates_root
from generators.spec import FRAMEWORKS, SDKS
from generators.template_runtime import PATH_KEY, Environment, StrictUndefined, Undefined

ROOT = templates_root()
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty user cache, so that the first plan() builds the bundle."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("SM_ADVISOR_NO_CACHE", raising=False)
    render.environment.cache_clear()
    yield tmp_path / "cache"
    render.environment.cache_clear()


def _all_codes() -> dict[str, tuple[bytes, bytes]]:
    names = [p.relative_to(ROOT).as_posix() for p in sorted(ROOT.rglob("*.jinja"))]
    env = render.jinja_environment(ROOT)
    env.filters["import_block"] = import_block
    return template_bundle.build(env, ROOT, names, ["{{ spec.package }}"])


def _every_spec() -> list[Any]:
    version = advisor.__version__
    specs = [s._replace(generator_version=version) for s in all_pipeline_specs()]
    specs += [
        make_spec(kind="script", framework=fw, sdk=sdk, generator_version=version)
        for fw in FRAMEWORKS
        for sdk in SDKS
    ]
    return specs


def _assert_same_bytes(specs: list[Any]) -> None:
    codes = _all_codes()
    compiled = _CompiledRenderer(Environment(ROOT, codes, {"import_block": import_block}))
    jinja = _JinjaRenderer(render.jinja_environment(ROOT))
    jinja.env.filters["import_block"] = import_block
    for spec in specs:
        # _plan with the compiled renderer raises where it cannot render: no fallback here.
        assert _plan(spec, ROOT, compiled) == _plan(spec, ROOT, jinja), spec


def test_each_framework_sdk_and_kind_renders_to_the_same_bytes_as_with_jinja() -> None:
    """The fast loop's share: every framework and SDK, with no extras and with all of them."""
    specs = [s for s in _every_spec() if len(s.extras) in (0, 4) and s.recommendation == "pipeline"]
    assert len(specs) == 2 * len(FRAMEWORKS) * len(SDKS) + len(FRAMEWORKS) * len(SDKS)
    _assert_same_bytes(specs)


@pytest.mark.slow
def test_every_project_renders_to_the_same_bytes_as_with_jinja() -> None:
    specs = _every_spec()
    assert len(specs) > 150
    _assert_same_bytes(specs)


def test_every_installed_template_compiles_for_the_runtime() -> None:
    codes = _all_codes()
    names = {p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*.jinja")}
    assert names <= set(codes), sorted(names - set(codes))
    assert PATH_KEY + "{{ spec.package }}" in codes


# Every construct the runtime implements, against Jinja itself, beyond what today's templates use.
SNIPPETS = {
    "lib.jinja": (
        "{% macro greet(name, greeting='hello') -%}{{ greeting }}, {{ name }}{%- endmacro %}\n"
        "{% macro wrap(tag) -%}<{{ tag }}>{{ caller() }}</{{ tag }}>{%- endmacro %}\n"
        "{% macro many(first) -%}{{ first }}:{{ varargs | join('+') }}{%- endmacro %}\n"
        "{% macro opts() -%}{{ kwargs | length }}{%- endmacro %}\n"
        "{% set CONST = ['b', 'A', 'a', 'c'] %}\n"
    ),
    "part.jinja": "included {{ value }}\n",
    "main.jinja": (
        "{% import 'lib.jinja' as lib %}{% from 'lib.jinja' import greet %}\n"
        "{{ greet('x') }} {{ greet('y', greeting='hi') }} {{ lib.greet(name='z') }}\n"
        "{% call lib.wrap('b') %}inside {{ value }}{% endcall %}\n"
        "{{ lib.many(1, 2, 3) }} {{ lib.opts(a=1, b=2) }}\n"
        "{% for item in lib.CONST | sort %}{{ loop.index }}/{{ loop.length }}={{ item }}"
        "{{ ',' if not loop.last }}{% if loop.first %}(first){% endif %}{% endfor %}\n"
        "{{ lib.CONST | unique | list | join(' ') }} {{ '%-5s|' | format('ab') }}\n"
        "{% set ns = namespace(count=0) %}{% for _ in range(3) %}{% set ns.count = ns.count + 1 %}"
        "{% endfor %}{{ ns.count }} {{ true is boolean }} {{ 1 is boolean }}\n"
        "{{ text | wordwrap(12, break_long_words=False, wrapstring='\\n# ') }}\n"
        "{% include 'part.jinja' %}{{ data.key }} {{ data['key'] }} {{ 'y' if value else 'n' }}\n"
        "{%- set block %}captured {{ value }}{% endset %}\n{{ block }}\n"
    ),
}


@pytest.fixture
def snippet_root(tmp_path: Path) -> Path:
    for name, text in SNIPPETS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_runtime_matches_jinja_on_macros_loops_imports_filters(snippet_root: Path) -> None:
    context = {
        "value": 7,
        "data": {"key": "k"},
        "text": "one two three four five six seven eight nine",
    }
    env = render.jinja_environment(snippet_root)
    expected = env.get_template("main.jinja").render(context)
    codes = template_bundle.build(env, snippet_root, list(SNIPPETS), [])
    runtime = Environment(snippet_root, codes, {})
    assert runtime.get_template("main.jinja").render(context) == expected
    assert "(first)" in expected and "4/4=c" in expected and "<b>inside 7</b>" in expected


def test_a_template_changed_since_compiling_is_never_rendered_from_its_code(
    snippet_root: Path,
) -> None:
    env = render.jinja_environment(snippet_root)
    codes = template_bundle.build(env, snippet_root, ["part.jinja"], [])
    runtime = Environment(snippet_root, codes, {})
    assert runtime.get_template("part.jinja").render({"value": 1}) == "included 1\n"
    (snippet_root / "part.jinja").write_text("edited {{ value }}\n", encoding="utf-8")
    with pytest.raises(NeedsJinja, match="changed since it was compiled"):
        Environment(snippet_root, codes, {}).get_template("part.jinja")
    with pytest.raises(NeedsJinja, match="was not compiled"):
        runtime.get_template("main.jinja")


@pytest.mark.parametrize(
    "source",
    [
        "{{ missing_name }}",  # StrictUndefined: an error in Jinja too
        "{{ items | join(', ', attribute='name') }}",  # a filter form the runtime leaves to Jinja
        "{{ items | map('upper') | list }}",  # a filter it does not have
        "{% for x in items recursive %}{{ loop(x) }}{% endfor %}",
        "{% block b %}{% endblock %}",
    ],
)
def test_what_the_runtime_cannot_do_raises_needs_jinja(snippet_root: Path, source: str) -> None:
    (snippet_root / "t.jinja").write_text(source, encoding="utf-8")
    env = render.jinja_environment(snippet_root)
    codes = template_bundle.build(env, snippet_root, ["t.jinja"], [])
    with pytest.raises(NeedsJinja):
        Environment(snippet_root, codes, {}).get_template("t.jinja").render({"items": []})


def test_undefined_values_behave_as_jinjas() -> None:
    assert str(Undefined()) == "" and not Undefined() and list(Undefined()) == []
    for use in (str, bool, list, len, lambda u: u + 1, lambda u: u.attribute):
        with pytest.raises(NeedsJinja):
            use(StrictUndefined(name="x"))


def test_the_first_new_builds_the_bundle_and_the_next_imports_no_jinja(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("SM_ADVISOR_NO_CACHE", None)
    probe = (
        "import sys\nfrom advisor.cli import main\n"
        "rc = main(['new', sys.argv[1], '--kind', 'pipeline', '--name', 'demo', '--with', 'ci'])\n"
        "print(rc, 'jinja2' in sys.modules)\n"
    )
    first = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "a")],
        env=env, capture_output=True, text=True, check=True, cwd=REPO,
    )  # fmt: skip
    assert first.stdout.splitlines()[-1] == "0 True"
    bundle = template_bundle.bundle_path(advisor.__version__)
    assert bundle is not None
    assert list((tmp_path / "cache").rglob(bundle.name))
    second = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "b")],
        env=env, capture_output=True, text=True, check=True, cwd=REPO,
    )  # fmt: skip
    assert second.stdout.splitlines()[-1] == "0 False"
    a, b = (_files(tmp_path / name) for name in "ab")
    assert a == b and len(a) > 20


def _files(root: Path) -> dict[Path, bytes]:
    return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_a_stale_or_corrupt_bundle_gives_jinjas_output_and_is_rebuilt(cache: Path) -> None:
    spec = make_spec(generator_version=advisor.__version__, extras=("ci",))
    reference = _plan(spec, ROOT, _JinjaRenderer(render.environment(ROOT, spec.generator_version)))
    path = template_bundle.bundle_path(spec.generator_version)
    assert path is not None

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a bundle")
    assert template_bundle.load(spec.generator_version, render._BUNDLE_KEY) is None
    assert plan(spec) == reference
    codes = template_bundle.load(spec.generator_version, render._BUNDLE_KEY)
    assert codes is not None and "pipeline/README.md.jinja" in codes

    # A bundle compiled from an older README: its code must not render today's README.
    source, code = codes["pipeline/README.md.jinja"]
    old = dict(codes) | {"pipeline/README.md.jinja": (source + b"\nold line\n", code)}
    template_bundle.save(spec.generator_version, render._BUNDLE_KEY, old)
    assert plan(spec) == reference
    refreshed = template_bundle.load(spec.generator_version, render._BUNDLE_KEY)
    assert refreshed is not None and refreshed["pipeline/README.md.jinja"][0] == source


def test_a_bundle_path_that_is_not_a_regular_small_file_is_ignored(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = make_spec(generator_version=advisor.__version__)
    path = template_bundle.bundle_path(spec.generator_version)
    assert path is not None
    path.parent.mkdir(parents=True)
    os.mkfifo(path)  # opened as a plain file, this would block the command
    assert template_bundle.load(spec.generator_version, render._BUNDLE_KEY) is None
    path.unlink()
    plan(spec)
    assert template_bundle.load(spec.generator_version, render._BUNDLE_KEY) is not None
    monkeypatch.setattr(template_bundle, "MAX_BYTES", 1000)
    assert template_bundle.load(spec.generator_version, render._BUNDLE_KEY) is None


def test_a_bundle_compiled_with_other_settings_is_not_used(cache: Path) -> None:
    spec = make_spec(generator_version=advisor.__version__)
    plan(spec)
    assert template_bundle.load(spec.generator_version, render._BUNDLE_KEY) is not None
    assert template_bundle.load(spec.generator_version, "other settings") is None


def test_a_template_that_does_not_compile_never_fails_a_generation(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = make_spec(generator_version=advisor.__version__)

    def broken(*args: Any) -> Any:
        raise jinja2.TemplateSyntaxError("unexpected end of template", 1)

    monkeypatch.setattr(template_bundle, "build", broken)
    assert len(plan(spec)) > 20
    assert template_bundle.load(spec.generator_version, render._BUNDLE_KEY) is None


def test_a_runtime_failure_falls_back_to_jinja(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = make_spec(generator_version=advisor.__version__)
    reference = plan(spec)  # builds the bundle
    calls: list[str] = []

    def failing(self: Any, name: Any, parent: Any = None) -> Any:
        calls.append(name)
        raise NeedsJinja("simulated")

    monkeypatch.setattr(Environment, "get_template", failing)
    assert plan(spec) == reference
    assert calls, "the compiled path was not tried"


def test_a_template_error_still_reads_as_jinjas(cache: Path, tmp_path: Path) -> None:
    bad = tmp_path / "templates"
    (bad / "common").mkdir(parents=True)
    (bad / "pipeline").mkdir()
    (bad / "common" / "x.txt.jinja").write_text("{{ spec.nothing_here }}", encoding="utf-8")
    from generators.errors import GeneratorError

    with pytest.raises(GeneratorError, match=r"x\.txt\.jinja.*nothing_here"):
        plan(make_spec(generator_version=advisor.__version__), root=bad)
    assert isinstance(jinja2.StrictUndefined, type)


def test_builtin_sha256_is_hashlibs() -> None:
    for data in (b"", b"abc", bytes(range(256)) * 100):
        assert sha256_hex(data) == hashlib.sha256(data).hexdigest()
