"""One label per passage from per-frame probabilities: base-rate-aware single-label decisions.

A :class:`~framing.frames.FrameClassifier` fits one calibrated one-vs-rest model per frame.
When the frames are exclusive (an entity's main role, a sentence's one frame), the plain
decision takes the most probable frame; with imbalanced classes the majority's probability is
high almost everywhere, so that decision can collapse to the majority class (SemEval-2025
main roles: every mention called "antagonist"). Two corrections:

* ``"prior_ratio"`` divides each frame's probability by its base rate in the training data
  (the likelihood ratio a calibrated one-vs-rest probability carries about the class);
* ``"tuned"`` adds one offset per frame, chosen to maximise macro-F1 on *validation*
  probabilities: out-of-fold predictions of the training data, never the passages scored.

:func:`exclusive_decision` applies a decision with known priors or offsets (stateless);
:class:`ExclusiveDecision` learns them (``priors_``, ``offsets_``) from validation
probabilities and their gold labels.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from framing.corpus import InputError, Interval, NotFittedError, Options, validate_params

Method = Literal["argmax", "prior_ratio", "tuned"]
_METHODS = ("argmax", "prior_ratio", "tuned")


def exclusive_decision(probabilities: pd.DataFrame | np.ndarray, *,
                       classes: Sequence[Any] | None = None, method: Method = "argmax",
                       priors: Mapping[Any, float] | Sequence[float] | None = None,
                       offsets: Mapping[Any, float] | Sequence[float] | None = None,
                       ) -> np.ndarray:
    """Pick one class per row from per-class (one-vs-rest) probabilities.

    Parameters
    ----------
    probabilities : DataFrame or array of shape (n_rows, n_classes)
        A table with ``p_<class>`` columns (a ``passage_frames`` table; other columns are
        ignored) or a 2-D array whose columns follow ``classes``.
    classes : sequence, optional
        The classes, in column order. For a table, the ``p_<class>`` columns to use (default:
        every ``p_`` column); for an array, its labels (default: ``0 .. n_classes - 1``).
    method : {"argmax", "prior_ratio", "tuned"}, default="argmax"
        ``"argmax"``: the most probable class. ``"prior_ratio"``: the largest
        ``p_class / priors[class]``. ``"tuned"``: the largest ``p_class + offsets[class]``.
    priors : mapping or sequence of float, optional
        Base rate (> 0) of each class in the training data; needed by ``"prior_ratio"``.
    offsets : mapping or sequence of float, optional
        Additive offset of each class (see :class:`ExclusiveDecision`); needed by ``"tuned"``.

    Returns
    -------
    ndarray of shape (n_rows,)
        The chosen class of each row. Ties go to the earlier class.

    Raises
    ------
    InputError
        A missing ``p_<class>`` column, a probability that is not a finite number, an unknown
        method, or priors / offsets missing, not one per class, or (priors) not positive.

    See Also
    --------
    ExclusiveDecision : learns the priors and offsets from validation probabilities.

    Examples
    --------
    >>> p = pd.DataFrame({"doc_id": ["a", "b"], "p_antagonist": [0.8, 0.6],
    ...                   "p_innocent": [0.3, 0.25]})
    >>> exclusive_decision(p).tolist()
    ['antagonist', 'antagonist']
    >>> exclusive_decision(p, method="prior_ratio",
    ...                    priors={"antagonist": 0.7, "innocent": 0.1}).tolist()
    ['innocent', 'innocent']
    >>> exclusive_decision(p, method="tuned", offsets=[0.0, 0.4]).tolist()
    ['antagonist', 'innocent']
    """
    if method not in _METHODS:
        raise InputError(f"The 'method' parameter of exclusive_decision must be one of "
                         f"{', '.join(map(repr, _METHODS))}. Got {method!r} instead.")
    matrix, labels = _probability_matrix(probabilities, classes)
    if method == "prior_ratio":
        rates = _per_class(priors, labels, "priors")
        if (rates <= 0).any():
            bad = labels[int(np.flatnonzero(rates <= 0)[0])]
            raise InputError(f"the prior of class {bad!r} must be > 0 (a base rate); got "
                             f"{rates[rates <= 0][0]!r}", field="priors")
        matrix = matrix / rates
    elif method == "tuned":
        matrix = matrix + _per_class(offsets, labels, "offsets")
    return np.asarray(labels, dtype=object)[matrix.argmax(axis=1)]


class ExclusiveDecision(BaseEstimator):
    """Learn a single-label decision rule for one-vs-rest probabilities of exclusive classes.

    Fit it on *validation* probabilities (out-of-fold predictions of the training data, e.g.
    from an inner cross-validation grouped by document) and their gold labels; then
    :meth:`predict` labels new probabilities with :func:`exclusive_decision`.

    Parameters
    ----------
    method : {"argmax", "prior_ratio", "tuned"}, default="tuned"
        ``"argmax"`` learns nothing; ``"prior_ratio"`` learns the base rate of every class
        from the labels; ``"tuned"`` learns one additive offset per class by coordinate
        ascent on macro-F1 (the most frequent class is the reference, offset 0).
    max_offset : float, default=1.0
        Offsets are searched in ``[-max_offset, max_offset]``.
    step : float, default=0.01
        Grid step of the offset search.
    n_rounds : int, default=5
        Maximum passes over the classes (the search stops early when a pass gains nothing).

    Attributes
    ----------
    classes_ : tuple
        The classes, in probability-column order.
    priors_ : ndarray of shape (n_classes,)
        Base rate of each class in the labels given to ``fit``.
    offsets_ : ndarray of shape (n_classes,)
        The learned offsets (zeros unless ``method="tuned"``).
    validation_macro_f1_ : float
        Macro-F1 of the learned rule on the data given to ``fit`` (optimistic for "tuned").
    argmax_macro_f1_ : float
        Macro-F1 of the plain argmax on the same data.

    Examples
    --------
    >>> p = pd.DataFrame({"p_antagonist": [0.9, 0.8, 0.7, 0.6, 0.7, 0.8],
    ...                   "p_innocent": [0.1, 0.2, 0.4, 0.5, 0.45, 0.3]})
    >>> y = ["antagonist", "antagonist", "innocent", "innocent", "innocent", "antagonist"]
    >>> rule = ExclusiveDecision(method="tuned").fit(p, y)
    >>> rule.offsets_.round(2).tolist()
    [0.0, 0.4]
    >>> rule.predict(p).tolist() == y
    True
    >>> ExclusiveDecision(method="argmax").fit(p, y).predict(p).tolist().count("innocent")
    0
    """

    _parameter_constraints: dict[str, list] = {
        "method": [Options(_METHODS)],
        "max_offset": [Interval(float, 0.0, None)],
        "step": [Interval(float, 1e-6, None)],
        "n_rounds": [Interval(int, 1, 100)],
    }

    def __init__(self, *, method: Method = "tuned", max_offset: float = 1.0,
                 step: float = 0.01, n_rounds: int = 5) -> None:
        self.method = method
        self.max_offset = max_offset
        self.step = step
        self.n_rounds = n_rounds

    def fit(self, probabilities: pd.DataFrame | np.ndarray, y: Sequence[Any] | np.ndarray, *,
            classes: Sequence[Any] | None = None) -> ExclusiveDecision:
        """Learn the base rates and (``"tuned"``) the offsets from validation data.

        Parameters
        ----------
        probabilities : DataFrame or array of shape (n_rows, n_classes)
            Validation probabilities, as for :func:`exclusive_decision`.
        y : sequence of shape (n_rows,)
            The gold class of each row; every value must be one of the classes.
        classes : sequence, optional
            As for :func:`exclusive_decision`.

        Returns
        -------
        ExclusiveDecision
            The fitted rule.

        Raises
        ------
        InputError
            A parameter out of range, probabilities as for :func:`exclusive_decision`, labels
            of another length, or a label that is not one of the classes.
        """
        validate_params("ExclusiveDecision", self.get_params(), self._parameter_constraints)
        matrix, labels = _probability_matrix(probabilities, classes)
        gold = np.asarray(y, dtype=object)
        if gold.ndim != 1 or len(gold) != len(matrix):
            raise InputError(f"y must hold one label per probability row ({len(matrix)}); got "
                             f"shape {gold.shape}", field="y")
        index = {c: k for k, c in enumerate(labels)}
        unknown = [i for i, g in enumerate(gold) if g not in index]
        if unknown:
            raise InputError(f"label {gold[unknown[0]]!r} is not one of the classes "
                             f"{list(labels)!r}", row=unknown[0] + 1, field="y")
        if len(gold) == 0:
            raise InputError("no validation rows to learn the decision from", field="y")
        codes = np.array([index[g] for g in gold], dtype=np.int64)
        n_classes = len(labels)
        priors = np.bincount(codes, minlength=n_classes) / len(codes)
        offsets = np.zeros(n_classes)
        if self.method == "tuned":
            offsets = _tune_offsets(matrix, codes, n_classes, reference=int(priors.argmax()),
                                    grid=self._grid(), n_rounds=self.n_rounds)
        self.classes_ = labels
        self.priors_ = priors
        self.offsets_ = offsets
        self.argmax_macro_f1_ = _macro_f1(codes, matrix.argmax(axis=1), n_classes)
        self.validation_macro_f1_ = _macro_f1(codes, self._scores(matrix).argmax(axis=1),
                                              n_classes)
        return self

    def predict(self, probabilities: pd.DataFrame | np.ndarray) -> np.ndarray:
        """The chosen class of each row (the classes and column order of ``fit``).

        Raises
        ------
        NotFittedError
            Before ``fit``.
        InputError
            Probabilities as for :func:`exclusive_decision`.
        """
        if not hasattr(self, "offsets_"):
            raise NotFittedError("This ExclusiveDecision instance is not fitted yet. Call "
                                 "'fit' with appropriate arguments before using 'predict'.")
        classes = None if isinstance(probabilities, np.ndarray) else self.classes_
        matrix, _ = _probability_matrix(probabilities, classes)
        if matrix.shape[1] != len(self.classes_):
            raise InputError(f"expected {len(self.classes_)} probability columns (the classes "
                             f"of fit); got {matrix.shape[1]}")
        return np.asarray(self.classes_, dtype=object)[self._scores(matrix).argmax(axis=1)]

    def _scores(self, matrix: np.ndarray) -> np.ndarray:
        if self.method == "prior_ratio":
            # A class absent from the validation labels is never chosen by its ratio.
            with np.errstate(divide="ignore"):
                return np.where(self.priors_ > 0, matrix / np.where(self.priors_ > 0,
                                                                    self.priors_, 1.0), -np.inf)
        return matrix + self.offsets_

    def _grid(self) -> np.ndarray:
        n = int(np.floor(self.max_offset / self.step + 1e-9))
        return np.round(np.arange(-n, n + 1) * self.step, 10)


def _tune_offsets(matrix: np.ndarray, codes: np.ndarray, n_classes: int, *, reference: int,
                  grid: np.ndarray, n_rounds: int) -> np.ndarray:
    """Coordinate ascent on macro-F1 over per-class offsets; ``reference`` stays at 0."""
    offsets = np.zeros(n_classes)
    best = _macro_f1(codes, matrix.argmax(axis=1), n_classes)
    for _ in range(n_rounds):
        improved = False
        for k in range(n_classes):
            if k == reference:
                continue
            scores = np.empty(len(grid))
            for g, value in enumerate(grid):
                trial = offsets.copy()
                trial[k] = value
                scores[g] = _macro_f1(codes, (matrix + trial).argmax(axis=1), n_classes)
            top = scores.max()
            if top > best + 1e-12:
                offsets[k] = _plateau_middle(grid, np.isclose(scores, top, rtol=0, atol=1e-12))
                best = _macro_f1(codes, (matrix + offsets).argmax(axis=1), n_classes)
                improved = True
        if not improved:
            break
    return offsets


def _plateau_middle(grid: np.ndarray, is_top: np.ndarray) -> float:
    """The middle of the longest run of best grid values (ties: the run nearest 0).

    Macro-F1 is flat between the probabilities it can separate; the middle of the flat top
    sits furthest from both edges, so it moves least on new data.
    """
    runs, start = [], None
    for i, top in enumerate([*is_top, False]):
        if top and start is None:
            start = i
        elif not top and start is not None:
            runs.append((start, i - 1))
            start = None
    first, last = min(runs, key=lambda r: (-(r[1] - r[0]),
                                           min(abs(grid[r[0]]), abs(grid[r[1]]))))
    return float(grid[(first + last) // 2])


def _macro_f1(codes: np.ndarray, predicted: np.ndarray, n_classes: int) -> float:
    """Macro-F1 over all ``n_classes`` (a class never seen nor predicted scores 0)."""
    confusion = np.bincount(codes * n_classes + predicted,
                            minlength=n_classes * n_classes).reshape(n_classes, n_classes)
    tp = np.diag(confusion).astype(float)
    denominator = confusion.sum(axis=0) + confusion.sum(axis=1)
    f1 = np.divide(2 * tp, denominator, out=np.zeros(n_classes), where=denominator > 0)
    return float(f1.mean())


def _probability_matrix(probabilities: pd.DataFrame | np.ndarray,
                        classes: Sequence[Any] | None) -> tuple[np.ndarray, tuple]:
    """The (n_rows, n_classes) float matrix and the class labels, checked."""
    if isinstance(probabilities, pd.DataFrame):
        if classes is None:
            columns = [c for c in probabilities.columns
                       if isinstance(c, str) and c.startswith("p_")]
            if not columns:
                raise InputError("the probability table has no p_<class> columns")
            labels = tuple(c[2:] for c in columns)
        else:
            labels = tuple(classes)
            columns = [f"p_{c}" for c in labels]
            missing = [c for c in columns if c not in probabilities.columns]
            if missing:
                raise InputError("the probability table has no such column", field=missing[0])
        try:
            matrix = probabilities[columns].to_numpy(dtype=float)
        except (TypeError, ValueError) as exc:
            raise InputError(f"the columns {columns!r} must hold numbers") from exc
    else:
        matrix = np.asarray(probabilities, dtype=float)
        if matrix.ndim != 2:
            raise InputError(f"probabilities must be a 2-D array (rows x classes); got "
                             f"{matrix.ndim} dimension(s)")
        labels = tuple(range(matrix.shape[1])) if classes is None else tuple(classes)
        if len(labels) != matrix.shape[1]:
            raise InputError(f"{len(labels)} classes named for {matrix.shape[1]} probability "
                             "columns", field="classes")
        columns = [f"column {k}" for k in range(matrix.shape[1])]
    if len(labels) < 2:
        raise InputError(f"a single-label decision needs at least 2 classes; got {len(labels)}")
    bad = ~np.isfinite(matrix)
    if bad.any():
        row, col = (int(v) for v in np.argwhere(bad)[0])
        raise InputError(f"probability {float(matrix[row, col])} is not a finite number",
                         row=row + 1, field=str(columns[col]))
    return matrix, labels


def _per_class(values: Mapping[Any, float] | Sequence[float] | None, labels: tuple,
               name: str) -> np.ndarray:
    """``values`` (a mapping by class or a sequence in class order) as one float per class."""
    if values is None:
        method = "prior_ratio" if name == "priors" else "tuned"
        raise InputError(f"method={method!r} needs {name} (one per class)", field=name)
    if isinstance(values, Mapping):
        missing = [c for c in labels if c not in values]
        if missing:
            raise InputError(f"no value for class {missing[0]!r}", field=name)
        out = np.array([values[c] for c in labels], dtype=float)
    else:
        out = np.asarray(values, dtype=float)
        if out.shape != (len(labels),):
            raise InputError(f"expected one value per class ({len(labels)}); got shape "
                             f"{out.shape}", field=name)
    if not np.isfinite(out).all():
        raise InputError("values must be finite numbers", field=name)
    return out
