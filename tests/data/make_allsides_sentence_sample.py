"""Select candidate sentences for the hand-labelled Trump-mention evaluation set.

Run from the repository root::

    .venv/bin/python tests/data/make_allsides_sentence_sample.py

It reads ``../shared/data/allsides_article_bias/articles.parquet``, keeps the rows with
``mentions_trump & mentions_ukraine_russia & date.notna()``, samples articles (seeded,
spread over years and outlets), splits each cleaned text into sentences and picks up to
four sentences per article, stratified by the surface cues below; a supplement of 12 more
articles adds pronoun (c) and decoy (e) sentences only. It writes
``tests/data/allsides_trump_candidates.csv`` *without labels*; the labels in
``allsides_trump_sentences.csv`` were assigned by hand (see README.md).

The regular expressions here only *propose* candidates and a stratum; they never decide
a label.

Strata (first match wins, in this order):

* ``e`` decoy: "Trump administration/campaign/Tower/Organization/White House/team",
  "Donald Trump Jr.", "Ivanka/Melania/Eric/Lara/Tiffany Trump" ...
* ``a`` names Trump ("Trump", "Mr. Trump", "Trump's").
* ``d`` names another president ("President Putin", "the Russian president",
  "Ukrainian President Volodymyr Zelensky", "President Obama" ...).
* ``b`` "the president" / "the US president" / "the American president", no name.
* ``c`` he/him/his/himself, no Trump or "president", right after a sentence that names
  Trump, "the president" or another man (Putin, Zelensky, Giuliani, Mueller ...).
* ``f`` plain sentence: no person pronoun, title, "said"-verb or name cue.
"""

from __future__ import annotations

import re
from pathlib import Path

SEED = 20251125
N_ARTICLES = 60
PER_ARTICLE = 4
# Articles per publication year (2012-2015 pooled: they are rare in this subset).
YEAR_QUOTA = {2015: 4, 2016: 10, 2017: 13, 2018: 13, 2019: 13, 2020: 7}
MAX_PER_OUTLET = 2
# Target sentences per stratum; the greedy picker serves the stratum furthest below target.
TARGET = {"a": 50, "b": 40, "c": 60, "d": 35, "e": 30, "f": 25}
# Supplement (run after the main sample, so it leaves the main sample unchanged): the next
# articles of the same permutation, any year, contribute only pronoun (c) and decoy (e)
# sentences, to reach enough pronoun-about-Trump cases and true decoys.
N_SUPPLEMENT = 12
SUPPLEMENT_PICKS = {"c": 2, "e": 1}

REPO = Path(__file__).resolve().parents[2]
DATA = REPO.parent / "shared" / "data" / "allsides_article_bias" / "articles.parquet"
OUT = Path(__file__).resolve().parent / "allsides_trump_candidates.csv"

ABBREVIATIONS = (
    "mr mrs ms dr sen rep reps gov gen lt col sgt capt adm maj cmdr st jr sr prof rev "
    "u.s u.n u.k d.c a.m p.m no vs etc inc corp co ltd jan feb mar apr aug sept sep oct "
    "nov dec fla calif ariz tenn mass wash ill pa ky va n.y n.j okla mich wis minn"
).split()

DECOY = re.compile(
    r"\bTrump(?:'s)?\s+(?:administration|campaign|Tower|Organi[sz]ation|White House|team"
    r"|transition|Foundation|family|children|Hotel|International|Jr\b|presidential campaign"
    r"|2020 campaign|re-?election campaign)"
    r"|\b(?:Ivanka|Melania|Eric|Lara|Tiffany|Barron)\s+Trump\b|\bDon(?:ald)? Jr\b"
    r"|\bTrump,?\s+Jr\b",
)
TRUMP = re.compile(r"\bTrump\b")
OTHER_PRESIDENT = re.compile(
    r"\bPresident\s+(?:Vladimir\s+)?Putin\b|\bPresident\s+(?:Barack\s+)?Obama\b"
    r"|\bPresident\s+(?:Volodymyr\s+)?Zelensk[yi]y?\b|\bPresident\s+(?:Petro\s+)?Poroshenko\b"
    r"|\bPresident\s+(?:Viktor\s+)?Yanukovych\b|\bPresident\s+(?:Emmanuel\s+)?Macron\b"
    r"|\bPresident\s+(?:Xi|Erdogan|Bush|Clinton|Assad|Moon|Rouhani|Maduro|Biden|Lukashenko)\b"
    r"|\b(?:Russian|Ukrainian|Ukraine's|Russia's|French|Chinese|Syrian|Turkish|former|"
    r"then-|Belarusian|Iranian|Venezuelan|Afghan|Georgian)\s*[Pp]resident\b"
    r"|\b[Pp]resident of (?:Russia|Ukraine|France|China|Syria|Turkey|Belarus)\b",
)
THE_PRESIDENT = re.compile(
    r"\b[Tt]he\s+(?:(?:U\.S\.|US|American|United States|sitting|current)\s+)?[Pp]resident\b"
    r"(?!ial)|\b[Cc]ommander[- ]in[- ][Cc]hief\b|\b[Tt]his president\b"
)
PRONOUN = re.compile(r"\b(?:[Hh]e|[Hh]im|[Hh]is|[Hh]imself)\b")
MEN = re.compile(
    r"\b(?:Trump|Putin|Zelensk\w*|Poroshenko|Obama|Biden|Pence|Giuliani|Mueller|Sondland"
    r"|Comey|Flynn|Manafort|Cohen|Kushner|Barr|Schiff|Volker|Taylor|Vindman|Kent|Bolton"
    r"|Pompeo|Mulvaney|Sessions|Rosenstein|Papadopoulos|Stone|Hunter|McConnell|Graham"
    r"|Nunes|Tillerson|Lavrov|Kislyak|Yanukovych|Navalny|Romney|Cruz|Rubio|Sanders|Bush"
    r"|Clinton|Lutsenko|Shokin|Parnas|Fruman|Page|Strzok|McCabe|Priebus|Bannon|Spicer"
    r"|Kelly|Mattis|Tillerson|Rohrabacher|Deripaska|Kilimnik|Gates|Assange|Steele|Horowitz"
    r"|Durham|Jordan|Meadows|Nadler|Schumer|Ryan|McCarthy|Erdogan|Macron|Kim|Xi|Netanyahu)\b"
    r"|\b[Tt]he\s+(?:U\.S\.\s+|US\s+|Russian\s+|Ukrainian\s+)?[Pp]resident\b"
)
PERSON_CUE = re.compile(
    r"\b(?:[Hh]e|[Hh]im|[Hh]is|[Hh]imself|[Ss]he|[Hh]er|[Hh]erself|Mr|Mrs|Ms|Sen|Rep|Gov"
    r"|[Pp]resident|said|says|told|tweeted|wrote|according to|I|we|We|my|our|you)\b"
    r"|\b[A-Z][a-z]+\s+[A-Z][a-z]+(?:'s)?\b"  # two capitalised words: a likely full name
)


def classify(sentence: str, previous: str) -> str | None:
    """Stratum proposed by surface cues (never a label)."""
    if DECOY.search(sentence):
        return "e"
    if TRUMP.search(sentence):
        return "a"
    if OTHER_PRESIDENT.search(sentence):
        return "d"
    if THE_PRESIDENT.search(sentence):
        return "b"
    if PRONOUN.search(sentence) and MEN.search(previous) and not MEN.search(sentence):
        return "c"
    if not PERSON_CUE.search(sentence) and len(sentence.split()) >= 8:
        return "f"
    return None


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans: paragraphs (line breaks) first, then Punkt inside each paragraph."""
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    tokenizer = PunktSentenceTokenizer(params)
    spans = []
    for para in re.finditer(r"[^\n]+", text):
        for start, end in tokenizer.span_tokenize(para.group()):
            spans.append((para.start() + start, para.start() + end))
    return spans


def sample_articles(rows, rng, n_supplement: int = N_SUPPLEMENT):
    """Seeded walk over a permutation: keep an article while its year and outlet have room.

    Returns the main sample and the supplement (the next ``n_supplement`` articles of the
    same walk whose outlet still has room, any year).
    """
    order = rng.permutation(len(rows))
    per_year: dict[int, int] = {}
    per_outlet: dict[str, int] = {}
    chosen: list = []
    supplement: list = []
    for i in order:
        row = rows.iloc[i]
        if per_outlet.get(row.source, 0) >= MAX_PER_OUTLET:
            continue
        if len(chosen) < N_ARTICLES:
            year = max(int(row.date.year), 2015)
            if year not in YEAR_QUOTA or per_year.get(year, 0) >= YEAR_QUOTA[year]:
                continue
            per_year[year] = per_year.get(year, 0) + 1
            chosen.append(row)
        else:
            supplement.append(row)
            if len(supplement) == n_supplement:
                break
        per_outlet[row.source] = per_outlet.get(row.source, 0) + 1
    return chosen, supplement


def candidate_pools(text: str, seen: set[str]) -> dict[str, list[tuple[int, int]]]:
    """Sentence spans of one cleaned text, grouped by proposed stratum."""
    spans = split_sentences(text)
    pools: dict[str, list[tuple[int, int]]] = {}
    for k, (start, end) in enumerate(spans):
        sentence = text[start:end]
        previous = text[spans[k - 1][0]:spans[k - 1][1]] if k else ""
        stratum = classify(sentence, previous)
        if stratum and len(sentence.split()) >= 4 and sentence not in seen:
            pools.setdefault(stratum, []).append((start, end))
    return pools


def record(row, text: str, picked, phase: str) -> list[dict]:
    return [
        {
            "doc_id": row.article_id,
            "outlet": row.source,
            "date": row.date.date().isoformat(),
            "start": start,
            "end": end,
            "sentence": text[start:end],
            "stratum": stratum,
            "phase": phase,
        }
        for start, end, stratum in sorted(picked)
    ]


def eligible_rows():
    """The article pool: Trump and Ukraine/Russia flags, a date; sorted by ``article_id``."""
    import pandas as pd

    df = pd.read_parquet(DATA)
    rows = df[df.mentions_trump & df.mentions_ukraine_russia & df.date.notna()]
    return rows.sort_values("article_id").reset_index(drop=True)


def draw_sample(
    rows, rng, seen: set[str], n_extra: int = 0, extra_picks: dict[str, int] | None = None
) -> tuple[list[dict], int]:
    """Main phase and supplement (steps 1-5 of README.md) from ``rows`` with ``rng``.

    ``seen`` holds sentence texts that must not be drawn again; it is updated in place.
    ``n_extra`` > 0 continues the walk after the supplement with that many more articles,
    drawing ``extra_picks`` sentences per stratum from each (phase ``supplement2``). All its
    random draws come after those of the supplement, so the rest of the sample is unchanged.
    Returns the candidate records and the number of articles walked into the sample.
    """
    from framing.corpus import clean_text

    articles, walked = sample_articles(rows, rng, N_SUPPLEMENT + n_extra)
    supplement, extra = walked[:N_SUPPLEMENT], walked[N_SUPPLEMENT:]

    counts = dict.fromkeys(TARGET, 0)
    out = []
    for row in articles:
        text = clean_text(row.text)
        pools = candidate_pools(text, seen)
        picked = []
        for _ in range(PER_ARTICLE):
            live = [s for s in TARGET if pools.get(s)]
            if not live:
                break
            stratum = max(live, key=lambda s: (TARGET[s] - counts[s], -list(TARGET).index(s)))
            pool = pools[stratum]
            start, end = pool.pop(int(rng.integers(len(pool))))
            counts[stratum] += 1
            seen.add(text[start:end])
            picked.append((start, end, stratum))
        out += record(row, text, picked, "main")
    for phase, rows_, picks in (
        ("supplement", supplement, SUPPLEMENT_PICKS),
        ("supplement2", extra, extra_picks or SUPPLEMENT_PICKS),
    ):
        for row in rows_:
            text = clean_text(row.text)
            pools = candidate_pools(text, seen)
            picked = []
            for stratum, n in picks.items():
                pool = pools.get(stratum, [])
                for _ in range(min(n, len(pool))):
                    start, end = pool.pop(int(rng.integers(len(pool))))
                    seen.add(text[start:end])
                    picked.append((start, end, stratum))
            out += record(row, text, picked, phase)
    return out, len(articles) + len(walked)


def main() -> None:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(SEED)
    out, n_docs = draw_sample(eligible_rows(), rng, set())
    pd.DataFrame(out).to_csv(OUT, index=False)
    print(f"{len(out)} candidates from {n_docs} articles -> {OUT}")
    print(pd.DataFrame(out).stratum.value_counts().sort_index().to_string())


if __name__ == "__main__":
    main()
