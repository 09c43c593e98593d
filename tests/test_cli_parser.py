"""The CLI builds only the parser of the command it runs: same help, same errors, less start-up."""

from __future__ import annotations

import pytest

from advisor.cli import build_parser, main

COMMANDS = ["assess", "new", "update", "report", "tui", "explain", "schema"]


def help_of(
    parser_args: list[str], argv: list[str] | None, capsys: pytest.CaptureFixture[str]
) -> str:
    with pytest.raises(SystemExit) as done:
        build_parser(argv).parse_args(parser_args)
    assert done.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command", COMMANDS)
def test_a_command_alone_gets_the_full_parser_of_that_command(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    full = help_of([command, "--help"], None, capsys)
    assert help_of([command, "--help"], [command, "--help"], capsys) == full
    assert len(full.splitlines()) > 5


def test_the_command_list_is_complete_whatever_is_built(capsys: pytest.CaptureFixture[str]) -> None:
    full = help_of(["--help"], None, capsys)
    assert help_of(["--help"], ["--help"], capsys) == full
    assert help_of(["--help"], ["assess", "--help"], capsys) == full
    assert all(command in full for command in COMMANDS)


def test_other_commands_are_skipped_but_still_known(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser(["assess"])
    args = parser.parse_args(["assess", "--team-size", "4"])
    assert args.team_size == "4" and args.run.__module__ == "advisor.commands.assess"
    assert main(["nosuch"]) == 2
    assert "invalid choice: 'nosuch' (choose from 'assess', 'new'" in capsys.readouterr().err
