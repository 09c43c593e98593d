"""Build the generated projects' venvs in the background, from the start of the session.

A test that runs a generated project marks what it generates::

    @pytest.mark.venv(lambda params: ["--kind", "script", "--framework", params["framework"]])

(the callable gets the test's parameters and returns ``sm-advisor new`` options). Once
collection is final (``-m``/``-k`` applied), one process per session (the only one, or xdist's
first worker) generates each selected test's project, keeps one per distinct venv
(``generated.venv_key``) and starts ``generated.project_venv`` for them in a small thread pool,
while the fast tests run. A test that then needs a venv waits on its file lock if it is still
being built; a build that failed here is simply built again (and reported) by the test itself.
Generation happens before any test runs, in this thread, with its output discarded; the threads
only run ``uv``.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
from generated import VENVS, Venv, generate, project_venv, venv_key

BUILDERS = 2  # concurrent uv builds: downloads and unpacking overlap well on two cores


class Prebuild:
    """The pool of background builds of one session."""

    def __init__(self) -> None:
        self.pool: ThreadPoolExecutor | None = None
        self.scratch: tempfile.TemporaryDirectory[str] | None = None
        self.started: list[Future[Venv]] = []

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        worker = getattr(session.config, "workerinput", {}).get("workerid")
        if worker not in (None, "gw0") or session.config.option.collectonly:
            return
        wanted = [item for item in session.items if item.get_closest_marker("venv")]
        if wanted:
            self.start(wanted)

    def start(self, items: list[pytest.Item]) -> None:
        """Generate each item's project and start building the venvs not yet built."""
        self.scratch = tempfile.TemporaryDirectory(prefix="sm-advisor-prebuild-")
        projects: dict[str, Path] = {}
        for n, item in enumerate(items):
            marker = item.get_closest_marker("venv")
            assert marker is not None
            callspec = getattr(item, "callspec", None)
            options = marker.args[0](dict(callspec.params) if callspec else {})
            target = Path(self.scratch.name) / f"p{n}"
            with contextlib.redirect_stdout(io.StringIO()):
                generate(target, "--name", "demo", *options)
            key = venv_key((target / "requirements.txt").read_text(encoding="utf-8"))
            if not (VENVS / key / ".complete").is_file():
                projects.setdefault(key, target)
        if projects:
            self.pool = ThreadPoolExecutor(BUILDERS, thread_name_prefix="venv-prebuild")
            self.started = [self.pool.submit(project_venv, p) for p in projects.values()]

    def pytest_sessionfinish(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        if self.scratch is not None:
            self.scratch.cleanup()
