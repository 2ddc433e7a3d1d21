"""Benchmark: ``kwic`` on one very long article with many mentions.

The case from issue 21: one 276k-character article with about 13,000 mentions of the actor.
Builds the article from a seeded mix of sentences, finds its passages and mentions with
``extract_passages`` (not timed), then times ``kwic(mentions, documents, passages=...)`` and
its peak memory in a fresh subprocess.

    python benchmarks/kwic_long.py [--chars 276000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

_CHILD = r"""
import json, resource, sys, time
import pandas as pd
from framing.text import kwic, load_passages
folder = sys.argv[1]
found = load_passages(folder)
documents = pd.read_parquet(sys.argv[2])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
table = kwic(found.mentions, documents, actor=found.manifest["actor"], passages=found.passages)
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": round(seconds, 2), "rows": len(table),
                  "n_mentions": len(found.mentions), "n_passages": len(found.passages),
                  "peak_rss_mb": round(peak / 1024), "growth_mb": round((peak - before) / 1024)}))
"""

SENTENCES = [
    "Trump said the talks in Geneva would go on.",
    "He met Zelensky and the Ukrainian delegation on Tuesday.",
    "The president told reporters that a ceasefire was close.",
    "Officials in Kyiv doubted the plan.",
    "Markets rose as investors weighed the news from Washington.",
    "Trump's envoy flew to Moscow for more talks.",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=276_000)
    args = parser.parse_args()
    import numpy as np
    import pandas as pd

    from framing.text import extract_passages

    rng = np.random.default_rng(0)
    parts, size = [], 0
    while size < args.chars:
        sentence = SENTENCES[int(rng.integers(len(SENTENCES)))]
        parts.append(sentence)
        size += len(sentence) + 1
    text = " ".join(parts)[: args.chars]
    documents = pd.DataFrame({"doc_id": ["long"], "outlet": ["X"],
                              "date": [pd.Timestamp("2025-03-01")], "text": [text]})
    with tempfile.TemporaryDirectory() as tmp:
        extract_passages(documents, out=Path(tmp) / "passages", progress=False)
        documents.to_parquet(Path(tmp) / "documents.parquet", index=False)
        result = subprocess.run([sys.executable, "-c", _CHILD, str(Path(tmp) / "passages"),
                                 str(Path(tmp) / "documents.parquet")],
                                capture_output=True, text=True, check=True)
    print(json.dumps({"chars": len(text), **json.loads(result.stdout)}))


if __name__ == "__main__":
    main()
