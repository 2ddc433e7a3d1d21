"""Frame models on real labelled news (../shared/data), with the floors measured there.

* NewsMTSC: 200 sentences about Trump (seed 0 draw of the train split), tone toward him
  (favourable 37, unfavourable 128), 190 articles, 2 source corpora as outlets.
* SemEval-2025 Task 10: 493 entity mentions in 133 Ukraine-war articles, five fine roles
  with 18-68 positives each (peacemaker 18).

Embeddings are computed once per machine (the session cache in .pytest_cache). The numbers
come from ``python -m tests.frames.measure_frames`` (see that module) with the same settings.
"""

from __future__ import annotations

import numpy as np
import pytest

from framing.frames import (
    ColdStartScorer,
    FrameClassifier,
    cross_validate_frames,
    embeddings_available,
)
from framing.frames._metrics import ranking_auc
from tests.frames import realdata

pytestmark = [
    pytest.mark.shared_data, pytest.mark.slow,
    pytest.mark.skipif(not embeddings_available(), reason="framing[embeddings] not installed"),
]


@pytest.fixture(scope="module")
def tone():
    return realdata.trump_tone_passages(n=200, random_state=0)


@pytest.fixture(scope="module")
def entity():
    return realdata.entity_role_passages()


def _aucs(passages, codebook, embedding_cache, **params) -> list[float]:
    scorer = ColdStartScorer(codebook=str(codebook), embedding_cache=embedding_cache,
                             **params).fit(passages)
    scores = scorer.score(passages)
    return [ranking_auc(passages[f].to_numpy(), scores[:, k])
            for k, f in enumerate(scorer.frames_)]


def test_tone_definitions_rank_sentences_without_annotation(tone, embedding_cache) -> None:
    """Measured AUC (favourable, unfavourable): MiniLM definition only 0.629, 0.747; with the
    examples 0.739, 0.796; TF-IDF with the examples 0.537, 0.539."""
    codebook = realdata.TONE_CODEBOOK
    definition = _aucs(tone, codebook, embedding_cache, features="embeddings",
                       use_examples=False)
    examples = _aucs(tone, codebook, embedding_cache, features="embeddings")
    tfidf = _aucs(tone, codebook, embedding_cache, features="tfidf")
    assert definition[0] > 0.60 and definition[1] > 0.72, definition
    assert examples[0] > 0.71 and examples[1] > 0.77, examples
    assert max(tfidf) < 0.6 < min(examples), tfidf  # words alone barely rank tone


def test_entity_roles_are_hard_from_definitions(entity, embedding_cache) -> None:
    """Honest floor: fine roles of an unnamed entity in a 3-sentence window. Measured AUC
    (MiniLM, definition + examples): foreign adversary 0.611, guardian 0.480, instigator
    0.579, peacemaker 0.619, victim 0.607 (mean 0.579)."""
    aucs = _aucs(entity, realdata.ENTITY_FINE_CODEBOOK, embedding_cache,
                 features="embeddings")
    assert 0.55 < float(np.mean(aucs)) < 0.65, aucs
    assert aucs[0] > 0.58  # peacemaker (the first frame), 18 positives


def test_tone_classifier_on_200_sentences(tone, embedding_cache) -> None:
    """Grouped 5-fold CV (seed 0), MiniLM embeddings + lexicon, calibrated LR per frame.

    Measured: macro-F1 0.639 (favourable 0.481, unfavourable 0.797), AUC 0.785 / 0.777.
    With the three calibration-fold models averaged (``ensemble=True``, the default before
    commit 6d0760f): 0.666 (0.525, 0.807), AUC 0.805 / 0.791; on this set, of all the real
    ones, one model fitted on all passages did worst (benchmarks/README.md). The bfloat16
    rounding of the embeddings alone (another batch) moved unfavourable F1 by 0.026 (0.833 to
    0.807), so the bounds sit ~0.02 under the measurement.
    """
    result = cross_validate_frames(
        FrameClassifier(codebook=str(realdata.TONE_CODEBOOK), features="embeddings",
                        embedding_cache=embedding_cache), tone)
    assert (result["predictions"].groupby("doc_id")["fold"].nunique() == 1).all()
    scores = result["scores"]
    assert result["macro_f1"] > 0.62
    assert scores.loc["favourable", "f1"] > 0.46 and scores.loc["unfavourable", "f1"] > 0.78
    assert (scores["auc"] > 0.76).all()


def test_tone_embeddings_beat_tfidf_with_200_labels(tone, embedding_cache) -> None:
    """Why ``features="auto"`` means ``"both"`` when the extra is there (grouped 5-fold CV).

    Measured macro-F1: TF-IDF 0.616 (AUC 0.705 / 0.624), both 0.688 (AUC 0.809 / 0.784),
    embeddings 0.667.
    """
    codebook = str(realdata.TONE_CODEBOOK)
    tfidf = cross_validate_frames(FrameClassifier(codebook=codebook, features="tfidf"), tone)
    both = cross_validate_frames(FrameClassifier(codebook=codebook, features="auto",
                                                 embedding_cache=embedding_cache), tone)
    assert both["predictions"]["model_id"].str.startswith("frames-").all()
    assert 0.58 < tfidf["macro_f1"] < 0.65
    assert both["macro_f1"] > 0.65
    assert both["macro_f1"] > tfidf["macro_f1"] + 0.04
    assert (both["scores"]["auc"] > tfidf["scores"]["auc"] + 0.05).all()
