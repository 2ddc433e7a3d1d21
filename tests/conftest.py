"""Shared fixtures: paths to the shared datasets (skipped with a reason when absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
SAMPLE = REPO / "corpora" / "sample"


def shared_path(*parts: str) -> Path:
    """A path under ../shared/data, or skip the test when it is not there."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared dataset not available: {path} (expected beside the repo)")
    return path


@pytest.fixture
def write(tmp_path: Path):
    """Write bytes or text to a file under tmp_path and return its path."""

    def _write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode(encoding))
        return path

    return _write


def sample_truth_passages() -> pd.DataFrame:
    """The sample corpus's planted Trump passages with their text (offsets into raw texts)."""
    articles, table = SAMPLE / "articles.jsonl", SAMPLE / "truth" / "passages.csv"
    texts = {}
    with open(articles, encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            texts[row["doc_id"]] = row["text"]
    passages = pd.read_csv(table)
    passages["text"] = [texts[d][s:e] for d, s, e in
                        zip(passages["doc_id"], passages["start"], passages["end"], strict=True)]
    return passages
