"""Shared by the benchmarks: a corpus store made from the seeded sample generator."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def make_sample_store(workdir: Path, n_articles: int) -> Path:
    """Generate ``n_articles`` with ``framing.synthetic`` and import them (once per workdir)."""
    corpus, store = workdir / f"sample{n_articles}", workdir / f"store{n_articles}"
    if not store.exists():
        subprocess.run([sys.executable, "-m", "framing.synthetic", str(corpus), "--n-articles",
                        str(n_articles), "--force"], check=True, capture_output=True)
        subprocess.run([sys.executable, "-m", "framing", "corpus", "import",
                        str(corpus / "articles.jsonl"), "--aliases",
                        str(corpus / "outlet_aliases.csv"), "--out", str(store), "--quiet",
                        "--force"], check=True, capture_output=True)
    return store
