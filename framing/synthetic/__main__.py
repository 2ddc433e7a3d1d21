"""``python -m framing.synthetic OUT_DIR [--n-articles N] [--seed S] [--force]``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from framing.corpus._errors import FramingError
from framing.synthetic._generate import generate_sample_corpus


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, generate the corpus and print its counts as JSON."""
    parser = argparse.ArgumentParser(
        prog="python -m framing.synthetic",
        description="Write the seeded, fictitious sample corpus with planted ground truth.",
    )
    parser.add_argument("out_dir", help="folder for articles.jsonl, outlet_aliases.csv, truth/")
    parser.add_argument("--n-articles", type=int, default=2000, help="rows (default 2000)")
    parser.add_argument(
        "--seed", type=int, default=20250101, help="random state (default 20250101)"
    )
    parser.add_argument("--force", action="store_true", help="replace existing files")
    args = parser.parse_args(argv)
    try:
        counts = generate_sample_corpus(
            args.out_dir, n_articles=args.n_articles, random_state=args.seed, force=args.force
        )
    except FramingError as exc:
        parser.exit(2, f"error: {exc}\n")
    sys.stdout.write(json.dumps(counts, indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
