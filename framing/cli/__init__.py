"""The ``framing`` command: parses arguments and calls the stages' public API, nothing more.

Each stage's commands live in their own module here, which registers its subcommands and the
function each one runs (``set_defaults(run=...)``).
"""

from __future__ import annotations

import argparse
import difflib
import logging
import re
import sys
from collections.abc import Sequence
from typing import NoReturn

from framing import __version__
from framing.cli import _corpus, _frames, _measure, _passages, _report, _topics
from framing.corpus import FramingError

# The stages in the order ``framing --help`` lists them.
_STAGES = (_corpus, _passages, _topics, _frames, _measure, _report)
# Library messages name a setting both ways, ``force=True (--force)``: Python first, then the
# option. On the command line only the option is shown.
_BOTH_WAYS = re.compile(r"\b[a-z_]+=(?:'[^']*'|\"[^\"]*\"|[^\s(),;]*)\s\((--[a-z][a-z0-9-]*)\)")


def cli_message(message: str) -> str:
    """A library message in the command line's words: ``force=True (--force)`` -> ``--force``.

    Examples
    --------
    >>> cli_message("out exists; pass force=True (--force) to replace it")
    'out exists; pass --force to replace it'
    >>> cli_message("no coder: fill the coder column or pass coder= (--coder)")
    'no coder: fill the coder column or pass --coder'
    """
    return _BOTH_WAYS.sub(r"\1", message)


class _Parser(argparse.ArgumentParser):
    """argparse's parser, which also suggests the nearest command for a mistyped one.

    Python 3.14's ``suggest_on_error`` does this; the subcommand parsers are made by the same
    class, so ``framing frames evalute`` is answered as well as ``framing frams``.
    """

    def error(self, message: str) -> NoReturn:
        choice = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if choice:
            options = re.findall(r"'?([\w-]+)'?", choice.group(2))
            near = difflib.get_close_matches(choice.group(1), options, n=1, cutoff=0.6)
            if near:
                message += f"; did you mean {near[0]!r}?"
        super().error(message)


def build_parser() -> argparse.ArgumentParser:
    """The parser of the ``framing`` command with every stage's subcommands."""
    parser = _Parser(
        prog="framing",
        description="The framing command: parses arguments and calls the stages' public API.")
    parser.add_argument("--version", action="version", version=f"framing {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    stages = parser.add_subparsers(dest="stage", required=True)
    for stage in _STAGES:
        stage.register(stages)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``framing`` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.run(args)
    except FramingError as exc:
        print(f"framing: error: {cli_message(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("framing: interrupted; nothing was written", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
