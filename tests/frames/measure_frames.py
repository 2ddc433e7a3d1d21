"""Measure frame models: TF-IDF vs sentence embeddings vs both, against the baselines.

Run from the repo root; embeddings are cached in ``.pytest_cache/d/framing_embeddings`` (the
folder the tests use)::

    .venv/bin/python -m tests.frames.measure_frames DATA FEATURES [SCHEMES] [SIZES]

    DATA      sample (planted roles, 2,018 passages) | entity_main | entity_main_marked (the
              entity's name before the passage) | entity_fine (SemEval-2025 Task 10, Ukraine-war
              entity mentions, 493 passages) | tone (NewsMTSC: all 863 train sentences
              about Trump) | tone200 (NewsMTSC: 200
              sentences about Trump, tone toward him)
    FEATURES  tfidf | embeddings | both | cold_start (no training: definition-only and
              definition+examples AUC, TF-IDF and MiniLM)
    SCHEMES   grouped,outlet (default grouped)
    SIZES     learning-curve training sizes, e.g. 100,200,300 (default none)

It prints the pooled out-of-fold summary (macro-F1, AUC, Brier, ECE), the per-frame scores,
the comparison with the lexicon and cold-start baselines, and the learning curve.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

from framing.frames import ColdStartScorer, FrameClassifier, evaluate_frames
from framing.frames._metrics import ranking_auc
from tests.frames import realdata

CACHE = Path(__file__).resolve().parents[2] / ".pytest_cache" / "d" / "framing_embeddings"
SAMPLE_FRAMES = ("peacemaker", "isolationist", "skeptic")


def sample_passages() -> pd.DataFrame:
    """The sample corpus's planted passages, copies left out (as in test_classifier.py)."""
    from tests.conftest import sample_truth_passages

    truth = sample_truth_passages()
    truth = truth[truth["is_duplicate"] == 0].reset_index(drop=True)
    truth["passage_id"] = truth["doc_id"] + ":" + truth["paragraph_id"].astype(str)
    return truth[["passage_id", "doc_id", "outlet", "date", "text", *SAMPLE_FRAMES]]


def dataset(name: str) -> tuple[pd.DataFrame, str]:
    """The passages and the codebook of a measurement."""
    if name == "sample":
        return sample_passages(), "trump_ukraine_roles"
    if name == "entity_main":
        return realdata.entity_role_passages(), str(realdata.ENTITY_MAIN_CODEBOOK)
    if name == "entity_main_marked":
        return (realdata.entity_role_passages(mark_entity=True),
                str(realdata.ENTITY_MAIN_CODEBOOK))
    if name == "entity_fine":
        return realdata.entity_role_passages(), str(realdata.ENTITY_FINE_CODEBOOK)
    if name == "tone":
        return realdata.trump_tone_passages(), str(realdata.TONE_CODEBOOK)
    if name == "tone200":
        return realdata.trump_tone_passages(n=200, random_state=0), str(realdata.TONE_CODEBOOK)
    raise SystemExit(f"unknown data {name!r}")


def cold_start_table(passages: pd.DataFrame, codebook: str) -> pd.DataFrame:
    """ROC AUC of the cold-start scores (no annotation used) per variant and frame."""
    rows = []
    for features in ("tfidf", "embeddings"):
        for use_examples in (False, True):
            scorer = ColdStartScorer(codebook=codebook, features=features,
                                     use_examples=use_examples, embedding_cache=CACHE)
            scores = scorer.fit(passages).score(passages)
            rows += [{"features": features,
                      "prototype": "definition+examples" if use_examples else "definition",
                      "frame": frame, "n_positive": int(passages[frame].sum()),
                      "auc": ranking_auc(passages[frame].to_numpy(), scores[:, k])}
                     for k, frame in enumerate(scorer.frames_)]
    return pd.DataFrame(rows)


def main(argv: list[str]) -> None:
    name, features = argv[0], argv[1]
    schemes = tuple(argv[2].split(",")) if len(argv) > 2 else ("grouped",)
    sizes = tuple(int(n) for n in argv[3].split(",")) if len(argv) > 3 else ()
    passages, codebook = dataset(name)
    print(f"== {name}: {len(passages)} passages, {passages['doc_id'].nunique()} documents, "
          f"features={features}, schemes={schemes}, sizes={sizes}", flush=True)
    if features == "cold_start":
        table = cold_start_table(passages, codebook)
        print(table.pivot_table(index=["features", "prototype"], columns="frame",
                                values="auc").round(3).to_string())
        return
    start = time.perf_counter()
    model = FrameClassifier(codebook=codebook, features=features, embedding_cache=CACHE)
    report = evaluate_frames(model, passages, schemes=schemes, train_sizes=sizes,
                             cold_start=ColdStartScorer(codebook=codebook,
                                                        features="embeddings",
                                                        embedding_cache=CACHE))
    print(f"({time.perf_counter() - start:.0f} s)")
    print(report.summary.round(3).to_string(index=False))
    pooled = report.scores[report.scores["heldout"] == "all"]
    print(pooled[["scheme", "frame", "n_positive", "precision", "recall", "f1", "auc",
                  "brier", "ece"]].round(3).to_string(index=False))
    print(report.comparison.pivot_table(index=["scheme", "method"], columns="frame",
                                        values=["auc", "f1"]).round(3).to_string())
    if not report.learning_curve.empty:
        curve = report.learning_curve
        print("learning curve (F1 on grouped test folds, mean over folds):")
        print(curve.pivot_table(index="n_train", columns="frame", values="f1",
                                aggfunc="mean").round(3).to_string())


if __name__ == "__main__":
    main(sys.argv[1:])
