"""The untrusted-input module on its own: reading, parsing bounds, and one-line values."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generators import untrusted
from generators.errors import SpecError
from generators.message_text import clip, one_line
from generators.untrusted import InputError, load_json, load_yaml, read_bytes


def test_errors_are_spec_errors_so_the_shells_exit_2() -> None:
    assert issubclass(InputError, SpecError) and issubclass(untrusted.MissingFile, InputError)


def test_reads_a_regular_file_and_drops_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b'\xef\xbb\xbf{"a": 1}')
    assert untrusted.load_file(path) == {"a": 1}


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: os.mkfifo(p), r"is not a regular file \(a FIFO, device or socket\)"),
        (lambda p: p.symlink_to("/dev/null"), "is not a regular file"),
    ],
    ids=["directory", "fifo", "device-link"],
)
def test_refuses_what_is_not_a_regular_file(
    tmp_path: Path, make: Callable[[Path], object], expected: str
) -> None:
    path = tmp_path / "x"
    make(path)
    with pytest.raises(InputError, match=expected):
        read_bytes(path)


def test_a_link_is_refused_inside_a_project(tmp_path: Path) -> None:
    (tmp_path / "real").write_text("a: 1\n")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert read_bytes(tmp_path / "link") == b"a: 1\n"
    with pytest.raises(InputError, match="is a symbolic link"):
        read_bytes(tmp_path / "link", follow_symlinks=False)


def test_the_cap_holds_for_files_whose_size_is_not_known() -> None:
    with pytest.raises(InputError, match="is more than the 10 bytes allowed"):
        read_bytes(Path("/proc/self/status"), limit=10)


def test_a_file_at_the_cap_is_read_and_one_byte_more_is_not(tmp_path: Path) -> None:
    path = tmp_path / "a"
    path.write_bytes(b"x" * 100)
    assert read_bytes(path, limit=100) == b"x" * 100
    with pytest.raises(InputError, match="is 101 bytes, more than the 100 bytes allowed"):
        path.write_bytes(b"x" * 101)
        read_bytes(path, limit=100)


def test_unreadable_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(untrusted.MissingFile, match="no such file"):
        read_bytes(tmp_path / "missing")
    (tmp_path / "file").write_text("")
    with pytest.raises(InputError, match=r"file/x: cannot be read \(Not a directory\)"):
        read_bytes(tmp_path / "file" / "x")


# --- JSON --------------------------------------------------------------------------------------


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    text = '{"a": "' + "[" * 1000 + '", "b": ["]]]", {"c": "\\"[["}]}'
    assert load_json(text, "x")["b"][0] == "]]]"


def test_the_depth_limit_is_exact() -> None:
    assert load_json("[" * 32 + "]" * 32, "x") is not None
    with pytest.raises(InputError, match="nested more than 32 levels deep"):
        load_json("[" * 33 + "]" * 33, "x")


def test_pathological_strings_are_scanned_in_linear_time() -> None:
    start = time.process_time()
    with pytest.raises(InputError):
        load_json('"\\"' * 300_000, "x")  # an unterminated string full of escaped quotes
    with pytest.raises(InputError):
        load_json('["' + "\\" * 500_000, "x")
    assert time.process_time() - start < 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": NaN}', "NaN is not a number sm-advisor accepts"),
        ('{"a": -Infinity}', "-Infinity is not a number"),
        ('{"a": 1e400}', "the number 1e400 is too large"),
        ('{"a": -' + "1" * 65 + "}", "an integer of more than 64 digits"),
        ('{"a": {"b": 1, "b": 2}}', "duplicate key 'b'"),
        ('{"a": 1', "not valid JSON at line 1, column 8"),
    ],
)
def test_json_bounds(text: str, expected: str) -> None:
    with pytest.raises(InputError, match=expected):
        load_json(text, "x")


def test_json_at_the_bounds_is_accepted() -> None:
    assert load_json('{"a": ' + "9" * 64 + ', "b": 1e308, "c": -0.5}', "x")["b"] == 1e308


# --- YAML --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: &x 1", "line 1 (anchors and aliases"),
        ("a: 1\nb:\n  c: 1\n  c: 2\n", "line 4 (duplicate key 'c'"),
        ("a: 0b101", "'0b101' is not a plain decimal integer"),
        ("a: 1_000.5", "'1_000.5' is not a finite number"),
        ("a: -.inf", "'-.inf' is not a finite number"),
        ("a: 1.0e+999", "the number 1.0e+999 is too large"),
        ("a: 2026-02-30", "'2026-02-30' is not a real date or time"),
        ("a: !!timestamp soon", "'soon' is not a real date or time"),
        ("? [1]\n: 2", "a mapping key must be a plain value"),
        ("a: !!python/object/apply:os.system [ls]", "could not determine a constructor"),
        ("a: [1, 2", "not valid YAML at line"),
        ("a: b\n\x00", "not valid YAML"),
    ],
)
def test_yaml_bounds(text: str, expected: str) -> None:
    with pytest.raises(InputError) as info:
        load_yaml(text, "x")
    assert expected in str(info.value) and "\n" not in str(info.value)


def test_yaml_within_the_bounds_loads_as_before() -> None:
    text = "a: 12\nb: -1.5e+3\nc: yes\nd: [1, {e: f}]\ng: 2026-03-01\nh: ~\n<<: {i: 1}\n"
    data = load_yaml(text, "x")
    assert data["a"] == 12 and data["b"] == -1500.0 and data["c"] is True and data["i"] == 1
    assert str(data["g"]) == "2026-03-01" and data["h"] is None


# --- messages ----------------------------------------------------------------------------------


def test_clip_escapes_and_cuts() -> None:
    assert clip("a\nb\x1b[2J") == "a\\nb\\x1b[2J"
    assert clip("x" * 100) == "x" * 60 + "…"
    assert clip("é€ok") == "é€ok"
    assert len(clip(list(range(10**6)))) <= 61


def test_clip_never_expands_shared_structures_or_huge_integers() -> None:
    nested: list[object] = [0]
    for _ in range(50):
        nested = [nested] * 10
    start = time.process_time()
    assert len(clip(nested)) <= 61 and len(clip(10**5000)) <= 61
    assert time.process_time() - start < 1


def test_one_line_keeps_the_end_of_a_long_message() -> None:
    message = one_line("start " + "x\n" * 10_000 + "; do this next.")
    assert "\n" not in message and len(message) <= 1000
    assert message.startswith("start x\\nx") and message.endswith("; do this next.")
