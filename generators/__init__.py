"""Turn a validated project spec into files: ``build_spec`` → ``plan`` → ``write``.

``plan`` is pure (spec in, ``{path: bytes}`` out) and ``write`` does all the writing, atomically.
"""

from generators.context import build_spec
from generators.render import plan
from generators.spec import ProjectSpec
from generators.write import WriteResult, write

__all__ = ["ProjectSpec", "WriteResult", "build_spec", "plan", "write"]
