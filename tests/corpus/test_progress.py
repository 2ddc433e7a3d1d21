"""Progress bars of ``import_corpus`` (rows normalized and fingerprinted, LSH bands searched)
and ``framing corpus import --quiet``."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framing.cli import main
from framing.corpus import import_corpus
from framing.corpus._dedup import Deduplication, Hasher

WORDS = "summit ceasefire talks security guarantees europe ukraine envoy border aid".split()


def _news(folder: Path) -> Path:
    rng = np.random.default_rng(0)
    texts = [" ".join(rng.choice(WORDS, size=60)) for _ in range(6)]
    texts += [texts[0], "", texts[1].upper()]  # an exact copy, an empty text, a case copy
    path = folder / "news.csv"
    pd.DataFrame({
        "outlet": ["A", "B"] * 3 + ["C", "C", "C"],
        "date": ["2025-03-01", "2025-03-02", "not a date", *["2025-03-03"] * 6],
        "text": texts,
    }).to_csv(path, index=False)
    return path


def test_the_bars_count_every_row_and_band(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.warns(UserWarning):  # the bad date, warned and skipped
        corpus = import_corpus(_news(tmp_path), tmp_path / "store", batch_size=2,
                               on_bad_rows="warn", progress=True)
    err = capsys.readouterr().err
    rows = corpus.manifest["rows"]
    assert rows["read"] == 9 and rows["dropped"] >= 3  # the bad row, the empty text, copies
    counted = re.findall(r"import: normalize, fingerprint: (\d+)doc", err)
    assert counted and int(counted[-1]) == rows["read"]
    bands = Hasher.for_settings(Deduplication()).n_bands
    assert "import: near-duplicates: 100%" in err and f"{bands}/{bands}" in err


def test_no_bars_without_progress(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import_corpus(_news(tmp_path), tmp_path / "store", on_bad_rows="skip", progress=False)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("quiet", [True, False])
def test_corpus_import_quiet(quiet: bool, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["corpus", "import", str(_news(tmp_path)), "--out", str(tmp_path / "store"),
                 "--on-bad-rows", "skip", *(["--quiet"] if quiet else [])]) == 0
    err = capsys.readouterr().err
    assert ("import:" not in err) if quiet else ("9doc" in err and "near-duplicates" in err)
