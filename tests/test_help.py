"""Every flag of every command says what it does in --help: walks the argparse tree, so a
flag added without help fails here rather than in front of a user."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

from timeline.cli import build_parser


def _commands(parser: argparse.ArgumentParser, path: str = "timeline"
              ) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, f"{path} {name}")


def test_every_flag_has_help() -> None:
    missing = []
    commands = list(_commands(build_parser()))
    for path, parser in commands:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction | argparse._HelpAction):
                continue
            if action.help == argparse.SUPPRESS:  # a hidden alias, on purpose
                continue
            if not (action.help or "").strip():
                missing.append(f"{path} {'/'.join(action.option_strings) or action.dest}")
    assert len(commands) > 15
    assert not missing, "no help text: " + ", ".join(missing)


def test_tables_take_format_everywhere() -> None:
    """A command that prints a table takes --format (json or csv for programs)."""
    tables = {"show", "documents", "log", "runs", "stories", "entities", "query", "search",
              "stats", "diff"}
    for path, parser in _commands(build_parser()):
        name = path.split()[-1]
        if name in tables:
            assert any("--format" in a.option_strings for a in parser._actions), path


def test_log_after_is_a_seq_and_since_is_its_hidden_alias() -> None:
    p = build_parser()
    assert p.parse_args(["log", "--after", "7"]).after == 7
    assert p.parse_args(["log", "--since", "7"]).after == 7
    log = p._subparsers._group_actions[0].choices["log"]  # type: ignore[union-attr]
    assert "--since" not in log.format_usage()
    assert not [line for line in log.format_help().splitlines()
                if line.strip().startswith("--since")]
