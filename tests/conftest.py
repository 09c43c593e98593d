"""Shared pytest fixtures, and the background venv builds (``venv_prebuild``)."""

from __future__ import annotations

import pytest
from generated import new_project
from moto_fixture import moto_server
from venv_prebuild import Prebuild

__all__ = ["moto_server", "new_project"]

# Golden trees are expected generator output, including the generated projects' own tests.
collect_ignore = ["golden"]


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(Prebuild(), "sm-advisor-venv-prebuild")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run every TUI test (``test_tui*.py``) on one xdist worker, one app at a time.

    Pilot tests drive a real event loop; two apps competing for two cores with the rest of the
    suite made keystrokes arrive before their widgets in measured runs. Serially they take about
    as long as everything else on the other worker. (Before xdist reads the groups: tryfirst.)
    """
    for item in items:
        if item.path.name.startswith("test_tui"):
            item.add_marker(pytest.mark.xdist_group("tui"))
