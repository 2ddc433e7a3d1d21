"""From annotations to a trained model, and retraining with more annotations or a new corpus.

:func:`labelled_passages` joins adjudicated annotations to the passages (the training table).
:func:`retrain` refits a model on old + new annotations and compares the parent and the new
model fairly: both are refitted on the same grouped folds (the parent on the old annotations
of each training part, the new one on all of them) and scored on the same held-out passages;
on a new corpus, the parent as saved is scored beside the new model's out-of-fold
predictions. The codebook must be the one the parent was trained with, unless told otherwise.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import brier_score_loss, precision_recall_fscore_support
from sklearn.model_selection import StratifiedGroupKFold

from framing._types import PathLike
from framing.corpus import InputError, Interval, validate_params
from framing.frames._agreement import adjudicate, pivot_labels
from framing.frames._annotations import merge_annotations, validate_annotations
from framing.frames._bundle import load_frame_model, save_frame_model
from framing.frames._classifier import FrameClassifier
from framing.frames._codebook import Codebook, load_codebook

Ties = Literal["positive", "negative", "drop", "error"]


class CodebookChangedWarning(UserWarning):
    """A model is used or retrained with a codebook other than the one it was trained with."""


def labelled_passages(
    passages: pd.DataFrame,
    annotations: pd.DataFrame,
    *,
    frames: tuple[str, ...] | list[str] | None = None,
    codebook: PathLike | Codebook = "trump_ukraine_roles",
    ties: Ties = "negative",
) -> pd.DataFrame:
    """The training table: passages with one adjudicated 0/1 column per frame.

    Annotations are adjudicated by majority (:func:`adjudicate`, ``ties`` for even splits),
    pivoted to one column per frame and joined one-to-one on ``passage_id``.

    Returns
    -------
    DataFrame
        The annotated passages, every column kept, plus ``sample`` (when the passages have
        none) and a 0/1 column per frame, in the passages' order.

    Raises
    ------
    InputError
        Annotations naming passages that are not in ``passages`` or frames not in the
        codebook, or a passages table that already has a frame column.

    Examples
    --------
    >>> passages = pd.DataFrame({"passage_id": ["a:0", "b:0"], "text": ["x", "y"]})
    >>> notes = pd.DataFrame({"passage_id": ["a:0"] * 3, "coder": "c",
    ...     "frame": ["peacemaker", "isolationist", "skeptic"], "label": [1, 0, 0],
    ...     "annotated_at": None, "sample": "random", "codebook_version": "1.0"})
    >>> labelled_passages(passages, notes).values.tolist()
    [['a:0', 'x', 'random', 1, 0, 0]]
    """
    if frames is None:
        book = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
        frames = book.frame_names
    table = validate_annotations(annotations, passages=passages)
    unknown = sorted(set(table["frame"]) - set(frames))
    if unknown:
        raise InputError(f"annotations for unknown frame {unknown[0]!r}; the codebook's frames "
                         f"are {', '.join(frames)}", field="frame")
    clash = [f for f in frames if f in passages.columns]
    if clash:
        raise InputError(f"the passages table already has a {clash[0]!r} column",
                         field=clash[0])
    wide = pivot_labels(adjudicate(table, ties=ties), frames)
    if "sample" in passages.columns:
        wide = wide.drop(columns="sample")
    keyed = passages.assign(passage_id=passages["passage_id"].astype(str))
    return keyed.merge(wide, on="passage_id", how="inner", validate="one_to_one")


def _scores(y: np.ndarray, predictions: pd.DataFrame, frames: tuple[str, ...]) -> pd.DataFrame:
    rows = []
    for k, frame in enumerate(frames):
        precision, recall, f1, _ = precision_recall_fscore_support(
            y[:, k], predictions[f"is_{frame}"].to_numpy(), average="binary", zero_division=0)
        rows.append({"frame": frame, "precision": float(precision), "recall": float(recall),
                     "f1": float(f1),
                     "brier": float(brier_score_loss(y[:, k],
                                                     predictions[f"p_{frame}"].to_numpy())),
                     "n_positive": int(y[:, k].sum()), "n_passages": len(y)})
    return pd.DataFrame(rows)


@dataclass
class RetrainResult:
    """What :func:`retrain` made.

    Attributes
    ----------
    model : FrameClassifier
        The new model, fitted on the old and new annotations.
    parent_model_id : str
        The model it replaces.
    comparison : DataFrame
        ``evaluation`` (``cv``: the same grouped folds over all annotated passages;
        ``new_corpus``: the new corpus's annotated passages), ``model`` (``parent`` /
        ``retrained``), ``frame`` (and ``macro`` for the mean F1), precision, recall, f1,
        brier, n_positive, n_passages.
    conflicts : DataFrame
        Passage, coder and frame coded with different labels in old and new annotations.
    training : DataFrame
        The training table (passages with their gold labels) of the new model.
    lineage : dict
        Parent model id, codebook hashes, annotation counts, seeds: for the bundle.
    bundle : Path or None
        Where the new model was saved, when ``out`` was given.
    """

    model: FrameClassifier
    parent_model_id: str
    comparison: pd.DataFrame
    conflicts: pd.DataFrame
    training: pd.DataFrame
    lineage: dict[str, Any] = field(default_factory=dict)
    bundle: Path | None = None

    def metrics(self) -> dict[str, Any]:
        """The bundle's ``metrics.json``: the lineage, the comparison, and a summary per
        evaluation and model for the card."""
        macro = self.comparison[self.comparison["frame"] == "macro"]
        summary = [{"scheme": f"retrain {row.evaluation}: {row.model}",
                    "macro_f1": float(row.f1), "mean_auc": None, "mean_brier": float(row.brier),
                    "mean_ece": None,
                    "n_folds": self.lineage["n_splits"] if row.evaluation == "cv" else 0,
                    "n_passages": int(row.n_passages)} for row in macro.itertuples()]
        records = [{k: (None if isinstance(v, float) and np.isnan(v) else v)
                    for k, v in row.items()}
                   for row in self.comparison.to_dict(orient="records")]
        return {"lineage": self.lineage, "summary": summary, "retrain_comparison": records}

    def save(self, path: PathLike, *, force: bool = False, annotations: Any = None) -> Path:
        """Write the new model as a bundle (:func:`save_frame_model`); ``metrics.json`` holds
        :meth:`metrics`: the parent model id and the comparison; ``annotations`` (path,
        sha256, rows of each file) goes to the manifest."""
        self.bundle = save_frame_model(self.model, path, metrics=self.metrics(),
                                       annotations=annotations, force=force)
        return self.bundle

    def macro_f1(self, evaluation: str = "cv") -> dict[str, float]:
        """``{"parent": ..., "retrained": ...}`` macro-F1 of one evaluation."""
        rows = self.comparison[(self.comparison["evaluation"] == evaluation)
                               & (self.comparison["frame"] == "macro")]
        return dict(zip(rows["model"], rows["f1"].astype(float), strict=True))


def check_codebook(model: FrameClassifier, codebook: PathLike | Codebook, *,
                   force: bool = False) -> Codebook:
    """The codebook to use with ``model``; refuse (or, with ``force``, warn) when it changed.

    Raises
    ------
    InputError
        The codebook's sha256 differs from the one the model was trained with (both named),
        and ``force`` is False.

    Examples
    --------
    >>> check_codebook(FrameClassifier(), "trump_ukraine_roles").name  # unfitted: no check
    'trump_ukraine_roles'
    """
    book = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
    trained = getattr(model, "codebook_sha256_", None)
    if trained is not None and trained != book.sha256:
        message = (f"the codebook changed since the model was trained: model {trained[:12]}, "
                   f"codebook {book.path} {book.sha256[:12]}")
        if not force:
            raise InputError(message + "; pass force=True (--force) to go on anyway",
                             field="codebook")
        warnings.warn(message, CodebookChangedWarning, stacklevel=2)
    return book


def _passage_union(passages: pd.DataFrame, new_passages: pd.DataFrame | None) -> pd.DataFrame:
    if new_passages is None:
        return passages.reset_index(drop=True)
    both = pd.concat([passages, new_passages], ignore_index=True)
    both["passage_id"] = both["passage_id"].astype(str)
    repeated = both.duplicated("passage_id", keep=False)
    if repeated.any():
        texts = both[repeated].groupby("passage_id")["text"].nunique()
        if (texts > 1).any():
            raise InputError(f"passage {texts[texts > 1].index[0]!r} has different texts in the "
                             "old and new passages", field="passage_id")
    return both.drop_duplicates("passage_id").reset_index(drop=True)


def retrain(
    model: FrameClassifier | PathLike,
    annotations: pd.DataFrame,
    passages: pd.DataFrame,
    *,
    new_annotations: pd.DataFrame,
    new_passages: pd.DataFrame | None = None,
    codebook: PathLike | Codebook | None = None,
    allow_codebook_change: bool = False,
    on_conflict: Literal["error", "newest", "drop"] = "error",
    ties: Ties = "negative",
    n_splits: int = 5,
    random_state: int = 0,
) -> RetrainResult:
    """Refit a frame model on old + new annotations and compare it with its parent.

    Parameters
    ----------
    model : FrameClassifier or path-like
        The parent: a fitted model or its bundle folder (its parameters are reused for the
        new one).
    annotations : DataFrame
        The annotations the parent was trained on.
    passages : DataFrame
        Their passages (``passage_id``, ``doc_id``, the text, metadata).
    new_annotations : DataFrame
        The new annotations.
    new_passages : DataFrame, optional
        Passages of a new corpus that the new annotations may name.
    codebook : str, path-like or Codebook, optional
        The codebook of the new model; default the parent's. A codebook other than the one
        the parent was trained with is refused unless ``allow_codebook_change``.
    allow_codebook_change : bool, default=False
        Go on (with a :class:`CodebookChangedWarning`) when the codebook changed.
    on_conflict : {"error", "newest", "drop"}, default="error"
        A coder who labelled a passage and frame differently in old and new annotations:
        refuse, keep the new label, or drop both; they are listed in the result either way.
    ties : {"positive", "negative", "drop", "error"}, default="negative"
        Even splits between coders when adjudicating by majority.
    n_splits : int, default=5
        Grouped folds (by ``doc_id``) of the comparison.
    random_state : int, default=0
        Seed of the folds; the new model keeps the parent's own ``random_state``.

    Returns
    -------
    RetrainResult
        The new model, the comparison table and the lineage; ``.save(path)`` writes the
        bundle.

    Raises
    ------
    InputError
        A changed codebook without ``allow_codebook_change``, conflicts with
        ``on_conflict="error"``, annotations naming unknown passages or frames, or too few
        positives to fit.
    """
    validate_params("retrain", {"n_splits": n_splits, "random_state": random_state},
                    {"n_splits": [Interval(int, 2, 100)],
                     "random_state": [Interval(int, 0, 2**32 - 1)]})
    source = None
    if isinstance(model, str | os.PathLike):
        source = str(model)
        model = load_frame_model(model)
    if not hasattr(model, "estimators_"):
        raise InputError("the parent model is not fitted; train one first (framing frames "
                         "train)", field="model")
    book = check_codebook(model, model.codebook if codebook is None else codebook,
                          force=allow_codebook_change)
    frames = book.frame_names
    everything = _passage_union(passages, new_passages)
    for column in ("doc_id", model.text_column):
        if column not in everything.columns:
            raise InputError(f"the passages have no {column!r} column", field=column)
    old = validate_annotations(annotations, codebook=book, passages=everything)
    new = validate_annotations(new_annotations, codebook=book, passages=everything)
    merged, conflicts = merge_annotations(old.assign(_source=0), new.assign(_source=1))
    if len(conflicts):
        first = conflicts.iloc[0]
        message = (f"{len(conflicts)} passage/coder/frame cells are labelled differently in "
                   f"the old and new annotations (first: passage {first['passage_id']!r}, "
                   f"coder {first['coder']!r}, frame {first['frame']!r})")
        if on_conflict == "error":
            raise InputError(message + "; pass on_conflict= (--on-conflict) 'newest' or "
                             "'drop'", field="label")
        warnings.warn(message + f"; resolved with on_conflict={on_conflict!r}", UserWarning,
                      stacklevel=2)
        keys = ["passage_id", "coder", "frame"]
        hit = merged.set_index(keys).index.isin(conflicts.set_index(keys).index)
        drop = hit & (merged["_source"].to_numpy() == 0) if on_conflict == "newest" else hit
        merged = merged[~drop]
    merged = merged.drop(columns="_source")
    train_all = labelled_passages(everything, merged, frames=frames, ties=ties)
    train_old = labelled_passages(everything, old, frames=frames, ties=ties)
    y_all = train_all[list(frames)].to_numpy()
    old_labels = train_old.set_index("passage_id")[list(frames)]
    features = train_all.drop(columns=list(frames))
    new_model_template = clone(model).set_params(codebook=book)

    # The same grouped folds for both: the parent refitted on the old annotations within each
    # training part, the new model on all of them, both scored on the same held-out passages.
    strata = y_all @ (1 << np.arange(len(frames)))
    values, counts = np.unique(strata, return_counts=True)
    strata[np.isin(strata, values[counts < n_splits])] = -1
    groups = train_all["doc_id"].astype(str).to_numpy()
    splitter = StratifiedGroupKFold(n_splits, shuffle=True, random_state=random_state)
    parent_parts, new_parts = [], []
    for train, test in splitter.split(features, strata, groups):
        train_ids = features["passage_id"].iloc[train]
        old_ids = train_ids[train_ids.isin(old_labels.index)]
        old_rows = features.iloc[train][train_ids.isin(old_labels.index).to_numpy()]
        parent = clone(model).fit(old_rows, old_labels.loc[old_ids.to_numpy()].set_axis(
            old_rows.index))
        new_fold = clone(new_model_template).fit(
            features.iloc[train], pd.DataFrame(y_all[train], columns=list(frames),
                                               index=features.index[train]))
        parent_parts.append(parent.predict(features.iloc[test]))
        new_parts.append(new_fold.predict(features.iloc[test]))
    parent_oof = pd.concat(parent_parts).loc[features.index]
    new_oof = pd.concat(new_parts).loc[features.index]
    tables = []
    for name, oof in (("parent", parent_oof), ("retrained", new_oof)):
        tables.append(_scores(y_all, oof, frames).assign(evaluation="cv", model=name))
    if new_passages is not None:
        on_new = features["passage_id"].isin(set(new_passages["passage_id"].astype(str)))
        on_new = on_new.to_numpy()
        if on_new.any():
            as_saved = model.predict(features[on_new])
            tables.append(_scores(y_all[on_new], as_saved, frames).assign(
                evaluation="new_corpus", model="parent"))
            tables.append(_scores(y_all[on_new], new_oof[on_new], frames).assign(
                evaluation="new_corpus", model="retrained"))
    comparison = pd.concat(tables, ignore_index=True)
    macro = (comparison.groupby(["evaluation", "model"], sort=False)
             .agg(f1=("f1", "mean"), precision=("precision", "mean"),
                  recall=("recall", "mean"), brier=("brier", "mean"),
                  n_passages=("n_passages", "first")).reset_index().assign(frame="macro"))
    comparison = pd.concat([comparison, macro], ignore_index=True)
    comparison = comparison[["evaluation", "model", "frame", "precision", "recall", "f1",
                             "brier", "n_positive", "n_passages"]]
    comparison = comparison.sort_values(["evaluation", "model"], kind="stable",
                                        ignore_index=True)
    final = clone(new_model_template).fit(features, pd.DataFrame(
        y_all, columns=list(frames), index=features.index))
    lineage = {
        "parent_model_id": model.model_id_, "parent_bundle": source,
        "model_id": final.model_id_,
        "parent_codebook_sha256": model.codebook_sha256_, "codebook_sha256": book.sha256,
        "n_annotations": {"old": len(old), "new": len(new), "conflicts": len(conflicts)},
        "n_passages": {"old": len(train_old), "all": len(train_all)},
        "comparison_seed": random_state, "n_splits": n_splits,
    }
    return RetrainResult(model=final, parent_model_id=model.model_id_, comparison=comparison,
                         conflicts=conflicts, training=train_all, lineage=lineage)

