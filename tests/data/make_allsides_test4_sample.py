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
OUT = HERE / "allsides_trump_test4_candidates.csv"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    # The fifth set's exclusions plus the fifth set itself, drawn the second test set's way.
    fifth = _load("make_allsides_test3_sample")
    earlier = (*fifth.EARLIER, HERE / "allsides_trump_test3.csv")
    _load("make_allsides_test2_sample").draw_after(earlier, SEED, OUT)


if __name__ == "__main__":
    main()
