"""A per-user, per-version bytecode cache for compiled templates.

Compiling the templates is most of the cost of ``sm-advisor new``; caching the bytecode keyed by
the generator version (and Jinja's own checksum of each source) makes every later run fast.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from advisor import __version__


def cache_dir() -> Path | None:
    """Return the cache folder (``$XDG_CACHE_HOME/sm-advisor``), or None when it is disabled."""
    if os.environ.get("SM_ADVISOR_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sm-advisor" / f"jinja-{__version__}"


def bytecode_cache() -> Any:
    """Return a Jinja bytecode cache, or None if the folder cannot be created."""
    import jinja2

    class QuietCache(jinja2.FileSystemBytecodeCache):
        """A cache that never fails a generation: unwritable or full disks just skip caching."""

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            try:
                super().dump_bytecode(bucket)
            except OSError:
                pass

    folder = cache_dir()
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return QuietCache(str(folder))
