"""The types of the container table (``generators.containers``): sources, serving, contracts.

``NamedTuple``s, not dataclasses: ``sm-advisor new`` reads the table, and building dataclasses
(with the ``dataclasses`` module) was a few milliseconds of its start-up.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Literal, NamedTuple

Scope = Literal["training", "inference", "processing"]


class Source(NamedTuple):
    """Where a fact was read: a public GitHub repository, a file in it, a commit."""

    repo: str
    path: str
    commit: str
    facts: str


class Serving(NamedTuple):
    """How the image's serving stack treats a request before ``input_fn``/``output_fn``."""

    stack: str
    default_accept: str
    # Content types whose body is decoded to ``str`` before input_fn; others arrive as bytes.
    decoded_types: tuple[str, ...]
    source: Source
    # Which errors raised by input_fn/predict_fn/output_fn the stack answers with a 4xx; any
    # other error is a 500.
    client_errors: Source | None = None


class Contract(NamedTuple):
    """One AWS container image and what code running inside it can rely on.

    Rows are module-level singletons, compared and hashed by identity (``__eq__``, ``__hash__``).
    """

    framework: str
    version: str
    py_version: str
    scopes: tuple[Scope, ...]
    repository: str
    python: str
    libraries: MappingProxyType[str, str]
    sources: tuple[Source, ...]
    unpinned: tuple[str, ...] = ()
    serving: Serving | None = None
    processors: tuple[str, ...] = ("cpu",)
    container_version: str | None = None
    # The training toolkit the image starts entry points with, as a requirement line; empty
    # when the image has none on PyPI to stand for it (see the row's notes).
    training_toolkit: str = ""
    # The image tag image_uris resolves (the XGBoost rows' tag is the bare version).
    tag_format: str = "{version}-{processor}-{py_version}"
    notes: str = ""

    def __eq__(self, other: object) -> bool:
        """Say whether ``other`` is this very row."""
        return self is other

    def __ne__(self, other: object) -> bool:
        """Say whether ``other`` is another object than this row."""
        return self is not other

    def __hash__(self) -> int:
        """Hash by identity (``libraries`` is a mapping: the fields cannot be hashed)."""
        return id(self)

    @property
    def key(self) -> str:
        """A short unique name: ``sklearn-1.9-0``, ``pytorch-training-2.6.0-py312``."""
        if self.framework == "pytorch":
            return f"pytorch-{self.scopes[0]}-{self.version}-{self.py_version}"
        return f"{self.framework}-{self.version}"

    @property
    def python_minor(self) -> tuple[int, int]:
        """The container's Python as ``(3, 12)``."""
        major, minor = self.python.split(".")[:2]
        return int(major), int(minor)

    @property
    def image(self) -> dict[str, str]:
        """The keyword arguments ``image_uris.retrieve`` takes for this image."""
        return {"framework": self.framework, "version": self.version, "py_version": self.py_version}

    def tag(self, processor: str = "cpu") -> str:
        """The image tag for ``processor`` (``cpu``/``gpu``), as the SDK's image table has it."""
        tag = self.tag_format.format(
            version=self.version, processor=processor, py_version=self.py_version
        )
        return f"{tag}-v{self.container_version}" if self.container_version else tag


def libs(**pins: str) -> MappingProxyType[str, str]:
    """Pins as a read-only mapping; ``scikit_learn`` becomes the distribution ``scikit-learn``."""
    return MappingProxyType({name.replace("_", "-"): v for name, v in pins.items()})
