"""evaluate_frames and the metric helpers: tidy tables, no leakage, seeded, honest metrics."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import f1_score, roc_auc_score

from framing.corpus import InputError
from framing.frames import ColdStartScorer, FrameClassifier, default_schemes, evaluate_frames
from framing.frames._evaluate import TABLE_COLUMNS
from framing.frames._metrics import (
    confusion_table,
    expected_calibration_error,
    frame_metrics,
    reliability_table,
)

FRAMES = ("peacemaker", "isolationist", "skeptic")
CUES = {
    "peacemaker": ["Trump vowed to broker a peace deal", "Trump promised a ceasefire soon",
                   "Trump pressed both sides into talks"],
    "isolationist": ["Trump said Europe must pay its share", "Trump wants America out of it",
                     "Trump ruled out sending troops"],
    "skeptic": ["Trump doubted the aid would work", "Trump questioned the money sent to Kyiv",
                "Trump distrusted the Kremlin's promises"],
}
# No calibration folds and a fixed threshold: one logistic regression per frame and fold keeps
# these table checks fast (calibration is FrameClassifier's own tests' business).
FAST = {"features": "tfidf", "char_ngrams": False, "min_df": 1, "calibration": None,
        "threshold": 0.5}


@pytest.fixture(scope="module")
def passages() -> pd.DataFrame:
    """120 passages of 60 documents in 4 outlets; labels noisy enough to be imperfect."""
    rng = np.random.default_rng(5)
    rows = []
    for i in range(120):
        on = {frame: int(rng.random() < 0.4) for frame in FRAMES}
        sentences = [CUES[f][int(rng.integers(3))] for f in FRAMES if on[f]]
        if rng.random() < 0.15:  # a cue without its label, or a label without its cue
            on[FRAMES[int(rng.integers(3))]] ^= 1
        rows.append({"doc_id": f"d{i // 2}", "passage_id": f"d{i // 2}:{i % 2}",
                     "outlet": "ABCD"[(i // 2) % 4],
                     "text": ". ".join(sentences or ["Officials met in Geneva"]) + ".", **on})
    return pd.DataFrame(rows, index=pd.RangeIndex(500, 620))


@pytest.fixture(scope="module")
def report(passages):
    return evaluate_frames(FrameClassifier(**FAST), passages, n_splits=3,
                           train_sizes=(20, 40, 60), cold_start=ColdStartScorer(
                               features="tfidf"))


def test_tables_are_tidy_with_the_documented_columns(report) -> None:
    for name, columns in TABLE_COLUMNS.items():
        assert tuple(getattr(report, name).columns) == columns, name
    assert set(report.summary["scheme"]) == {"grouped", "outlet"}
    assert report.summary.set_index("scheme").loc["outlet", "n_folds"] == 4
    records = report.to_dict()
    assert set(records) == set(TABLE_COLUMNS)
    assert len(records["scores"]) == len(report.scores)


def test_folds_never_split_a_document_or_an_outlet(report, passages) -> None:
    predictions = report.predictions
    grouped = predictions[predictions["scheme"] == "grouped"]
    assert grouped.index.equals(passages.index)
    assert (grouped.groupby("doc_id")["fold"].nunique() == 1).all()
    by_outlet = predictions[predictions["scheme"] == "outlet"]
    assert (by_outlet.groupby("outlet")["fold"].nunique() == 1).all()
    assert (by_outlet.groupby("fold")["outlet"].nunique() == 1).all()  # one outlet per fold


def test_pooled_scores_match_sklearn(report, passages) -> None:
    grouped = report.predictions[report.predictions["scheme"] == "grouped"]
    scores = report.scores.set_index(["scheme", "heldout", "frame"])
    for frame in FRAMES:
        row = scores.loc[("grouped", "all", frame)]
        assert row["f1"] == pytest.approx(f1_score(passages[frame], grouped[f"is_{frame}"]))
        assert row["auc"] == pytest.approx(roc_auc_score(passages[frame], grouped[f"p_{frame}"]))
        assert row["n"] == len(passages)
    assert report.macro_f1("grouped") == pytest.approx(
        scores.loc["grouped"].loc["all"]["f1"].mean())
    assert 0.6 < report.macro_f1("grouped") < 1.0  # the label noise keeps it imperfect
    with pytest.raises(KeyError, match="no 'random' scheme"):
        report.macro_f1("random")


def test_outlet_scheme_has_a_row_per_held_out_outlet(report) -> None:
    rows = report.scores[report.scores["scheme"] == "outlet"]
    assert set(rows["heldout"]) == {"all", "A", "B", "C", "D"}
    per_outlet = rows[rows["heldout"] != "all"].groupby("frame")["n"].sum()
    assert (per_outlet == 120).all()


def test_reliability_and_confusion_count_every_passage(report) -> None:
    for table in (report.reliability, report.confusion):
        totals = table.groupby(["scheme", "frame"])["n"].sum()
        assert (totals == 120).all() and len(totals) == 6
    bins = report.reliability
    assert (bins["bin_low"] <= bins["mean_predicted"]).all()
    assert (bins["mean_predicted"] <= bins["bin_high"]).all()
    assert bins["observed"].between(0, 1).all()


def test_comparison_has_every_method_and_frame(report) -> None:
    table = report.comparison
    assert set(table["method"]) == {"classifier", "lexicon", "cold_start"}
    assert len(table) == 2 * 3 * 3
    assert table["auc"].between(0, 1).all() and table["f1"].between(0, 1).all()
    classifier = table[table["method"] == "classifier"].groupby("scheme")["auc"].mean()
    cold = table[table["method"] == "cold_start"].groupby("scheme")["auc"].mean()
    assert (classifier > cold).all()  # trained on the labels, it ranks better


def test_learning_curve_is_grouped_nested_and_seeded(report, passages) -> None:
    curve = report.learning_curve
    assert set(curve["n_train"]) == {20, 40, 60}
    assert (curve["n_passages"] >= curve["n_train"]).all()
    assert (curve["n_passages"] <= curve["n_train"] + 1).all()  # whole documents of 2
    assert set(curve["frame"]) == {*FRAMES, "macro"}
    macro = curve[curve["frame"] == "macro"]
    means = [macro.loc[macro["fold"] == f, "f1"].to_numpy() for f in macro["fold"].unique()]
    assert all(len(m) == 3 for m in means)
    again = evaluate_frames(FrameClassifier(**FAST), passages, n_splits=3,
                            schemes=("grouped",), baselines=(), train_sizes=(20, 40, 60))
    pd.testing.assert_frame_equal(again.learning_curve, curve)
    other = evaluate_frames(FrameClassifier(**FAST), passages, n_splits=3, random_state=1,
                            schemes=("grouped",), baselines=(), train_sizes=(20, 40, 60))
    assert not other.learning_curve["f1"].equals(curve["f1"])


def test_same_seed_same_tables(report, passages) -> None:
    again = evaluate_frames(FrameClassifier(**FAST), passages, n_splits=3,
                            train_sizes=(20, 40, 60), cold_start=ColdStartScorer(
                                features="tfidf"))
    for name in TABLE_COLUMNS:
        pd.testing.assert_frame_equal(getattr(again, name), getattr(report, name))


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"schemes": ("grouped", "random")}, r"'schemes' parameter .* Got 'random' instead"),
    ({"baselines": ("topics",)}, r"'baselines' parameter .* Got 'topics' instead"),
    ({"train_sizes": (0,)}, r"'train_sizes' parameter .* positive ints"),
    ({"n_bins": 1}, r"The 'n_bins' parameter of evaluate_frames must be an int"),
    ({"outlet": "source", "schemes": ("grouped", "outlet")},
     r"no 'source' column to hold out one outlet at a time \(leave the 'outlet' scheme out: "
     r"schemes=\('grouped',\), --schemes grouped\)"),
    ({"groups": "article"}, r"no 'article' column to group the folds by; .*"
                            r"groups='passage_id'"),
])
def test_bad_arguments(passages, kwargs, message) -> None:
    with pytest.raises(InputError, match=message):
        evaluate_frames(FrameClassifier(**FAST), passages, **kwargs)


def test_one_outlet_cannot_be_left_out(passages) -> None:
    with pytest.raises(InputError, match=r"at least 2 values in 'outlet', found 1"):
        evaluate_frames(FrameClassifier(**FAST), passages.assign(outlet="A"),
                        schemes=("grouped", "outlet"))
    with pytest.raises(InputError, match=r"5 folds need at least 5 distinct 'doc_id'"):
        evaluate_frames(FrameClassifier(**FAST), passages.assign(doc_id="d0"),
                        schemes=("grouped",))


@pytest.mark.parametrize("table", [
    lambda p: p.drop(columns="outlet"), lambda p: p.assign(outlet="A")])
def test_without_outlets_the_default_schemes_adapt(passages, table) -> None:
    """A table with no (or one) outlet is evaluated by folds grouped by document alone; and
    by plain stratified folds when each passage is its own document."""
    bare = table(passages)
    assert default_schemes(bare) == ("grouped",) and default_schemes(passages) == (
        "grouped", "outlet")
    report = evaluate_frames(FrameClassifier(**FAST), bare, n_splits=3, baselines=())
    assert report.summary["scheme"].tolist() == ["grouped"]
    plain = evaluate_frames(FrameClassifier(**FAST), bare.drop(columns="doc_id"),
                            groups="passage_id", n_splits=3, baselines=())
    assert plain.summary["n_passages"].tolist() == [len(passages)]
    pooled = plain.scores[plain.scores["heldout"] == "all"]
    assert set(pooled["frame"]) == set(FRAMES)
    assert pooled[["precision", "recall", "f1", "auc"]].notna().all().all()


def test_auto_features_are_resolved_once_for_every_fold(passages, monkeypatch) -> None:
    """Without the embeddings extra, ``features="auto"`` warns once, not once per fold (3
    grouped + 4 outlet folds, the learning curve and the cold-start baseline used to warn
    each), and every fold uses the same features."""
    import framing.frames._classifier as classifier_module
    from framing.frames import EmbeddingsUnavailableWarning

    monkeypatch.setattr(classifier_module, "embeddings_available", lambda: False)
    model = FrameClassifier(**{**FAST, "features": "auto"})
    with pytest.warns(EmbeddingsUnavailableWarning) as warned:
        report = evaluate_frames(model, passages, n_splits=3, train_sizes=(40,))
    assert len(warned) == 1
    assert report.features_used == "tfidf"
    assert model.features == "auto"  # the caller's classifier is left as it was


# -- metric helpers ---------------------------------------------------------------------------


def test_calibration_error_of_a_calibrated_and_an_overconfident_model() -> None:
    rng = np.random.default_rng(0)
    p = rng.random(20_000)
    y = (rng.random(20_000) < p).astype(int)  # calibrated by construction
    assert expected_calibration_error(y, p) < 0.02
    overconfident = np.where(p > 0.5, 0.99, 0.01)
    assert expected_calibration_error(y, overconfident) > 0.2
    table = reliability_table(y, p)
    assert len(table) == 10 and table["n"].sum() == 20_000
    np.testing.assert_allclose(table["observed"], table["mean_predicted"], atol=0.03)


def test_frame_metrics_edge_cases() -> None:
    none_positive = frame_metrics(np.zeros(4), np.full(4, 0.2), np.zeros(4))
    assert none_positive["f1"] == 0.0 and np.isnan(none_positive["auc"])
    assert none_positive["brier"] == pytest.approx(0.04)
    table = confusion_table(np.array([1, 1, 0, 0, 0]), np.array([1, 0, 1, 0, 0]))
    assert table.set_index(["true", "predicted"])["n"].to_dict() == {
        (0, 0): 2, (0, 1): 1, (1, 0): 1, (1, 1): 1}


def test_cross_fit_replaces_only_the_coded_passages_predictions() -> None:
    from framing.frames import cross_fit

    frames = pd.DataFrame({"passage_id": ["a:0", "b:0", "c:0"], "outlet": ["X", "Y", "X"],
                           "p_skeptic": [0.99, 0.2, 0.7], "is_skeptic": [1, 0, 1]},
                          index=[10, 11, 12])
    oof = pd.DataFrame({"passage_id": ["c:0", "a:0"], "p_skeptic": [0.1, 0.4],
                        "is_skeptic": [0, 0], "skeptic": [0, 1], "fold": [1, 2]})
    out = cross_fit(frames, oof)
    assert out.index.tolist() == [10, 11, 12] and list(out.columns) == list(frames.columns)
    assert out["p_skeptic"].tolist() == [0.4, 0.2, 0.1]
    assert out["is_skeptic"].tolist() == [0, 0, 0] and out["is_skeptic"].dtype == int
    assert frames["p_skeptic"].tolist() == [0.99, 0.2, 0.7]  # the input is not changed
    with pytest.raises(InputError, match=r"passage 'a:0' is twice in predictions"):
        cross_fit(frames, pd.concat([oof, oof.tail(1)]))
    with pytest.raises(InputError, match=r"predictions has no 'passage_id' column"):
        cross_fit(frames, oof.drop(columns="passage_id"))
