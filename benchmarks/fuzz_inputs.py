"""The full fuzzing sweep of issue 21: malformed and odd inputs through the ``framing`` CLI.

Run from the repository root::

    python benchmarks/fuzz_inputs.py --n 2000 --seed 0

Prints the counts by outcome (import / error / skip, and the failures: traceback, hang,
corruption, unclear, refused) and the failures grouped by kind. The cases and their oracle live in
``tests/fuzz/cases.py``; CI runs a few hundred of them (``tests/fuzz/test_fuzz.py``).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import warnings
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fuzz.cases import generate, run_all  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=20.0)
    args = parser.parse_args()
    # A case that runs away with memory fails as a traceback (MemoryError), not the machine.
    resource.setrlimit(resource.RLIMIT_AS, (6 << 30, 6 << 30))
    warnings.simplefilter("ignore")
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as workdir:
        counts, failures = run_all(generate(args.n, seed=args.seed), Path(workdir),
                                   timeout=args.timeout)
    print(f"{args.n} cases, seed {args.seed}, {time.perf_counter() - start:.0f} s")
    for outcome in ("import", "error", "skip", "traceback", "hang", "corruption", "unclear",
                    "refused"):
        print(f"  {outcome:11s} {counts.get(outcome, 0)}")
    kinds = Counter((name.rsplit("/", 1)[0], outcome) for name, outcome, _ in failures)
    for (kind, outcome), count in kinds.most_common():
        print(f"  failure {outcome}: {kind} x{count}")
    for name, outcome, detail in failures[:20]:
        print(f"    {name}: {outcome}: {detail}")


if __name__ == "__main__":
    main()
