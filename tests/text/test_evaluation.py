"""Measured, not assumed: sentence-level precision and recall of "this sentence is about Trump".

On the sample corpus's planted truth, on hand-labelled sentences of real news (AllSides; see
tests/data/README.md), and on NewsMTSC's marked Trump targets. The goal on real text is
P >= 0.95 and R >= 0.90; these tests fail if the finder drops below it.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from framing.corpus import clean_text
from framing.text import find_mentions, load_actors, split_sentences
from tests.conftest import REPO, SAMPLE, shared_path

ACTORS = load_actors()
COUNTED = ("explicit", "title", "pronoun")


def _trump_spans(text: str, day) -> list[tuple[int, int, str]]:
    """(start, end, resolved_by) of every counted mention of Trump."""
    return [(m.start, m.end, m.resolved_by)
            for m in find_mentions(text, split_sentences(text), ACTORS, day=day)
            if m.actor == "trump" and m.resolved_by in COUNTED and m.confidence >= 0.5]


def _scores(gold: pd.Series, predicted: pd.Series) -> tuple[float, float]:
    gold, predicted = gold.astype(bool), predicted.astype(bool)
    tp = (gold & predicted).sum()
    return tp / predicted.sum(), tp / gold.sum()


def _label_sentences(labels: pd.DataFrame, texts: dict, days: dict) -> pd.Series:
    predicted = []
    cache: dict[str, list] = {}
    for row in labels.itertuples():
        if row.doc_id not in cache:
            cache[row.doc_id] = _trump_spans(texts[row.doc_id], days[row.doc_id])
        predicted.append(any(row.start <= s < row.end for s, _, _ in cache[row.doc_id]))
    return pd.Series(predicted, index=labels.index)


@pytest.fixture(scope="module")
def sample_scores() -> pd.DataFrame:
    truth = pd.read_csv(SAMPLE / "truth" / "sentences.csv")
    texts, days = {}, {}
    with open(SAMPLE / "articles.jsonl", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            texts[row["doc_id"]] = row["text"]
            days[row["doc_id"]] = pd.Timestamp(row["date"]).tz_convert("UTC").date() \
                if "T" in row["date"] else pd.Timestamp(row["date"]).date()
    truth["predicted"] = _label_sentences(truth, texts, days)
    return truth


def test_sample_corpus_overall(sample_scores: pd.DataFrame) -> None:
    precision, recall = _scores(sample_scores["is_about_trump"], sample_scores["predicted"])
    assert precision >= 0.99 and recall >= 0.98, (precision, recall)


@pytest.mark.parametrize(("kind", "floor"), [("explicit", 0.99), ("title", 0.97),
                                             ("pronoun", 0.95)])
def test_sample_corpus_recall_by_reference(sample_scores: pd.DataFrame, kind: str,
                                           floor: float) -> None:
    rows = sample_scores[sample_scores["trump_ref"] == kind]
    assert rows["predicted"].mean() >= floor


@pytest.fixture(scope="module")
def allsides_texts() -> tuple[dict, dict]:
    articles = pd.read_parquet(shared_path("allsides_article_bias", "articles.parquet"),
                               columns=["article_id", "text", "date"])
    texts = {a: clean_text(t) for a, t in zip(articles["article_id"], articles["text"],
                                             strict=True)}
    days = {a: d.date() for a, d in zip(articles["article_id"], articles["date"], strict=True)
            if pd.notna(d)}
    return texts, days


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("name", "min_precision", "min_recall", "min_recall_by_kind"),
    [
        # Development data: the finder's rules were revised while reading the errors of both
        # sets (the held-out set was read after its first scoring, so it is development data
        # too). Both meet the goal of issue 4 (P >= 0.95, R >= 0.90).
        ("allsides_trump_sentences.csv", 0.95, 0.90, {"explicit": 0.95}),
        ("allsides_trump_heldout.csv", 0.95, 0.90, {"explicit": 0.95}),
        # The third set, scored once at P 0.906, R 0.962; its errors were then read to add
        # the generic-"the president", namesake and pronoun rules, so it is development data
        # now and meets the goal: P 0.969, R 0.962 (recall explicit 49/49, title 39/40,
        # pronoun 37/41; the recall floors are those of its first measurement).
        ("allsides_trump_test.csv", 0.95, 0.96,
         {"explicit": 0.99, "title": 0.97, "pronoun": 0.90}),
        # The fourth set (tests/data/README.md, "Second test set"), labelled before the
        # revised finder was run on its articles and scored once: P 0.926, R 0.893 (recall
        # explicit 43/44, title 44/45, pronoun 38/51; 5 of the 13 pronoun misses are first-
        # or second-person references a third-person finder cannot get), below the goal.
        # Its errors were then read (party labels before names, "the President's Council",
        # relative clauses, unattributed quotations), so it is development data now: P 0.955,
        # R 0.907, recall explicit 44/44, title 44/45, pronoun 39/51.
        ("allsides_trump_test2.csv", 0.95, 0.90,
         {"explicit": 0.99, "title": 0.97, "pronoun": 0.76}),
        # The fifth set ("Third test set"), labelled blind by a second coder and scored once
        # with the finder of commit 4e2b08b: P 0.947, R 0.916 (recall explicit 59/60, title
        # 38/45, pronoun 45/50). Precision is 0.003 BELOW the goal (8 false positives, all
        # titles: an organisation's president, the office in general, Nixon, "the president,
        # Putin"). Those errors were then read ("the president of <organisation or country>",
        # "of which I am the president", "the president, Putin"), so it is development data
        # now: P 0.966, R 0.916.
        ("allsides_trump_test3.csv", 0.95, 0.91,
         {"explicit": 0.98, "title": 0.84, "pronoun": 0.90}),
        # The sixth set ("Fourth test set"), labelled blind by a second coder and scored once
        # with the finder of commit 97326c4: P 0.952, R 0.945 (recall explicit 53/55, title
        # 48/53, pronoun 37/38): the goal of issue 4, met on text the finder had never met.
        ("allsides_trump_test4.csv", 0.95, 0.94,
         {"explicit": 0.96, "title": 0.90, "pronoun": 0.97}),
    ],
)
def test_real_news(allsides_texts, name: str, min_precision: float, min_recall: float,
                   min_recall_by_kind: dict[str, float]) -> None:
    labels = pd.read_csv(REPO / "tests" / "data" / name)
    texts, days = allsides_texts
    labels["predicted"] = _label_sentences(labels, texts, days)
    precision, recall = _scores(labels["about_trump"], labels["predicted"])
    assert precision >= min_precision, precision
    assert recall >= min_recall, recall
    by_kind = labels[labels["about_trump"] == 1].groupby("reference")["predicted"].mean()
    for kind, floor in min_recall_by_kind.items():
        assert by_kind[kind] >= floor, (kind, by_kind[kind])


SETS = ("allsides_trump_sentences.csv", "allsides_trump_heldout.csv", "allsides_trump_test.csv",
        "allsides_trump_test2.csv", "allsides_trump_test3.csv", "allsides_trump_test4.csv")


@pytest.mark.shared_data
def test_labelled_sets_are_consistent_and_disjoint(allsides_texts) -> None:
    """Offsets point at the sentence in the cleaned text, labels agree with each other, and
    no article of one set is in another (each test set was drawn from the rest)."""
    texts, _ = allsides_texts
    docs = []
    for name in SETS:
        labels = pd.read_csv(REPO / "tests" / "data" / name, keep_default_na=False)
        assert all(texts[r.doc_id][r.start:r.end] == r.sentence for r in labels.itertuples())
        assert ((labels["about_trump"] == 1) == (labels["reference"] != "none")).all()
        assert set(labels["reference"]) <= {"explicit", "title", "pronoun", "none"}
        docs.append(set(labels["doc_id"]))
    for i, first in enumerate(docs):
        for second in docs[i + 1:]:
            assert not first & second


@pytest.mark.shared_data
def test_newsmtsc_trump_targets_are_found() -> None:
    """NewsMTSC marks sentiment targets; a target "Trump" inside "Trump administration" or
    "Trump Tower" is, by our codebook, not Trump the person, so those are set aside."""
    targets = pd.read_parquet(shared_path("newsmtsc", "targets.parquet"))
    trump = targets[targets["mention"].str.contains(r"\bTrump\b")]
    not_him = [s.text for s in ACTORS.surfaces if s.kind in ("exclude", "namesake",
                                                              "institution")]
    context = trump.apply(lambda r: r.sentence[max(0, r.start - 12):r.end + 25], axis=1)
    person = trump[~context.map(lambda c: any(t in c for t in not_him))]
    sentences = person.drop_duplicates(["primary_gid", "start"]).head(600)

    found = [any(r.start < e and s < r.end and kind == "explicit"
                 for s, e, kind in _trump_spans(r.sentence, None))
             for r in sentences.itertuples()]
    assert sum(found) / len(found) >= 0.98
