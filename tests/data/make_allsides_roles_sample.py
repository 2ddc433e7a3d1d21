"""Select the passages of the real-news frame-role coded set (issue 18).

Run from the repository root::

    .venv/bin/python tests/data/make_allsides_roles_sample.py

It writes ``tests/data/allsides_trump_roles_candidates.csv``: 680 passages about Trump, with
their split (``dev`` 300 + 200 supplement / ``test`` 180), *without labels*. The labels in
``allsides_trump_roles_coder_a.csv`` / ``_coder_b.csv`` / ``allsides_trump_roles.csv`` were
given by two coders who read only the codebook
``framing/data/codebooks/trump_russia_ukraine_2016_2020.yaml`` and the passages (see
``README.md``, "Frame-role coded set").

Selection (seed 20261207):

1. Pool: ``articles.parquet`` rows with ``mentions_trump & mentions_ukraine_russia &
   date.notna()``, **minus every article in ``reserved_for_evaluation.txt``** (kept for an
   independent evaluation).
2. Passages: ``framing.text.extract_passages`` with the defaults a user gets (the shipped
   actor file, Trump, the ``ukraine_peace`` issue, one sentence either side) on
   ``clean_text(title + "\\n\\n" + text)``: the passages a user of the tool would code.
   Passages longer than 1,200 characters are left out (coders read a passage as one unit).
3. Articles are split (one ``default_rng(SEED)`` permutation of the sorted article ids) into
   ``dev`` and ``test`` before any passage is drawn, so no article has passages in both.
4. Each passage gets the *cue strata* its text matches (surface regexes below, selection
   only, never a label): ``peace`` (summits, talks, deals, relations), ``burden`` (aid,
   NATO, allies, troops, paying), ``doubt`` (doubt, trust, intelligence, corruption) or
   ``plain`` (none of them). Roles are rare in this coverage (most passages are about the
   investigations), so cue passages are drawn more often than their share: the targets per
   split are 30% peace, 25% burden, 25% doubt and 20% plain. The walk through the shuffled
   passages takes a passage when its article has fewer than 2 passages in the split, its
   outlet fewer than ``MAX_PER_OUTLET``, its bias label fewer than a third of the split, and
   one of its strata (the one furthest below target) still has room.

6. Second blind part (``phase`` = ``blind2``, written to
   ``allsides_trump_roles_blind2_candidates.csv``), drawn after the first test part had been
   scored once: up to 300 passages (299: the walk ran out of burden-cue passages under the
   caps) of ``test`` articles the first test part did not use, the same
   walk with the same caps, continuing the rng after the supplement.

7. Third blind part (``phase`` = ``blind3``, written to
   ``allsides_trump_roles_blind3_candidates.csv``), drawn after the second blind part had been
   scored once: up to 300 passages of articles **no earlier draw used, in either split** (the
   test articles alone ran short), the same walk with the same caps, continuing the rng after
   the second blind part. Every earlier draw is unchanged.

5. Supplement (``phase`` = ``supplement``, coded after the main draw, so that learning
   curves reach 400 training passages): the same rng continues and draws 200 more ``dev``
   passages the same way, with one more passage allowed per article and ``SUPPLEMENT_PER_OUTLET``
   more per outlet. The main draw is unchanged by it.

The stratum each passage was drawn for is in the ``stratum`` column and ``n_pool_with_cue``
counts the split's pool passages whose text has that cue, so shares measured on this set are
shares of this set (cue passages over-represented), not of the pool.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from framing.corpus import clean_text
from framing.text import extract_passages

SEED = 20261207
N = {"dev": 300, "test": 180}
TEST_SHARE = 0.4  # of articles, before drawing passages
SHARES = {"peace": 0.30, "burden": 0.25, "doubt": 0.25, "plain": 0.20}
MAX_PER_ARTICLE = 2
MAX_PER_OUTLET = 14
MAX_CHARS = 1200
# Supplement: 200 more dev passages, drawn after the main draw (learning curves to 400).
N_SUPPLEMENT = 200
SUPPLEMENT_PER_OUTLET = 8
# Second blind part (drawn after the first test part was scored once): 300 test passages from
# test articles the first test part did not use, the same walk continuing the same rng.
N_BLIND2 = 300
# Third blind part (drawn after the second was scored once): 300 passages from articles that no
# earlier draw used, in either split, the same walk continuing the same rng.
N_BLIND3 = 300

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
FOLDER = REPO.parent / "shared" / "data" / "allsides_article_bias"
OUT = HERE / "allsides_trump_roles_candidates.csv"
OUT_BLIND2 = HERE / "allsides_trump_roles_blind2_candidates.csv"
OUT_BLIND3 = HERE / "allsides_trump_roles_blind3_candidates.csv"

CUES = {
    "peace": re.compile(
        r"\b(?:summits?|talks|negotiat\w*|deals?|agreements?|peace\w*|relations(?:hip)?s?|"
        r"get(?:ting)? along|Helsinki|meet(?:ing|s)?|met)\b", re.IGNORECASE),
    "burden": re.compile(
        r"\b(?:NATO|allies|ally|burden\w*|pay\w*|fair share|troops|withdr\w*|aid|assistance|"
        r"military|Europe\w*|America First|withh[eo]ld\w*|froze|freez\w*)\b", re.IGNORECASE),
    "doubt": re.compile(
        r"\b(?:doubt\w*|trust\w*|believ\w*|intelligence|skeptic\w*|corrupt\w*|question\w*|"
        r"blame\w*|hoax|conspiracy|CrowdStrike|server)\b", re.IGNORECASE),
}


def strata_of(text: str) -> list[str]:
    found = [name for name, cue in CUES.items() if cue.search(text)]
    return found or ["plain"]


def pool() -> pd.DataFrame:
    articles = pd.read_parquet(FOLDER / "articles.parquet")
    reserved = {line.strip() for line in
                (FOLDER / "reserved_for_evaluation.txt").read_text().splitlines()
                if line.strip() and not line.startswith("#")}
    keep = (articles["mentions_trump"] & articles["mentions_ukraine_russia"]
            & articles["date"].notna() & ~articles["article_id"].isin(reserved))
    articles = articles[keep].sort_values("article_id", kind="stable")
    return pd.DataFrame({
        "doc_id": articles["article_id"], "outlet": articles["source"],
        "date": articles["date"].dt.strftime("%Y-%m-%d"),
        "bias": articles["bias_label"], "topic": articles["topic"],
        "text": [clean_text(f"{t}\n\n{x}") for t, x in
                 zip(articles["title"].fillna(""), articles["text"].fillna(""), strict=True)],
    }).reset_index(drop=True)


def draw(passages: pd.DataFrame, split: str, rng: np.random.Generator, n: int,
         before: pd.DataFrame | None = None) -> pd.DataFrame:
    """``n`` passages of ``split``; ``before``: passages already drawn (counted, not redrawn)."""
    rows = passages[passages["split"] == split]
    if before is not None:
        rows = rows[~rows["passage_id"].isin(before["passage_id"])]
    order = rng.permutation(len(rows))
    target = {name: round(share * n) for name, share in SHARES.items()}
    taken: dict[str, int] = dict.fromkeys(target, 0)
    earlier = before if before is not None else rows.iloc[:0]
    per_article: dict[str, int] = earlier["doc_id"].value_counts().to_dict()
    per_outlet: dict[str, int] = earlier["outlet"].value_counts().to_dict()
    per_bias: dict[str, int] = {}
    cap = {"article": MAX_PER_ARTICLE + (before is not None),
           "outlet": MAX_PER_OUTLET + (SUPPLEMENT_PER_OUTLET if before is not None else 0)}
    picks = []
    for at in order:
        row = rows.iloc[at]
        if (per_article.get(row.doc_id, 0) >= cap["article"]
                or per_outlet.get(row.outlet, 0) >= cap["outlet"]
                or per_bias.get(row.bias, 0) >= n / 3):
            continue
        open_strata = [s for s in row.strata if taken[s] < target[s]]
        if not open_strata:
            continue
        stratum = min(open_strata, key=lambda s: (taken[s] / target[s], s))
        taken[stratum] += 1
        per_article[row.doc_id] = per_article.get(row.doc_id, 0) + 1
        per_outlet[row.outlet] = per_outlet.get(row.outlet, 0) + 1
        per_bias[row.bias] = per_bias.get(row.bias, 0) + 1
        picks.append((row.name, stratum))
        if len(picks) == n:
            break
    chosen = passages.loc[[index for index, _ in picks]].copy()
    chosen["stratum"] = [stratum for _, stratum in picks]
    return chosen


def main() -> None:
    docs = pool()
    found = extract_passages(docs, progress=True, n_jobs=2)
    passages = found.passages
    passages = passages[passages["text"].str.len() <= MAX_CHARS].reset_index(drop=True)
    rng = np.random.default_rng(SEED)
    ids = np.sort(passages["doc_id"].unique())
    shuffled = ids[rng.permutation(len(ids))]
    test_ids = set(shuffled[: round(TEST_SHARE * len(ids))])
    passages["split"] = np.where(passages["doc_id"].isin(test_ids), "test", "dev")
    passages["strata"] = passages["text"].map(strata_of)
    chosen = pd.concat([draw(passages, split, rng, N[split]) for split in ("dev", "test")])
    chosen["phase"] = "main"
    # The supplement continues the same rng after the main draw, so the main draw is unchanged.
    extra = draw(passages, "dev", rng, N_SUPPLEMENT, before=chosen[chosen["split"] == "dev"])
    extra["phase"] = "supplement"
    chosen = pd.concat([chosen, extra])
    # The second blind part continues the rng after the supplement (earlier draws unchanged)
    # and leaves out every article of the first test part, so the two blind parts share none.
    used = set(chosen.loc[chosen["split"] == "test", "doc_id"])
    blind2 = draw(passages[~passages["doc_id"].isin(used)], "test", rng, N_BLIND2)
    blind2["phase"] = "blind2"
    # The third continues after the second, from articles no draw used (either split: the
    # walk runs over one split, so every unused article is relabelled "blind3" for it).
    used = set(chosen["doc_id"]) | set(blind2["doc_id"])
    fresh = passages[~passages["doc_id"].isin(used)].copy()
    fresh["split"] = "blind3"
    blind3 = draw(fresh, "blind3", rng, N_BLIND3)
    blind3["phase"] = "blind3"
    blind3["split"] = "test"
    blind3["n_pool_with_cue"] = [int(fresh["strata"].map(lambda s, st=st: st in s).sum())
                                 for st in blind3["stratum"]]
    for split in ("dev", "test"):
        in_split = passages[passages["split"] == split]
        for stratum in SHARES:
            n_pool = int(in_split["strata"].map(lambda s, st=stratum: st in s).sum())
            mask = (chosen["split"] == split) & (chosen["stratum"] == stratum)
            chosen.loc[mask, "n_pool_with_cue"] = n_pool
    columns = ["passage_id", "doc_id", "outlet", "bias", "date", "topic", "split", "phase",
               "stratum",
               "n_pool_with_cue", "start", "end", "text"]
    blind2["n_pool_with_cue"] = chosen.loc[chosen["split"] == "test"].groupby("stratum")[
        "n_pool_with_cue"].first().reindex(blind2["stratum"]).to_numpy()
    chosen = chosen.sort_values(["split", "phase", "passage_id"], kind="stable")[columns]
    chosen["n_pool_with_cue"] = chosen["n_pool_with_cue"].astype(int)
    chosen.to_csv(OUT, index=False)
    blind2 = blind2.sort_values("passage_id", kind="stable")[columns]
    blind2["n_pool_with_cue"] = blind2["n_pool_with_cue"].astype(int)
    blind2.to_csv(OUT_BLIND2, index=False)
    blind3 = blind3.sort_values("passage_id", kind="stable")[columns]
    blind3.to_csv(OUT_BLIND3, index=False)
    print(f"wrote {len(blind3)} third-blind-part passages to {OUT_BLIND3.relative_to(REPO)}")
    print(blind3.groupby("stratum").size().to_string())
    print(f"wrote {len(blind2)} second-blind-part passages to {OUT_BLIND2.relative_to(REPO)}")
    print(blind2.groupby("stratum").size().to_string())
    print(f"{len(docs):,} articles, {len(passages):,} passages in the pool; wrote {len(chosen)} "
          f"to {OUT.relative_to(REPO)}")
    print(chosen.groupby(["split", "stratum"]).size().unstack())
    print(chosen.groupby(["split", "bias"]).size().unstack())
    print("outlets:", chosen["outlet"].nunique(), " articles:", chosen["doc_id"].nunique())


if __name__ == "__main__":
    main()
