"""The compiled templates, kept in the user's cache so that later runs need no Jinja.

Jinja compiles a template to Python source that imports ``jinja2.runtime``; here that import is
pointed at ``generators.template_runtime`` and the source compiled to a code object. One file,
``templates-<python tag>.marshal`` in the version's cache folder (``generators.jinja_cache``),
holds ``{template name: (template bytes, marshalled code)}`` for every template of the
installation and for the templated path components. The text is compared with the file on
every use, so an edited template is never rendered from stale code: it sends the run to Jinja,
which then rewrites the bundle.

The file is read only if it is a regular file under a size cap, written atomically (a temporary
file, then a rename), and any problem with it (missing, unreadable, corrupt, another Python)
only means a Jinja run.
"""

from __future__ import annotations

import marshal
import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import CodeType
from typing import Any

from generators import untrusted
from generators.errors import SpecError
from generators.jinja_cache import cache_dir
from generators.template_runtime import PATH_KEY

FORMAT = 1
MAX_BYTES = 32 * 1024 * 1024
_JINJA_IMPORT = "from jinja2.runtime import "
_OWN_IMPORT = "from generators.template_runtime import "

# Code stays marshalled until a template is used: a project renders about half of them.
Codes = Mapping[str, tuple[bytes, bytes]]


def bundle_path(version: str) -> Path | None:
    """Where the bundle of generator ``version`` lives, or None when caching is disabled."""
    folder = cache_dir(version)
    if folder is None:
        return None
    return folder / f"templates-{sys.implementation.cache_tag}.marshal"


def load(version: str, key: str) -> Codes | None:
    """Return the bundle, or None when there is none that this Python and ``key`` can use.

    ``key`` names the compiler settings the code was made with (``generators.render``).
    """
    path = bundle_path(version)
    if path is None:
        return None
    try:
        # A regular file of at most MAX_BYTES, refused before reading otherwise (a FIFO there
        # must not hang the command).
        found = marshal.loads(untrusted.read_bytes(path, limit=MAX_BYTES))
    except (SpecError, OSError, ValueError, EOFError, TypeError):
        return None
    if not (isinstance(found, tuple) and len(found) == 3 and found[:2] == (FORMAT, key)):
        return None
    codes = found[2]
    if not isinstance(codes, dict) or not all(
        isinstance(k, str)
        and isinstance(v, tuple)
        and len(v) == 2
        and isinstance(v[0], bytes)
        and isinstance(v[1], bytes)
        for k, v in codes.items()
    ):
        return None
    return codes


def build(
    env: Any, root: Path, names: Iterable[str], components: Iterable[str]
) -> dict[str, tuple[bytes, bytes]]:
    """Compile the templates ``names`` (relative to ``root``) and the path ``components``.

    ``env`` is the Jinja environment the Jinja path renders with, so both paths share one
    compiler and one set of settings. A template whose code needs more of Jinja than its runtime
    is left out: rendering it goes to Jinja.
    """
    codes: dict[str, tuple[bytes, bytes]] = {}
    for name in names:
        source = (root / name).read_bytes()
        code = _compile(env, source.decode("utf-8"), name, str(root / name))
        if code is not None:
            codes[name] = (source, marshal.dumps(code))
    for component in components:
        code = _compile(env, component, None, "<file names>")
        if code is not None:
            codes[PATH_KEY + component] = (component.encode("utf-8"), marshal.dumps(code))
    return codes


def _compile(env: Any, source: str, name: str | None, filename: str) -> CodeType | None:
    python = env.compile(source, name, filename, raw=True)
    if not python.startswith(_JINJA_IMPORT):
        return None
    python = _OWN_IMPORT + python[len(_JINJA_IMPORT) :]
    if "jinja2" in python:
        return None
    code: CodeType = compile(python, filename, "exec")
    return code


def save(version: str, key: str, codes: Codes) -> None:
    """Write the bundle atomically; a cache that cannot be written is skipped silently."""
    path = bundle_path(version)
    if path is None:
        return
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with temporary.open("wb") as handle:
            handle.write(marshal.dumps((FORMAT, key, dict(codes))))
        temporary.replace(path)
    except OSError:
        temporary.unlink(missing_ok=True)
