"""Read and parse files that someone else may have written: answers, prices, manifest, snapshot.

Every such file is untrusted input, so reading it is bounded before anything is parsed:

* only a regular file is opened (a FIFO, a device or a directory is refused after ``stat``, before
  any ``open`` for reading; ``O_NONBLOCK`` and an ``fstat`` recheck close the race), and at most
  ``limit`` bytes are read; the text must be UTF-8;
* YAML: anchors and aliases are refused (no "billion laughs"), nesting is bounded, integers are
  plain decimals of bounded length, floats are finite, and a duplicate key is an error naming the
  key and its line;
* JSON: the same bounds, and the nesting depth is checked before ``json.loads`` recurses.

Values quoted in messages go through ``generators.message_text.clip``, so they stay on one line.
Problems are raised as ``InputError`` (a ``SpecError``: bad input, exit code 2).
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from pathlib import Path
from typing import Any

from generators.errors import SpecError
from generators.message_text import clip

MIB = 1 << 20
MAX_BYTES = MIB
SNAPSHOT_MAX_BYTES = 64 * MIB  # a copy of every generated text file; a real one is ~150 KB
MAX_DEPTH = 32
MAX_YAML_EVENTS = 100_000  # an answers file has about 30; keeps a 1 MiB worst case near 1 s
MAX_DIGITS = 64
MAX_NUMBER_TEXT = 128
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


class InputError(SpecError):
    """An untrusted file is missing, too big, not a regular file, not UTF-8 or malformed."""


class MissingFile(InputError):
    """The file does not exist (callers say which flag or project file it should be)."""


def shown_path(path: str | os.PathLike[str]) -> str:
    """A path as messages show it: printable and not too long."""
    return clip(os.fspath(path), 200)


def read_bytes(path: Path, limit: int = MAX_BYTES, follow_symlinks: bool = True) -> bytes:
    """Read a regular file of at most ``limit`` bytes; refuse anything else before reading.

    With ``follow_symlinks=False`` (files inside a project) a symbolic link is refused too.
    """
    where = shown_path(path)
    try:
        st = Path(path).stat(follow_symlinks=follow_symlinks)
    except FileNotFoundError:
        raise MissingFile(f"{where}: no such file.") from None
    except OSError as err:
        raise InputError(f"{where}: cannot be read ({err.strerror}).") from None
    _check_kind(st, where, limit)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    flags |= 0 if follow_symlinks else getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as err:
        raise InputError(f"{where}: cannot be read ({err.strerror}).") from None
    try:
        _check_kind(os.fstat(fd), where, limit)
        return _read_at_most(fd, where, limit)
    except OSError as err:
        raise InputError(f"{where}: cannot be read ({err.strerror}).") from None
    finally:
        os.close(fd)


def _check_kind(st: os.stat_result, where: str, limit: int) -> None:
    if stat.S_ISLNK(st.st_mode):
        raise InputError(f"{where}: is a symbolic link; sm-advisor does not follow links here.")
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{where}: is a directory; give the path of a file.")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(
            f"{where}: is not a regular file (a FIFO, device or socket); give the path of a file."
        )
    if st.st_size > limit:
        raise InputError(f"{where}: is {_size(st.st_size)}, more than the {_size(limit)} allowed.")


def _read_at_most(fd: int, where: str, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while chunk := os.read(fd, min(limit + 1 - size, MIB)):
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise InputError(f"{where}: is more than the {_size(limit)} allowed.")
    return b"".join(chunks)


def _size(n: int) -> str:
    return f"{n / MIB:.3g} MiB" if n >= MIB else f"{n:,} bytes"


def read_text(path: Path, limit: int = MAX_BYTES, follow_symlinks: bool = True) -> str:
    """Read a bounded regular file as strict UTF-8 (a leading byte-order mark is dropped)."""
    return decode(read_bytes(path, limit, follow_symlinks), shown_path(path))


def decode(data: bytes, where: str) -> str:
    """Decode strict UTF-8, or say where the first bad byte is."""
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as err:
        raise InputError(
            f"{where}: is not UTF-8 text (bad byte at offset {err.start}); save it as UTF-8."
        ) from None


def load_file(path: Path, limit: int = MAX_BYTES, follow_symlinks: bool = True) -> Any:
    """Read and parse a bounded ``.json`` file, or YAML for any other suffix."""
    text = read_text(path, limit, follow_symlinks)
    where = shown_path(path)
    return load_json(text, where) if path.suffix.lower() == ".json" else load_yaml(text, where)


# --- JSON ----------------------------------------------------------------------------------


# A whole string (possessive: no backtracking), a bracket, or the quote of an unterminated string.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*+"|[\[\]{}]|"', re.DOTALL)


def load_json(text: str, where: str, max_depth: int = MAX_DEPTH) -> Any:
    """Parse JSON with bounded depth and numbers, refusing duplicate keys, NaN and Infinity."""
    _check_json_depth(text, where, max_depth)
    try:
        return json.loads(
            text,
            object_pairs_hook=_unique_pairs,
            parse_int=_json_int,
            parse_float=_json_float,
            parse_constant=_json_constant,
        )
    except _Refused as err:
        raise InputError(f"{where}: {err}.") from None
    except json.JSONDecodeError as err:
        raise InputError(
            f"{where}: not valid JSON at line {err.lineno}, column {err.colno} ({err.msg})."
        ) from None
    except RecursionError:  # unreachable after the depth check; a guard, not a path
        raise InputError(f"{where}: nested too deeply.") from None


class _Refused(ValueError):
    """A value the bounds refuse; becomes an ``InputError`` naming the file."""


def _check_json_depth(text: str, where: str, max_depth: int) -> None:
    depth = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token == '"':
            return  # an unterminated string: json.loads says where
        if token[0] == '"':
            continue
        depth += 1 if token in "[{" else -1
        if depth > max_depth:
            line = text.count("\n", 0, match.start()) + 1
            raise InputError(
                f"{where}: nested more than {max_depth} levels deep (line {line}); "
                "this file does not need that."
            )


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Refused(f"duplicate key '{clip(key)}'; keep one of them")
        result[key] = value
    return result


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _Refused(f"an integer of more than {MAX_DIGITS} digits ({clip(text, 20)})")
    return int(text)


def _json_float(text: str) -> float:
    if len(text) > MAX_NUMBER_TEXT:
        raise _Refused(f"a number written with more than {MAX_NUMBER_TEXT} characters")
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"the number {clip(text, 20)} is too large")
    return value


def _json_constant(text: str) -> Any:
    raise _Refused(f"{text} is not a number sm-advisor accepts; use a finite number")


# --- YAML ----------------------------------------------------------------------------------


def load_yaml(text: str, where: str, max_depth: int = MAX_DEPTH) -> Any:
    """Parse YAML with PyYAML's safe loader, bounded: no anchors or aliases, bounded depth."""
    import yaml

    loader_class = _loader_class()
    try:
        _check_yaml_events(text, where, loader_class, max_depth)
        loader = loader_class(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = f" at line {mark.line + 1}" if mark is not None else ""
        problem = err.problem or err.context or "malformed YAML"
        raise InputError(f"{where}: not valid YAML{line} ({clip(problem, 160)}).") from None
    except InputError:
        raise
    except Exception as err:  # PyYAML's constructors can fail in many ways on odd tagged values
        detail = str(err) or type(err).__name__
        raise InputError(f"{where}: not valid YAML ({clip(detail, 160)}).") from None


def _check_yaml_events(text: str, where: str, loader_class: type[Any], max_depth: int) -> None:
    """Walk the parse events (libyaml when available): refuse aliases, anchors and deep nesting."""
    import yaml

    depth = 0
    for count, event in enumerate(yaml.parse(text, Loader=loader_class)):
        problem = ""
        if count > MAX_YAML_EVENTS:
            problem = f"more than {MAX_YAML_EVENTS:,} values and collections"
        elif isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            problem = "anchors and aliases (& and *) are not accepted; write the values out"
        elif isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            problem = f"nested more than {max_depth} levels deep" if depth > max_depth else ""
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        if problem:
            mark = event.start_mark
            line = f" at line {mark.line + 1}" if mark is not None else ""
            raise InputError(f"{where}: not valid YAML{line} ({problem}).")


_LOADER: type[Any] | None = None


def _loader_class() -> type[Any]:
    """Build (once) a safe loader subclass with bounded numbers and duplicate-key checks."""
    global _LOADER
    if _LOADER is None:
        import yaml

        base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        _LOADER = type(
            "BoundedLoader",
            (base,),
            {
                "construct_mapping": _construct_mapping,
                "yaml_constructors": {
                    **base.yaml_constructors,
                    "tag:yaml.org,2002:int": _construct_int,
                    "tag:yaml.org,2002:float": _construct_float,
                    "tag:yaml.org,2002:timestamp": _construct_timestamp,
                },
            },
        )
    return _LOADER


def _fail(node: Any, problem: str) -> Exception:
    import yaml

    return yaml.constructor.ConstructorError(problem=problem, problem_mark=node.start_mark)


def _construct_int(loader: Any, node: Any) -> int:
    """A plain decimal integer of bounded length: not ``0x1f``, ``017``, ``1_000`` or ``1:30``."""
    text = str(loader.construct_scalar(node))
    if not _DECIMAL.fullmatch(text):
        raise _fail(node, f"'{clip(text, 20)}' is not a plain decimal integer (digits 0-9)")
    if len(text.lstrip("+-")) > MAX_DIGITS:
        raise _fail(node, f"an integer of more than {MAX_DIGITS} digits")
    return int(text)


def _construct_float(loader: Any, node: Any) -> float:
    """A finite decimal number: not ``.inf``, ``.nan``, ``1e999`` or ``1_0.5``."""
    text = str(loader.construct_scalar(node))
    if len(text) > MAX_NUMBER_TEXT or not _FLOAT.fullmatch(text):
        raise _fail(node, f"'{clip(text, 20)}' is not a finite number (digits 0-9)")
    value = float(text)
    if not math.isfinite(value):
        raise _fail(node, f"the number {clip(text, 20)} is too large")
    return value


def _construct_timestamp(loader: Any, node: Any) -> Any:
    """A real date or time (``2026-13-45`` is an error at its line, not a crash)."""
    import yaml

    text = str(loader.construct_scalar(node))
    try:
        if yaml.SafeLoader.timestamp_regexp.match(text) is None:
            raise ValueError("not a date")
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError) as err:
        raise _fail(node, f"'{clip(text, 40)}' is not a real date or time ({err})") from None


def _construct_mapping(loader: Any, node: Any, deep: bool = False) -> dict[Any, Any]:
    """PyYAML's mapping, but a key given twice is an error naming the key and its line."""
    import yaml

    seen: set[Any] = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in seen
            seen.add(key)
        except TypeError:
            raise _fail(key_node, "a mapping key must be a plain value") from None
        if duplicate:
            raise _fail(key_node, f"duplicate key '{clip(key)}'; keep one of them")
    return dict(yaml.SafeLoader.construct_mapping(loader, node, deep=deep))
