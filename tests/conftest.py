"""Shared pytest fixtures, and the background venv builds (``venv_prebuild``)."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator

import pytest
from generated import new_project
from moto_fixture import moto_server
from venv_prebuild import Prebuild

__all__ = ["moto_server", "new_project"]

# Golden trees are expected generator output, including the generated projects' own tests.
collect_ignore = ["golden"]


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(Prebuild(), "sm-advisor-venv-prebuild")


@pytest.hookimpl(trylast=True)
def pytest_collection_finish() -> None:
    """Move everything imported so far out of the garbage collector's sight (``gc.freeze``).

    A worker imports Textual, boto3, Jinja and the test modules before its first test; every
    full collection then walked those objects again, and garbage collection took a sixth of
    the fast suite's CPU time. Frozen, they are never collected (they live as long as the
    process anyway); what the tests create is collected as before.
    """
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def _drop_textual_style_caches() -> Iterator[None]:
    """After a test, let go of the dead apps' style caches that Textual keeps alive.

    ``StylesCache.get_inner_outer`` is an ``lru_cache`` on a method, so it holds up to 1,024
    ``StylesCache`` objects of removed widgets with all their rendered lines (Textualize/textual
    issue 6665). Over a worker's run of TUI tests that heap made every test about a third
    slower (garbage collection and cache misses); one app at a time needs none of it.
    """
    yield
    styles = sys.modules.get("textual._styles_cache")
    if styles is not None:
        styles.StylesCache.get_inner_outer.cache_clear()
