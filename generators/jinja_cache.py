"""The per-user, per-version cache folder, and Jinja's bytecode cache in it.

Compiling the templates was most of the cost of ``sm-advisor new``; caching the bytecode keyed by
the generator version (and Jinja's own checksum of each source) spares it on the Jinja path. The
same folder holds the compiled-template bundle (``generators.template_bundle``) that lets later
runs skip importing Jinja altogether.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def cache_dir(version: str) -> Path | None:
    """Return the cache folder of a generator version, or None when caching is disabled.

    ``$XDG_CACHE_HOME/sm-advisor/jinja-VERSION``; the version comes from the spec being rendered
    (``ProjectSpec.generator_version``), so this package needs nothing from ``advisor``.
    """
    if os.environ.get("SM_ADVISOR_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sm-advisor" / f"jinja-{version}"


def bytecode_cache(version: str) -> Any:
    """Return a Jinja bytecode cache, or None if the folder cannot be created."""
    import jinja2

    class QuietCache(jinja2.FileSystemBytecodeCache):
        """A cache that never fails a generation: unwritable or full disks just skip caching."""

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            try:
                super().dump_bytecode(bucket)
            except OSError:
                pass

    folder = cache_dir(version)
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return QuietCache(str(folder))
