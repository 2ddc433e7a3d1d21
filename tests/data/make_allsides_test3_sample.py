"""Select candidate sentences for the THIRD FRESH TEST Trump-mention evaluation set.

Run from the repository root::

    .venv/bin/python tests/data/make_allsides_test3_sample.py

The second test set (``allsides_trump_test2.csv``) was scored once and its errors were then
read, so it became development data like the three sets before it. This fifth set is drawn
the same way, from the same pool, with the functions of ``make_allsides_sentence_sample.py``
and the draw of ``make_allsides_test_sample.py``, exactly as the second test set was, and
differs from it only in:

* the seed, 20251206;
* every article of the four earlier sets is removed from the pool before the permutation,
  and no sentence text of any of them can be drawn again (``seen`` starts with them).

Everything else is the second test set's:

* year quotas 2012-15: 1, 2016: 13, 2017-2019: 13, 2020: 7. They still fill after the
  larger exclusion (the walk reaches 60 articles and then the 10 supplement articles; this
  was checked from the walk's article counts before any sentence was read), so no quota
  was changed;
* stratum targets a 40, b 50, c 100, d 20, e 15, f 15 (240 from the 60 articles of the main
  phase);
* a supplement fixed before any sentence was read: the same walk goes on for 10 more
  articles (any year, outlet cap still 2) and draws up to 1 ``b`` and 1 ``c`` sentence
  from each (phase ``supplement``). Its draws come after the main phase's, so the first 240
  candidates do not depend on it.

It writes ``tests/data/allsides_trump_test3_candidates.csv`` *without labels*; the labels in
``allsides_trump_test3.csv`` were assigned by hand, blind, before the finder was run on these
articles (see README.md). The regular expressions only propose candidates and a stratum; they
never decide a label.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20251206
EARLIER = (
    HERE / "allsides_trump_sentences.csv",
    HERE / "allsides_trump_heldout.csv",
    HERE / "allsides_trump_test.csv",
    HERE / "allsides_trump_test2.csv",
)
OUT = HERE / "allsides_trump_test3_candidates.csv"


def main() -> None:
    # The second test set's draw (same targets, quotas and supplement), with this file's seed
    # and exclusions.
    spec = importlib.util.spec_from_file_location(
        "make_allsides_test2_sample", HERE / "make_allsides_test2_sample.py")
    second = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(second)
    second.draw_after(EARLIER, SEED, OUT)


if __name__ == "__main__":
    main()
