"""How framing's objects show themselves in Jupyter: HTML cards, tables and widget bars.

Each test asks IPython's display formatter, as a notebook would, for the HTML of an object
and checks that the numbers a reader needs are in it.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from IPython.core.formatters import DisplayFormatter

from framing.corpus import import_corpus
from framing.frames import (
    CrossValidation,
    FrameClassifier,
    cross_validate_frames,
    load_frame_model,
    save_frame_model,
)
from framing.text import KwicView, extract_passages
from framing.topics import TopicModel
from tests.topics.conftest import make_tokens

TINY = {"features": "tfidf", "char_ngrams": False, "min_df": 1, "calibration": None,
        "threshold": 0.5}


def _html(obj: object) -> str:
    data, _ = DisplayFormatter().format(obj)
    assert "text/html" in data, f"{type(obj).__name__} has no HTML display"
    return data["text/html"]


def _text(markup: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", markup).split())


@pytest.fixture(scope="module")
def passages() -> pd.DataFrame:
    texts = ["Trump vowed to broker a peace deal.", "Trump said Europe must pay its share.",
             "Trump doubted the aid would work."] * 10
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(30)], "text": texts,
                         "peacemaker": [1, 0, 0] * 10, "isolationist": [0, 1, 0] * 10,
                         "skeptic": [0, 0, 1] * 10})


def test_corpus_shows_counts_by_outlet_and_month_and_its_accounting(tmp_path) -> None:
    rows = pd.DataFrame({
        "outlet": ["Alpha", "Alpha", "Beta", "Beta", "Beta"],
        "date": ["2025-01-03", "2025-02-10", "2025-01-05", "2025-01-06", "2025-01-06"],
        "text": ["Trump met Putin in Alaska today.", "Zelensky went to Washington again.",
                 "A summit was held in Geneva.", "Talks resumed in Riyadh on Monday.",
                 "Talks resumed in Riyadh on Monday."]})
    rows.to_csv(tmp_path / "news.csv", index=False)
    corpus = import_corpus([tmp_path / "news.csv"], tmp_path / "store", progress=False)
    text = _text(_html(corpus))
    assert "documents 4" in text and "read 5" in text
    assert "dropped: duplicate doc id 1" in text
    # short texts are counted among the kept rows, not the rows read
    assert "short texts under 20 words 4" in text
    # Beta: 2 documents in January, none in February; all = 2
    assert re.search(r"outlet 2025-01 2025-02 all Alpha 1 1 2 Beta 2 0 2", text), text


def test_passages_show_documents_and_outlets() -> None:
    docs = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "Y"],
                         "date": pd.to_datetime(["2025-01-01", "2025-01-02"]),
                         "text": ["Trump met Zelensky. It rained.", "Nothing happened here."]})
    text = _text(_html(extract_passages(docs, issue=None, progress=False)))
    assert "passages 1" in text and "documents 2" in text
    assert "X 1 1" in text  # outlet X: one passage from one document


def test_fitted_classifier_and_loaded_bundle_show_their_cards(passages, tmp_path) -> None:
    assert "FrameClassifier (fitted)" not in _html(FrameClassifier(**TINY))  # the diagram alone
    model = FrameClassifier(**TINY).fit(passages)
    text = _text(_html(model))
    assert model.model_id_ in text and "training passages 30" in text
    assert "peacemaker 10 0.500" in text
    save_frame_model(model, tmp_path / "bundle")
    loaded = _html(load_frame_model(tmp_path / "bundle"))
    assert "<h1>" in loaded or "<h2>" in loaded  # the card's Markdown, rendered
    assert "# " not in _text(loaded).split("Frame model bundle")[1][:200]


def test_topic_model_shows_its_topics_with_frex_words() -> None:
    tokens = make_tokens()
    model = TopicModel(n_topics=3, min_df=1, n_iterations=30).fit(tokens)
    text = _text(_html(model))
    assert model.model_id_ in text and "topics 3" in text
    shares = np.sort(model.doc_topic_.mean(axis=0))[::-1]
    assert f"{shares[0]:.3f}" in text


def test_cross_validation_is_a_mapping_with_a_table(passages) -> None:
    result = cross_validate_frames(FrameClassifier(**TINY), passages, n_splits=3)
    assert isinstance(result, CrossValidation)
    assert result["macro_f1"] == result.macro_f1 == pytest.approx(result["scores"]["f1"].mean())
    assert set(result) == {"scores", "macro_f1", "predictions"} and len(result) == 3
    text = _text(_html(result))
    assert f"macro-F1 {result['macro_f1']:.3f}" in text and "passages 30" in text
    with pytest.raises(AttributeError):
        result.missing  # noqa: B018


def test_kwic_view_shows_the_source_and_a_bounded_table() -> None:
    table = pd.DataFrame({"doc_id": ["a"] * 3, "outlet": ["X"] * 3,
                          "date": pd.to_datetime(["2025-03-01"] * 3), "left": ["so"] * 3,
                          "keyword": ["Trump"] * 3, "right": ["said"] * 3,
                          "resolved_by": ["explicit"] * 3, "confidence": [1.0] * 3,
                          "reason": [""] * 3})
    text = _text(_html(KwicView(table, max_rows=2)))
    assert "X 2025-03-01 so Trump said" in text and "1 more rows" in text


def test_progress_bars_are_widgets_without_a_warning() -> None:
    from tqdm.notebook import tqdm

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing ipywidgets warns (TqdmWarning)
        bar = tqdm(total=2)
        bar.update(2)
        bar.close()
    assert type(bar.container).__name__ == "TqdmHBox"


def test_frame_evaluation_shows_its_summary_and_pooled_scores() -> None:
    from framing.frames import FrameEvaluation
    from framing.frames._evaluate import TABLE_COLUMNS

    empty = {name: pd.DataFrame(columns=list(cols)) for name, cols in TABLE_COLUMNS.items()}
    empty["summary"] = pd.DataFrame([("grouped", 0.8123, 0.9, 0.1, 0.05, 5, 120)],
                                    columns=list(TABLE_COLUMNS["summary"]))
    empty["scores"] = pd.DataFrame(
        [("grouped", "all", "skeptic", 120, 30, 0.7, 0.9, 0.7877, 0.91, 0.8, 0.1, 0.04),
         ("grouped", "fold 1", "skeptic", 24, 6, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1)],
        columns=list(TABLE_COLUMNS["scores"]))
    text = _text(_html(FrameEvaluation(**empty, predictions=pd.DataFrame(),
                                       features_used="tfidf")))
    assert "grouped 0.812 0.900" in text and "skeptic 30 0.700 0.900 0.788" in text
    assert "0.100 0.100 0.100" not in text  # one fold's row is not the pooled score
