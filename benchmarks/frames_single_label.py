"""Single-label learners on the real single-label sets: one-vs-rest against multinomial.

The candidates for ``SingleLabelClassifier``, in the folds of ``frames_real.py``'s protocols
(FrAC: stratified 5-fold over 523 sentences, 10 labels; SemEval-2025 main roles: 5-fold
grouped by document over 686 mentions, 3 labels, 70% antagonist), with TF-IDF features:

* ``one-vs-rest``: :class:`~framing.frames.FrameClassifier` (one calibrated logistic
  regression per frame, the model before single-label codebooks), its probabilities
  normalised to sum to one; decisions: argmax, ``prior_ratio`` (training base rates) and
  ``tuned`` (offsets tuned for macro-F1 on an inner 3-fold grouped CV of the training part);
* ``multinomial``: :class:`~framing.frames.SingleLabelClassifier` with each calibration
  (bias-corrected temperature scaling, the default; temperature alone; none) and class
  weights (balanced, the default; none); decisions: argmax, ``prior_ratio`` and its own
  ``tuned`` offsets (on the out-of-fold probabilities its calibration is fitted on).

Reported: accuracy and macro-F1 of each decision, and of the probabilities the log loss, the
Brier score (sum over classes) and the prevalence error of PCC (total variation distance
between the mean probability vector and the true shares of each test fold, averaged).

    python -m benchmarks.frames_single_label [--datasets frac,semeval2025] [--features tfidf]
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import GroupKFold, StratifiedKFold

from benchmarks.frames_real import (
    CACHE,
    DATA,
    MAIN_ROLES,
    codebook_for,
    fit_proba,
    inner_oof_proba,
    semeval2025_passages,
    slug,
)
from framing.frames import ExclusiveDecision, SingleLabelClassifier

DECISIONS = ("argmax", "prior_ratio", "tuned")
#: SingleLabelClassifier variants: name -> parameters on top of the defaults.
MULTINOMIAL = {
    "multinomial, balanced, bias_temperature (default)": {},
    "multinomial, balanced, temperature": {"calibration": "temperature"},
    "multinomial, balanced, uncalibrated": {"calibration": None},
    "multinomial, unweighted, bias_temperature": {"class_weight": None},
}


def frac() -> tuple[pd.DataFrame, list[str], list[tuple[np.ndarray, np.ndarray]]]:
    table = pd.read_parquet(DATA / "frac_sentence_frames" / "sentences.parquet")
    labels = table["label"].map(slug).to_numpy()
    passages = pd.DataFrame({"doc_id": [f"s{i}" for i in range(len(table))],
                             "text": table["sentence"].to_numpy(), "label": labels})
    folds = list(StratifiedKFold(5, shuffle=True, random_state=0).split(passages, labels))
    return passages, sorted(set(labels)), folds


def semeval2025() -> tuple[pd.DataFrame, list[str], list[tuple[np.ndarray, np.ndarray]]]:
    passages, _ = semeval2025_passages()
    passages = passages.assign(label=passages["main_role"])
    folds = list(GroupKFold(5).split(passages, groups=passages["doc_id"]))
    return passages, list(MAIN_ROLES), folds


DATASETS: dict[str, Callable[[], tuple]] = {"frac": frac, "semeval2025": semeval2025}


def one_vs_rest(train: pd.DataFrame, test: pd.DataFrame, classes: list[str], name: str,
                features: str, cache: Path) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Normalised one-vs-rest probabilities of ``test`` and the three decisions."""
    one_hot = train.assign(**{c: (train["label"] == c).astype(int) for c in classes})
    p = fit_proba(one_hot, test, classes, name, features, cache,
                  threshold=0.5)[[f"p_{c}" for c in classes]]  # thresholds: unused here
    p = p.to_numpy() / p.to_numpy().sum(axis=1, keepdims=True)
    oof = inner_oof_proba(one_hot, classes, name, features, cache).to_numpy()
    oof = oof / np.maximum(oof.sum(axis=1, keepdims=True), 1e-12)  # as the test part's
    decided = {"argmax": np.asarray(classes, dtype=object)[p.argmax(axis=1)]}
    for rule in ("prior_ratio", "tuned"):
        decided[rule] = ExclusiveDecision(method=rule).fit(
            oof, train["label"].to_numpy(), classes=classes).predict(p)
    return p, decided


def multinomial(train: pd.DataFrame, test: pd.DataFrame, classes: list[str], name: str,
                features: str, cache: Path,
                **params: object) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """SingleLabelClassifier's probabilities of ``test`` and the three decisions."""
    model = SingleLabelClassifier(codebook=str(codebook_for(name, classes)), features=features,
                                  embedding_cache=cache, lexicon_features=False,
                                  random_state=0, **params)
    model.fit(train[["doc_id", "text"]], train[["label"]].rename(columns={"label": "frame"}))
    table = model.predict(test[["doc_id", "text"]])
    p = table[[f"p_{c}" for c in classes]].to_numpy()
    prior = ExclusiveDecision(method="prior_ratio").fit(
        np.eye(len(classes))[[classes.index(c) for c in train["label"]]],
        train["label"].to_numpy(), classes=classes)
    return p, {"argmax": np.asarray(classes, dtype=object)[p.argmax(axis=1)],
               "prior_ratio": prior.predict(p), "tuned": table["frame"].to_numpy()}


def run(dataset: str, features: str, cache: Path) -> list[dict]:
    passages, classes, folds = DATASETS[dataset]()
    gold = passages["label"].to_numpy()
    one_hot = (gold[:, None] == np.asarray(classes, dtype=object)[None, :]).astype(float)
    candidates: dict[str, Callable] = {"one-vs-rest FrameClassifier (before)": one_vs_rest}
    for label, params in MULTINOMIAL.items():
        candidates[label] = lambda *a, _p=params: multinomial(*a, **_p)
    rows = []
    for label, fit in candidates.items():
        start = time.perf_counter()
        p = np.zeros((len(passages), len(classes)))
        decided = {rule: np.empty(len(passages), dtype=object) for rule in DECISIONS}
        for train, test in folds:
            fold_p, fold_decided = fit(passages.iloc[train], passages.iloc[test], classes,
                                       dataset, features, cache)
            p[test] = fold_p
            for rule in DECISIONS:
                decided[rule][test] = fold_decided[rule]
        own = p[np.arange(len(p)), one_hot.argmax(axis=1)]
        log_loss = float(-np.log(np.clip(own, 1e-15, None)).mean())
        brier = float(((p - one_hot) ** 2).sum(axis=1).mean())
        pcc = float(np.mean([np.abs(p[test].mean(axis=0) - one_hot[test].mean(axis=0)).sum()
                             / 2 for _, test in folds]))
        seconds = time.perf_counter() - start
        for rule in DECISIONS:
            rows.append({"dataset": dataset, "features": features, "model": label,
                         "decision": rule, "accuracy": accuracy_score(gold, decided[rule]),
                         "macro_f1": f1_score(gold, decided[rule], average="macro",
                                              zero_division=0),
                         "log_loss": log_loss, "brier": brier, "pcc_error": pcc,
                         "seconds": seconds})
        print(f"{dataset} {label}: {seconds:.0f} s", file=sys.stderr, flush=True)
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default="frac,semeval2025")
    parser.add_argument("--features", default="tfidf")
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    rows: list[dict] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for dataset in args.datasets.split(","):
            for features in args.features.split(","):
                rows += run(dataset, features, args.cache)
    table = pd.DataFrame(rows)
    if args.out is not None:
        table.to_csv(args.out, index=False)
    with pd.option_context("display.width", 200, "display.max_columns", 20,
                           "display.float_format", "{:.3f}".format):
        print(table.to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
