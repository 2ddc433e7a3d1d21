"""Select candidate sentences for the SECOND FRESH TEST Trump-mention evaluation set.

Run from the repository root::

    .venv/bin/python tests/data/make_allsides_test2_sample.py

The third set (``allsides_trump_test.csv``) was scored once and its errors were then read to
revise the mention finder (generic "the president", "Ms. Trump", pronouns that mean another
man), so it became development data like the two sets before it. This fourth set is drawn
*before* that revision, the same way, from the same pool, with the functions of
``make_allsides_sentence_sample.py``, and differs in:

* the seed, 20251128;
* every article of the three earlier sets is removed from the pool before the permutation,
  and no sentence text of any of them can be drawn again (``seen`` starts with them);
* year quotas 2012-15: 1, 2016: 13 (the other years as before): after the exclusion, the
  walk finds only 1-2 pre-2016 articles whose outlet still has room (most are CNN), so with
  the old quota of 4 it never reaches 60 articles and never gets to the supplement;
* the stratum targets of the third set (they lean on pronouns and "the president"):
  a 40, b 50, c 100, d 20, e 15, f 15 (240 from the 60 articles of the main phase);
* a supplement fixed before any sentence was read: the same walk goes on for 10 more
  articles (any year, outlet cap still 2) and draws up to 1 ``b`` and 1 ``c`` sentence
  from each (phase ``supplement``), since the third set's main phase fell short of title
  rows. Its draws come after the main phase's, so the first 240 candidates do not depend
  on it.

It writes ``tests/data/allsides_trump_test2_candidates.csv`` *without labels*; the labels in
``allsides_trump_test2.csv`` were assigned by hand before the revised finder was run on these
articles (see README.md). The regular expressions only propose candidates and a stratum; they
never decide a label.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20251128
EARLIER = (
    HERE / "allsides_trump_sentences.csv",
    HERE / "allsides_trump_heldout.csv",
    HERE / "allsides_trump_test.csv",
)
OUT = HERE / "allsides_trump_test2_candidates.csv"
TARGET = {"a": 40, "b": 50, "c": 100, "d": 20, "e": 15, "f": 15}
N_SUPPLEMENT = 10
SUPPLEMENT_PICKS = {"b": 1, "c": 1}
YEAR_QUOTA = {2015: 1, 2016: 13, 2017: 13, 2018: 13, 2019: 13, 2020: 7}


def _load(name: str):
    """A sibling sampling script, loaded from its file (tests/data is not a package)."""
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def draw_after(earlier_sets: tuple[Path, ...], seed: int, out_path: Path) -> None:
    """Draw this file's way from the pool minus the articles of ``earlier_sets``, to
    ``out_path`` (the fifth set's script calls this with its own seed and exclusions)."""
    import numpy as np
    import pandas as pd

    base = _load("make_allsides_sentence_sample")
    third = _load("make_allsides_test_sample")
    # The third set's draw with this file's targets and supplement.
    third.TARGET, third.N_SUPPLEMENT, third.SUPPLEMENT_PICKS = (
        TARGET, N_SUPPLEMENT, SUPPLEMENT_PICKS,
    )
    base.YEAR_QUOTA = YEAR_QUOTA
    earlier = pd.concat([pd.read_csv(path) for path in earlier_sets])
    rows = base.eligible_rows()
    n_pool = len(rows)
    rows = rows[~rows.article_id.isin(set(earlier.doc_id))].reset_index(drop=True)
    rng = np.random.default_rng(seed)
    out = third.draw(base, rows, rng, set(earlier.sentence))
    frame = pd.DataFrame(out)
    assert not set(frame.doc_id) & set(earlier.doc_id)
    frame.to_csv(out_path, index=False)
    print(f"pool {n_pool} articles, {n_pool - len(rows)} earlier articles excluded")
    print(f"{len(out)} candidates from {frame.doc_id.nunique()} articles -> {out_path}")
    print(frame.groupby(["phase", "stratum"]).size().to_string())


def main() -> None:
    draw_after(EARLIER, SEED, OUT)


if __name__ == "__main__":
    main()
