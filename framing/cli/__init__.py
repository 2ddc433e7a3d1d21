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


#: The example that ends each command's help, by command path.
EXAMPLES: dict[str, str] = {
    "corpus import": "framing corpus import corpora/sample/articles.jsonl "
                     "--aliases corpora/sample/outlet_aliases.csv --out store",
    "corpus info": "framing corpus info store --by outlet",
    "passages extract": "framing passages extract --corpus store --actor trump "
                        "--issue ukraine_peace --out passages",
    "passages import": "framing passages import coded.csv --out passages --drop favourable",
    "passages kwic": "framing passages kwic passages --html kwic.html",
    "passages audit": "framing passages audit passages --out audit.csv",
    "topics tokens": "framing topics tokens --corpus store --out tokens",
    "topics infer": "framing topics infer topics.bundle --tokens tokens --out doc_topics",
    "topics fit": "framing topics fit --corpus store --k 12 --out topics.bundle",
    "topics search-k": "framing topics search-k --corpus store --ks 5,10,15 --out k_search.csv",
    "topics show": "framing topics show topics.bundle --by frex",
    "topics label": "framing topics label topics.bundle labels.csv",
    "topics prevalence": "framing topics prevalence topics.bundle --corpus store "
                         "--by outlet,period --out topics.csv",
    "topics effects": "framing topics effects topics.bundle --doc-term poliblog "
                      "--formula 'rating + s(day)' --out effects.csv",
    "topics intrusion": "framing topics intrusion topics.bundle --out intrusion.csv",
    "frames sample": "framing frames sample passages --random 200 --active 100 --out sample.csv",
    "frames export": "framing frames export sample.csv --format labelstudio --out to_code",
    "frames import": "framing frames import corpora/sample/annotations.csv "
                     "--out annotations.csv",
    "frames agreement": "framing frames agreement annotations.csv",
    "frames train": "framing frames train passages annotations.csv --out model.bundle",
    "frames evaluate": "framing frames evaluate passages annotations.csv "
                       "--predictions oof.parquet",
    "frames apply": "framing frames apply model.bundle passages --out passage_frames.parquet",
    "frames cold-start": "framing frames cold-start passages --out cold_start.csv",
    "frames retrain": "framing frames retrain model.bundle passages --annotations "
                      "annotations.csv --new-annotations new.csv --out model2.bundle",
    "measure prevalence": "framing measure prevalence --frames passage_frames.parquet "
                          "--validation oof.parquet --by outlet --out prevalence.csv",
    "measure differences": "framing measure differences --frames passage_frames.parquet "
                           "--validation oof.parquet --by outlet,period --out changes.csv",
    "report": "framing report --corpus store --out reports/run "
              "--annotations corpora/sample/annotations.csv",
}
#: Descriptions of options that mean the same in every command that has them.
_COMMON_HELP = {
    "seed": "random seed: the same seed gives the same result (default %(default)s)",
    "force": "replace an output that already exists",
    "batch_size": "rows read and written per batch: lower it to use less memory "
                  "(default %(default)s)",
    "n_bootstrap": "bootstrap resamples behind each interval (default %(default)s)",
    "confidence": "coverage of the intervals (default %(default)s)",
    "min_documents": "cells with fewer documents are flagged thin (default %(default)s)",
    "codebook": "a shipped codebook name or a codebook YAML file (default %(default)s)",
    "folds": "cross-validation folds (default %(default)s)",
}


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, which keeps the example after the options as written (one
    command per line, never wrapped mid-command)."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.startswith("Example"):
            return "\n".join(indent + line for line in text.splitlines())
        return super()._fill_text(text, width, indent)


def _finish_help(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> None:
    """Give every command its example and the common options their description."""
    subcommands = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    for action in parser._actions:
        if action.help is None and action.dest in _COMMON_HELP:
            action.help = _COMMON_HELP[action.dest]
    for group in subcommands:
        for name, child in group.choices.items():
            _finish_help(child, (*path, name))
    if not subcommands and path:
        parser.formatter_class = _HelpFormatter
        example = EXAMPLES.get(" ".join(path))
        if example:
            parser.epilog = f"Example:\n  {example}"


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
    _finish_help(parser)
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
