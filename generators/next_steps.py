"""What to tell the user after generation: a file tree and the commands to run next."""

from __future__ import annotations

import shlex

from generators.spec import ProjectSpec


def tree(paths: list[str]) -> str:
    """Draw sorted relative paths as an indented tree."""
    lines: list[str] = []
    seen: set[str] = set()
    for path in paths:
        parts = path.split("/")
        for depth in range(len(parts)):
            key = "/".join(parts[: depth + 1])
            if key in seen:
                continue
            seen.add(key)
            suffix = "/" if depth < len(parts) - 1 else ""
            lines.append("  " + "  " * depth + parts[depth] + suffix)
    return "\n".join(lines)


def next_steps(spec: ProjectSpec, directory: str) -> list[str]:
    """Return the first commands to run in the generated project (as its README says)."""
    steps = [
        f"cd {shlex.quote(directory)}",
        "python -m venv .venv && . .venv/bin/activate",
        "pip install -e '.[dev]'",
        "pytest",
    ]
    if spec.kind == "script":
        steps += ["python train.py", "python submit.py --help"]
    else:
        steps += [
            "python -m pipelines local",
            "python -m pipelines definition",
            "python -m pipelines upsert --role-arn arn:aws:iam::<account>:role/<sagemaker-role>",
        ]
    return steps
