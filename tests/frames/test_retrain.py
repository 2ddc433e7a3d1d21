"""Training from annotations, retraining with lineage, and the whole annotation loop."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import f1_score

from framing.corpus import InputError
from framing.frames import (
    CodebookChangedWarning,
    ColdStartScorer,
    FrameClassifier,
    adjudicate,
    frame_agreement,
    labelled_passages,
    load_codebook,
    load_frame_model,
    retrain,
    sample_for_annotation,
    sample_random,
    save_frame_model,
)
from tests.conftest import REPO, sample_truth_passages

FRAMES = ("peacemaker", "isolationist", "skeptic")
FAST = {"features": "tfidf", "char_ngrams": False}
CUES = {
    "peacemaker": ["Trump vowed to broker a peace deal", "Trump promised a ceasefire soon"],
    "isolationist": ["Trump said Europe must pay its share", "Trump wants America out of it"],
    "skeptic": ["Trump doubted the aid would work", "Trump questioned the money sent to Kyiv"],
}


def simulate_coders(drawn: pd.DataFrame, truth: pd.DataFrame, *, error: float,
                    coders: tuple[str, ...] = ("ann", "ben", "cat"), seed: int = 0,
                    ) -> pd.DataFrame:
    """Coders who each flip every true label with probability ``error``, independently."""
    rng = np.random.default_rng(seed)
    table = drawn[["passage_id", "sample"]].merge(truth, on="passage_id", validate="1:1")
    parts = []
    for coder in coders:
        for frame in FRAMES:
            flip = rng.random(len(table)) < error
            parts.append(pd.DataFrame({
                "passage_id": table["passage_id"], "coder": coder, "frame": frame,
                "label": np.where(flip, 1 - table[frame], table[frame]),
                "annotated_at": "2025-12-01", "sample": table["sample"],
                "codebook_version": "1.0"}))
    return pd.concat(parts, ignore_index=True)


# -- small and fast ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def toy() -> tuple[pd.DataFrame, pd.DataFrame]:
    """80 cue passages from 40 documents, their truth, in two halves (old / new corpus)."""
    rng = np.random.default_rng(1)
    rows, truth = [], []
    for i in range(80):
        on = {frame: int(rng.random() < 0.45) for frame in FRAMES}
        sentences = [CUES[f][int(rng.integers(2))] for f in FRAMES if on[f]] or [
            "Officials met in Geneva on Tuesday"]
        rows.append({"passage_id": f"d{i // 2}:{i % 2}", "doc_id": f"d{i // 2}",
                     "outlet": ["A", "B"][i >= 40], "text": ". ".join(sentences) + "."})
        truth.append({"passage_id": f"d{i // 2}:{i % 2}", **on})
    return pd.DataFrame(rows), pd.DataFrame(truth)


@pytest.fixture(scope="module")
def parent(toy) -> tuple[FrameClassifier, pd.DataFrame]:
    passages, truth = toy
    old = passages.iloc[:40].assign(sample="random")
    annotations = simulate_coders(old, truth, error=0.0, coders=("ann", "ben"))
    training = labelled_passages(passages, annotations)
    # No calibration and a fixed threshold: the toy tests are about the bookkeeping, and every
    # retrain refits clones of this model many times.
    model = FrameClassifier(**FAST, min_df=1, calibration=None, threshold=0.5).fit(
        training.drop(columns=list(FRAMES)), training[list(FRAMES)])
    return model, annotations


def test_labelled_passages_joins_gold_labels(toy) -> None:
    passages, truth = toy
    annotations = simulate_coders(passages.head(10).assign(sample="active"), truth, error=0.0)
    table = labelled_passages(passages, annotations)
    assert table["passage_id"].tolist() == passages["passage_id"].head(10).tolist()
    assert table[list(FRAMES)].equals(truth.head(10)[list(FRAMES)])
    assert (table["outlet"] == "A").all() and (table["sample"] == "active").all()
    unknown = annotations.assign(passage_id="nope:0")
    with pytest.raises(InputError, match="field 'passage_id': unknown passage 'nope:0'"):
        labelled_passages(passages, unknown)
    with pytest.raises(InputError, match="already has a 'skeptic' column"):
        labelled_passages(passages.assign(skeptic=0), annotations)


def test_retrain_refuses_a_changed_codebook_naming_both_hashes(toy, parent,
                                                               tmp_path: Path) -> None:
    passages, truth = toy
    model, annotations = parent
    shipped = load_codebook()
    edited = tmp_path / "edited.yaml"
    edited.write_bytes((REPO / shipped.path).read_bytes() + b"\n# one more comment\n")
    new = simulate_coders(passages.iloc[40:60].assign(sample="random"), truth, error=0.0)
    changed = load_codebook(edited).sha256
    message = (rf"codebook changed since the model was trained: model "
               rf"{shipped.sha256[:12]}, codebook .*edited\.yaml {changed[:12]}")
    with pytest.raises(InputError, match=message):
        retrain(model, annotations, passages, new_annotations=new, codebook=edited)
    with pytest.warns(CodebookChangedWarning, match=changed[:12]):
        result = retrain(model, annotations, passages, new_annotations=new, codebook=edited,
                         allow_codebook_change=True, n_splits=2)
    assert result.model.codebook_sha256_ == changed
    assert result.lineage["parent_codebook_sha256"] == shipped.sha256


def test_retrain_reports_conflicts(toy, parent) -> None:
    passages, truth = toy
    model, annotations = parent
    again = annotations[annotations["passage_id"] == "d0:0"].copy()
    again["label"] = 1 - again["label"]
    new = pd.concat([again, simulate_coders(passages.iloc[40:60].assign(sample="random"),
                                            truth, error=0.0)], ignore_index=True)
    with pytest.raises(InputError, match=r"6 passage/coder/frame cells are labelled "
                                         r"differently .* passage 'd0:0'"):
        retrain(model, annotations, passages, new_annotations=new)
    with pytest.warns(UserWarning, match="on_conflict='newest'"):
        newest = retrain(model, annotations, passages, new_annotations=new,
                         on_conflict="newest", n_splits=2)
    assert len(newest.conflicts) == 6
    flipped = newest.training.set_index("passage_id").loc["d0:0", list(FRAMES)]
    assert flipped.tolist() == (1 - truth.set_index("passage_id").loc["d0:0",
                                                                       list(FRAMES)]).tolist()
    with pytest.warns(UserWarning, match="on_conflict='drop'"):
        dropped = retrain(model, annotations, passages, new_annotations=new,
                          on_conflict="drop", n_splits=2)
    assert "d0:0" not in set(dropped.training["passage_id"])


def test_retrain_needs_a_fitted_parent(toy, parent) -> None:
    passages, _ = toy
    _, annotations = parent
    with pytest.raises(InputError, match="parent model is not fitted"):
        retrain(FrameClassifier(), annotations, passages, new_annotations=annotations)


def test_retrained_bundle_records_its_parent(toy, parent, tmp_path: Path) -> None:
    passages, truth = toy
    model, annotations = parent
    save_frame_model(model, tmp_path / "v1")
    new = simulate_coders(passages.iloc[40:].assign(sample="random"), truth, error=0.0)
    result = retrain(tmp_path / "v1", annotations, passages.iloc[:40],
                     new_annotations=new, new_passages=passages.iloc[40:], n_splits=2)
    assert result.parent_model_id == model.model_id_ != result.model.model_id_
    assert set(result.comparison["evaluation"]) == {"cv", "new_corpus"}
    on_new = result.comparison[(result.comparison["evaluation"] == "new_corpus")
                               & (result.comparison["frame"] == "macro")]
    assert on_new["n_passages"].tolist() == [40, 40]
    result.save(tmp_path / "v2")
    loaded = load_frame_model(tmp_path / "v2")
    assert loaded.model_id_ == result.model.model_id_
    lineage = loaded.bundle_metrics_["lineage"]
    assert lineage["parent_model_id"] == model.model_id_
    assert lineage["parent_bundle"] == str(tmp_path / "v1")
    assert lineage["n_passages"] == {"old": 40, "all": 80}
    card = (tmp_path / "v2" / "CARD.md").read_text(encoding="utf-8")
    assert "retrain cv: parent" in card and "retrain new_corpus: retrained" in card
    metrics = json.loads((tmp_path / "v2" / "metrics.json").read_text(encoding="utf-8"))
    assert len(metrics["retrain_comparison"]) == len(result.comparison)


# -- the whole loop on the sample corpus --------------------------------------------------------

def _macro_f1(truth: pd.DataFrame, table: pd.DataFrame) -> float:
    joined = truth.merge(table, on="passage_id", validate="1:1")
    return float(np.mean([f1_score(joined[f], joined[f"is_{f}"]) for f in FRAMES]))


@pytest.mark.slow
def test_the_annotation_loop_on_the_sample_corpus(tmp_path: Path) -> None:
    """Cold start → 100 random + 100 active → 3 noisy coders → alpha → train → apply →
    more labels (and a new corpus) → retrain: agreement recovers the planted reliability and
    the retrained model is at least as good as its parent."""
    found = sample_truth_passages()
    found["passage_id"] = found["doc_id"] + ":" + found["paragraph_id"].astype(str)
    truth = found[["passage_id", *FRAMES]]
    passages = found.drop(columns=list(FRAMES))
    new_outlets = {"The Continental Review", "Ledger & Line"}
    is_new = passages["outlet"].isin(new_outlets)
    old_corpus, new_corpus = passages[~is_new], passages[is_new]

    # Round 1: before any model, cold-start scores choose the active half.
    scores = ColdStartScorer(features="tfidf").fit(old_corpus).transform(old_corpus)
    drawn = sample_for_annotation(old_corpus, n_random=100, n_active=100, scores=scores,
                                  prefix="provisional_", frames=FRAMES, random_state=0)
    assert drawn["sample"].value_counts().to_dict() == {"random": 100, "active": 100}
    error = 0.1
    annotations = simulate_coders(drawn, truth, error=error, seed=0)

    # Agreement: the interval holds the alpha the error rate plants, frame by frame.
    agreement = frame_agreement(annotations, n_bootstrap=500, random_state=0).set_index("frame")
    share = drawn[["passage_id"]].merge(truth, on="passage_id")[list(FRAMES)].mean()
    for frame in FRAMES:
        coded = share[frame] * (1 - error) + (1 - share[frame]) * error
        planted = 1 - error * (1 - error) / (coded * (1 - coded))
        row = agreement.loc[frame]
        assert row["ci_low"] <= planted <= row["ci_high"], (frame, planted, row.to_dict())
        assert row["n_units"] == 200 and row["n_coders"] == 3
    # Majority of three coders with 10% error each: about 2.8% of gold labels wrong.
    gold = adjudicate(annotations).merge(truth.melt("passage_id", var_name="frame",
                                                    value_name="truth"))
    assert (gold["label"] != gold["truth"]).mean() < 0.05

    # Train, save, apply to every passage.
    training = labelled_passages(passages, annotations)
    model = FrameClassifier(**FAST).fit(training.drop(columns=list(FRAMES)),
                                        training[list(FRAMES)])
    save_frame_model(model, tmp_path / "v1")
    applied = model.predict(passages)
    assert len(applied) == len(passages) and applied["passage_id"].is_unique
    assert (applied["codebook_hash"] == load_codebook().sha256).all()
    unseen = truth[~truth["passage_id"].isin(drawn["passage_id"])]
    f1_first = _macro_f1(unseen, applied)
    assert f1_first > 0.6

    # Round 2: 300 more random passages, 150 from the old corpus and 150 from a new one.
    more = pd.concat([
        sample_random(old_corpus, 150, exclude=drawn["passage_id"], random_state=1),
        sample_random(new_corpus, 150, random_state=2)], ignore_index=True)
    new_annotations = simulate_coders(more, truth, error=error, coders=("dan", "eve"), seed=1)
    result = retrain(tmp_path / "v1", annotations, old_corpus, new_annotations=new_annotations,
                     new_passages=new_corpus, n_splits=3, random_state=0)
    cv = result.macro_f1("cv")
    assert cv["retrained"] >= cv["parent"]
    assert set(result.macro_f1("new_corpus")) == {"parent", "retrained"}
    assert result.lineage["n_passages"] == {"old": 200, "all": 500}
    held_out = unseen[~unseen["passage_id"].isin(more["passage_id"])]
    f1_second = _macro_f1(held_out, result.model.predict(passages))
    assert f1_second >= _macro_f1(held_out, applied)
    result.save(tmp_path / "v2")
    assert load_frame_model(tmp_path / "v2").bundle_metrics_["lineage"][
        "parent_model_id"] == model.model_id_
