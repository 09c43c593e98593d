"""Nothing outside DIR, and nothing under ``.git/``, is ever read, written or deleted (issue 10).

Each example of the issue is a named regression test; all of them failed before
``generators.paths`` and ``generators.journal``.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from containment import cli, one_line, tmpfs, tree

from generators.merge import SNAPSHOT

SECRET = "aws_secret_access_key = SECRET-123\n"


def make(tmp_path: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> Path:
    target = tmp_path / "proj"
    code, _, err = cli(capsys, "new", str(target), *flags)
    assert code == 0, err
    return target


def edit_snapshot(project: Path, files: dict[str, str]) -> None:
    path = project / SNAPSHOT
    doc = json.loads(path.read_text())
    doc["files"].update(files)
    path.write_text(json.dumps(doc))


# --- update: the snapshot is untrusted ------------------------------------------------------


def test_snapshot_entries_for_git_files_and_env_are_never_deleted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make(tmp_path, capsys)
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    (project / ".env").write_text("TOKEN=abc\n")
    forged = {rel: (project / rel).read_text() for rel in (".git/config", ".git/HEAD", ".env")}
    edit_snapshot(project, forged)
    git_before = tree(project / ".git")
    code, out, err = cli(capsys, "update", str(project))
    assert code == 0, err
    assert tree(project / ".git") == git_before
    assert (project / ".env").read_text() == "TOKEN=abc\n"
    assert "note: ignored 3 snapshot entries the templates do not produce" in out
    status = subprocess.run(["git", "-C", str(project), "status"], capture_output=True)
    assert status.returncode == 0


@pytest.mark.parametrize("retired", [(), ("ext/*",)], ids=["unknown-entry", "retired-entry"])
def test_ext_symlink_to_outside_with_a_snapshot_entry_deletes_nothing_outside(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    retired: tuple[str, ...],
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x").write_text("precious\n")
    project = make(tmp_path, capsys)
    (project / "ext").symlink_to(outside)
    edit_snapshot(project, {"ext/x": "precious\n"})
    monkeypatch.setattr("generators.update.RETIRED", retired)
    code, out, err = cli(capsys, "update", str(project))
    assert code == 0, err
    assert (outside / "x").read_text() == "precious\n"
    assert (project / "ext").is_symlink()
    assert ("ignored 1 snapshot entry" in out) == (not retired)
    assert ("skipped   ext/x (ext is a symlink" in out) == bool(retired)


def test_a_symlinked_readme_is_never_read_printed_or_copied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "credentials"
    secret.write_text(SECRET)
    project = make(tmp_path, capsys)
    (project / "README.md").unlink()
    (project / "README.md").symlink_to(secret)
    code, out, err = cli(capsys, "update", str(project), "--kind", "pipeline", "--dry-run")
    assert code == 0, err
    assert "SECRET-123" not in out + err
    assert "skipped   README.md (README.md is a symlink" in out
    code, out, err = cli(capsys, "update", str(project), "--kind", "pipeline")
    assert code == 0, err
    assert (project / "README.md").is_symlink() and secret.read_text() == SECRET
    copied = [p for p in project.rglob("*") if p.is_file() and b"SECRET-123" in p.read_bytes()]
    assert copied == [project / "README.md"]  # only through the user's own link


def test_a_symlinked_tests_folder_is_never_written_through(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "test_train.py").write_text("# mine, elsewhere\n")
    project = tmp_path / "proj"
    project.mkdir()
    (project / "tests").symlink_to("../elsewhere")
    before = tree(elsewhere)
    code, out, err = cli(capsys, "new", str(project), "--force")
    assert code == 0, err
    assert tree(elsewhere) == before
    assert "Skipped 2 file(s)" in out and "tests/test_train.py" in out
    code, out, err = cli(capsys, "update", str(project), "--kind", "pipeline")
    assert code == 0, err
    assert tree(elsewhere) == before and (project / "tests").is_symlink()
    assert "skipped   tests/conftest.py (tests is a symlink" in out


def test_new_force_never_replaces_a_symlinked_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "credentials"
    secret.write_text(SECRET)
    project = tmp_path / "proj"
    project.mkdir()
    (project / "README.md").symlink_to(secret)
    code, out, err = cli(capsys, "new", str(project), "--force")
    assert code == 0, err
    assert (project / "README.md").is_symlink() and secret.read_text() == SECRET
    assert "README.md" in out.split("Skipped 1 file(s)")[1]


def test_sm_advisor_folder_replaced_by_a_file_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make(tmp_path, capsys)
    shutil.rmtree(project / ".sm-advisor")
    (project / ".sm-advisor").write_text("not a folder\n")
    before = tree(project)
    code, _, err = cli(capsys, "update", str(project), "--framework", "xgboost")
    assert code == 2
    assert ".sm-advisor is not a folder" in one_line(err)
    assert tree(project) == before


@pytest.mark.parametrize("rel", [".sm-advisor.yaml", SNAPSHOT])
def test_symlinked_bookkeeping_is_refused_and_never_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rel: str
) -> None:
    project = make(tmp_path, capsys)
    real = tmp_path / "real"
    (project / rel).rename(real)
    (project / rel).symlink_to(real)
    before = tree(project)
    code, _, err = cli(capsys, "update", str(project))
    assert code == 2
    assert "is a symlink; sm-advisor never follows symlinks" in one_line(err)
    assert tree(project) == before


# --- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["abc\n", "abc\r", "ábc", "abc١"])
def test_a_name_with_a_newline_or_non_ascii_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    code, _, err = cli(capsys, "new", str(tmp_path / "p"), "--name", name)
    assert code == 2
    assert "is not usable" in one_line(err)
    assert not (tmp_path / "p").exists()


def test_a_manifest_name_with_a_trailing_newline_is_refused_by_update(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make(tmp_path, capsys)
    manifest = project / ".sm-advisor.yaml"
    manifest.write_text(manifest.read_text().replace("name: proj", 'name: "abc\\n"'))
    before = tree(project)
    code, _, err = cli(capsys, "update", str(project), "--framework", "xgboost")
    assert code == 2
    assert "project.name: project name 'abc\\n' is not usable" in one_line(err)
    assert tree(project) == before


# --- OS failures: one line, nothing half-written ---------------------------------------------


def test_new_under_a_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "f").write_text("a file\n")
    code, _, err = cli(capsys, "new", str(tmp_path / "f" / "p"))
    assert code == 2
    assert "is not a directory" in one_line(err)


def test_a_dangling_symlink_dir_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "link").symlink_to(tmp_path / "missing")
    for extra in ([], ["--dry-run"]):
        code, _, err = cli(capsys, "new", str(tmp_path / "link"), *extra)
        assert code == 2
        assert "is a symlink to a missing path" in one_line(err)
    assert (tmp_path / "link").is_symlink() and not (tmp_path / "missing").exists()


def test_new_in_proc_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "new", "/proc/sm-advisor-test")
    assert code == 2
    assert "cannot write /proc/sm-advisor-test" in one_line(err)


def test_permission_denied_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root ignores file modes, so EACCES is injected at the OS boundary.
    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(args[0]))

    monkeypatch.setattr(os, "mkdir", denied)
    code, _, err = cli(capsys, "new", str(tmp_path / "p"))
    assert code == 2
    assert "Permission denied; choose another directory." in one_line(err)


def test_a_read_only_filesystem_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with tmpfs(tmp_path / "ro", "ro,size=64k") as ro:
        code, _, err = cli(capsys, "new", str(ro / "p"))
        assert code == 2
        assert "Read-only file system" in one_line(err)
        code, _, err = cli(capsys, "new", str(ro))
        assert code == 2
        assert "Read-only file system" in one_line(err)


def test_a_full_disk_is_one_line_and_leaves_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with tmpfs(tmp_path / "small", "size=24k") as small:
        code, _, err = cli(capsys, "new", str(small / "p"), "--kind", "pipeline")
        assert code == 1
        assert "No space left on device" in one_line(err)
        assert not (small / "p").exists()
        (small / "q").mkdir()
        code, _, err = cli(capsys, "new", str(small / "q"), "--kind", "pipeline")
        assert code == 1
        assert list((small / "q").iterdir()) == []


def test_an_empty_mount_point_is_filled_in_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with tmpfs(tmp_path / "mnt", "size=4m,mode=0750") as mnt:
        before = mnt.stat()
        code, _, err = cli(capsys, "new", str(mnt))
        assert code == 0, err
        after = mnt.stat()
        assert (after.st_ino, after.st_dev, after.st_mode) == (
            before.st_ino,
            before.st_dev,
            before.st_mode,
        )
        assert (mnt / "train.py").is_file() and not (mnt / ".sm-advisor/txn").exists()


def test_new_dot_fills_the_current_folder_in_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "p"
    folder.mkdir(mode=0o700)
    inode = folder.stat().st_ino
    monkeypatch.chdir(folder)
    code, _, err = cli(capsys, "new", ".")
    assert code == 0, err
    assert Path.cwd().stat().st_ino == inode == folder.stat().st_ino
    assert folder.stat().st_mode & 0o777 == 0o700
    assert (folder / "train.py").is_file()
    assert 'name = "p"' in (folder / "pyproject.toml").read_text()


# --- the journal of an interrupted change is untrusted too -----------------------------------


@pytest.mark.parametrize("journal", [b"garbage", b'{"ops": [{"op": "put"}]}', b'{"ops": 5}'])
def test_a_malformed_journal_is_one_line_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], journal: bytes
) -> None:
    project = make(tmp_path, capsys)
    (project / ".sm-advisor/txn").mkdir()
    (project / ".sm-advisor/txn/journal.json").write_bytes(journal)
    before = tree(project)
    code, _, err = cli(capsys, "update", str(project), "--framework", "xgboost")
    assert code == 2
    assert "journal" in one_line(err) and "delete .sm-advisor/txn" in err
    assert tree(project) == before


def test_a_forged_journal_cannot_reach_outside_or_into_git(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x").write_text("precious\n")
    project = make(tmp_path, capsys)
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    (project / "ext").symlink_to(outside)
    txn = project / ".sm-advisor/txn"
    txn.mkdir()

    def digest(path: Path) -> str:
        return hashlib.sha256(path.read_bytes()).hexdigest()

    ops = []
    for i, rel in enumerate(["../outside/x", ".git/config", "ext/x", ".GIT/HEAD"]):
        (txn / str(i)).write_text("pwned\n")
        old = digest(project / rel) if (project / rel).exists() else None
        ops.append({"op": "put", "path": rel, "new": None, "old": old, "src": str(i)})
    ops.append({"op": "rm", "path": ".git/HEAD", "new": None, "old": digest(project / ".git/HEAD")})
    (txn / "journal.json").write_text(json.dumps({"format": 1, "ops": ops}))
    before_outside, before_git = tree(outside), tree(project / ".git")
    code, _, err = cli(capsys, "update", str(project))
    assert code == 0, err
    assert tree(outside) == before_outside and tree(project / ".git") == before_git
    assert (project / "ext").is_symlink() and not txn.exists()
