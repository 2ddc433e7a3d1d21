"""The seeded fuzzing sweep in CI: a few hundred malformed inputs through the CLI.

Each must end in a correct import whose books balance, a clear InputError naming file and
row, or a counted skip (see ``tests/fuzz/cases.py``). The full run is
``benchmarks/fuzz_inputs.py``.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from framing.cli import main
from tests.fuzz.cases import FAILURES, generate, run_case

N_CASES = 300


def test_fuzzed_inputs_end_cleanly(tmp_path: Path) -> None:
    failures = []
    outcomes = set()
    for number, case in enumerate(generate(N_CASES, seed=21)):
        folder = tmp_path / f"case{number}"
        folder.mkdir()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            outcome, detail = run_case(case, folder, main=main, timeout=20)
        outcomes.add(outcome)
        if outcome in FAILURES:
            failures.append(f"{case.name}: {outcome}: {detail}")
    assert not failures, "\n".join(failures)
    assert {"error", "skip", "import"} <= outcomes  # the sweep exercises every good ending


def test_the_oracle_catches_corruption(tmp_path: Path) -> None:
    """A case whose expected text differs from the file's must be classed as corruption."""
    case = next(c for c in generate(1000, seed=21) if c.name.startswith("csv/encoding/utf-8/"))
    case.texts = {row: text + " changed" for row, text in case.texts.items()}
    outcome, _ = run_case(case, tmp_path, main=main)
    assert outcome == "corruption"


def test_the_oracle_catches_a_valid_file_refused(tmp_path: Path) -> None:
    """A valid coded sheet that the command refuses is classed as refused, not as an error."""
    case = next(c for c in generate(1000, seed=21) if c.name.startswith("sheet/good/"))
    assert case.valid
    case.argv = [a if a != "trump_ukraine_roles" else "no_such_codebook" for a in case.argv]
    outcome, _ = run_case(case, tmp_path, main=main)
    assert outcome == "refused"
