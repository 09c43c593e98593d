"""The CLI builds only the parser of the command it runs: same help, same errors, less start-up.

A parser built for an ``argv`` is only ever used to parse that ``argv`` (``advisor.cli.main``).
"""

from __future__ import annotations

import shutil

import pytest

from advisor.cli import build_parser, main
from advisor.commands import NAMES, command
from advisor.help_format import terminal_columns

COMMANDS = [command(name) for name in NAMES]


def help_of(argv: list[str], capsys: pytest.CaptureFixture[str], partial: bool = True) -> str:
    """The help ``argv`` prints, from the parser built for it (``partial``) or the full one."""
    with pytest.raises(SystemExit) as done:
        build_parser(argv if partial else None).parse_args(argv)
    assert done.value.code == 0
    return capsys.readouterr().out


def test_every_command_is_in_the_module_named_after_it() -> None:
    assert [c.name for c in COMMANDS] == list(NAMES)
    assert NAMES == ("assess", "new", "update", "report", "tui", "explain", "schema")


@pytest.mark.parametrize("command", NAMES)
def test_a_command_alone_gets_the_full_parser_of_that_command(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    full = help_of([command, "--help"], capsys, partial=False)
    assert help_of([command, "--help"], capsys) == full
    assert "--debug" in full


def test_the_command_list_is_the_same_whatever_is_built(capsys: pytest.CaptureFixture[str]) -> None:
    full = help_of(["--help"], capsys, partial=False)
    assert help_of(["--help"], capsys) == full
    assert help_of(["--debug", "--help"], capsys) == full
    for listed in COMMANDS:
        assert f"    {listed.name:<10}{listed.help[:40]}" in full


@pytest.mark.parametrize(
    "argv",
    [
        ["assess", "--team-size", "4", "--format", "json"],
        ["--debug", "new", "demo", "--kind", "pipeline", "--with", "ci,spark"],
        ["update", "demo", "--dry-run", "--debug"],
        ["report", "-o", "-", "--status", "Accepted"],
        ["explain", "--format", "markdown"],
        ["schema"],
        ["tui", "--answers", "a.yaml"],
        ["new", "assess", "--kind", "script"],  # a DIR named like a command
        ["--debug"],
    ],
)
def test_a_partial_parser_parses_like_the_full_one(argv: list[str]) -> None:
    assert vars(build_parser(argv).parse_args(argv)) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [
        ["assess", "--bogus"],
        ["new"],
        ["report", "--status", "Done", "-o", "x.md"],
        ["update", "demo", "--kind", "notebook"],
        ["--debug", "nosuch", "assess"],
        ["assess", "--version"],
        ["--debug", "--", "schema"],
    ],
)
def test_a_partial_parser_refuses_like_the_full_one(argv: list[str]) -> None:
    errors = []
    for built_for in (argv, None):
        with pytest.raises(Exception) as refused:
            build_parser(built_for).parse_args(argv)
        errors.append((type(refused.value), str(refused.value)))
    assert errors[0] == errors[1]
    assert "run 'sm-advisor" in errors[0][1]


def test_other_commands_are_skipped_but_still_known(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser(["assess"])
    args = parser.parse_args(["assess", "--team-size", "4"])
    assert args.team_size == "4" and args.run.__module__ == "advisor.commands.assess"
    assert main(["nosuch"]) == 2
    assert "invalid choice: 'nosuch' (choose from 'assess', 'new'" in capsys.readouterr().err


@pytest.mark.parametrize("columns", [None, "50", "200", "0", "-3", "wide", ""])
def test_help_is_as_wide_as_argparse_would_make_it(
    columns: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The formatters read the width without shutil, exactly as shutil.get_terminal_size does."""
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    assert terminal_columns() == shutil.get_terminal_size().columns


def test_help_follows_the_terminal_width(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    narrow = help_of(["assess", "--help"], capsys)
    monkeypatch.setenv("COLUMNS", "200")
    wide = help_of(["assess", "--help"], capsys)
    assert len(narrow.splitlines()) > len(wide.splitlines())
    assert max(map(len, wide.splitlines())) > 100
