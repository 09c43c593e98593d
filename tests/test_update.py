"""``sm-advisor update``: three-way merge of a re-rendered project with the user's edits.

The project templates are built inline (copier's ``build_file_tree`` style) so that each test
controls exactly what changes between "generator versions"; the CLI is pointed at them by
patching ``generators.render.templates_root``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.cli import main
from generators import merge
from generators.errors import SpecError
from generators.merge import SNAPSHOT, merge3, read_snapshot

ROOT = Path(__file__).resolve().parent.parent

README = """\
# {{ spec.name }}

Intro paragraph.

## Team

{{ answers.team_size }} people.

## Usage

Run the thing.
"""

PIPELINE = '''\
"""Pipeline for {{ spec.name }}."""

STEPS = ["process", "train", "evaluate"]


def build():
    return STEPS
'''

V1: dict[str, str | bytes] = {
    "common/README.md.jinja": README,
    "common/notes/old.txt": "obsolete\n",
    "common/notes/keep.txt": "also obsolete\n",
    "common/data/blob.bin": b"\x00\x01v1",
    "script/train.py.jinja": "print('train {{ spec.name }}')\n",
    "pipeline/pipeline.py.jinja": PIPELINE,
    "pipeline/[ci].github/workflows/ci.yml.jinja": "name: ci for {{ spec.slug }}\n",
    "pipeline/[team]CODEOWNERS": "* @team\n",
}


def build_file_tree(root: Path, files: Mapping[str, str | bytes | None]) -> Path:
    for rel, content in files.items():
        path = root / rel
        if content is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    return root


Use = Callable[..., Path]


@pytest.fixture
def templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Use:
    """Return ``use(**changes)``: build V1 plus changes as a fresh root and make it current."""
    monkeypatch.setenv("SM_ADVISOR_NO_CACHE", "1")
    # The tests drop these V1 files to play a newer version; a real release lists what it drops.
    monkeypatch.setattr("generators.update.RETIRED", ("notes/*", "data/*"))
    count = iter(range(100))

    def use(changes: Mapping[str, str | bytes | None] | None = None) -> Path:
        root = build_file_tree(tmp_path / f"templates-{next(count)}", V1)
        build_file_tree(root, changes or {})
        monkeypatch.setattr("generators.render.templates_root", lambda: root)
        return root

    return use


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def project(tmp_path: Path, templates: Use, capsys: pytest.CaptureFixture[str]) -> Path:
    """A pipeline project generated from V1 (the default answers would pick a script)."""
    templates()
    target = tmp_path / "demo"
    code, _, err = cli(capsys, "new", str(target), "--kind", "pipeline")
    assert code == 0, err
    return target


def files_of(target: Path) -> dict[str, bytes]:
    return {
        p.relative_to(target).as_posix(): p.read_bytes()
        for p in sorted(target.rglob("*"))
        if p.is_file()
    }


def stat_of(target: Path) -> dict[str, tuple[bytes, int, int]]:
    return {
        p.relative_to(target).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_mode)
        for p in sorted(target.rglob("*"))
        if p.is_file()
    }


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


# --- the snapshot (merge base) ------------------------------------------------------------


def test_plan_stores_a_deterministic_snapshot_of_itself(
    project: Path, templates: Use, capsys: pytest.CaptureFixture[str]
) -> None:
    snap = json.loads((project / SNAPSHOT).read_text())
    assert snap["format"] == 1
    on_disk = files_of(project)
    assert set(snap["files"]) | set(snap["binary"]) == set(on_disk) - {SNAPSHOT}
    assert snap["files"]["README.md"] == on_disk["README.md"].decode()
    assert snap["binary"] == {"data/blob.bin": merge.digest(b"\x00\x01v1")}
    again = project.parent / "again"
    assert cli(capsys, "new", str(again), "--kind", "pipeline", "--name", "demo")[0] == 0
    assert (again / SNAPSHOT).read_bytes() == (project / SNAPSHOT).read_bytes()


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"format": 2, "files": {}}', "not a format-1"),
        (b'{"format": 1, "files": {"../../etc/passwd": "x"}}', "bad entry '../../etc/passwd'"),
        (b'{"format": 1, "files": {"a": 3}}', "bad entry 'a'"),
        (b'{"format": 1, "files": []}', "'files' is not a mapping"),
    ],
)
def test_a_malformed_snapshot_is_refused(doc: bytes, expected: str) -> None:
    with pytest.raises(merge.SpecError, match="base.json: .*" + expected.replace("(", r"\(")):
        read_snapshot(doc, "demo/.sm-advisor/base.json")


# --- merging one text file: git merge-file and the pure-Python fallback ---------------------

BASE = b"a\nb\nc\nd\ne\n"


def test_edits_to_separate_lines_merge_cleanly() -> None:
    result = merge3(BASE, b"A\nb\nc\nd\ne\n", b"a\nb\nc\nd\nE\nf\n", "diff3")
    assert result == merge.Merged(b"A\nb\nc\nd\nE\nf\n", 0)


def test_the_same_edit_on_both_sides_is_not_a_conflict() -> None:
    both = b"a\nb\nC\nd\ne\n"
    assert merge3(BASE, both + b"x\n", both, "diff3") == merge.Merged(both + b"x\n", 0)


def test_conflicting_edits_get_diff3_markers() -> None:
    result = merge3(BASE, b"a\nb\nOURS\nd\ne\n", b"a\nb\nTHEIRS\nd\ne\n", "diff3")
    assert result.conflicts == 1
    assert result.data == (
        b"a\nb\n<<<<<<< ours\nOURS\n||||||| base\nc\n=======\nTHEIRS\n>>>>>>> theirs\nd\ne\n"
    )


def test_merge_style_markers_leave_out_the_base() -> None:
    result = merge3(BASE, b"a\nb\nOURS\nd\ne\n", b"a\nb\nTHEIRS\nd\ne\n", "merge")
    assert result.data == b"a\nb\n<<<<<<< ours\nOURS\n=======\nTHEIRS\n>>>>>>> theirs\nd\ne\n"


def test_a_missing_final_newline_never_joins_a_marker() -> None:
    result = merge3(b"a\nb", b"a\nours", b"a\ntheirs", "merge")
    assert result.conflicts == 1
    assert b"ours\n=======\n" in result.data and b"theirs\n>>>>>>> theirs" in result.data


def test_two_conflicts_are_counted() -> None:
    ours = b"A1\nb\nc\nd\nE1\n"
    theirs = b"A2\nb\nc\nd\nE2\n"
    assert merge3(BASE, ours, theirs, "diff3").conflicts == 2


def test_without_git_only_a_real_merge_stops_with_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", "")
    assert merge3(BASE, b"A\nb\nc\nd\ne\n", BASE) == merge.Merged(b"A\nb\nc\nd\ne\n", 0)
    assert merge3(BASE, BASE, b"x\n") == merge.Merged(b"x\n", 0)
    with pytest.raises(SpecError, match=r"needs git .* not on PATH; install git") as err:
        merge3(BASE, b"A\nb\nc\nd\ne\n", b"a\nb\nc\nd\nE\n")
    assert "\n" not in str(err.value)


@st.composite
def separated_edits(draw: st.DrawFn) -> tuple[list[str], int, int, list[str], list[str]]:
    n = draw(st.integers(min_value=3, max_value=30))
    base = [f"line {k}\n" for k in range(n)]
    i = draw(st.integers(min_value=0, max_value=n - 3))
    j = draw(st.integers(min_value=i + 2, max_value=n - 1))
    ours = draw(st.lists(st.sampled_from(["ours x\n", "ours y\n"]), max_size=3))
    theirs = draw(st.lists(st.sampled_from(["theirs x\n", "theirs y\n"]), max_size=3))
    return base, i, j, ours, theirs


@settings(max_examples=40, deadline=None)
@given(case=separated_edits())
def test_edits_separated_by_an_unchanged_line_always_merge(
    case: tuple[list[str], int, int, list[str], list[str]],
) -> None:
    base, i, j, mine, new = case
    ours = base[:i] + mine + base[i + 1 :]
    theirs = base[:j] + new + base[j + 1 :]
    expected = base[:i] + mine + base[i + 1 : j] + new + base[j + 1 :]
    enc = "".join
    result = merge3(enc(base).encode(), enc(ours).encode(), enc(theirs).encode(), "diff3")
    assert result == merge.Merged(enc(expected).encode(), 0)


# --- the command ----------------------------------------------------------------------------


def test_a_user_edit_and_a_template_change_merge_cleanly(
    project: Path, templates: Use, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(project / "README.md", "Run the thing.\n", "Run the thing.\n\nMy own notes.\n")
    edit(project / "pipeline.py", "    return STEPS\n", "    return list(STEPS)  # mine\n")
    templates(
        {
            "common/README.md.jinja": README.replace("Intro paragraph.", "A better intro."),
            "pipeline/pipeline.py.jinja": PIPELINE.replace('"""Pipeline', '"""The pipeline'),
            "common/notes/keep.txt": "changed by the templates\n",
        }
    )
    code, out, err = cli(capsys, "update", str(project))
    assert (code, err) == (0, "")
    readme = (project / "README.md").read_text()
    assert "A better intro." in readme and "My own notes." in readme
    assert "Intro paragraph." not in readme
    assert (project / "pipeline.py").read_text().startswith('"""The pipeline for demo."""')
    assert "return list(STEPS)  # mine" in (project / "pipeline.py").read_text()
    assert (project / "notes/keep.txt").read_text() == "changed by the templates\n"
    assert "  merged    README.md (your edits kept)" in out
    assert "  updated   notes/keep.txt" in out
    assert "<<<<<<<" not in out and "CONFLICT" not in out
    snap = json.loads((project / SNAPSHOT).read_text())
    assert "A better intro." in snap["files"]["README.md"]
    assert "My own notes." not in snap["files"]["README.md"]


def test_without_git_a_merge_is_one_line_exit_2_and_nothing_written(
    project: Path,
    templates: Use,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    edit(project / "README.md", "Run the thing.\n", "Run the thing.\n\nMy own notes.\n")
    templates(
        {
            "common/README.md.jinja": README.replace("Intro paragraph.", "A better intro."),
            "common/notes/keep.txt": "changed by the templates\n",
        }
    )
    before = stat_of(project)
    monkeypatch.setenv("PATH", "")
    code, out, err = cli(capsys, "update", str(project))
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "needs git" in err and "Nothing was written." in err
    assert stat_of(project) == before


def test_a_conflicting_edit_is_marked_listed_and_exits_1(
    project: Path, templates: Use, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(project / "README.md", "Intro paragraph.", "My intro.")
    templates({"common/README.md.jinja": README.replace("Intro paragraph.", "Their intro.")})
    code, out, _ = cli(capsys, "update", str(project), "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["clean"] is False and data["conflicts"] == ["README.md"]
    assert {"path": "README.md", "status": "conflict", "note": "", "conflicts": 1} in (
        data["changes"]
    )
    readme = (project / "README.md").read_text()
    assert (
        "<<<<<<< ours\nMy intro.\n||||||| base\nIntro paragraph.\n=======\nTheir intro.\n"
        ">>>>>>> theirs\n"
    ) in readme
    # The markers are the user's to resolve: a second update leaves them alone, and one that
    # would merge into them again refuses until they are resolved.
    assert cli(capsys, "update", str(project))[0] == 0
    assert (project / "README.md").read_text() == readme
    templates({"common/README.md.jinja": README.replace("Intro paragraph.", "Third intro.")})
    code, _, err = cli(capsys, "update", str(project))
    assert code == 2 and "README.md still has conflict markers from the last update" in err
    assert (project / "README.md").read_text() == readme


def test_text_output_says_clearly_that_the_merge_failed(
    project: Path, templates: Use, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(project / "pipeline.py", "STEPS = [", "STEPS = ['mine', ")
    templates({"pipeline/pipeline.py.jinja": PIPELINE.replace("STEPS = [", "STEPS = ['t', ")})
    code, out, _ = cli(capsys, "update", str(project), "--conflict-style", "merge")
    assert code == 1
    assert "  CONFLICT  pipeline.py" in out
    assert "CONFLICT (content): Merge conflict in pipeline.py" in out
    assert "Automatic merge failed: wrote conflict markers into 1 file(s)" in out
    assert "||||||| base" not in (project / "pipeline.py").read_text()


def test_a_deleted_file_stays_deleted(
    project: Path, templates: Use, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pipeline.py").unlink()
    (project / "notes/keep.txt").unlink()
    templates(
        {
            "common/README.md.jinja": README + "\nMore.\n",
            "common/notes/keep.txt": "changed by the templates\n",
        }
    )
    code, out, _ = cli(capsys, "update", str(project), "--format", "json")
    assert code == 0
    assert not (project / "pipeline.py").exists() and not (project / "notes/keep.txt").exists()
    statuses = {c["path"]: c for c in json.loads(out)["changes"]}
    assert "pipeline.py" not in statuses
    assert statuses["notes/keep.txt"]["status"] == "deleted"
    assert "left deleted" in statuses["notes/keep.txt"]["note"]
    assert (project / "README.md").read_text().endswith("More.\n")


def test_files_gone_from_the_templates_are_removed_unless_you_changed_them(
    project: Path, templates: Use, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "notes/keep.txt").write_text("my notes now\n")
    (project / "notes/mine.txt").write_text("never generated\n")
    root = templates()
    shutil.rmtree(root / "common/notes")
    code, out, _ = cli(capsys, "update", str(project))
    assert code == 0
    assert not (project / "notes/old.txt").exists()
    assert (project / "notes/keep.txt").read_text() == "my notes now\n"
    assert (project / "notes/mine.txt").read_text() == "never generated\n"
    assert "  removed   notes/old.txt" in out
    assert "  kept      notes/keep.txt (no longer generated, but you changed it; kept)" in out
    (project / "notes/keep.txt").unlink()
    (project / "notes/mine.txt").unlink()
    (project / "data/blob.bin").write_bytes(b"\x00mine")
    shutil.rmtree(root / "common/data")
    assert cli(capsys, "update", str(project))[0] == 0
    assert (project / "data/blob.bin").read_bytes() == b"\x00mine"


def test_an_empty_folder_left_by_a_removal_is_removed(
    project: Path, templates: Use, capsys: pytest.CaptureFixture[str]
) -> None:
    root = templates()
    shutil.rmtree(root / "common/notes")
    assert cli(capsys, "update", str(project))[0] == 0
    assert not (project / "notes").exists()


def test_binary_files_yours_win_if_you_changed_them_else_the_templates(
    project: Path, templates: Use, capsys: pytest.CaptureFixture[str]
) -> None:
    templates({"common/data/blob.bin": b"\x00\x02v2"})
    assert cli(capsys, "update", str(project))[0] == 0
    assert (project / "data/blob.bin").read_bytes() == b"\x00\x02v2"
    (project / "data/blob.bin").write_bytes(b"\x00mine")
    templates({"common/data/blob.bin": b"\x00\x03v3"})
    code, out, _ = cli(capsys, "update", str(project))
    assert code == 0
    assert (project / "data/blob.bin").read_bytes() == b"\x00mine"
    assert "  kept      data/blob.bin (binary, changed by you and by the templates; yours" in out


def test_with_ci_adds_the_new_files_and_stays_on(
    project: Path, templates: Use, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(capsys, "update", str(project), "--with", "ci")
    assert code == 0
    assert (project / ".github/workflows/ci.yml").read_text() == "name: ci for demo\n"
    assert "  added     .github/workflows/ci.yml" in out
    assert "extras:\n  - ci\n" in (project / ".sm-advisor.yaml").read_text()
    # A forced extra stays forced on later updates, and --without takes it away again.
    assert cli(capsys, "update", str(project))[1].startswith("Already up to date")
    assert cli(capsys, "update", str(project), "--without", "ci")[0] == 0
    assert not (project / ".github").exists()


def test_changed_answers_re_render_and_switch_on_the_extras_they_meet(
    project: Path, templates: Use, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(project / "README.md", "Run the thing.", "Run the thing my way.")
    code, out, _ = cli(
        capsys, "update", str(project), "--team-size", "20", "--teams", "3", "--audit-lineage"
    )
    assert code == 0
    readme = (project / "README.md").read_text()
    assert "20 people." in readme and "Run the thing my way." in readme
    assert (project / "CODEOWNERS").read_text() == "* @team\n"
    manifest = (project / ".sm-advisor.yaml").read_text()
    assert "team_size: 20\n" in manifest and "- team\n" in manifest
    assert "  added     CODEOWNERS" in out


def test_answers_edited_in_the_manifest_are_used(
    project: Path, templates: Use, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(project / ".sm-advisor.yaml", "team_size: 1\n", "team_size: 7  # grew\n")
    assert cli(capsys, "update", str(project))[0] == 0
    assert "7 people." in (project / "README.md").read_text()
    assert "team_size: 7\n" in (project / ".sm-advisor.yaml").read_text()


def test_an_answers_file_overrides_the_stored_answers_and_flags_override_both(
    project: Path, templates: Use, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("team_size: 5\nteams: 2\n")
    assert cli(capsys, "update", str(project), "--answers", str(answers), "--teams", "3")[0] == 0
    manifest = (project / ".sm-advisor.yaml").read_text()
    assert "team_size: 5\n" in manifest and "teams: 3\n" in manifest
    assert "5 people." in (project / "README.md").read_text()


def test_a_file_you_made_where_the_templates_now_add_one_is_merged_not_replaced(
    project: Path, templates: Use, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / ".github/workflows").mkdir(parents=True)
    (project / ".github/workflows/ci.yml").write_text("name: my own ci\n")
    code, out, _ = cli(capsys, "update", str(project), "--with", "ci")
    assert code == 1 and "CONFLICT (content): Merge conflict in .github/workflows/ci.yml" in out
    text = (project / ".github/workflows/ci.yml").read_text()
    assert "name: my own ci\n" in text and "name: ci for demo\n" in text


def test_a_note_says_when_changed_answers_recommend_the_other_kind(
    tmp_path: Path, templates: Use, capsys: pytest.CaptureFixture[str]
) -> None:
    templates()
    target = tmp_path / "small"
    assert cli(capsys, "new", str(target))[0] == 0
    flags = [
        "--team-size",
        "20",
        "--teams",
        "3",
        "--tuning",
        "automated",
        "--release-frequency",
        "daily",
        "--environments",
        "3",
        "--data-size-gb",
        "900",
    ]
    code, out, _ = cli(capsys, "update", str(target), *flags)
    assert code == 0 and (target / "train.py").is_file()
    assert "note: the changed answers now recommend a pipeline project; add --kind pipeline" in out


def test_a_script_project_refuses_pipeline_extras(
    tmp_path: Path, templates: Use, capsys: pytest.CaptureFixture[str]
) -> None:
    templates()
    target = tmp_path / "small"
    assert cli(capsys, "new", str(target))[0] == 0
    code, out, err = cli(capsys, "update", str(target), "--with", "ci")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "add --kind pipeline" in err
    code, out, _ = cli(capsys, "update", str(target), "--kind", "pipeline")
    assert code == 0 and (target / "pipeline.py").is_file() and not (target / "train.py").exists()


def test_dry_run_writes_nothing_and_prints_an_applicable_diff(
    project: Path, templates: Use, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    edit(project / "README.md", "Run the thing.\n", "Run the thing.\n\nMine.\n")
    edit(project / "pipeline.py", "STEPS = [", "STEPS = ['mine', ")
    root = templates(
        {
            "common/README.md.jinja": README.replace("Intro paragraph.", "New intro."),
            "pipeline/pipeline.py.jinja": PIPELINE.replace("STEPS = [", "STEPS = ['t', "),
        }
    )
    shutil.rmtree(root / "common/notes")
    copy = tmp_path / "copy"
    shutil.copytree(project, copy)
    before = stat_of(project)
    code, out, _ = cli(capsys, "update", str(project), "--dry-run", "--with", "ci")
    assert code == 1
    assert stat_of(project) == before
    assert "--- a/README.md\n+++ b/README.md\n" in out
    assert "-Intro paragraph.\n+New intro.\n" in out
    added = "--- /dev/null\n+++ b/.github/workflows/ci.yml\n@@ -0,0 +1 @@\n+name: ci for demo\n"
    assert added in out
    assert "--- a/notes/old.txt\n+++ /dev/null\n" in out
    assert "+<<<<<<< ours\n" in out and "base.json" not in out
    assert "Would update" in out and "would write conflict markers into 1 file(s)" in out
    diff = out[: out.index("Would update")]
    subprocess.run(
        ["git", "apply", "-"], input=diff.encode(), cwd=copy, check=True, capture_output=True
    )
    assert cli(capsys, "update", str(project), "--with", "ci")[0] == 1
    actual = files_of(project)
    actual.pop(SNAPSHOT)
    applied = files_of(copy)
    applied.pop(SNAPSHOT)
    assert applied == actual


def test_dry_run_json_has_the_diff(
    project: Path, templates: Use, capsys: pytest.CaptureFixture[str]
) -> None:
    templates({"common/README.md.jinja": README + "Added.\n"})
    code, out, _ = cli(capsys, "update", str(project), "--dry-run", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["dry_run"] is True and data["clean"] is True
    assert "+Added.\n" in data["diff"]
    assert not (project / "README.md").read_text().endswith("Added.\n")


def test_update_with_no_changes_is_a_no_op(
    project: Path, templates: Use, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "mine.txt").write_text("untracked\n")
    before = stat_of(project)
    code, out, err = cli(capsys, "update", str(project))
    assert (code, err) == (0, "")
    assert out.startswith("Already up to date: ")
    assert stat_of(project) == before
    data = json.loads(cli(capsys, "update", str(project), "--format", "json")[1])
    assert data["changes"] == [] and data["clean"] is True


def test_a_user_chmod_survives_an_update(
    project: Path, templates: Use, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pipeline.py").chmod(0o755)
    templates({"pipeline/pipeline.py.jinja": PIPELINE + "\n# more\n"})
    assert cli(capsys, "update", str(project))[0] == 0
    assert (project / "pipeline.py").read_text().endswith("# more\n")
    assert (project / "pipeline.py").stat().st_mode & 0o111


def test_without_a_snapshot_the_stored_answers_are_re_rendered_as_the_base(
    project: Path, templates: Use, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / SNAPSHOT).unlink()
    edit(project / "README.md", "Run the thing.", "Run it my way.")
    code, out, _ = cli(capsys, "update", str(project), "--with", "ci")
    assert code == 0
    assert "Run it my way." in (project / "README.md").read_text()
    assert (project / ".github/workflows/ci.yml").is_file()
    assert "note: no .sm-advisor/base.json: merged against a fresh render" in out
    assert (project / SNAPSHOT).is_file()


# --- bad input: one line, exit 2, nothing written -------------------------------------------


def _sub(old: str, new: str) -> Callable[[str], str]:
    def change(text: str) -> str:
        assert old in text
        return text.replace(old, new)

    return change


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (None, ".sm-advisor.yaml not found; 'sm-advisor update' works on a project made by"),
        (lambda _: "project: [unclosed\n", "not valid YAML at line"),
        (lambda _: "- a list\n", "expected a mapping with generator, project and answers"),
        (lambda text: text + "colour: blue\n", "unknown key 'colour'"),
        (_sub("  kind: pipeline\n", ""), "missing key 'project.kind'"),
        (_sub("kind: pipeline", "kind: lambda"), "'project.kind' is invalid (input should be"),
        (_sub("extras: []", "extras: [gpu]"), "'project.extras.0' is invalid"),
        (_sub("team_size: 1", "team_size: many"), "team_size: 'many' is not accepted"),
        (_sub("team_size: 1", "team_sise: 1"), "unknown question 'team_sise'; did you mean"),
        (_sub("version: 0.1.0", "version: 99.0.0"), "newer than this 0.1.0; upgrade sm-advisor"),
    ],
)
def test_a_missing_or_malformed_manifest_is_one_line_and_exit_2(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    change: Callable[[str], str] | None,
    expected: str,
) -> None:
    path = project / ".sm-advisor.yaml"
    if change is None:
        path.unlink()
    else:
        path.write_text(change(path.read_text()))
    before = stat_of(project)
    code, out, err = cli(capsys, "update", str(project))
    assert (code, out) == (2, "")
    assert err.startswith("sm-advisor: error: ") and err.count("\n") == 1, err
    assert expected in err, err
    assert stat_of(project) == before


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--with", "gpu"], "unknown extra 'gpu'"),
        (["--with", "ci", "--without", "ci"], "ci is both in --with and --without"),
        (["--kind", "lambda"], "invalid choice: 'lambda'"),
        (["--team-size", "0"], "--team-size: '0' is not accepted"),
        (["--answers", "nope.yaml"], "nope.yaml: no such file"),
    ],
)
def test_bad_flags_are_one_line_and_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    before = stat_of(project)
    code, _, err = cli(capsys, "update", str(project), *args)
    assert code == 2 and err.count("\n") == 1 and expected in err, err
    assert stat_of(project) == before


def test_a_directory_that_is_not_there(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "update", str(tmp_path / "nowhere"))
    assert code == 2 and "is not a directory; give the folder of a generated project." in err


def test_update_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["update", "--help"])
    out = capsys.readouterr().out
    assert "--dry-run" in out and "--with EXTRAS" in out and "--team-size INT" in out
    assert "1 conflicts were written" in out


@pytest.mark.parametrize("command", ["assess --format json", "new {tmp}/demo --kind pipeline"])
def test_pydantic_stays_off_the_assess_and_new_paths(tmp_path: Path, command: str) -> None:
    argv = command.format(tmp=tmp_path).split()
    code = (
        "import sys\n"
        "from advisor.cli import main\n"
        f"rc = main({argv!r})\n"
        "print('RC', rc, 'PYDANTIC', 'pydantic' in sys.modules, file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        env={"PATH": "/usr/bin:/bin", "SM_ADVISOR_NO_CACHE": "1", "HOME": str(tmp_path)},
    )
    assert "RC 0 PYDANTIC False" in proc.stderr, proc.stderr
