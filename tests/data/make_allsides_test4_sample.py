"""Select candidate sentences for the FOURTH FRESH TEST Trump-mention evaluation set.

Run from the repository root::

    .venv/bin/python tests/data/make_allsides_test4_sample.py

The third test set (``allsides_trump_test3.csv``) was scored once and its errors were then
read, so it became development data like the four sets before it. This sixth set is drawn
the same way, from the same pool, with the functions of ``make_allsides_sentence_sample.py``
and the draw of ``make_allsides_test_sample.py``, exactly as the second and third test sets
were, and differs from the third test set only in:

* the seed, 20251207;
* every article of the five earlier sets is removed from the pool before the permutation,
  and no sentence text of any of them can be drawn again (``seen`` starts with them).

Everything else (year quotas, stratum targets, the supplement) is the second test set's; see
``make_allsides_test2_sample.py``.

It writes ``tests/data/allsides_trump_test4_candidates.csv`` *without labels*; the labels in
``allsides_trump_test4.csv`` were assigned by hand, blind, before the finder was run on these
articles (see README.md). The regular expressions only propose candidates and a stratum; they
never decide a label.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20251207
EARLIER = (
    HERE / "allsides_trump_sentences.csv",
    HERE / "allsides_trump_heldout.csv",
    HERE / "allsides_trump_test.csv",
    HERE / "allsides_trump_test2.csv",
    HERE / "allsides_trump_test3.csv",
)
OUT = HERE / "allsides_trump_test4_candidates.csv"


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
