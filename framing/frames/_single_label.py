"""Single-label frame classification: one frame per passage, probabilities that sum to one.

A codebook with ``single_label: true`` (headline frames, an entity's main role) codes every
passage with exactly one of its frames, or with the none category. The classes are the frames
and, when some coded passage is none, the none category as a class of its own (a codebook
whose every passage carries a frame, like SemEval-2025's main roles, has just the frames).

:class:`SingleLabelClassifier` shares :class:`~framing.frames.FrameClassifier`'s features
(word and character TF-IDF, sentence embeddings, lexicon scores) and fits one multinomial
logistic regression over the classes, calibrated by bias-corrected temperature scaling
(Alexandari, Shrikumar and Kundaje 2020: one temperature and one bias per class, fitted on
out-of-fold scores of the training passages, so the probabilities carry the training prior
and suit the EM prevalence correction). It decides one class per passage: the most probable
(``"argmax"``, what accuracy rewards) or with per-class offsets tuned for macro-F1 on the same
out-of-fold probabilities (``"tuned"``, see :class:`~framing.frames.ExclusiveDecision`).
Measured (5-fold CV; TF-IDF / TF-IDF and embeddings) against one-vs-rest
:class:`~framing.frames.FrameClassifier` models with the same tuned decision: macro-F1 on FrAC's
10 sentence frames 0.587 / 0.767 (one-vs-rest 0.556 / 0.735), on SemEval-2025's main roles
0.460 / 0.473 (0.446 / 0.494); lower log loss and Brier score in all four, and 3-8 times
faster to train (``benchmarks/frames_single_label.py``, benchmarks/README.md).

Labels come as one ``frame`` column naming each passage's class, or as one-hot 0/1 columns
(one per frame, and optionally one for the none category) with exactly one 1 per row.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import minimize
from scipy.special import logsumexp, softmax
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold
from tqdm.auto import tqdm

from framing._types import PathLike
from framing.corpus import NONE, InputError, NotFittedError, Options, validate_params
from framing.frames._classifier import (
    FrameClassifier,
    resolve_features,
    training_hash,
)
from framing.frames._codebook import Codebook, load_codebook
from framing.frames._decision import ExclusiveDecision
from framing.frames._embeddings import progress_if
from framing.frames._sklearn_api import PredictOutput, as_label_table

Decision = Literal["argmax", "prior_ratio", "tuned"]
_INNER_FOLDS = 3
#: Fewest coded passages of a class to fit, calibrate and tune it (two per inner fold).
MIN_PER_CLASS = 2 * _INNER_FOLDS
_MAX_ITER = 2_000
#: The decision column of :meth:`SingleLabelClassifier.predict`.
DECISION_COLUMN = "frame"


# -- labels -------------------------------------------------------------------------------------

def single_label_targets(passages: pd.DataFrame, labels: pd.DataFrame | None,
                         codebook: Codebook) -> np.ndarray:
    """The class of every passage (a frame or the none category), read and checked.

    Parameters
    ----------
    passages : DataFrame
        The passages (their index is the key when ``labels`` is given).
    labels : DataFrame or None
        A ``frame`` column naming each passage's class, or one 0/1 column per frame (and
        optionally one named by the codebook's none category) with exactly one 1 per row;
        with the same index as ``passages``. ``None``: the columns are taken from
        ``passages``.
    codebook : Codebook
        Names the frames and the none category.

    Returns
    -------
    ndarray of str, shape (n_passages,)

    Raises
    ------
    InputError
        Naming the row and field: a class that is not in the codebook, a missing label, a
        value that is not 0/1, a row with no 1 or with several, or labels whose index does
        not match the passages'.

    Examples
    --------
    >>> book = load_codebook("trump_ukraine_roles")
    >>> single_label_targets(pd.DataFrame({"frame": ["skeptic", "none"]}), None, book).tolist()
    ['skeptic', 'none']
    >>> one_hot = pd.DataFrame({"peacemaker": [1, 0], "isolationist": [0, 0],
    ...                         "skeptic": [0, 1]})
    >>> single_label_targets(one_hot, None, book).tolist()
    ['peacemaker', 'skeptic']
    """
    source = passages if labels is None else labels
    if not isinstance(source, pd.DataFrame):
        raise TypeError(f"expected a DataFrame of labels, got {type(source).__name__}")
    if labels is not None and (len(labels) != len(passages)
                               or not labels.index.equals(passages.index)):
        absent = passages.index.difference(labels.index)
        if len(absent) or not labels.index.is_unique:
            raise InputError("the labels' index must match the passages' index "
                             f"({len(absent)} passages have no labels)")
        source = labels.loc[passages.index]
    frames, none = codebook.frame_names, codebook.none_label
    allowed = (*frames, none)
    if DECISION_COLUMN in source.columns:
        values = source[DECISION_COLUMN].to_numpy(dtype=object)
        for row, value in enumerate(values):
            if pd.isna(value) or str(value).strip() not in allowed:
                shown = "nothing" if pd.isna(value) else repr(value)
                raise InputError(f"expected one of the codebook's frames or {none!r}, got "
                                 f"{shown}; a single-label codebook codes every passage with "
                                 f"exactly one of: {', '.join(allowed)}", row=row + 1,
                                 field=DECISION_COLUMN)
        return np.array([str(v).strip() for v in values], dtype=object)
    missing = [f for f in frames if f not in source.columns]
    if missing:
        raise InputError(f"the labels have no {missing[0]!r} column; give a {DECISION_COLUMN!r} "
                         f"column naming each passage's frame, or one 0/1 column per frame "
                         f"({', '.join(frames)}, and optionally {none!r})", field=missing[0])
    columns = [*frames, *([none] if none in source.columns else [])]
    matrix = np.zeros((len(source), len(columns)), dtype=int)
    for k, column in enumerate(columns):
        values = source[column].to_numpy()
        bad = pd.isna(values) | ~np.isin(values, [0, 1])
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            value = values[row].item() if isinstance(values[row], np.generic) else values[row]
            shown = "nothing" if pd.isna(value) else repr(value)
            raise InputError(f"expected 0 or 1, got {shown}", row=row + 1, field=column)
        matrix[:, k] = values.astype(int)
    count = matrix.sum(axis=1)
    if (count != 1).any():
        row = int(np.flatnonzero(count != 1)[0])
        marked = [c for c, v in zip(columns, matrix[row], strict=True) if v]
        problem = (f"{len(marked)} frames are marked ({', '.join(marked)})" if marked else
                   "no frame is marked" + ("" if none in columns else
                                           f" (and there is no {none!r} column)"))
        raise InputError(f"{problem}; a single-label codebook codes every passage with "
                         f"exactly one of: {', '.join(columns)}", row=row + 1,
                         field=", ".join(columns))
    return np.asarray(columns, dtype=object)[matrix.argmax(axis=1)]


def single_label_classes(targets: np.ndarray, codebook: Codebook, *,
                         with_examples: bool = False) -> tuple[str, ...]:
    """The classes a single-label model learns: the frames, then none if some passage is none.

    Each class needs ``MIN_PER_CLASS`` coded passages; ``with_examples`` (the codebook's
    examples join training) asks for ``MIN_PER_CLASS / 2`` coded passages (one per
    out-of-fold fold) and ``MIN_PER_CLASS`` with the class's examples.

    Raises
    ------
    InputError
        A frame (or a none category that occurs) with too few passages.

    Examples
    --------
    >>> book = load_codebook("trump_ukraine_roles")
    >>> targets = np.array(["peacemaker", "isolationist", "skeptic"] * 6)
    >>> single_label_classes(targets, book)
    ('peacemaker', 'isolationist', 'skeptic')
    """
    classes = (*codebook.frame_names,
               *([codebook.none_label] if codebook.none_label in set(targets) else []))
    for name in classes:
        n = int(np.sum(targets == name))
        n_examples = len(codebook.frames[name].positive_examples) if with_examples else 0
        if with_examples:
            enough = n >= _INNER_FOLDS and n + n_examples >= MIN_PER_CLASS
            need = (f"at least {_INNER_FOLDS} coded passages of each class and "
                    f"{MIN_PER_CLASS} with the codebook's examples")
        else:
            enough = n >= MIN_PER_CLASS
            need = f"at least {MIN_PER_CLASS} of each class"
        if not enough:
            what = "the none category" if name == codebook.none_label else "frame"
            raise InputError(f"{what} {name!r} has {n} coded passages of {len(targets)}"
                             + (f" and {n_examples} examples" if with_examples else "")
                             + f"; a single-label model needs {need} to fit, calibrate and "
                             "tune", field=name)
    return classes


def single_label_matrix(passages: pd.DataFrame, labels: pd.DataFrame | None,
                        codebook: Codebook, *,
                        with_examples: bool = False) -> tuple[tuple[str, ...], np.ndarray]:
    """The classes and the (n_passages, n_classes) one-hot label matrix, checked.

    ``with_examples`` as for :func:`single_label_classes`.

    Examples
    --------
    >>> book = load_codebook("trump_ukraine_roles")
    >>> classes, y = single_label_matrix(
    ...     pd.DataFrame({"frame": ["skeptic", "none", "peacemaker", "isolationist"] * 6}),
    ...     None, book)
    >>> classes, y[:2].tolist()
    (('peacemaker', 'isolationist', 'skeptic', 'none'), [[0, 0, 1, 0], [0, 0, 0, 1]])
    """
    targets = single_label_targets(passages, labels, codebook)
    classes = single_label_classes(targets, codebook, with_examples=with_examples)
    return classes, (targets[:, None] == np.asarray(classes, dtype=object)[None, :]).astype(int)


def single_label_training(training: pd.DataFrame,
                          codebook: Codebook) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """A training table of 0/1 frame columns (from annotations) as single-label classes.

    A passage coded 0 for every frame is the none category: it gets a 1 in a column named by
    the codebook's none category (added when some passage is none).

    Parameters
    ----------
    training : DataFrame
        :func:`~framing.frames.labelled_passages`' table: passages with one 0/1 column per
        frame (and ``passage_id``).
    codebook : Codebook
        The frames and the none category.

    Returns
    -------
    (DataFrame, tuple of str)
        The table (the none column added when needed) and the classes, in the order of
        :func:`single_label_classes`.

    Raises
    ------
    InputError
        A passage coded with two or more frames (its ``passage_id`` named), or a class with
        too few passages.

    Examples
    --------
    >>> book = load_codebook("trump_ukraine_roles")
    >>> coded = pd.DataFrame({"passage_id": [f"p{i}" for i in range(24)],
    ...                       "peacemaker": [1, 0, 0, 0] * 6, "isolationist": [0, 1, 0, 0] * 6,
    ...                       "skeptic": [0, 0, 1, 0] * 6})
    >>> table, classes = single_label_training(coded, book)
    >>> classes, table["none"].tolist()[:4]
    (('peacemaker', 'isolationist', 'skeptic', 'none'), [0, 0, 0, 1])
    """
    frames, none = codebook.frame_names, codebook.none_label
    missing = [f for f in frames if f not in training.columns]
    if missing:
        raise InputError(f"the coded passages have no {missing[0]!r} column", field=missing[0])
    if none in training.columns:
        raise InputError(f"the passages already have a {none!r} column: the none category's "
                         "column would replace it; rename it", field=none)
    coded = training[list(frames)].to_numpy(dtype=int)
    several = coded.sum(axis=1) > 1
    if several.any():
        row = int(np.flatnonzero(several)[0])
        who = (f"passage {training['passage_id'].iloc[row]!r}" if "passage_id" in training
               else f"row {row + 1}")
        marked = [f for f, v in zip(frames, coded[row], strict=True) if v]
        raise InputError(f"{int(several.sum())} coded passages carry several frames (first: "
                         f"{who}: {', '.join(marked)}); a single-label codebook codes exactly "
                         "one frame per passage: recode them, or leave out --single-label "
                         "(and the codebook's single_label: true)", field=", ".join(marked))
    table = training.copy()
    is_none = coded.sum(axis=1) == 0
    if is_none.any():
        table[none] = is_none.astype(int)
    targets = np.where(is_none, none, np.asarray(frames, dtype=object)[coded.argmax(axis=1)])
    return table, single_label_classes(targets, codebook)


def is_single_label(model: Any) -> bool:
    """Whether ``model`` (fitted or not) decides one frame per passage."""
    return isinstance(model, SingleLabelClassifier)


# -- scores -------------------------------------------------------------------------------------

def single_label_scores(predictions: pd.DataFrame, y: np.ndarray,
                        classes: tuple[str, ...]) -> dict[str, Any]:
    """Accuracy and the confusion matrix of single-label decisions.

    Parameters
    ----------
    predictions : DataFrame
        ``is_<class>`` one-hot decisions, rows aligned with ``y``.
    y : array of shape (n, n_classes)
        The one-hot true classes.
    classes : tuple of str
        The classes, in column order.

    Returns
    -------
    dict
        ``"accuracy"``: the share of passages decided into their true class;
        ``"confusion"``: DataFrame of counts, one row per true class and one column per
        decided class; ``"predictions"``: ``predictions`` with the true class as one-hot
        0/1 columns named by the classes (where it has no such column), the validation
        table of :func:`framing.measure.estimate_shares`.

    Examples
    --------
    >>> y = np.array([[1, 0], [0, 1], [0, 1]])
    >>> decided = pd.DataFrame({"is_a": [1, 1, 0], "is_b": [0, 0, 1]})
    >>> scores = single_label_scores(decided, y, ("a", "b"))
    >>> round(scores["accuracy"], 3)
    0.667
    >>> list(scores["predictions"].columns)
    ['is_a', 'is_b', 'a', 'b']
    >>> scores["confusion"]
    predicted  a  b
    true
    a          1  0
    b          1  1
    """
    decided = predictions[[f"is_{name}" for name in classes]].to_numpy(dtype=int)
    confusion = pd.DataFrame(np.asarray(y, dtype=int).T @ decided,
                             index=pd.Index(classes, name="true"),
                             columns=pd.Index(classes, name="predicted"))
    truth = {name: np.asarray(y)[:, k].astype(int) for k, name in enumerate(classes)
             if name not in predictions.columns}
    return {"accuracy": float(np.trace(confusion.to_numpy()) / max(len(y), 1)),
            "confusion": confusion,
            "predictions": predictions.assign(**truth) if truth else predictions}


def summary_with_accuracy(summary: pd.DataFrame, predictions: list[pd.DataFrame],
                          y: np.ndarray, classes: tuple[str, ...]) -> pd.DataFrame:
    """An evaluation summary with each scheme's ``accuracy`` after its ``macro_f1``.

    ``predictions`` holds one table per scheme (its ``scheme`` column), rows aligned with
    ``y``.
    """
    accuracy = {str(part["scheme"].iloc[0]): single_label_scores(part, y, classes)["accuracy"]
                for part in predictions if len(part)}
    out = summary.copy()
    out.insert(list(out.columns).index("macro_f1") + 1, "accuracy",
               out["scheme"].map(accuracy).astype(float))
    return out


# -- the classifier -----------------------------------------------------------------------------

class SingleLabelClassifier(FrameClassifier):
    """Classify passages into exactly one frame of a single-label codebook (or none).

    One multinomial logistic regression over the classes, on
    :class:`~framing.frames.FrameClassifier`'s features, calibrated on out-of-fold scores.

    Parameters
    ----------
    codebook : str, path-like or Codebook, default="trump_ukraine_roles"
        A shipped codebook's name, a codebook file, or a loaded :class:`Codebook`. Its
        ``single_label`` key need not be set: using this class makes the frames exclusive.
    features, ngram_range, char_ngrams, min_df, lexicon_features, embedding_model, \
embedding_cache, text_column, n_jobs
        As for :class:`~framing.frames.FrameClassifier`.
    predict_output : {"table", "labels"}, default="table"
        What :meth:`predict` and :meth:`predict_proba` return: the ``passage_frames`` table,
        or the arrays scikit-learn's tools read (``"labels"``: each passage's class name, and
        the probabilities with one column per class), so that ``GridSearchCV(...,
        scoring="f1_macro")`` works; ``y`` may then be one class name per passage.
    C : float, default=10.0
        Inverse regularisation strength of the multinomial logistic regression.
    class_weight : {"balanced"} or None, default="balanced"
        Class weights of the regression (the calibration's biases restore the training
        prior in the probabilities).
    calibration : {"bias_temperature", "temperature"} or None, default="bias_temperature"
        How the regression's scores become probabilities: fitted on out-of-fold scores of the
        training passages (3 folds, grouped by ``doc_id`` when there is one), one temperature
        and one bias per class (``"bias_temperature"``), one temperature alone
        (``"temperature"``), or the regression's own softmax (``None``).
    decision : {"argmax", "prior_ratio", "tuned"}, default="tuned"
        How one class is picked: the most probable (``"argmax"``, what accuracy rewards);
        the largest probability over the class's training share (``"prior_ratio"``); or the
        largest probability plus a per-class offset tuned for macro-F1 on the out-of-fold
        probabilities (``"tuned"``, what macro-F1 rewards; see :class:`ExclusiveDecision`).
    codebook_examples : bool, default=False
        Whether each frame's positive examples (and, when none is a class, the none
        category's examples) join the training passages as passages of that class; they join
        every training part of the out-of-fold folds and are never held out.
    random_state : int, default=0
        Seed of every random step (the out-of-fold folds).

    Attributes
    ----------
    classes_ : tuple of str
        The classes, in order: the codebook's frames, then the none category when some
        training passage is none.
    frames_ : tuple of str
        The same as ``classes_`` (the ``p_<frame>`` columns of the predictions).
    features_used_, codebook_sha256_, features_, model_id_, training_sha256_, n_training_
        As for :class:`~framing.frames.FrameClassifier`.
    estimator_ : LogisticRegression
        The multinomial regression fitted on all training passages.
    temperature_ : float
        The calibration's scale of the scores (1 without calibration).
    biases_ : ndarray of shape (n_classes,)
        The calibration's bias per class (zeros unless ``"bias_temperature"``).
    decision_ : ExclusiveDecision
        The fitted decision rule (its ``offsets_`` and ``priors_``).
    n_positive_ : dict of str to int
        Training passages of each class.

    Examples
    --------
    >>> texts = ["Trump vowed to broker a peace deal.", "Trump said Europe must pay its share.",
    ...          "Trump doubted the aid would work."] * 6
    >>> passages = pd.DataFrame({"passage_id": [f"d{i}:0" for i in range(18)], "text": texts,
    ...                          "frame": ["peacemaker", "isolationist", "skeptic"] * 6})
    >>> model = SingleLabelClassifier(features="tfidf", char_ngrams=False, min_df=1)
    >>> model = model.fit(passages)
    >>> table = model.predict(passages.head(3).drop(columns="frame"))
    >>> table[["passage_id", "frame", "is_peacemaker", "is_skeptic"]]
      passage_id         frame  is_peacemaker  is_skeptic
    0       d0:0    peacemaker              1           0
    1       d1:0  isolationist              0           0
    2       d2:0       skeptic              0           1
    >>> table.filter(like="p_").sum(axis=1).round(6).tolist()
    [1.0, 1.0, 1.0]
    >>> round(model.score(passages), 3)  # macro-F1 of the decided classes
    1.0
    """

    _parameter_constraints: dict[str, list] = {
        **{k: v for k, v in FrameClassifier._parameter_constraints.items()
           if k not in ("threshold", "calibration")},
        "calibration": [Options({"bias_temperature", "temperature"}), NONE],
        "decision": [Options({"argmax", "prior_ratio", "tuned"})],
    }

    def __init__(
        self,
        *,
        codebook: PathLike | Codebook = "trump_ukraine_roles",
        features: Literal["auto", "tfidf", "embeddings", "both"] = "auto",
        ngram_range: tuple[int, int] = (1, 2),
        char_ngrams: bool = True,
        min_df: int = 2,
        C: float = 10.0,
        class_weight: Literal["balanced"] | None = "balanced",
        calibration: Literal["bias_temperature", "temperature"] | None = "bias_temperature",
        decision: Decision = "tuned",
        codebook_examples: bool = False,
        lexicon_features: bool = True,
        embedding_model: PathLike | None = None,
        embedding_cache: PathLike | None = None,
        text_column: str = "text",
        random_state: int = 0,
        n_jobs: int | None = None,
        predict_output: PredictOutput = "table",
    ) -> None:
        self.codebook = codebook
        self.features = features
        self.ngram_range = ngram_range
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.C = C
        self.class_weight = class_weight
        self.calibration = calibration
        self.decision = decision
        self.codebook_examples = codebook_examples
        self.lexicon_features = lexicon_features
        self.embedding_model = embedding_model
        self.embedding_cache = embedding_cache
        self.text_column = text_column
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.predict_output = predict_output

    def fit(self, passages: pd.DataFrame, labels: pd.DataFrame | None = None, *,
            progress: bool = False) -> SingleLabelClassifier:
        """Learn the features, the regression, its calibration and the decision rule.

        Parameters
        ----------
        passages : DataFrame
            Passages with ``text_column`` (and, for grouped out-of-fold folds, ``doc_id``).
        labels : DataFrame, Series or array, optional
            A ``frame`` column naming each passage's class, or one-hot 0/1 columns (one per
            frame, optionally one for the none category) with exactly one 1 per row; same
            index as ``passages`` (a Series or array: one class name per passage, in order).
            By default taken from ``passages``.
        progress : bool, default=False
            Show progress bars: the passages embedded (``embeddings``, when the features hold
            sentence embeddings not cached yet), then the regressions fitted: one per inner
            fold and the final one.

        Returns
        -------
        SingleLabelClassifier
            The fitted classifier.

        Raises
        ------
        InputError
            A parameter out of range, a missing text column, labels that are not one class
            per passage (the row named), or a class with fewer than ``MIN_PER_CLASS``
            passages.
        EmbeddingsUnavailableError
            ``features`` is ``"embeddings"`` or ``"both"`` and the extra is not installed.
        """
        self._validate_params()
        features_used = resolve_features(self.features)
        codebook = (self.codebook if isinstance(self.codebook, Codebook)
                    else load_codebook(self.codebook))
        texts = self._texts(passages)
        labels = as_label_table(labels, passages, codebook.frame_names)
        targets = single_label_targets(passages, labels, codebook)
        classes = single_label_classes(targets, codebook, with_examples=self.codebook_examples)
        codes = np.array([classes.index(t) for t in targets], dtype=np.int64)
        n_coded = len(texts)
        example_texts, example_codes = (_codebook_examples(codebook, classes)
                                        if self.codebook_examples else ([], []))
        texts_all = texts + example_texts
        codes_all = np.concatenate([codes, np.asarray(example_codes, dtype=np.int64)])
        extra = np.arange(n_coded, len(texts_all))
        seeds = np.random.SeedSequence(self.random_state).generate_state(2)
        features = self._make_features(codebook, features_used)
        with progress_if(progress):
            X = sparse.csr_matrix(features.fit_transform(texts_all))
        groups = (passages["doc_id"].astype(str).to_numpy() if "doc_id" in passages.columns
                  else None)
        estimator = self._make_regression(int(seeds[1]))
        needs_folds = self.calibration is not None or self.decision == "tuned"
        temperature, biases = 1.0, np.zeros(len(classes))
        decision = ExclusiveDecision(method=self.decision)
        bar = tqdm(total=1 + (_INNER_FOLDS if needs_folds else 0), unit="fit",
                   desc="frames train", disable=not progress)
        if needs_folds:
            scores = np.zeros((n_coded, len(classes)))
            for train, test in _folds(codes, groups, int(seeds[0])):
                train = np.concatenate([train, extra])
                model = clone(estimator).fit(X[train], codes_all[train])
                scores[test] = _scores(model, X[test], len(classes))
                bar.update()
            if self.calibration is not None:
                temperature, biases = _calibrate(scores, codes, len(classes),
                                                 with_biases=self.calibration == "bias_temperature")
            validation = softmax(scores / temperature + biases, axis=1)
            decision.fit(validation, np.asarray(classes, dtype=object)[codes], classes=classes)
        else:
            decision.fit(np.eye(len(classes))[codes], np.asarray(classes, dtype=object)[codes],
                         classes=classes)
        self.classes_ = classes
        self.frames_ = classes
        self.features_used_ = features_used
        self.codebook_sha256_ = codebook.sha256
        self.features_ = features
        self.estimator_ = estimator.fit(X, codes_all)
        bar.update()
        bar.close()
        self.temperature_ = float(temperature)
        self.biases_ = biases
        self.decision_ = decision
        one_hot = (codes[:, None] == np.arange(len(classes))[None, :]).astype(int)
        self.training_sha256_ = training_hash(texts, one_hot)
        self.model_id_ = self._model_id(codebook.sha256, self.training_sha256_)
        self.n_training_ = n_coded
        self.n_positive_ = {name: int((codes == k).sum()) for k, name in enumerate(classes)}
        return self

    def _validate_params(self) -> None:
        validate_params("SingleLabelClassifier", self.get_params(), self._parameter_constraints)
        if self.n_jobs == 0:
            raise InputError("The 'n_jobs' parameter of SingleLabelClassifier must be -1, None "
                             "or an int >= 1. Got 0 instead.")
        low_high = self.ngram_range
        if not (len(low_high) == 2 and all(isinstance(n, int) and not isinstance(n, bool)
                                           for n in low_high) and 1 <= low_high[0] <= low_high[1]):
            raise InputError(
                "The 'ngram_range' parameter of SingleLabelClassifier must be a tuple (low, "
                f"high) of ints with 1 <= low <= high. Got {low_high!r} instead.")

    def _make_regression(self, seed: int) -> LogisticRegression:
        # Newton-CG: the same optimum as scikit-learn's default L-BFGS, found about 4 times
        # faster on TF-IDF blocks (FrAC, 523 sentences x 16,530 features: 1.9 s against 10 s).
        return LogisticRegression(C=self.C, class_weight=self.class_weight, solver="newton-cg",
                                  max_iter=_MAX_ITER, random_state=seed)

    # -- predicting -----------------------------------------------------------------------------

    def predict_proba(self, passages: pd.DataFrame) -> pd.DataFrame | np.ndarray:
        """The probability of each class for every passage (each row sums to one).

        Returns
        -------
        DataFrame or ndarray of shape (n_passages, n_classes)
            The input's columns except ``text_column``, in order and with its index, then
            ``p_<class>`` for every class; with ``predict_output="labels"`` the
            probabilities alone.

        Raises
        ------
        NotFittedError
            Before ``fit``.
        InputError
            No text column, or an output column already in the table.
        """
        self._check_is_fitted("predict_proba")
        table = self._probability_table(passages)
        if self.predict_output == "labels":
            return table[[f"p_{name}" for name in self.classes_]].to_numpy()
        return table

    def _probabilities_of(self, texts: list[str]) -> np.ndarray:
        return _probabilities(self, texts)

    def _output_names(self) -> list[str]:
        """The probability columns are named after the classes (frames and none)."""
        return list(self.classes_)

    def predict(self, passages: pd.DataFrame) -> pd.DataFrame | np.ndarray:
        """Class probabilities and one decision per passage (the ``passage_frames`` table).

        Returns
        -------
        DataFrame or ndarray of shape (n_passages,)
            :meth:`predict_proba`'s table plus ``is_<class>`` (one-hot: 1 for the decided
            class), ``frame`` (the decided class's name), ``model_id`` and ``codebook_hash``;
            with ``predict_output="labels"`` the decided class names alone.

        Raises
        ------
        NotFittedError
            Before ``fit``.
        InputError
            No text column, or an output column already in the table.
        """
        self._check_is_fitted("predict")
        table = self._decision_table(passages)
        if self.predict_output == "labels":
            return table[DECISION_COLUMN].to_numpy(dtype=object)
        return table

    def _decision_table(self, passages: pd.DataFrame) -> pd.DataFrame:
        probabilities = self._probability_table(passages)
        matrix = probabilities[[f"p_{name}" for name in self.classes_]].to_numpy()
        decided = (self.decision_.predict(matrix) if len(matrix)
                   else np.array([], dtype=object))
        columns: dict[str, Any] = {
            f"is_{name}": (decided == name).astype(int) for name in self.classes_}
        columns[DECISION_COLUMN] = decided.astype(str) if len(decided) else decided
        columns["model_id"] = self.model_id_
        columns["codebook_hash"] = self.codebook_sha256_
        return self._with_columns(probabilities, columns, drop_text=False)

    def score(self, passages: pd.DataFrame, labels: Any = None,
              sample_weight: np.ndarray | None = None) -> float:
        """The macro-F1 of the decided classes against ``labels``: what ``GridSearchCV`` maximises.

        Parameters
        ----------
        passages : DataFrame
            Passages with ``text_column``.
        labels : DataFrame, Series or array, optional
            The true classes, as for :meth:`fit`; by default taken from ``passages``.
        sample_weight : array of shape (n_passages,), optional
            Weights of the passages.

        Returns
        -------
        float
            The mean over the model's classes of each class's F1, in [0, 1].
        """
        self._check_is_fitted("score")
        codebook = (self.codebook if isinstance(self.codebook, Codebook)
                    else load_codebook(self.codebook))
        labels = as_label_table(labels, passages, codebook.frame_names)
        targets = single_label_targets(passages, labels, codebook)
        # The true classes may be the passages' own frame column, which predict would add.
        unlabelled = passages.drop(columns=[DECISION_COLUMN], errors="ignore")
        decided = self._decision_table(unlabelled)[DECISION_COLUMN].to_numpy(dtype=object)
        return float(f1_score(targets, decided, labels=list(self.classes_), average="macro",
                              zero_division=0, sample_weight=sample_weight))

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.target_tags.single_output = True
        tags.target_tags.multi_output = False
        tags.classifier_tags.multi_label = False
        return tags

    def _check_is_fitted(self, method: str) -> None:
        if not hasattr(self, "estimator_"):
            raise NotFittedError(
                "This SingleLabelClassifier instance is not fitted yet. Call 'fit' with "
                f"appropriate arguments before using '{method}'.")


def _probabilities(model: SingleLabelClassifier, texts: list[str]) -> np.ndarray:
    """The (n_texts, n_classes) calibrated probabilities of a fitted model (in a worker, too)."""
    if not texts:
        return np.zeros((0, len(model.classes_)))
    X = sparse.csr_matrix(model.features_.transform(texts))
    scores = _scores(model.estimator_, X, len(model.classes_))
    return softmax(scores / model.temperature_ + model.biases_, axis=1)


def _scores(model: LogisticRegression, X: Any, n_classes: int) -> np.ndarray:
    """The regression's class scores (log-odds up to a constant), one column per class code.

    A class absent from a fold's training part gets each passage's lowest score.
    """
    raw = model.decision_function(X)
    if raw.ndim == 1:  # two classes: scikit-learn gives the second class's log-odds alone
        raw = np.column_stack([-raw / 2, raw / 2])
    scores = np.repeat(raw.min(axis=1, keepdims=True), n_classes, axis=1)
    scores[:, model.classes_] = raw
    return scores


def _folds(codes: np.ndarray, groups: np.ndarray | None,
           seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Out-of-fold folds of the coded passages: stratified, grouped by document if possible."""
    dummy = np.zeros(len(codes))
    if groups is not None and len(np.unique(groups)) >= _INNER_FOLDS:
        splitter = StratifiedGroupKFold(_INNER_FOLDS, shuffle=True, random_state=seed)
        return list(splitter.split(dummy, codes, groups))
    return list(StratifiedKFold(_INNER_FOLDS, shuffle=True, random_state=seed).split(dummy,
                                                                                      codes))


def _calibrate(scores: np.ndarray, codes: np.ndarray, n_classes: int, *,
               with_biases: bool) -> tuple[float, np.ndarray]:
    """Temperature (and per-class biases) minimising the log loss of out-of-fold scores.

    ``softmax(scores / T + b)``, the first class's bias held at 0; the loss is convex in
    ``(1 / T, b)``, minimised by L-BFGS from ``T = 1, b = 0``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> codes = rng.integers(0, 3, 3000)
    >>> scores = 4.0 * (np.eye(3)[codes] + rng.normal(size=(3000, 3)))  # 4x overconfident
    >>> temperature, biases = _calibrate(scores, codes, 3, with_biases=True)
    >>> round(temperature / 4, 1), bool(np.abs(biases).max() < 0.1)
    (1.0, True)
    """
    one_hot = np.eye(n_classes)[codes]

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        scale = theta[0]
        biases = np.concatenate([[0.0], theta[1:]]) if with_biases else np.zeros(n_classes)
        logits = scale * scores + biases
        normaliser = logsumexp(logits, axis=1)
        value = float(np.mean(normaliser - (logits * one_hot).sum(axis=1)))
        residual = (np.exp(logits - normaliser[:, None]) - one_hot) / len(scores)
        gradient = [float((residual * scores).sum())]
        if with_biases:
            gradient += list(residual.sum(axis=0)[1:])
        return value, np.asarray(gradient)

    start = np.concatenate([[1.0], np.zeros(n_classes - 1 if with_biases else 0)])
    bounds = [(1e-4, 1e4)] + [(None, None)] * (len(start) - 1)
    result = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds)
    scale = float(result.x[0])
    biases = np.concatenate([[0.0], result.x[1:]]) if with_biases else np.zeros(n_classes)
    return 1.0 / scale, biases


def _codebook_examples(codebook: Codebook, classes: tuple[str, ...]) -> tuple[list[str],
                                                                             list[int]]:
    """The codebook's examples of each class as training rows: texts and class codes."""
    texts: list[str] = []
    codes: list[int] = []
    for k, name in enumerate(classes):
        for text in codebook.frames[name].positive_examples:
            texts.append(text)
            codes.append(k)
    return texts, codes

