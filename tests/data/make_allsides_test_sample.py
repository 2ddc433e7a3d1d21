"""Select candidate sentences for the FRESH TEST Trump-mention evaluation set.

Run from the repository root::

    .venv/bin/python tests/data/make_allsides_test_sample.py

The development set (``allsides_trump_sentences.csv``) and the former held-out set
(``allsides_trump_heldout.csv``) were both read while the mention finder was revised, so both
are development data now. This third set is drawn the same way, from the same pool, with the
functions of ``make_allsides_sentence_sample.py``, and differs in:

* the seed, 20251127;
* every article of both earlier sets is removed from the pool before the permutation, and no
  sentence text of either set can be drawn again (``seen`` starts with them);
* the stratum targets lean on the hard cases, pronouns (c) and "the president" (b), since
  both earlier sets fell short of pronoun rows in their main phase: a 40, b 50, c 100, d 20,
  e 15, f 15 (240): the 60 articles of the main phase (same year quotas and outlet cap) give
  up to 4 sentences each;
* a supplement of "the president" sentences: the main phase gave only 24 title references
  after labelling (the earlier sets had 43 each), so the same walk goes on for 20 more
  articles (any year, outlet cap still 2) and draws up to 2 ``b`` sentences from each (phase
  ``supplement``). Its draws come after the main phase's, so the first 240 candidates are
  unchanged. The number 20 was fixed before any supplement sentence was read, and the
  finder had not been run on any article of this set.

It writes ``tests/data/allsides_trump_test_candidates.csv`` *without labels*; the labels in
``allsides_trump_test.csv`` were assigned by hand before the finder was run on these
articles (see README.md). The regular expressions only propose candidates and a stratum;
they never decide a label.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20251127
EARLIER = (HERE / "allsides_trump_sentences.csv", HERE / "allsides_trump_heldout.csv")
OUT = HERE / "allsides_trump_test_candidates.csv"
TARGET = {"a": 40, "b": 50, "c": 100, "d": 20, "e": 15, "f": 15}
N_SUPPLEMENT = 20
SUPPLEMENT_PICKS = {"b": 2}


def _base():
    """The first sampling script, loaded from its file (tests/data is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "make_allsides_sentence_sample", HERE / "make_allsides_sentence_sample.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def draw(base, rows, rng, seen: set[str]) -> list[dict]:
    """Main phase of ``base.draw_sample`` (steps 1-4 of README.md) with this file's targets,
    then the supplement of "the president" sentences."""
    from framing.corpus import clean_text

    articles, supplement = base.sample_articles(rows, rng, N_SUPPLEMENT)
    counts = dict.fromkeys(TARGET, 0)
    out = []
    for row in articles:
        text = clean_text(row.text)
        pools = base.candidate_pools(text, seen)
        picked = []
        for _ in range(base.PER_ARTICLE):
            live = [s for s in TARGET if pools.get(s)]
            if not live:
                break
            stratum = max(live, key=lambda s: (TARGET[s] - counts[s], -list(TARGET).index(s)))
            pool = pools[stratum]
            start, end = pool.pop(int(rng.integers(len(pool))))
            counts[stratum] += 1
            seen.add(text[start:end])
            picked.append((start, end, stratum))
        out += base.record(row, text, picked, "main")
    for row in supplement:
        text = clean_text(row.text)
        pools = base.candidate_pools(text, seen)
        picked = []
        for stratum, n in SUPPLEMENT_PICKS.items():
            pool = pools.get(stratum, [])
            for _ in range(min(n, len(pool))):
                start, end = pool.pop(int(rng.integers(len(pool))))
                seen.add(text[start:end])
                picked.append((start, end, stratum))
        out += base.record(row, text, picked, "supplement")
    return out


def main() -> None:
    import numpy as np
    import pandas as pd

    base = _base()
    earlier = pd.concat([pd.read_csv(path) for path in EARLIER])
    rows = base.eligible_rows()
    n_pool = len(rows)
    rows = rows[~rows.article_id.isin(set(earlier.doc_id))].reset_index(drop=True)
    rng = np.random.default_rng(SEED)
    out = draw(base, rows, rng, set(earlier.sentence))
    frame = pd.DataFrame(out)
    assert not set(frame.doc_id) & set(earlier.doc_id)
    frame.to_csv(OUT, index=False)
    print(f"pool {n_pool} articles, {n_pool - len(rows)} earlier articles excluded")
    print(f"{len(out)} candidates from {frame.doc_id.nunique()} articles -> {OUT}")
    print(frame.stratum.value_counts().sort_index().to_string())


if __name__ == "__main__":
    main()
