"""Run moto's server (``python -m moto.server``) with a clock the tests can set.

Moto stamps S3 objects' LastModified and SageMaker jobs' CreationTime with the server's own
``utcnow()``, and no API lets a client choose them. Evidence is about *dates* (growth over 30
and 90 days, release cadence), so the tests must seed history spread over months through the
real HTTP API. This launcher is the whole trick: before starting the unchanged moto server, it
replaces moto's ``utcnow`` with one that returns the instant written in ``CLOCK_FILE`` (ISO
8601, UTC), or the real time when the file is absent. Every request is still served by moto,
over HTTP, in its own process.

Usage: ``python tests/moto_clock.py CLOCK_FILE [moto.server args...]``
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path


def _install(clock_file: Path) -> None:
    import moto.core.utils as core_utils
    import moto.s3.models
    import moto.sagemaker.models  # noqa: F401  (imported so that its utcnow is patched)

    real = core_utils.utcnow

    def utcnow() -> dt.datetime:
        try:
            text = clock_file.read_text().strip()
        except FileNotFoundError:
            return real()
        return dt.datetime.fromisoformat(text).astimezone(dt.UTC).replace(tzinfo=None)

    for name, module in list(sys.modules.items()):
        if name.startswith("moto") and getattr(module, "utcnow", None) is real:
            module.utcnow = utcnow  # type: ignore[attr-defined]


def main() -> None:
    """Patch the clock, then hand over to moto's own server entry point."""
    _install(Path(sys.argv[1]))
    from moto.server import main as serve

    serve(sys.argv[2:])


if __name__ == "__main__":
    main()
