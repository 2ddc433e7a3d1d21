"""How long ``framing --help`` takes: the wall time of fresh processes, median of several runs.

Also times the import of ``framing.corpus`` alone and, as the floor, of pandas (which the
command line needs). Run from the repository root:

    python benchmarks/cli_startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = {
    "python (nothing)": [sys.executable, "-c", "pass"],
    "import pandas": [sys.executable, "-c", "import pandas"],
    "import framing.corpus": [sys.executable, "-c", "import framing.corpus"],
    "framing --help": [sys.executable, "-m", "framing", "--help"],
    "framing frames train --help": [sys.executable, "-m", "framing", "frames", "train", "--help"],
}


def _wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per command (default 7)")
    args = parser.parse_args()
    print(f"| command | median wall (s), {args.runs} runs | min |")
    print("| --- | --- | --- |")
    for name, command in COMMANDS.items():
        _wall(command)  # warm the file cache
        times = [_wall(command) for _ in range(args.runs)]
        print(f"| `{name}` | {statistics.median(times):.2f} | {min(times):.2f} |")


if __name__ == "__main__":
    main()
