"""Evaluation of a frame classifier: grouped folds, unseen outlets, calibration, baselines.

:func:`cross_validate_frames` is the quick check (folds grouped by document). The full report,
:func:`evaluate_frames`, runs two schemes on the same passages:

* ``grouped``: ``StratifiedGroupKFold`` by document, so no article's passages sit in both the
  training and the test part;
* ``outlet``: ``LeaveOneGroupOut`` on the outlet, to show how the model transfers to an outlet
  it has never seen;

and returns tidy tables (a :class:`FrameEvaluation`) for ``framing.viz``: per-frame scores,
reliability-diagram bins, confusion counts, a learning curve, and a comparison with the
lexicon and cold-start baselines scored in the same folds.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import LeaveOneGroupOut, StratifiedGroupKFold
from tqdm.auto import tqdm

from framing.corpus import NONE, InputError, Interval, validate_params
from framing.corpus._params import InstanceOf
from framing.frames._classifier import (
    FrameClassifier,
    _best_f1_threshold,
    _label_matrix,
    resolve_features,
)
from framing.frames._codebook import Codebook, load_codebook
from framing.frames._coldstart import ColdStartScorer
from framing.frames._embeddings import progress_if
from framing.frames._lexicon import LexiconScorer
from framing.frames._metrics import (
    confusion_table,
    frame_metrics,
    ranking_auc,
    reliability_table,
)
from framing.frames._single_label import (
    is_single_label,
    single_label_matrix,
    single_label_scores,
    summary_with_accuracy,
)

logger = logging.getLogger(__name__)

_CONSTRAINTS: dict[str, list] = {"n_splits": [Interval(int, 2, 100)],
                                 "random_state": [Interval(int, 0, 2**32 - 1)]}
_EVALUATE_CONSTRAINTS: dict[str, list] = {
    **_CONSTRAINTS, "n_bins": [Interval(int, 2, 100)],
    "schemes": [InstanceOf((tuple, list)), NONE], "baselines": [InstanceOf((tuple, list))],
    "train_sizes": [InstanceOf((tuple, list))]}
_SCHEMES = ("grouped", "outlet")
_BASELINES = ("lexicon", "cold_start")

#: Columns of each table of a :class:`FrameEvaluation`.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "scores": ("scheme", "heldout", "frame", "n", "n_positive", "precision", "recall", "f1",
               "auc", "average_precision", "brier", "ece"),
    "summary": ("scheme", "macro_f1", "mean_auc", "mean_brier", "mean_ece", "n_folds",
                "n_passages"),
    "reliability": ("scheme", "frame", "bin", "bin_low", "bin_high", "mean_predicted",
                    "observed", "n"),
    "confusion": ("scheme", "frame", "true", "predicted", "n"),
    "learning_curve": ("n_train", "n_passages", "fold", "frame", "f1"),
    "comparison": ("scheme", "method", "frame", "auc", "f1", "n_positive"),
}


@dataclass
class FrameEvaluation:
    """The tidy tables of :func:`evaluate_frames` (columns in ``TABLE_COLUMNS``).

    Attributes
    ----------
    scores : DataFrame
        Per scheme, held-out group (``"all"`` = pooled out-of-fold predictions; in the
        ``outlet`` scheme also one row set per outlet) and frame: ``n``, ``n_positive``,
        ``precision``, ``recall``, ``f1``, ``auc``, ``average_precision``, ``brier``, ``ece``.
    summary : DataFrame
        Per scheme: ``macro_f1`` (mean F1 over frames, pooled), ``mean_auc``, ``mean_brier``,
        ``mean_ece``, ``n_folds``, ``n_passages``.
    reliability : DataFrame
        Reliability-diagram data per scheme and frame: ``bin``, ``bin_low``, ``bin_high``,
        ``mean_predicted``, ``observed``, ``n`` (non-empty equal-width bins).
    confusion : DataFrame
        Per scheme and frame, ``true`` x ``predicted`` (0/1) counts ``n``.
    learning_curve : DataFrame
        ``n_train`` (target size), ``n_passages`` (actual, whole documents), ``fold``,
        ``frame`` (a frame, or ``"macro"`` for the mean over frames), ``f1`` on the fold's
        test part.
    comparison : DataFrame
        Per scheme, ``method`` (``classifier``, ``lexicon``, ``cold_start``) and frame: ``auc``
        and ``f1`` of the pooled out-of-fold scores; baselines' thresholds are chosen to
        maximise F1 on each fold's training part.
    predictions : DataFrame
        Out-of-fold :meth:`FrameClassifier.predict` rows (input index, no text) with
        ``scheme`` and ``fold``, and the baselines' scores ``lexicon_<frame>`` and
        ``cold_start_<frame>``.
    features_used : str or None
        The classifier's features in every fold: ``"tfidf"``, ``"embeddings"`` or
        ``"both"`` (``"auto"`` resolved).
    """

    scores: pd.DataFrame
    summary: pd.DataFrame
    reliability: pd.DataFrame
    confusion: pd.DataFrame
    learning_curve: pd.DataFrame
    comparison: pd.DataFrame
    predictions: pd.DataFrame = field(repr=False)
    features_used: str | None = None

    def macro_f1(self, scheme: str = "grouped") -> float:
        """The pooled macro-F1 of a scheme."""
        row = self.summary[self.summary["scheme"] == scheme]
        if row.empty:
            raise KeyError(f"no {scheme!r} scheme in this evaluation")
        return float(row["macro_f1"].iloc[0])

    def to_dict(self) -> dict[str, list[dict[str, Any]]]:
        """Every table (but the predictions) as a list of records, e.g. for ``metrics.json``."""
        return {name: _records(getattr(self, name)) for name in TABLE_COLUMNS}

    def _repr_html_(self) -> str:
        """In Jupyter: the summary per scheme, then each frame's pooled scores."""
        from framing.corpus._html import html_card, html_table

        pooled = self.scores[self.scores["heldout"] == "all"]
        per_frame = pooled[["scheme", "frame", "n_positive", "precision", "recall", "f1",
                            "auc", "brier", "ece"]]
        facts = [("features", self.features_used or "")]
        return html_card("Frame evaluation", facts,
                         [("Summary", html_table(self.summary)),
                          ("Per frame (pooled out-of-fold)", html_table(per_frame))])


class CrossValidation(Mapping):
    """What :func:`cross_validate_frames` returns: the scores, shown as a table in Jupyter.

    A read-only mapping, so ``result["macro_f1"]`` and ``result["scores"]`` work as they did
    when it was a dict; the same values are attributes too.

    Examples
    --------
    >>> scores = pd.DataFrame({"f1": [0.8, 0.6]}, index=["a", "b"])
    >>> result = CrossValidation({"scores": scores, "macro_f1": 0.7, "predictions": None})
    >>> result["macro_f1"], result.macro_f1, sorted(result)
    (0.7, 0.7, ['macro_f1', 'predictions', 'scores'])
    """

    def __init__(self, values: dict[str, Any]) -> None:
        self._values = dict(values)

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __getattr__(self, name: str) -> Any:
        values = self.__dict__.get("_values", {})
        if name in values:
            return values[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __repr__(self) -> str:
        extra = (f", accuracy {self._values['accuracy']:.3f}" if "accuracy" in self._values
                 else "")
        return (f"CrossValidation(macro-F1 {self._values['macro_f1']:.3f}{extra}, "
                f"{len(self._values['scores'])} frames)")

    def _repr_html_(self) -> str:
        from framing.corpus._html import html_card, html_table

        facts = [("macro-F1", self._values["macro_f1"])]
        if "accuracy" in self._values:
            facts.append(("accuracy", self._values["accuracy"]))
        predictions = self._values.get("predictions")
        if isinstance(predictions, pd.DataFrame) and "fold" in predictions:
            facts += [("passages", len(predictions)), ("folds", predictions["fold"].nunique())]
        sections = [("Per frame (pooled out-of-fold)",
                     html_table(self._values["scores"].rename_axis("frame"), index=True))]
        confusion = self._values.get("confusion")
        if isinstance(confusion, pd.DataFrame):
            sections.append(("Confusion (rows: true class)",
                             html_table(confusion.rename_axis("true"), index=True)))
        return html_card("Cross-validation, folds grouped by document", facts, sections)


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in row.items()}
            for row in table.to_dict(orient="records")]


def cross_validate_frames(
    classifier: FrameClassifier,
    passages: pd.DataFrame,
    labels: pd.DataFrame | None = None,
    *,
    groups: str = "doc_id",
    n_splits: int = 5,
    random_state: int = 0,
) -> CrossValidation:
    """Cross-validate ``classifier`` with folds grouped by document, and score each frame.

    Folds come from ``StratifiedGroupKFold`` (shuffled with ``random_state``), stratified on
    the combination of frames, so all passages of one document are in the same fold. A clone
    of ``classifier`` is fitted on each training part; the scores are computed on the pooled
    out-of-fold predictions.

    Parameters
    ----------
    classifier : FrameClassifier
        An unfitted (or fitted: it is cloned) classifier.
    passages : DataFrame
        Passages with the classifier's text column and the ``groups`` column.
    labels : DataFrame, optional
        One 0/1 column per frame, with the same index as ``passages``; by default taken from
        ``passages``.
    groups : str, default="doc_id"
        The column whose values must not be split across folds.
    n_splits : int, default=5
        Number of folds.
    random_state : int, default=0
        Seed of the fold shuffling.

    Returns
    -------
    CrossValidation
        A read-only mapping (and a table in Jupyter): ``"scores"``: DataFrame indexed by
        frame with ``precision``, ``recall``, ``f1``, ``brier``, ``n_positive``, ``auc``,
        ``ece``; ``"macro_f1"``: the mean F1 over frames;
        ``"predictions"``: the out-of-fold :meth:`FrameClassifier.predict` table (input index,
        no text) plus a ``fold`` column.

    Raises
    ------
    InputError
        A parameter out of range, no ``groups`` column, or labels the classifier refuses.

    See Also
    --------
    evaluate_frames : both schemes, calibration, learning curve and baselines.

    Examples
    --------
    >>> texts = ["Trump vowed to broker a peace deal.", "Trump said Europe must pay its share.",
    ...          "Trump doubted the aid would work."] * 10
    >>> passages = pd.DataFrame({"doc_id": [f"d{i}" for i in range(30)], "text": texts,
    ...     "peacemaker": [1, 0, 0] * 10, "isolationist": [0, 1, 0] * 10,
    ...     "skeptic": [0, 0, 1] * 10})
    >>> model = FrameClassifier(features="tfidf", char_ngrams=False, min_df=1,
    ...                         calibration=None, threshold=0.5)
    >>> result = cross_validate_frames(model, passages, n_splits=3)
    >>> round(result["macro_f1"], 2), sorted(result["predictions"]["fold"].unique().tolist())
    (1.0, [0, 1, 2])
    """
    validate_params("cross_validate_frames", {"n_splits": n_splits, "random_state": random_state},
                    _CONSTRAINTS)
    _need_groups(passages, groups)
    classifier = resolved_features(classifier)
    frames, y, passages = _frames_and_labels(classifier, passages, labels)
    splits = _grouped_splits(passages, y, groups, n_splits, random_state)
    predictions = _out_of_fold(classifier, passages, y, frames, splits)
    rows = {}
    for k, frame in enumerate(frames):
        metrics = frame_metrics(y[:, k], predictions[f"p_{frame}"].to_numpy(),
                                predictions[f"is_{frame}"].to_numpy())
        rows[frame] = {name: metrics[name] for name in
                       ("precision", "recall", "f1", "brier", "n_positive", "auc", "ece")}
    scores = pd.DataFrame.from_dict(rows, orient="index")
    result = {"scores": scores, "macro_f1": float(scores["f1"].mean()),
              "predictions": predictions}
    if is_single_label(classifier):  # one class per passage: accuracy, confusion, the truth
        result.update(single_label_scores(predictions, y, frames))
    return CrossValidation(result)


def evaluate_frames(
    classifier: FrameClassifier,
    passages: pd.DataFrame,
    labels: pd.DataFrame | None = None,
    *,
    groups: str = "doc_id",
    outlet: str = "outlet",
    schemes: tuple[str, ...] | None = None,
    n_splits: int = 5,
    n_bins: int = 10,
    train_sizes: tuple[int, ...] = (),
    baselines: tuple[str, ...] = _BASELINES,
    cold_start: ColdStartScorer | None = None,
    random_state: int = 0,
    progress: bool = False,
) -> FrameEvaluation:
    """Evaluate a frame classifier by grouped folds and by unseen outlets, against baselines.

    Parameters
    ----------
    classifier : FrameClassifier
        An unfitted (or fitted: it is cloned) classifier.
    passages : DataFrame
        Passages with the text, ``groups`` and (for the ``outlet`` scheme) ``outlet`` columns.
    labels : DataFrame, optional
        One 0/1 column per frame, same index as ``passages``; by default from ``passages``.
    groups : str, default="doc_id"
        The column no fold may split (the document).
    outlet : str, default="outlet"
        The column held out one value at a time in the ``outlet`` scheme.
    schemes : tuple of {"grouped", "outlet"}, optional
        The cross-validation schemes to run. By default (``None``) both when ``passages``
        has an ``outlet`` column with at least two outlets, else ``("grouped",)`` alone (see
        :func:`default_schemes`).
    n_splits : int, default=5
        Folds of the ``grouped`` scheme (and of the learning curve).
    n_bins : int, default=10
        Equal-width bins of the reliability diagram and the calibration error.
    train_sizes : tuple of int, default=()
        Training sizes (passages, taken as whole documents drawn at random from each grouped
        fold's training part) of the learning curve; sizes larger than a training part are
        left out. Empty: no learning curve.
    baselines : tuple of {"lexicon", "cold_start"}, default=("lexicon", "cold_start")
        Baselines scored in the same folds.
    cold_start : ColdStartScorer, optional
        The cold-start baseline; by default one on the classifier's codebook with the same
        embedding model and cache (TF-IDF when the classifier uses TF-IDF only).
    random_state : int, default=0
        Seed of the folds and the learning-curve draws.
    progress : bool, default=False
        Show a progress bar of the folds, one per scheme, and under it one of the passages
        embedded (``embeddings``: the baselines' and the folds' vectors not cached yet).

    Returns
    -------
    FrameEvaluation
        Tidy tables; see its attributes for the columns.

    Raises
    ------
    InputError
        A parameter out of range, a missing column, fewer than two outlets (when the
        ``outlet`` scheme is asked for), or labels the classifier refuses (a training part
        with too few positives of a frame names it).

    Notes
    -----
    ``features="auto"`` is resolved once, before the folds, so a missing embeddings extra is
    warned about once (not once per fold) and every fold uses the same features.

    Examples
    --------
    >>> texts = ["Trump vowed to broker a peace deal.", "Trump said Europe must pay its share.",
    ...          "Trump doubted the aid would work."] * 12
    >>> passages = pd.DataFrame({"doc_id": [f"d{i}" for i in range(36)], "text": texts,
    ...     "outlet": ["A", "B", "C", "D"] * 9, "peacemaker": [1, 0, 0] * 12,
    ...     "isolationist": [0, 1, 0] * 12, "skeptic": [0, 0, 1] * 12})
    >>> model = FrameClassifier(features="tfidf", char_ngrams=False, min_df=1,
    ...                         calibration=None, threshold=0.5)
    >>> report = evaluate_frames(model, passages, n_splits=3, baselines=("lexicon",))
    >>> report.summary[["scheme", "macro_f1"]]
        scheme  macro_f1
    0  grouped       1.0
    1   outlet       1.0
    >>> sorted(report.comparison["method"].unique())
    ['classifier', 'lexicon']
    """
    validate_params("evaluate_frames", {
        "n_splits": n_splits, "random_state": random_state, "n_bins": n_bins,
        "schemes": schemes, "baselines": baselines, "train_sizes": train_sizes},
        _EVALUATE_CONSTRAINTS)
    if schemes is None:
        schemes = default_schemes(passages, outlet=outlet)
        if "outlet" not in schemes:
            logger.info("no %r column with two or more outlets: folds grouped by %r only",
                        outlet, groups)
    for name, given, allowed in (("schemes", schemes, _SCHEMES),
                                 ("baselines", baselines, _BASELINES)):
        unknown = [v for v in given if v not in allowed]
        if unknown:
            raise InputError(f"The {name!r} parameter of evaluate_frames must list values "
                             f"among {list(allowed)}. Got {unknown[0]!r} instead.")
    if any(not isinstance(n, int) or n < 1 for n in train_sizes):
        raise InputError("The 'train_sizes' parameter of evaluate_frames must list positive "
                         f"ints. Got {tuple(train_sizes)!r} instead.")
    _need_groups(passages, groups)
    if "outlet" in schemes:
        _need_column(passages, outlet, "to hold out one outlet at a time (leave the "
                     "'outlet' scheme out: schemes=('grouped',), --schemes grouped)")
        if passages[outlet].nunique() < 2:
            raise InputError(f"leave-one-outlet-out needs at least 2 values in {outlet!r}, "
                             f"found {passages[outlet].nunique()}", field=outlet)
    classifier = resolved_features(classifier)
    frames, y, passages = _frames_and_labels(classifier, passages, labels)
    with progress_if(progress):
        base = _baseline_scores(classifier, passages, baselines, cold_start)
    tables: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLE_COLUMNS}
    all_predictions = []
    for scheme in schemes:
        if scheme == "grouped":
            splits = _grouped_splits(passages, y, groups, n_splits, random_state)
        else:
            values = passages[outlet].astype(str).to_numpy()
            splits = list(LeaveOneGroupOut().split(passages, groups=values))
        predictions = _out_of_fold(classifier, passages, y, frames, splits,
                                   progress=progress, scheme=scheme)
        for name, scores in base.items():
            for k, frame in enumerate(frames[:scores.shape[1]]):  # baselines score no none
                predictions[f"{name}_{frame}"] = scores[:, k]
        predictions.insert(0, "scheme", scheme)
        all_predictions.append(predictions)
        _score_scheme(tables, scheme, predictions, y, frames, splits, base, n_bins,
                      heldout=passages[outlet].astype(str).to_numpy() if scheme == "outlet"
                      else None)
    if train_sizes:
        tables["learning_curve"].append(_learning_curve(
            classifier, passages, y, frames, groups, n_splits, train_sizes, random_state))
    result = {name: (pd.concat(parts, ignore_index=True) if parts else
                     pd.DataFrame(columns=list(TABLE_COLUMNS[name])))
              for name, parts in tables.items()}
    result = {name: table[list(TABLE_COLUMNS[name])] for name, table in result.items()}
    if is_single_label(classifier):  # one class per passage: accuracy beside macro-F1
        result["summary"] = summary_with_accuracy(result["summary"], all_predictions, y,
                                                  frames)
    return FrameEvaluation(**result, predictions=pd.concat(all_predictions),
                           features_used=getattr(classifier, "features", None))


def _score_scheme(tables: dict[str, list[pd.DataFrame]], scheme: str,
                  predictions: pd.DataFrame, y: np.ndarray, frames: tuple[str, ...],
                  splits: list[tuple[np.ndarray, np.ndarray]], base: dict[str, np.ndarray],
                  n_bins: int, heldout: np.ndarray | None) -> None:
    rows = []
    for k, frame in enumerate(frames):
        p = predictions[f"p_{frame}"].to_numpy()
        decided = predictions[f"is_{frame}"].to_numpy()
        rows.append({"scheme": scheme, "heldout": "all", "frame": frame,
                     **frame_metrics(y[:, k], p, decided, n_bins=n_bins)})
        if heldout is not None:
            for value in sorted(set(heldout)):
                inside = heldout == value
                rows.append({"scheme": scheme, "heldout": value, "frame": frame,
                             **frame_metrics(y[inside, k], p[inside], decided[inside],
                                             n_bins=n_bins)})
        reliability = reliability_table(y[:, k], p, n_bins=n_bins)
        reliability.insert(0, "frame", frame)
        reliability.insert(0, "scheme", scheme)
        tables["reliability"].append(reliability)
        confusion = confusion_table(y[:, k], decided)
        confusion.insert(0, "frame", frame)
        confusion.insert(0, "scheme", scheme)
        tables["confusion"].append(confusion)
    scores = pd.DataFrame(rows)
    tables["scores"].append(scores)
    pooled = scores[scores["heldout"] == "all"]
    tables["summary"].append(pd.DataFrame([{
        "scheme": scheme, "macro_f1": float(pooled["f1"].mean()),
        "mean_auc": float(pooled["auc"].mean()), "mean_brier": float(pooled["brier"].mean()),
        "mean_ece": float(pooled["ece"].mean()), "n_folds": len(splits),
        "n_passages": len(predictions)}]))
    comparison = [{"scheme": scheme, "method": "classifier", "frame": frame,
                   "auc": row["auc"], "f1": row["f1"], "n_positive": row["n_positive"]}
                  for frame, row in zip(frames, pooled.to_dict(orient="records"), strict=True)]
    for name, scores_of in base.items():
        for k, frame in enumerate(frames[:scores_of.shape[1]]):  # baselines score no none
            decided = np.zeros(len(y), dtype=int)
            for train, test in splits:  # a threshold learnt on the training part only
                threshold = _best_score_threshold(y[train, k], scores_of[train, k])
                decided[test] = scores_of[test, k] >= threshold
            metrics = frame_metrics(y[:, k], np.clip(scores_of[:, k], 0, 1), decided)
            comparison.append({"scheme": scheme, "method": name, "frame": frame,
                               "auc": ranking_auc(y[:, k], scores_of[:, k]),
                               "f1": metrics["f1"], "n_positive": metrics["n_positive"]})
    tables["comparison"].append(pd.DataFrame(comparison))


def _best_score_threshold(y_true: np.ndarray, scores: np.ndarray) -> float:
    """The score threshold maximising F1 (scores need not lie in [0, 1])."""
    if not np.asarray(y_true).any():
        return float(np.inf)
    low, high = float(np.min(scores)), float(np.max(scores))
    span = high - low if high > low else 1.0
    scaled = (scores - low) / span
    return low + _best_f1_threshold(y_true, scaled) * span


def _baseline_scores(classifier: FrameClassifier, passages: pd.DataFrame,
                     baselines: tuple[str, ...], cold_start: ColdStartScorer | None
                     ) -> dict[str, np.ndarray]:
    """Each baseline's scores of every passage (neither learns from labels)."""
    codebook = _codebook_of(classifier)
    frames = codebook.frame_names
    found: dict[str, np.ndarray] = {}
    if "lexicon" in baselines:
        table = LexiconScorer(codebook=codebook,
                              text_column=classifier.text_column).fit_transform(passages)
        found["lexicon"] = table[[f"lex_{f}" for f in frames]].to_numpy(dtype=float)
    if "cold_start" in baselines:
        if cold_start is None:
            features = classifier.features  # "auto" stays "auto"; "both" is "embeddings"
            cold_start = ColdStartScorer(
                codebook=codebook, text_column=classifier.text_column,
                features="embeddings" if features in ("embeddings", "both") else features,
                embedding_model=classifier.embedding_model,
                embedding_cache=classifier.embedding_cache)
        scorer = clone(cold_start).fit(passages)
        found["cold_start"] = scorer.score(passages)
    return found


def _learning_curve(classifier: FrameClassifier, passages: pd.DataFrame, y: np.ndarray,
                    frames: tuple[str, ...], groups: str, n_splits: int,
                    train_sizes: tuple[int, ...], random_state: int) -> pd.DataFrame:
    """Macro- and per-frame F1 on each grouped test fold, training on nested document draws."""
    splits = _grouped_splits(passages, y, groups, n_splits, random_state)
    seeds = np.random.SeedSequence(random_state).spawn(len(splits))
    group_values = passages[groups].astype(str).to_numpy()
    rows = []
    for fold, (train, test) in enumerate(splits):
        documents = np.unique(group_values[train])
        order = np.random.default_rng(seeds[fold]).permutation(len(documents))
        position = {doc: rank for rank, doc in enumerate(documents[order])}
        ranks = np.array([position[g] for g in group_values[train]])
        for size in sorted(set(train_sizes)):
            if size > len(train):
                continue
            # Whole documents in draw order until `size` passages: nested across sizes.
            by_rank = train[np.argsort(ranks, kind="stable")]
            cut = np.sort(ranks)[min(size, len(train)) - 1]
            chosen = np.sort(by_rank[np.sort(ranks) <= cut])
            label_table = pd.DataFrame(y[chosen], columns=list(frames),
                                       index=passages.index[chosen])
            try:
                model = clone(classifier).fit(passages.iloc[chosen], label_table)
            except InputError as exc:
                logger.info("learning curve: size %d, fold %d left out (%s)", size, fold, exc)
                continue
            part = model.predict(passages.iloc[test])
            f1s = {frame: frame_metrics(y[test, k], part[f"p_{frame}"].to_numpy(),
                                        part[f"is_{frame}"].to_numpy())["f1"]
                   for k, frame in enumerate(frames)}
            f1s["macro"] = float(np.mean(list(f1s.values())))
            rows += [{"n_train": size, "n_passages": len(chosen), "fold": fold, "frame": name,
                      "f1": value} for name, value in f1s.items()]
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS["learning_curve"]))


def _grouped_splits(passages: pd.DataFrame, y: np.ndarray, groups: str, n_splits: int,
                    random_state: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified (on the combination of frames) folds that never split a group."""
    strata = y @ (1 << np.arange(y.shape[1]))  # the combination of frames, as a number
    values, counts = np.unique(strata, return_counts=True)
    rare = np.isin(strata, values[counts < n_splits])
    # Rare combinations are pooled; a pool still too small joins the commonest combination.
    strata[rare] = -1 if rare.sum() >= n_splits else values[np.argmax(counts)]
    group_values = passages[groups].astype(str).to_numpy()
    if len(np.unique(group_values)) < n_splits:
        raise InputError(f"{n_splits} folds need at least {n_splits} distinct {groups!r} "
                         f"values, found {len(np.unique(group_values))}", field=groups)
    splitter = StratifiedGroupKFold(n_splits, shuffle=True, random_state=random_state)
    splits = list(splitter.split(passages, strata, group_values))
    for fold, (train, test) in enumerate(splits):
        if set(group_values[train]) & set(group_values[test]):  # pragma: no cover - sklearn
            raise RuntimeError(f"fold {fold}: a {groups!r} value is in both train and test")
    return splits


def _out_of_fold(classifier: FrameClassifier, passages: pd.DataFrame, y: np.ndarray,
                 frames: tuple[str, ...], splits: list[tuple[np.ndarray, np.ndarray]],
                 progress: bool = False, scheme: str = "grouped") -> pd.DataFrame:
    parts = []
    folds = tqdm(splits, unit="fold", desc=f"frames evaluate ({scheme})", disable=not progress)
    for fold, (train, test) in enumerate(folds):
        label_table = pd.DataFrame(y[train], columns=list(frames), index=passages.index[train])
        with progress_if(progress):
            model = clone(classifier).fit(passages.iloc[train], label_table)
            part = model.predict(passages.iloc[test])
        part["fold"] = fold
        parts.append(part)
    return pd.concat(parts).loc[passages.index]


def default_schemes(passages: pd.DataFrame, *, outlet: str = "outlet") -> tuple[str, ...]:
    """The schemes :func:`evaluate_frames` runs by default on ``passages``.

    ``("grouped", "outlet")`` when the table has an ``outlet`` column with at least two
    outlets; otherwise ``("grouped",)``: a table without outlets is still evaluated.

    Examples
    --------
    >>> default_schemes(pd.DataFrame({"outlet": ["A", "B"]}))
    ('grouped', 'outlet')
    >>> default_schemes(pd.DataFrame({"text": ["x"]}))
    ('grouped',)
    """
    if outlet in passages.columns and passages[outlet].nunique() >= 2:
        return _SCHEMES
    return ("grouped",)


def resolved_features(classifier: FrameClassifier) -> FrameClassifier:
    """``classifier``, or a clone with ``features="auto"`` resolved (warning at most once).

    Evaluation fits one clone per fold; resolving ``"auto"`` first means the warning about
    a missing embeddings extra is given once, and every fold and baseline uses the same
    features.

    Examples
    --------
    >>> resolved_features(FrameClassifier(features="tfidf")).features
    'tfidf'
    """
    if getattr(classifier, "features", None) != "auto":
        return classifier
    return clone(classifier).set_params(features=resolve_features("auto"))


def _need_groups(passages: pd.DataFrame, groups: str) -> None:
    if groups not in passages.columns:
        raise InputError(f"the table has no {groups!r} column to group the folds by; name the "
                         "column that identifies each article with groups=, or use "
                         "groups='passage_id' for folds that treat every passage as its own "
                         "document", field=groups)


def _need_column(passages: pd.DataFrame, column: str, why: str) -> None:
    if column not in passages.columns:
        raise InputError(f"the table has no {column!r} column {why}", field=column)


def _codebook_of(classifier: FrameClassifier) -> Codebook:
    codebook = classifier.codebook
    return codebook if isinstance(codebook, Codebook) else load_codebook(codebook)


def _frames_of(classifier: FrameClassifier) -> tuple[str, ...]:
    """The frames a (possibly unfitted) classifier will predict, from its codebook."""
    return _codebook_of(classifier).frame_names


def cross_fit(passage_frames: pd.DataFrame, predictions: pd.DataFrame) -> pd.DataFrame:
    """Put the coded passages' out-of-fold predictions in place of the model's own.

    A model fitted on all coded passages and applied to the corpus predicts its own training
    passages in-sample: too sure, and different from the out-of-fold predictions that measured
    its errors. Cross-fitting gives every coded passage the prediction of the fold that did
    not see it, so the prevalence estimators see out-of-sample predictions everywhere (and
    :class:`framing.measure.SharedPassagesWarning` has nothing to warn about).

    Parameters
    ----------
    passage_frames : DataFrame
        :meth:`FrameClassifier.predict` on the corpus's passages (``passage_id``,
        ``p_<frame>``, ``is_<frame>``).
    predictions : DataFrame
        ``cross_validate_frames(...)["predictions"]``: the coded passages' out-of-fold
        ``p_<frame>`` and ``is_<frame>``.

    Returns
    -------
    DataFrame
        ``passage_frames`` with the prediction columns of the passages found in
        ``predictions`` replaced by theirs (``p_<frame>``, ``is_<frame>``, and a
        single-label model's ``frame``); rows, order, index and other columns unchanged.

    Raises
    ------
    InputError
        No ``passage_id`` column in either table, or a passage twice in ``predictions``.

    Examples
    --------
    >>> frames = pd.DataFrame({"passage_id": ["a:0", "b:0"], "p_skeptic": [0.99, 0.2],
    ...                        "is_skeptic": [1, 0]})
    >>> oof = pd.DataFrame({"passage_id": ["a:0"], "p_skeptic": [0.4], "is_skeptic": [0]})
    >>> cross_fit(frames, oof)
      passage_id  p_skeptic  is_skeptic
    0        a:0        0.4           0
    1        b:0        0.2           0
    """
    for name, table in (("passage_frames", passage_frames), ("predictions", predictions)):
        if "passage_id" not in table.columns:
            raise InputError(f"{name} has no 'passage_id' column", field="passage_id")
    if predictions["passage_id"].duplicated().any():
        first = predictions.loc[predictions["passage_id"].duplicated(), "passage_id"].iloc[0]
        raise InputError(f"passage {first!r} is twice in predictions", field="passage_id")
    columns = [c for c in passage_frames.columns
               if (c.startswith(("p_", "is_")) or c == "frame")  # frame: single-label decision
               and c in predictions.columns]
    out = passage_frames.copy()
    found = predictions.set_index("passage_id")[columns]
    rows = out["passage_id"].isin(found.index).to_numpy()
    for column in columns:
        # pandas' astype, not numpy's: a decision column may hold pandas' string dtype
        values = out["passage_id"][rows].map(found[column]).astype(out[column].dtype)
        out.loc[rows, column] = values.to_numpy()
    return out


def _frames_and_labels(classifier: FrameClassifier, passages: pd.DataFrame,
                       labels: pd.DataFrame | None
                       ) -> tuple[tuple[str, ...], np.ndarray, pd.DataFrame]:
    """The classes a classifier predicts, the checked 0/1 label matrix (a column each) and
    the passages to predict.

    A single-label classifier's classes are the frames, then the none category when some
    passage is coded none; its labels may be a ``frame`` column of the passages, which its
    predictions' decision column would clash with, so that column is left out of them.
    """
    if is_single_label(classifier):
        frames, y = single_label_matrix(passages, labels, _codebook_of(classifier),
                                        with_examples=classifier.codebook_examples)
        if labels is None and "frame" in passages.columns:
            passages = passages.drop(columns="frame")
        return frames, y, passages
    frames = _frames_of(classifier)
    return frames, _label_matrix(passages, labels, frames), passages
