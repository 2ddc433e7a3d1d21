"""Agreement (Krippendorff's alpha), disagreements, adjudication; and the samples to code."""

from __future__ import annotations

import krippendorff
import numpy as np
import pandas as pd
import pytest

from framing.corpus import InputError
from framing.frames import (
    adjudicate,
    disagreements,
    frame_agreement,
    pivot_labels,
    sample_active,
    sample_for_annotation,
    sample_random,
)


def _annotations(labels: dict[str, list[int | None]], frame: str = "skeptic") -> pd.DataFrame:
    """Coder -> labels per unit (None = not coded) as an annotations table."""
    rows = [{"passage_id": f"p{u}", "coder": coder, "frame": frame, "label": label,
             "annotated_at": None, "sample": "random", "codebook_version": "1.0"}
            for coder, values in labels.items() for u, label in enumerate(values)
            if label is not None]
    return pd.DataFrame(rows)


def _simulated(n_units: int, error: float, seed: int) -> tuple[pd.DataFrame, float]:
    """Three coders who each flip a true label with probability ``error``; the alpha planted."""
    rng = np.random.default_rng(seed)
    truth = (rng.random(n_units) < 0.4).astype(int)
    labels = {c: list(np.where(rng.random(n_units) < error, 1 - truth, truth))
              for c in ("a", "b", "c")}
    share = truth.mean() * (1 - error) + (1 - truth.mean()) * error
    return _annotations(labels), 1 - error * (1 - error) / (share * (1 - share))


def test_alpha_is_the_krippendorff_package_value_on_units_with_two_coders() -> None:
    labels = {"a": [1, 0, 1, 1, 0, None, 1], "b": [1, 0, 0, 1, 0, 1, None],
              "c": [None, 0, 1, 1, 1, None, None]}
    row = frame_agreement(_annotations(labels), n_bootstrap=0).iloc[0]
    data = np.array([[np.nan if v is None else v for v in values[:5]]
                     for values in labels.values()], dtype=float)
    assert row["alpha"] == pytest.approx(krippendorff.alpha(
        reliability_data=data, level_of_measurement="nominal"))
    assert row["n_units"] == 5  # units 5 and 6 have one coder each
    assert row["n_coders"] == 3
    # Pairwise agreement by hand: units 0,1,3 agree fully; unit 2: a=c=1,b=0 (1 of 3 pairs);
    # unit 4: a=b=0,c=1 (1 of 3 pairs); unit 0 has 1 pair, the others 3.
    assert row["percent_agreement"] == pytest.approx((1 + 3 + 1 + 3 + 1) / (1 + 3 + 3 + 3 + 3))


def test_perfect_agreement_and_no_variation() -> None:
    perfect = frame_agreement(_annotations({"a": [1, 0, 1], "b": [1, 0, 1]}), n_bootstrap=50)
    assert perfect["alpha"].iloc[0] == 1.0 and perfect["percent_agreement"].iloc[0] == 1.0
    constant = frame_agreement(_annotations({"a": [0, 0, 0], "b": [0, 0, 0]}), n_bootstrap=50)
    assert np.isnan(constant["alpha"].iloc[0])  # undefined, not a fake 1.0


@pytest.mark.parametrize("error", [0.05, 0.25])
def test_bootstrap_interval_covers_the_planted_reliability(error: float) -> None:
    """Over 40 simulated studies the 95% interval holds the planted alpha most of the time.

    Measured: 90% (error 0.05) and 88% (error 0.25) over 60 studies; the percentile bootstrap
    over units runs a little short of its nominal 95%.
    """
    hits, estimates, planted_values = 0, [], []
    for seed in range(40):
        annotations, planted = _simulated(300, error, seed=seed)
        row = frame_agreement(annotations, n_bootstrap=300, random_state=seed).iloc[0]
        hits += row["ci_low"] <= planted <= row["ci_high"]
        assert row["ci_low"] < row["alpha"] < row["ci_high"]
        assert row["ci_high"] - row["ci_low"] < 0.2
        estimates.append(row["alpha"])
        planted_values.append(planted)
    assert hits / 40 >= 0.8
    assert abs(np.mean(estimates) - np.mean(planted_values)) < 0.03


def test_bootstrap_is_seeded() -> None:
    annotations, _ = _simulated(80, 0.2, seed=1)
    first = frame_agreement(annotations, n_bootstrap=200, random_state=0)
    pd.testing.assert_frame_equal(first, frame_agreement(annotations, n_bootstrap=200,
                                                         random_state=0))
    other = frame_agreement(annotations, n_bootstrap=200, random_state=1)
    assert (other["ci_low"] != first["ci_low"]).any() or (other["ci_high"] !=
                                                          first["ci_high"]).any()


def test_agreement_parameters_are_validated() -> None:
    with pytest.raises(InputError, match="The 'confidence' parameter of frame_agreement"):
        frame_agreement(_annotations({"a": [1], "b": [1]}), confidence=1.5)


def test_disagreements_lists_split_cells_with_each_coder() -> None:
    table = _annotations({"a": [1, 0, 1], "b": [1, 1, 0], "c": [1, 1, None]})
    split = disagreements(table)
    assert split["passage_id"].tolist() == ["p1", "p2"]
    assert split[["a", "b", "c"]].astype("float").fillna(-1).values.tolist() == [
        [0, 1, 1], [1, 0, -1]]
    assert split["n_coders"].tolist() == [3, 2] and split["n_positive"].tolist() == [2, 1]
    assert split["gold"].isna().all()


def test_adjudicate_rules() -> None:
    table = _annotations({"a": [1, 0, 1], "b": [1, 1, 0], "c": [0, 1, None]})
    gold = adjudicate(table, ties="negative").set_index("passage_id")
    assert gold["label"].to_dict() == {"p0": 1, "p1": 1, "p2": 0}
    assert gold.loc["p2", "rule"] == "tie"
    with pytest.raises(InputError, match=r"passage 'p2', frame 'skeptic': 1 of 2 coders"):
        adjudicate(table)
    assert adjudicate(table, ties="drop")["passage_id"].tolist() == ["p0", "p1"]
    assert adjudicate(table, ties="positive").set_index("passage_id")["label"]["p2"] == 1
    by_c = adjudicate(table, method="coder", coder="c", ties="positive").set_index("passage_id")
    assert by_c["label"].to_dict() == {"p0": 0, "p1": 1, "p2": 1}
    assert by_c["rule"].tolist() == ["coder", "coder", "tie"]
    strict = adjudicate(table, method=lambda labels: int(labels.all()))
    assert strict["label"].tolist() == [0, 0, 0] and set(strict["rule"]) == {"custom"}
    with pytest.raises(InputError, match="method='coder' needs one of the coders"):
        adjudicate(table, method="coder", coder="zed")
    with pytest.raises(InputError, match="expected 0 or 1"):
        adjudicate(table, method=lambda labels: 2)


def test_adjudicate_with_decisions_from_the_disagreement_sheet() -> None:
    table = _annotations({"a": [1, 0, 1], "b": [1, 1, 0]})
    sheet = disagreements(table)
    sheet["gold"] = ["0", "1"]
    gold = adjudicate(table, decisions=sheet).set_index("passage_id")
    assert gold["label"].to_dict() == {"p0": 1, "p1": 0, "p2": 1}
    assert gold.loc["p1", "rule"] == "decision"
    sheet["gold"] = ["x", None]
    with pytest.raises(InputError, match="row 1, field 'gold'"):
        adjudicate(table, decisions=sheet)


def test_pivot_labels_needs_every_frame() -> None:
    gold = pd.DataFrame({"passage_id": ["p", "p", "q"], "frame": ["a", "b", "a"],
                         "label": [1, 0, 1], "sample": ["random", "random", "active"]})
    assert pivot_labels(gold, ["a", "b"]).values.tolist() == [["p", "random", 1, 0]]
    with pytest.raises(InputError, match="unknown frame 'b'"):
        pivot_labels(gold, ["a"])


# -- samples ---------------------------------------------------------------------------------

@pytest.fixture
def pool() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    n = 600
    outlets = np.repeat(["A", "B", "C"], [300, 200, 100])
    return pd.DataFrame({
        "passage_id": [f"d{i // 2}:{i % 2}" for i in range(n)],
        "doc_id": [f"d{i // 2}" for i in range(n)], "outlet": outlets,
        "date": pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 180, n), "D"),
        "p_peacemaker": rng.random(n), "p_skeptic": rng.random(n)})


def test_random_sample_is_proportional_and_weighted(pool: pd.DataFrame) -> None:
    drawn = sample_random(pool, 60, random_state=1)
    assert drawn.groupby("outlet").size().to_dict() == {"A": 30, "B": 20, "C": 10}
    assert np.allclose(drawn["inclusion_probability"], 0.1)
    assert set(drawn.columns) >= set(pool.columns)
    assert (drawn["sample"] == "random").all()
    by_month = sample_random(pool, 60, period="month", random_state=1)
    counts = pool.assign(m=pool["date"].dt.to_period("M")).groupby(["outlet", "m"]).size()
    assert by_month["stratum"].nunique() == len(counts)
    weights = 1 / by_month["inclusion_probability"]
    assert weights.sum() == pytest.approx(len(pool))  # weights add up to the population


def test_random_sample_is_reproducible_and_excludes(pool: pd.DataFrame) -> None:
    first = sample_random(pool, 50, random_state=4)
    pd.testing.assert_frame_equal(first, sample_random(pool, 50, random_state=4))
    assert set(first["passage_id"]) != set(sample_random(pool, 50, random_state=5)["passage_id"])
    rest = sample_random(pool, 50, exclude=first["passage_id"], random_state=4)
    assert not set(rest["passage_id"]) & set(first["passage_id"])
    with pytest.raises(InputError, match="cannot draw 700 passages: only 600"):
        sample_random(pool, 700)
    with pytest.raises(InputError, match="no 'section' column to stratify by"):
        sample_random(pool, 5, by=["section"])


def test_active_sample_picks_the_least_certain(pool: pd.DataFrame) -> None:
    drawn = sample_active(pool, 40, max_per_document=None)
    margin = np.minimum(abs(pool["p_peacemaker"] - 0.5), abs(pool["p_skeptic"] - 0.5))
    assert set(drawn["passage_id"]) == set(pool.loc[margin.nsmallest(40).index, "passage_id"])
    assert drawn["uncertainty"].is_monotonic_increasing
    spread = sample_active(pool, 40)
    assert spread["doc_id"].is_unique  # one passage per document
    thresholds = sample_active(pool, 10, thresholds={"peacemaker": 0.9, "skeptic": 0.9},
                               max_per_document=None)
    assert (np.minimum(abs(thresholds["p_peacemaker"] - 0.9),
                       abs(thresholds["p_skeptic"] - 0.9)) < 0.05).all()


def test_active_sample_on_cold_start_scores(pool: pd.DataFrame) -> None:
    scores = pool.assign(lex_peacemaker=pool["p_peacemaker"] * 7,
                         lex_skeptic=pool["p_skeptic"] * 3 + 1)
    drawn = sample_active(scores, 20, prefix="lex_", max_per_document=None)
    z = [(scores[c] - scores[c].median()) / scores[c].std(ddof=0)
         for c in ("lex_peacemaker", "lex_skeptic")]
    margin = np.minimum(abs(z[0]), abs(z[1]))
    assert set(drawn["passage_id"]) == set(scores.loc[margin.nsmallest(20).index, "passage_id"])
    with pytest.raises(InputError, match=r"field 'cs_\*'"):
        sample_active(scores, 5, prefix="cs_")


def test_relevance_sample_takes_each_frames_best_rarest_first(pool: pd.DataFrame) -> None:
    drawn = sample_active(pool, 20, strategy="relevance", max_per_document=None,
                          positives={"peacemaker": 12, "skeptic": 3})
    # Turns alternate, skeptic (fewer coded positives) first: its best, peacemaker's best, ...
    best = {f: pool.sort_values(f"p_{f}", ascending=False)["passage_id"].tolist()
            for f in ("skeptic", "peacemaker")}
    assert drawn["passage_id"].iloc[0] == best["skeptic"][0]
    assert drawn["passage_id"].iloc[1] == best["peacemaker"][0]
    assert set(drawn["passage_id"]) <= set(best["skeptic"][:10]) | set(best["peacemaker"][:10])
    assert (drawn["active_reason"] == "relevance").all()
    flipped = sample_active(pool, 2, strategy="relevance", max_per_document=None,
                            positives={"peacemaker": 1, "skeptic": 3})
    assert flipped["passage_id"].tolist() == [best["peacemaker"][0], best["skeptic"][0]]
    spread = sample_active(pool, 30, strategy="relevance", positives={"skeptic": 0})
    assert spread["doc_id"].is_unique  # one passage per document here too


def test_mixed_sample_is_half_uncertain_half_relevant(pool: pd.DataFrame) -> None:
    drawn = sample_active(pool, 21, strategy="mixed", random_state=3)
    assert drawn["passage_id"].is_unique and drawn["doc_id"].is_unique
    assert drawn["active_reason"].value_counts().to_dict() == {"relevance": 11,
                                                               "uncertainty": 10}
    uncertain = sample_active(pool, 10, random_state=3)
    assert drawn["passage_id"].iloc[:10].tolist() == uncertain["passage_id"].tolist()
    assert drawn["active_rank"].tolist() == list(range(21))
    with pytest.raises(ValueError, match="strategy"):
        sample_active(pool, 5, strategy="random")
    both = sample_for_annotation(pool, n_random=30, n_active=20, strategy="relevance",
                                 positives={"skeptic": 0}, random_state=1)
    active = both[both["sample"] == "active"]
    assert (active["active_reason"] == "relevance").all()
    assert not set(active["passage_id"]) & set(both.loc[both["sample"] == "random",
                                                        "passage_id"])


def test_random_and_active_are_disjoint_and_labelled(pool: pd.DataFrame) -> None:
    drawn = sample_for_annotation(pool, n_random=60, n_active=40, random_state=2)
    assert drawn["passage_id"].is_unique
    assert drawn["sample"].value_counts().to_dict() == {"random": 60, "active": 40}
    assert drawn.loc[drawn["sample"] == "active", "inclusion_probability"].isna().all()
    again = sample_for_annotation(pool, n_random=60, n_active=40, random_state=2)
    pd.testing.assert_frame_equal(drawn, again)
