"""The frame classifiers in scikit-learn's tools: GridSearchCV, named scorers, tags, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import sklearn.exceptions
from sklearn.base import clone, is_classifier
from sklearn.metrics import f1_score
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.utils import get_tags

from framing.frames import FrameClassifier, SingleLabelClassifier

FRAMES = ("peacemaker", "isolationist", "skeptic")
CUES = {"peacemaker": ["broker a peace deal", "promised a ceasefire"],
        "isolationist": ["Europe must pay its share", "America out of it"],
        "skeptic": ["doubted the aid would work", "questioned the money"]}
# A tiny, fast configuration: one TF-IDF block, no calibration folds, a fixed threshold.
TINY = {"features": "tfidf", "char_ngrams": False, "min_df": 1, "lexicon_features": False,
        "calibration": None, "threshold": 0.5}


def _passages(single: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """90 passages whose cues are right 80% of the time, so no score is a perfect 1."""
    rng = np.random.default_rng(3)
    rows, labels = [], []
    for i in range(90):
        if single:
            on = dict.fromkeys(FRAMES, 0)
            on[FRAMES[i % 3]] = 1
        else:
            on = {frame: int(rng.random() < 0.45) for frame in FRAMES}
        shown = [f for f in FRAMES if on[f] != (rng.random() < 0.2)]  # a fifth of cues flipped
        text = "Trump " + (" and ".join(CUES[f][int(rng.integers(2))] for f in shown) or "met")
        rows.append({"passage_id": f"d{i}:0", "text": text + f" on day {i}."})
        labels.append(on)
    index = pd.RangeIndex(10, 100)
    return pd.DataFrame(rows, index=index), pd.DataFrame(labels, index=index)


def _manual_macro_f1(model, passages: pd.DataFrame, labels: pd.DataFrame, cv) -> float:
    """The mean macro-F1 over ``cv``'s folds, each computed from the prediction table."""
    scores = []
    for train, test in cv.split(passages):
        fitted = clone(model).set_params(predict_output="table").fit(
            passages.iloc[train], labels.iloc[train])
        table = fitted.predict(passages.iloc[test])
        scores.append(f1_score(labels.iloc[test][list(FRAMES)],
                               table[[f"is_{f}" for f in FRAMES]], average="macro"))
    return float(np.mean(scores))


def test_not_fitted_error_is_scikit_learns() -> None:
    passages, _ = _passages(single=False)
    with pytest.raises(sklearn.exceptions.NotFittedError, match="not fitted yet"):
        FrameClassifier().predict(passages)


def test_grid_search_with_a_named_scorer_on_a_multi_label_table() -> None:
    passages, labels = _passages(single=False)
    cv = KFold(3, shuffle=True, random_state=0)
    model = FrameClassifier(**TINY, predict_output="labels")
    search = GridSearchCV(model, {"C": [1.0, 10.0]}, scoring="f1_macro", cv=cv,
                          error_score="raise").fit(passages, labels)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    for C, score in zip([1.0, 10.0], search.cv_results_["mean_test_score"], strict=True):
        assert score == pytest.approx(_manual_macro_f1(model.set_params(C=C), passages,
                                                       labels, cv))
    assert 0.5 < search.best_score_ < 1.0
    # The refitted model answers in arrays; an array y works as well as the table.
    best = search.best_estimator_
    assert best.predict(passages).shape == (90, 3)
    assert best.predict_proba(passages).shape == (90, 3)
    assert list(best.classes_) == list(FRAMES)
    again = clone(best).fit(passages, labels.to_numpy())
    assert (again.predict(passages) == best.predict(passages)).all()


def test_grid_search_default_scoring_is_the_macro_f1_score() -> None:
    passages, labels = _passages(single=False)
    cv = KFold(3, shuffle=True, random_state=0)
    model = FrameClassifier(**TINY)  # the table output: score reads the decisions itself
    search = GridSearchCV(model, {"C": [1.0, 10.0]}, cv=cv, error_score="raise").fit(
        passages, labels)
    assert search.cv_results_["mean_test_score"][0] == pytest.approx(
        _manual_macro_f1(model.set_params(C=1.0), passages, labels, cv))
    fitted = FrameClassifier(**TINY).fit(passages, labels)
    table = fitted.predict(passages)
    assert fitted.score(passages, labels) == pytest.approx(f1_score(
        labels, table[[f"is_{f}" for f in FRAMES]], average="macro"))


def test_grid_search_single_label_with_class_names() -> None:
    passages, labels = _passages(single=True)
    classes = pd.Series(np.asarray(FRAMES, dtype=object)[labels.to_numpy().argmax(axis=1)],
                        index=passages.index)
    model = SingleLabelClassifier(**{k: v for k, v in TINY.items() if k != "threshold"},
                                  decision="argmax", predict_output="labels")
    search = GridSearchCV(model, {"C": [1.0, 10.0]}, scoring="f1_macro", cv=3,
                          error_score="raise").fit(passages, classes)
    assert 0.5 < search.best_score_ < 1.0
    decided = search.best_estimator_.predict(passages)
    assert decided.shape == (90,) and set(decided) <= set(FRAMES)
    table_model = clone(search.best_estimator_).set_params(predict_output="table").fit(
        passages, classes)
    assert table_model.score(passages, classes) == pytest.approx(f1_score(
        classes, table_model.predict(passages)["frame"], average="macro"))


def test_tags_say_what_the_classifiers_are() -> None:
    multi, single = get_tags(FrameClassifier()), get_tags(SingleLabelClassifier())
    assert is_classifier(FrameClassifier()) and is_classifier(SingleLabelClassifier())
    assert multi.classifier_tags.multi_label and multi.target_tags.multi_output
    assert not single.classifier_tags.multi_label and single.target_tags.single_output
    assert multi.input_tags.string and not multi.input_tags.two_d_array
