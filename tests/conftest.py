"""Shared pytest fixtures."""

from __future__ import annotations

from generated import new_project
from moto_fixture import moto_server

__all__ = ["moto_server", "new_project"]

# Golden trees are expected generator output, including the generated projects' own tests.
collect_ignore = ["golden"]
