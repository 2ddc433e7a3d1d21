"""The command line starts fast: its help builds without loading the stages' heavy libraries.

(Timing lives in benchmarks/cli_startup.py; this checks what makes it fast.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Libraries that take seconds to import, and the stages that load them.
HEAVY = ("sklearn", "statsmodels", "torch", "tomotopy", "scipy", "datasketch", "matplotlib",
         "gensim", "papermill", "framing.frames", "framing.topics", "framing.measure",
         "framing.text", "framing.report", "framing.viz")


def _loaded_after(code: str) -> list[str]:
    script = (f"import sys, json\n{code}\n"
              f"print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]))")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


@pytest.mark.parametrize("code", [
    "import framing",
    "import framing.corpus",
    "import framing.cli; framing.cli.build_parser()",
], ids=["framing", "framing.corpus", "cli parser"])
def test_no_heavy_library_is_imported(code: str) -> None:
    assert _loaded_after(code) == []


def test_not_fitted_error_is_still_scikit_learn_s() -> None:
    from sklearn.exceptions import NotFittedError as SklearnNotFittedError

    from framing.corpus import NotFittedError
    assert issubclass(NotFittedError, SklearnNotFittedError)


def test_help_names_what_the_stages_offer() -> None:
    # The help lists methods and templates without importing their stages: same lists.
    from framing.cli import _measure, _report
    from framing.measure import METHODS
    from framing.report import templates
    assert tuple(_measure.METHODS) == tuple(METHODS)
    assert set(_report.TEMPLATE_NAMES) == set(templates())


def _commands(parser, path=()):
    import argparse
    groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    yield path, parser, not groups
    for group in groups:
        for name, child in group.choices.items():
            yield from _commands(child, (*path, name))


def test_every_option_has_a_description_and_every_command_an_example() -> None:
    import argparse

    from framing.cli import build_parser
    skip = (argparse._HelpAction, argparse._VersionAction, argparse._SubParsersAction)
    undescribed, no_example = [], []
    for path, parser, is_command in _commands(build_parser()):
        undescribed += [(" ".join(path), action.option_strings or action.dest)
                        for action in parser._actions
                        if not isinstance(action, skip) and not (action.help or "").strip()]
        if is_command:
            help_text = parser.format_help()
            example = help_text.rsplit("Example:", 1)[-1].strip()
            if "Example:" not in help_text or not example.startswith(
                    "framing " + " ".join(path)):
                no_example.append(" ".join(path))
    assert undescribed == []
    assert no_example == []


def test_every_example_is_a_valid_command() -> None:
    import shlex

    from framing.cli import EXAMPLES, build_parser
    parser = build_parser()
    commands = {" ".join(path) for path, _, is_command in _commands(parser) if is_command}
    assert set(EXAMPLES) == commands
    for path, example in EXAMPLES.items():
        args = parser.parse_args(shlex.split(example)[1:])  # exits on an invalid one
        assert callable(args.run), path
