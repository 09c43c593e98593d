"""Allow ``python -m advisor``."""

from advisor.cli import entry

raise SystemExit(entry())
