"""Render the template trees for a spec into an in-memory plan: ``{relative path: bytes}``.

Rules (one Jinja environment for everything):
- the trees rendered for a project are ``templates/common/`` then ``templates/<kind>/``
  (a later tree's file replaces an earlier one's at the same path);
- only ``*.jinja`` files are rendered (the suffix is dropped); other files are copied as bytes;
- path components may be templated (``pipelines/{{ spec.package }}/pipeline.py.jinja``);
- a component may start with a switch, ``[ci].github``, ``[!spark]preprocess.py.jinja``,
  ``[sdk-v2]_deploy_lambda.py.jinja``: the file exists only when the switch is on (``!``: off).
  ``generators.template_values.switches`` decides which are on; this is the only way a file is
  switched (a ``{% ... %}`` tag in a file name is refused);
- ``templates/_partials/`` holds macros and includes shared by the trees and is never written.
- every plan also holds ``.sm-advisor.yaml`` (the manifest) and ``.sm-advisor/base.json`` (a
  snapshot of the plan: the merge base of ``sm-advisor update``).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any, Protocol

from generators import manifest
from generators.containers import images_for
from generators.errors import GeneratorError
from generators.imports_sort import import_block
from generators.merge import SNAPSHOT, snapshot
from generators.spec import ProjectSpec
from generators.template_values import SWITCHES, framework_names, pipeline_readme, switches

SUFFIX = ".jinja"
SKIP_NAMES = {"__pycache__", ".DS_Store"}


def templates_root() -> Path:
    """Locate the templates: ``generators/_templates`` in a wheel, ``templates/`` in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_templates", here.parent / "templates"):
        if (candidate / "common").is_dir():
            return candidate
    raise GeneratorError("the project templates are missing from this installation; reinstall.")


@functools.cache
def environment(root: Path, version: str) -> Any:
    """Return the generator's Jinja environment; ``version`` (the generator's) keys its cache."""
    from generators.jinja_cache import bytecode_cache

    env = jinja_environment(root, bytecode_cache=bytecode_cache(version))
    env.filters["import_block"] = import_block
    return env


def jinja_environment(root: Path, *, autoescape: bool = False, bytecode_cache: Any = None) -> Any:
    """Return a Jinja environment with the house settings, for every template sm-advisor renders.

    StrictUndefined (a missing value is an error, never an empty string), trailing newlines
    kept, block tags trimmed; autoescaping only where asked (the report's HTML).
    """
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root)),
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,
        bytecode_cache=bytecode_cache,
        **HOUSE_SETTINGS,
    )
    return env


# The settings that shape Jinja's compiled code. They key the compiled-template bundle too, so
# that a change here (which leaves every template's text alone) cannot leave stale code in use.
HOUSE_SETTINGS: dict[str, Any] = {
    "keep_trailing_newline": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
}
_BUNDLE_KEY = repr(sorted(HOUSE_SETTINGS.items()))


def context_for(spec: ProjectSpec) -> dict[str, Any]:
    """Return the Jinja context: the spec and the values computed for it in Python."""
    return {
        "spec": spec,
        "answers": spec.answers,
        # Images come from the container table only (generators.containers), never templates.
        "images": images_for(spec),
        "framework": framework_names(spec.framework),
        "readme": pipeline_readme(spec),
    }


def sources(root: Path, kind: str) -> dict[str, Path]:
    """Return the template files for a kind, keyed by their (unrendered) relative path."""
    found: dict[str, Path] = {}
    for tree in ("common", kind):
        base = root / tree
        for path in sorted(base.rglob("*")):
            if path.is_file() and not SKIP_NAMES.intersection(path.parts):
                found[path.relative_to(base).as_posix()] = path
    return found


def plan(spec: ProjectSpec, root: Path | None = None) -> dict[str, bytes]:
    """Render every file of the project in memory; nothing is written.

    The installed templates render from the compiled bundle when there is a current one
    (``generators.template_bundle``: no Jinja import, the bulk of ``new``'s start-up); anything
    that path cannot do renders with Jinja, which is the reference, and then refreshes the bundle.
    """
    version = spec.generator_version
    if root is None:
        root = templates_root()
        compiled = _compiled_renderer(root, version)
        if compiled is not None:
            try:
                return _plan(spec, root, compiled)
            except Exception:  # noqa: BLE001 - Jinja renders it again: its answer is the one
                pass
        files = _plan(spec, root, _JinjaRenderer(environment(root, version)))
        _refresh_bundle(root, version)
        return files
    return _plan(spec, root, _JinjaRenderer(environment(root, version)))


class _Renderer(Protocol):
    def file(self, template_name: str, context: dict[str, Any]) -> str: ...

    def names(self, sources: list[str], context: dict[str, Any]) -> list[str]: ...


def _plan(spec: ProjectSpec, root: Path, renderer: _Renderer) -> dict[str, bytes]:
    context = context_for(spec)
    files: dict[str, bytes] = {}
    found = sources(root, spec.kind)
    targets = render_paths(renderer, list(found), context, switches(spec))
    for rel, path in found.items():
        target = targets[rel]
        if target is None:
            continue
        if rel.endswith(SUFFIX):
            template_name = path.relative_to(root).as_posix()
            files[target] = renderer.file(template_name, context).encode("utf-8")
        else:
            files[target] = path.read_bytes()
    files[manifest.FILENAME] = manifest.dump(spec)
    # The merge base of 'sm-advisor update': old templates are gone by then (generators.merge).
    files[SNAPSHOT] = snapshot(files)
    return dict(sorted(files.items()))


class _JinjaRenderer:
    """Render with Jinja (through its bytecode cache): the reference, for every template."""

    def __init__(self, env: Any) -> None:
        self.env = env

    def file(self, template_name: str, context: dict[str, Any]) -> str:
        return render_file(self.env, template_name, context)

    def names(self, sources: list[str], context: dict[str, Any]) -> list[str]:
        """Render all templated path components as one template: one compile, not one each."""
        import jinja2

        try:
            text: str = _from_source(self.env, _SEP.join(sources)).render(context)
        except jinja2.TemplateError as err:
            raise GeneratorError(f"templated file names: {err}") from err
        return text.split(_SEP)


class _CompiledRenderer:
    """Render from the compiled bundle; raises (for Jinja to take over) where it cannot."""

    def __init__(self, env: Any) -> None:
        self.env = env

    def file(self, template_name: str, context: dict[str, Any]) -> str:
        text: str = self.env.get_template(template_name).render(context)
        return text

    def names(self, sources: list[str], context: dict[str, Any]) -> list[str]:
        """Render each distinct component from its own compiled code."""
        texts = {source: self.env.from_source(source).render(context) for source in set(sources)}
        return [texts[source] for source in sources]


def _compiled_renderer(root: Path, version: str) -> _CompiledRenderer | None:
    from generators import template_bundle

    codes = template_bundle.load(version, _BUNDLE_KEY)
    if codes is None:
        return None
    from generators.template_runtime import Environment

    return _CompiledRenderer(Environment(root, codes, {"import_block": import_block}))


def _refresh_bundle(root: Path, version: str) -> None:
    """Compile every installed template into the bundle that the next run renders from.

    A cache never fails a generation: if any template of the installation does not compile (one
    of the kind not being generated, say), the bundle is simply not written.
    """
    from generators import template_bundle

    if template_bundle.bundle_path(version) is None:
        return
    try:
        codes = _compile_all(root, version)
    except Exception:  # noqa: BLE001 - the project is rendered; only the cache is skipped
        return
    template_bundle.save(version, _BUNDLE_KEY, codes)


def _compile_all(root: Path, version: str) -> dict[str, tuple[bytes, bytes]]:
    from generators import template_bundle

    names = [
        path.relative_to(root).as_posix()
        for path in sorted(root.rglob("*" + SUFFIX))
        if path.is_file() and not SKIP_NAMES.intersection(path.parts)
    ]
    components = sorted(
        {
            _without_switch(part)
            for path in root.rglob("*")
            for part in path.relative_to(root).parts
            if "{" in part
        }
    )
    return template_bundle.build(environment(root, version), root, names, components)


# Separates path components while Jinja renders all templated names as one template: one
# compile instead of one per component (compiling was a fifth of 'sm-advisor new').
_SEP = "\x1f"


def render_paths(
    renderer: _Renderer, rels: list[str], context: dict[str, Any], on: frozenset[str] = frozenset()
) -> dict[str, str | None]:
    """Render templated relative paths; a path maps to ``None`` when a switch is off for it."""
    split: dict[str, list[str]] = {}
    for rel in rels:
        parts = [_switched(rel, part, on) for part in rel.split("/")]
        if all(part is not None for part in parts):
            split[rel] = [part for part in parts if part is not None]
    skipped: dict[str, str | None] = {rel: None for rel in rels if rel not in split}
    slots = [(rel, i) for rel, parts in split.items() for i, p in enumerate(parts) if "{" in p]
    if slots:
        texts = renderer.names([split[rel][i] for rel, i in slots], context)
        for (rel, i), text in zip(slots, texts, strict=True):
            split[rel][i] = text
    return skipped | {rel: _finish_path(rel, parts) for rel, parts in split.items()}


def _from_source(env: Any, source: str) -> Any:
    """Compile ``source`` through the bytecode cache, as the loader does for template files.

    ``from_string`` would build Jinja's lexer (dozens of regular expressions) and compile on
    every run; with the cache, a run whose templates are unchanged does neither.
    """
    cache = env.bytecode_cache
    if cache is None:
        return env.from_string(source)
    bucket = cache.get_bucket(env, "<file names>", None, source)
    if bucket.code is None:
        bucket.code = env.compile(source, "<file names>")
        cache.set_bucket(bucket)
    return env.template_class.from_code(env, bucket.code, env.make_globals(None))


_SWITCH = re.compile(r"\[(!?)([a-z0-9-]+)\]")


def _switched(rel: str, part: str, on: frozenset[str]) -> str | None:
    """Strip a leading ``[switch]`` from a path component; None when the switch says no file."""
    if "{%" in part:
        raise GeneratorError(f"{rel}: switch a file with a [name] prefix, not a {{% %}} tag.")
    found = _SWITCH.match(part)
    if found is None:
        return part
    negated, name = found.groups()
    if name not in SWITCHES:
        raise GeneratorError(f"{rel}: unknown switch [{name}]; use one of {', '.join(SWITCHES)}.")
    return part[found.end() :] if (name in on) != bool(negated) else None


def _without_switch(part: str) -> str:
    found = _SWITCH.match(part)
    return part[found.end() :] if found else part


def _finish_path(rel: str, parts: list[str]) -> str:
    for text in parts:
        if not text.strip():
            raise GeneratorError(
                f"{rel}: a path component renders empty; switch files with [name]."
            )
        if "/" in text or text in (".", ".."):
            raise GeneratorError(f"{rel}: path component renders to unsafe {text!r}.")
    parts = list(parts)
    last = parts[-1]
    if last.endswith(SUFFIX):
        parts[-1] = last[: -len(SUFFIX)]
        if not parts[-1].strip():
            raise GeneratorError(f"{rel}: the file name renders empty; switch files with [name].")
    return "/".join(parts)


def render_file(env: Any, template_name: str, context: dict[str, Any]) -> str:
    """Render one template, re-raising Jinja errors as ``GeneratorError`` naming the file."""
    import jinja2

    try:
        text: str = env.get_template(template_name).render(context)
    except jinja2.TemplateError as err:
        line = getattr(err, "lineno", None)
        where = f"{template_name}:{line}" if line else template_name
        raise GeneratorError(f"{where}: {err}") from err
    return text
