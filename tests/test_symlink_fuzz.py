"""Random symlink layouts inside a project, then ``new --force`` or ``update`` (hypothesis).

Symlinks to folders and files outside the project, to ``.git`` and into it, dangling ones and
loops are placed where the templates write (and a forged snapshot may list paths through them).
Whatever the command does, the tree outside the project and ``.git/`` stay byte for byte the
same, every symlink is still there pointing where it did, no secret from outside is printed or
copied in, and the command ends with exit 0, 1 or 2 and at most one line on stderr.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from containment import cli, tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generators.merge import SNAPSHOT

# Where links go: files and folders the templates write (script, and pipeline after --kind).
PLACES = [
    "README.md", "train.py", "requirements.txt", "pyproject.toml", ".gitignore", "data",
    "data/sample.csv", "tests", "tests/test_train.py", "tests/conftest.py", "pipelines",
    "pipelines/proj", ".sm-advisor", ".sm-advisor.yaml", SNAPSHOT, "ext", "loop",
]  # fmt: skip
# What they point to; {o} is the outside folder, {p} the project.
TARGETS = {
    "outside-dir": "{o}",
    "outside-dir-relative": "../outside",
    "outside-file": "{o}/secret.txt",
    "outside-file-relative": "../outside/secret.txt",
    "git-dir": "{p}/.git",
    "git-file": ".git/config",
    "dangling": "{o}/missing",
    "self-loop": "SELF",
    "loop": "loop",
}
COMMANDS = {
    "new --force": ("new", "--force"),
    "update": ("update",),
    "update --kind pipeline": ("update", "--kind", "pipeline"),
    "update --dry-run --kind pipeline": ("update", "--dry-run", "--kind", "pipeline"),
}
FORGED = ["ext/x", "data/sample.csv", ".git/config", "tests/test_train.py", "loop/x"]
SECRET = "SECRET-9f2c"

layouts = st.fixed_dictionaries(
    {
        "links": st.dictionaries(
            st.sampled_from(PLACES), st.sampled_from(sorted(TARGETS)), min_size=1, max_size=4
        ),
        "forged": st.lists(st.sampled_from(FORGED), unique=True, max_size=3),
        "command": st.sampled_from(sorted(COMMANDS)),
    }
)


def _outside(root: Path) -> Path:
    out = root / "outside"
    (out / "sub").mkdir(parents=True)
    (out / "secret.txt").write_text(f"{SECRET}\n")
    (out / "x").write_text(f"{SECRET} x\n")
    (out / "sub" / "y").write_text("y\n")
    return out


def _place(project: Path, outside: Path, links: dict[str, str]) -> dict[Path, str]:
    """Put each symlink in place (replacing what the project had there); return them."""
    placed: dict[Path, str] = {}
    for rel, kind in sorted(links.items(), key=lambda item: -item[0].count("/")):
        path = project / rel
        if not path.parent.is_dir() or path.parent.is_symlink():
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
            placed = {p: d for p, d in placed.items() if not p.is_relative_to(path)}
        elif path.is_symlink() or path.exists():
            path.unlink()
        dest = TARGETS[kind].format(o=outside, p=project)
        dest = rel.rsplit("/", 1)[-1] if dest == "SELF" else dest
        path.symlink_to(dest)
        placed[path] = dest
    return placed


def _forge(project: Path, forged: list[str], outside: Path) -> None:
    snap = project / SNAPSHOT
    if not forged or snap.is_symlink() or not snap.is_file():
        return
    doc = json.loads(snap.read_text())
    for rel in forged:
        source = project / rel if rel.startswith(".git") else outside / rel.rsplit("/")[-1]
        if source.is_file():
            doc["files"][rel] = source.read_text()
    snap.write_text(json.dumps(doc))


def test_random_symlink_layouts_never_touch_anything_outside_or_in_git(
    tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    pristine = tmp_path_factory.mktemp("pristine") / "proj"
    assert cli(capsys, "new", str(pristine))[0] == 0
    (pristine / ".git" / "hooks").mkdir(parents=True)
    (pristine / ".git" / "config").write_text("[core]\n\tbare = false\n")
    (pristine / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (pristine / ".git" / "hooks" / "pre-commit").write_text("#!/bin/sh\n")
    tried: Counter[str] = Counter()

    @settings(
        max_examples=60,
        derandomize=True,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(layout=layouts)
    def check(layout: dict[str, object]) -> None:
        root = tmp_path_factory.mktemp("case")
        outside = _outside(root)
        project = root / "proj"
        shutil.copytree(pristine, project, symlinks=True)
        links = layout["links"]
        assert isinstance(links, dict)
        placed = _place(project, outside, links)
        _forge(project, list(layout["forged"]), outside)  # type: ignore[call-overload]
        before_outside, before_git = tree(outside), tree(project / ".git")
        mine = {p for p, v in tree(project).items() if v[0] == "file" and SECRET.encode()
                in (project / p).read_bytes()}  # fmt: skip
        command = COMMANDS[str(layout["command"])]
        code, out, err = cli(capsys, command[0], str(project), *command[1:])
        assert code in (0, 1, 2), err
        assert err == "" or (err.count("\n") == 1 and "Traceback" not in err), err
        assert tree(outside) == before_outside
        assert tree(project / ".git") == before_git
        for path, dest in placed.items():
            assert path.is_symlink() and str(path.readlink()) == dest, path
        assert SECRET not in out + err
        now = {p for p, v in tree(project).items() if v[0] == "file" and SECRET.encode()
               in (project / p).read_bytes()}  # fmt: skip
        assert now <= mine, now - mine
        tried["examples"] += 1
        tried[f"exit {code}"] += 1
        tried[str(layout["command"])] += 1
        tried["links"] += len(placed)
        tried.update(f"link {links[str(p.relative_to(project))]}" for p in placed)
        tried["forged snapshot entries"] += len(list(layout["forged"]))  # type: ignore[call-overload]
        shutil.rmtree(root)

    check()
    print(f"\nsymlink fuzz: {dict(sorted(tried.items()))}")
    assert tried["examples"] == 60
