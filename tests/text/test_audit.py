"""KWIC and the audit loop: the sheet's sampling, and precision / recall from its marks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing.corpus import InputError
from framing.text import KwicView, audit_sheet, extract_passages, kwic, score_audit
from tests.text.test_passages import DOCS


def test_kwic_table_and_html() -> None:
    found = extract_passages(DOCS, progress=False)
    table = kwic(found.mentions, DOCS, actor="trump")
    assert table["keyword"].tolist()[:2] == ["Trump", "He"]
    assert table.loc[0, "right"].startswith("met Putin")
    html = KwicView(table)._repr_html_()
    assert html.count("<mark") == len(table)


def test_audit_sheet_strata_and_weights() -> None:
    found = extract_passages(DOCS, progress=False)
    sheet = audit_sheet(found.mentions, DOCS, actor="trump", n_selected=2, n_unselected=3,
                        random_state=1)
    assert sheet["stratum"].value_counts().to_dict() == {"unselected": 3, "selected": 2}
    assert (sheet["about_actor"] == "").all()
    selected = sheet[sheet["stratum"] == "selected"]
    assert (selected["predicted"] == 1).all()
    # Weights: population size of the stratum over the sample size.
    n_counted = found.mentions[found.mentions["is_counted"]].groupby(
        ["doc_id", "sentence_id"]).ngroups
    assert selected["weight"].iloc[0] == pytest.approx(n_counted / 2)
    same = audit_sheet(found.mentions, DOCS, actor="trump", n_selected=2, n_unselected=3,
                       random_state=1)
    pd.testing.assert_frame_equal(sheet, same)


def test_score_audit_weights_recall_by_stratum() -> None:
    sheet = pd.DataFrame({
        "stratum": ["selected"] * 10 + ["unselected"] * 10,
        "weight": [5.0] * 10 + [100.0] * 10,
        "predicted": [1] * 10 + [0] * 10,
        "resolved_by": ["explicit"] * 6 + ["pronoun"] * 4 + [None] * 10,
        "about_actor": ["1"] * 9 + ["0"] + ["1"] + ["0"] * 8 + [""],
    })
    scores = score_audit(sheet).set_index(["measure", "resolved_by"])
    assert scores.loc[("precision", "all"), "estimate"] == pytest.approx(0.9)
    assert scores.loc[("precision", "explicit"), "estimate"] == pytest.approx(1.0)
    assert scores.loc[("precision", "pronoun"), "estimate"] == pytest.approx(0.75)
    # 9 found x 5 = 45 in the population; 1 missed x 100 = 100: recall 45 / 145.
    assert scores.loc[("recall", "all"), "estimate"] == pytest.approx(45 / 145)
    assert scores["n_unmarked"].iloc[0] == 1
    low, high = scores.loc[("precision", "all"), ["ci_low", "ci_high"]]
    assert 0.5 < low < 0.9 < high <= 1.0


def test_bad_marks_are_named(tmp_path) -> None:
    path = tmp_path / "sheet.csv"
    pd.DataFrame({"stratum": ["selected"], "weight": [1.0], "predicted": [1],
                  "about_actor": ["yes"]}).to_csv(path, index=False)
    with pytest.raises(InputError, match=r"sheet\.csv: row 1, field 'about_actor': mark 'yes'"):
        score_audit(path)


def test_kwic_html_escapes_text() -> None:
    docs = pd.DataFrame({"doc_id": ["x"], "date": ["2025-08-16"],
                         "text": ["<script>alert(1)</script> Trump met Putin in Kyiv."]})
    found = extract_passages(docs, progress=False)
    html = KwicView(kwic(found.mentions, docs))._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("seed", range(5))
def test_mentions_inside_passages_match_the_plain_join(seed: int) -> None:
    from framing.text._audit import _inside_passages

    rng = np.random.default_rng(seed)
    docs = [f"d{i}" for i in range(6)]
    starts = rng.integers(0, 500, size=40)
    passages = pd.DataFrame({"doc_id": rng.choice(docs[:5], size=40), "start": starts,
                             "end": starts + rng.integers(0, 120, size=40)})  # overlapping
    begin = rng.integers(0, 600, size=300)
    mentions = pd.DataFrame({"doc_id": rng.choice(docs, size=300), "start": begin,
                             "end": begin + rng.integers(1, 12, size=300)})
    joined = mentions.reset_index().merge(passages, on="doc_id", suffixes=("", "_p"))
    inside = joined[(joined["start"] >= joined["start_p"]) & (joined["end"] <= joined["end_p"])]
    expected = np.isin(np.arange(len(mentions)), inside["index"].to_numpy())
    assert 0 < expected.sum() < len(mentions)
    np.testing.assert_array_equal(_inside_passages(mentions, passages), expected)
