"""The real coded frame-role set (tests/data/allsides_trump_roles*.csv): its invariants.

The set was drawn by ``make_allsides_roles_sample.py``, coded by two coders from the codebook
alone and adjudicated (``make_allsides_roles_gold.py``); see tests/data/README.md.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from framing.corpus import clean_text
from framing.frames import frame_agreement, load_codebook
from tests.conftest import shared_path

DATA = Path(__file__).resolve().parents[1] / "data"
ROLES = ["peacemaker", "isolationist", "skeptic"]


@pytest.fixture(scope="module")
def gold() -> pd.DataFrame:
    return pd.read_csv(DATA / "allsides_trump_roles.csv")


def _annotations(split: str | None = None, stem: str = "allsides_trump_roles") -> pd.DataFrame:
    rows = []
    for coder in ("a", "b"):
        sheet = pd.read_csv(DATA / f"{stem}_coder_{coder}.csv")
        if split is not None:
            sheet = sheet[sheet["split"] == split]
        long = sheet.melt(id_vars="passage_id", value_vars=ROLES, var_name="frame",
                          value_name="label")
        rows.append(long.assign(coder=coder))
    table = pd.concat(rows, ignore_index=True)
    return table.assign(annotated_at=None, sample="random",
                        codebook_version=load_codebook("trump_russia_ukraine_2016_2020").version)


def test_the_set_is_the_selection_with_labels(gold: pd.DataFrame) -> None:
    candidates = pd.read_csv(DATA / "allsides_trump_roles_candidates.csv")
    assert gold[candidates.columns].equals(candidates)
    assert gold["passage_id"].is_unique
    assert gold.groupby(["split", "phase"]).size().to_dict() == {
        ("dev", "main"): 300, ("dev", "supplement"): 200, ("test", "main"): 180}
    # No article has passages in both parts: the test part is unseen articles.
    dev, test = (set(gold.loc[gold["split"] == s, "doc_id"]) for s in ("dev", "test"))
    assert not dev & test
    assert gold[ROLES].isin([0, 1]).all().all()


def test_gold_is_the_coders_agreement_or_the_adjudication(gold: pd.DataFrame) -> None:
    a = pd.read_csv(DATA / "allsides_trump_roles_coder_a.csv").set_index("passage_id")
    b = pd.read_csv(DATA / "allsides_trump_roles_coder_b.csv").set_index("passage_id")
    gold = gold.set_index("passage_id")
    agree = (a[ROLES] == b[ROLES]).all(axis=1)
    assert (gold.loc[agree[agree].index, ROLES] == a.loc[agree, ROLES]).all().all()
    assert gold["adjudicated"].sum() == (~agree).sum() == 9
    assert gold.loc[~agree, "adjudication"].str.len().gt(20).all()


@pytest.mark.parametrize(("split", "expected"), [
    ("dev", {"peacemaker": 0.977, "isolationist": 0.988, "skeptic": 0.908}),
    ("test", {"peacemaker": 1.0, "isolationist": 1.0, "skeptic": 1.0}),
])
def test_krippendorffs_alpha_per_role(split: str, expected: dict[str, float]) -> None:
    table = frame_agreement(_annotations(split), n_bootstrap=0)
    assert table.set_index("frame")["alpha"].round(3).to_dict() == expected


@pytest.fixture(scope="module")
def blind2() -> pd.DataFrame:
    return pd.read_csv(DATA / "allsides_trump_roles_blind2.csv")


def test_the_second_blind_part_is_its_selection_and_shares_no_article(
        gold: pd.DataFrame, blind2: pd.DataFrame) -> None:
    candidates = pd.read_csv(DATA / "allsides_trump_roles_blind2_candidates.csv")
    assert blind2[candidates.columns].equals(candidates)
    assert len(blind2) == 299 and blind2["passage_id"].is_unique
    assert (blind2["split"] == "test").all() and (blind2["phase"] == "blind2").all()
    # Test articles only, and none of the first blind part's: the two blind parts share none.
    assert not set(blind2["doc_id"]) & set(gold["doc_id"])
    assert blind2[ROLES].isin([0, 1]).all().all()
    assert blind2[ROLES].sum().to_dict() == {"peacemaker": 21, "isolationist": 27,
                                             "skeptic": 13}


def test_the_second_blind_part_is_agreement_or_adjudication(blind2: pd.DataFrame) -> None:
    stem = "allsides_trump_roles_blind2"
    a = pd.read_csv(DATA / f"{stem}_coder_a.csv").set_index("passage_id")
    b = pd.read_csv(DATA / f"{stem}_coder_b.csv").set_index("passage_id")
    gold = blind2.set_index("passage_id")
    agree = (a[ROLES] == b.loc[a.index, ROLES]).all(axis=1)
    assert (gold.loc[agree[agree].index, ROLES] == a.loc[agree, ROLES]).all().all()
    assert gold["adjudicated"].sum() == (~agree).sum() == 1
    assert gold.loc[~agree, "adjudication"].str.len().gt(20).all()
    table = frame_agreement(_annotations(stem="allsides_trump_roles_blind2"), n_bootstrap=0)
    assert table.set_index("frame")["alpha"].round(3).to_dict() == {
        "peacemaker": 0.975, "isolationist": 1.0, "skeptic": 1.0}


@pytest.fixture(scope="module")
def blind3() -> pd.DataFrame:
    return pd.read_csv(DATA / "allsides_trump_roles_blind3.csv")


def test_the_third_blind_part_uses_only_fresh_articles(
        gold: pd.DataFrame, blind2: pd.DataFrame, blind3: pd.DataFrame) -> None:
    candidates = pd.read_csv(DATA / "allsides_trump_roles_blind3_candidates.csv")
    assert blind3[candidates.columns].equals(candidates)
    assert len(blind3) == 282 and blind3["passage_id"].is_unique
    assert (blind3["phase"] == "blind3").all()
    # No article any earlier draw used, in either split.
    assert not set(blind3["doc_id"]) & (set(gold["doc_id"]) | set(blind2["doc_id"]))
    assert blind3.groupby("doc_id").size().max() <= 2
    assert blind3[ROLES].sum().to_dict() == {"peacemaker": 28, "isolationist": 19,
                                             "skeptic": 16}


def test_the_third_blind_part_is_agreement_or_adjudication(blind3: pd.DataFrame) -> None:
    stem = "allsides_trump_roles_blind3"
    a = pd.read_csv(DATA / f"{stem}_coder_a.csv").set_index("passage_id")
    b = pd.read_csv(DATA / f"{stem}_coder_b.csv").set_index("passage_id")
    gold = blind3.set_index("passage_id")
    agree = (a[ROLES] == b.loc[a.index, ROLES]).all(axis=1)
    assert (gold.loc[agree[agree].index, ROLES] == a.loc[agree, ROLES]).all().all()
    assert gold["adjudicated"].sum() == (~agree).sum() == 6
    assert gold.loc[~agree, "adjudication"].str.len().gt(20).all()
    table = frame_agreement(_annotations(stem=stem), n_bootstrap=0)
    assert table.set_index("frame")["alpha"].round(3).to_dict() == {
        "peacemaker": 0.923, "isolationist": 0.944, "skeptic": 1.0}


def test_no_reserved_article_and_the_text_is_the_articles() -> None:
    folder = shared_path("allsides_article_bias")
    reserved = {line.strip() for line in
                (folder / "reserved_for_evaluation.txt").read_text().splitlines()
                if line.strip() and not line.startswith("#")}
    gold = pd.concat([pd.read_csv(DATA / "allsides_trump_roles.csv"),
                      pd.read_csv(DATA / "allsides_trump_roles_blind2.csv"),
                      pd.read_csv(DATA / "allsides_trump_roles_blind3.csv")])
    assert len(reserved) > 200
    assert not set(gold["doc_id"]) & reserved
    articles = pd.read_parquet(folder / "articles.parquet",
                               columns=["article_id", "title", "text", "source"])
    articles = articles.set_index("article_id").loc[gold["doc_id"].unique()]
    for row in gold.itertuples():
        article = articles.loc[row.doc_id]
        cleaned = clean_text(f"{article.title or ''}\n\n{article.text or ''}")
        assert cleaned[row.start:row.end] == row.text, row.passage_id
        assert article.source == row.outlet
