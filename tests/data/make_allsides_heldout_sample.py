"""Select candidate sentences for the HELD-OUT Trump-mention evaluation set.

Run from the repository root::

    .venv/bin/python tests/data/make_allsides_heldout_sample.py

Same pool, strata, quotas, targets and supplement as ``make_allsides_sentence_sample.py``
(whose functions it reuses), with three differences:

* the seed is 20251126 instead of 20251125;
* every article used in ``allsides_trump_sentences.csv`` (the development set) is removed
  from the pool before the permutation, and no sentence text of that set can be drawn again
  (``seen`` starts with them, so boilerplate repeated across articles cannot leak in);
* a second supplement (phase ``supplement2``): with this seed, main + supplement (254
  candidates) gave only 27 pronoun-about-Trump rows and 16 true decoys after labelling,
  below the targets of 40 and 20. So the same walk continues for 40 more articles (any
  year, outlet cap still 2), drawing up to 2 ``c`` and 2 ``e`` sentences from each. Its
  random draws come after all the others, so the first 254 candidates are unchanged.

It writes ``tests/data/allsides_trump_heldout_candidates.csv`` *without labels*; the labels
in ``allsides_trump_heldout.csv`` were assigned by hand (see README.md). As in the first
script, the regular expressions only propose candidates and a stratum; they never decide a
label.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20251126
DEV_SET = HERE / "allsides_trump_sentences.csv"
OUT = HERE / "allsides_trump_heldout_candidates.csv"
N_EXTRA = 40
EXTRA_PICKS = {"c": 2, "e": 2}


def _base():
    """The first sampling script, loaded from its file (tests/data is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "make_allsides_sentence_sample", HERE / "make_allsides_sentence_sample.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    import numpy as np
    import pandas as pd

    base = _base()
    dev = pd.read_csv(DEV_SET)
    rows = base.eligible_rows()
    n_pool = len(rows)
    rows = rows[~rows.article_id.isin(set(dev.doc_id))].reset_index(drop=True)
    rng = np.random.default_rng(SEED)
    out, n_docs = base.draw_sample(rows, rng, set(dev.sentence), N_EXTRA, EXTRA_PICKS)
    frame = pd.DataFrame(out)
    assert not set(frame.doc_id) & set(dev.doc_id)
    frame.to_csv(OUT, index=False)
    print(f"pool {n_pool} articles, {n_pool - len(rows)} development articles excluded")
    print(f"{len(out)} candidates from {frame.doc_id.nunique()} of {n_docs} articles -> {OUT}")
    print(frame.stratum.value_counts().sort_index().to_string())


if __name__ == "__main__":
    main()
