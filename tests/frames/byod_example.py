"""The README's "Bring your own coded data" example, made from real news sentences.

Sixty NewsMTSC sentences about Trump (AllSides and POLUSA articles, 2017-2019; Hamborg & Donnay
2021), coded by the dataset's annotators for the tone toward him, written as a researcher's
spreadsheet would hold them: one row per sentence, an ``id``, the article it comes from, the
text, and one column per frame of a small tone codebook (``favourable``, ``unfavourable``; both
0 is neutral). No outlet, no date: NewsMTSC has neither. Saved from pandas, the codes read
``1.0``/``0.0``, and two cells are left blank, as a coder unsure of them would, to show that a
blank cell is "not coded".

The sentences are read from ``../shared/data/newsmtsc`` when the example is made; nothing of
them is kept in the repository. Make it with::

    python tests/frames/byod_example.py example/
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

SOURCE = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "newsmtsc" / \
    "targets.parquet"
#: Sentences per tone (positive, negative, neutral toward Trump).
PER_TONE = 20
#: (row, column) cells left blank: 1-based data rows of ``coded.csv``.
BLANK = ((5, "favourable"), (17, "unfavourable"))

CODEBOOK = """\
name: tone
version: "1.0"
description: How a news sentence portrays Donald Trump.
unit: One sentence that mentions Trump.
none_label: neutral
frames:
  favourable:
    definition: >-
      The sentence portrays Trump positively: it praises, supports or defends him, credits
      him with success, or reports his achievements or popularity.
    positive_examples:
      - Supporters cheered as the president touted the strongest economy in decades.
    lexicon: [praise, praised, success, support, win, victory]
  unfavourable:
    definition: >-
      The sentence portrays Trump negatively: it criticises, mocks or accuses him, or reports
      his failures, scandals, lies or unpopularity.
    positive_examples:
      - Critics accused the president of lying about his ties to Russia.
    lexicon: [lie, lied, attack, scandal, impeach, criticized, racist, corrupt]
  neutral:
    definition: The sentence reports on Trump without a favourable or unfavourable slant.
"""


def _article(gid: str) -> str:
    """The article of a NewsMTSC sentence id: ``allsides_<article>_<story>_<sentence>_...``
    or ``polusa_v1_<article>_...``."""
    parts = gid.split("_")
    return "_".join(parts[:3] if parts[0] == "polusa" else parts[:2])


def example_sheet(source: Path = SOURCE, *, random_state: int = 0) -> pd.DataFrame:
    """The coded sheet: ``id``, ``article_id``, ``text``, ``favourable``, ``unfavourable``."""
    targets = pd.read_parquet(source)
    trump = targets[(targets["split"] == "train")
                    & targets["mention"].str.contains(r"\bTrump\b", regex=True)]
    # One coded target per sentence: a sentence with two Trump targets is left out.
    trump = trump[~trump["primary_gid"].duplicated(keep=False)]
    trump = trump[~trump["sentence"].duplicated(keep=False)]
    rng = np.random.default_rng(random_state)
    parts = []
    for tone in ("positive", "negative", "neutral"):
        pool = trump[trump["polarity"] == tone].sort_values("primary_gid")
        parts.append(pool.iloc[np.sort(rng.choice(len(pool), PER_TONE, replace=False))])
    chosen = pd.concat(parts).sample(frac=1.0, random_state=random_state)
    sheet = pd.DataFrame({
        "id": [f"n{k:02d}" for k in range(1, len(chosen) + 1)],
        "article_id": [_article(g) for g in chosen["primary_gid"]],
        "text": chosen["sentence"].to_numpy(),
        "favourable": (chosen["polarity"] == "positive").astype(float).to_numpy(),
        "unfavourable": (chosen["polarity"] == "negative").astype(float).to_numpy(),
    })
    for row, column in BLANK:
        sheet.loc[row - 1, column] = np.nan
    return sheet


def make_example(folder: Path, source: Path = SOURCE) -> dict[str, Path]:
    """Write ``coded.csv`` and ``tone.yaml`` into ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {"sheet": folder / "coded.csv", "codebook": folder / "tone.yaml"}
    example_sheet(source).to_csv(paths["sheet"], index=False)
    paths["codebook"].write_text(CODEBOOK, encoding="utf-8")
    return paths


if __name__ == "__main__":  # pragma: no cover
    written = make_example(Path(sys.argv[1] if len(sys.argv) > 1 else "example"))
    print("\n".join(str(p) for p in written.values()))
