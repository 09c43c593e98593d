"""Render the template trees for a spec into an in-memory plan: ``{relative path: bytes}``.

Rules (one Jinja environment for everything):
- the trees rendered for a project are ``templates/common/`` then ``templates/<kind>/``
  (a later tree's file replaces an earlier one's at the same path);
- only ``*.jinja`` files are rendered (the suffix is dropped); other files are copied as bytes;
- path components may be templated (``pipelines/{{ spec.package }}/pipeline.py.jinja``); a
  component that renders empty drops the file, which is how extras switch files on and off;
- ``templates/_partials/`` holds macros and includes shared by the trees and is never written.
- every plan also holds ``.sm-advisor.yaml`` (the manifest) and ``.sm-advisor/base.json`` (a
  snapshot of the plan: the merge base of ``sm-advisor update``).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from advisor.errors import GeneratorError
from generators.merge import SNAPSHOT, snapshot
from generators.spec import ProjectSpec

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
def environment(root: Path) -> Any:
    """Return the single Jinja environment (StrictUndefined, trailing newlines kept)."""
    import jinja2

    from generators.jinja_cache import bytecode_cache

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        bytecode_cache=bytecode_cache(),
    )


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
    """Render every file of the project in memory; nothing is written."""
    root = root or templates_root()
    env = environment(root)
    context = {"spec": spec, "answers": spec.answers}
    files: dict[str, bytes] = {}
    for rel, path in sources(root, spec.kind).items():
        target = render_path(env, rel, context)
        if target is None:
            continue
        if rel.endswith(SUFFIX):
            template_name = path.relative_to(root).as_posix()
            files[target] = render_file(env, template_name, context).encode("utf-8")
        else:
            files[target] = path.read_bytes()
    files[".sm-advisor.yaml"] = manifest(spec)
    # The merge base of 'sm-advisor update': old templates are gone by then (generators.merge).
    files[SNAPSHOT] = snapshot(files)
    return dict(sorted(files.items()))


def render_path(env: Any, rel: str, context: dict[str, Any]) -> str | None:
    """Render a templated relative path; ``None`` when a component renders empty."""
    parts = []
    for part in rel.split("/"):
        text = env.from_string(part).render(context) if "{" in part else part
        if not text.strip():
            return None
        if "/" in text or text in (".", ".."):
            raise GeneratorError(f"{rel}: path component renders to unsafe {text!r}.")
        parts.append(text)
    last = parts[-1]
    if last.endswith(SUFFIX):
        parts[-1] = last[: -len(SUFFIX)]
        if not parts[-1].strip():  # '{% if … %}NAME{% endif %}.jinja' switched off
            return None
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


def manifest(spec: ProjectSpec) -> bytes:
    """Return ``.sm-advisor.yaml``: what was generated, from which answers, by which version."""
    import yaml

    data = {
        "generator": {"name": "sm-advisor", "version": spec.generator_version},
        "project": {
            "name": spec.name,
            "kind": spec.kind,
            "framework": spec.framework,
            "sdk": spec.sdk,
            "extras": list(spec.extras),
        },
        "answers": dict(spec.answers),
    }
    header = "# Written by sm-advisor; 'sm-advisor update' reads it. Edit answers, not the rest.\n"
    return (header + yaml.safe_dump(data, sort_keys=False)).encode("utf-8")
