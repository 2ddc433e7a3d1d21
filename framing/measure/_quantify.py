"""Aggregation of one frame's classifier output into a prevalence: CC, PCC, ACC, PACC and EM.

Each frame is a binary quantity (a passage carries it or not), so every method is the binary
case of its QuaPy namesake (``quapy.method.aggregative``), vectorised over bootstrap draws:
every function takes arrays whose leading axis is the draw, so one call aggregates all draws.

- CC: share of passages decided positive.
- PCC: mean probability.
- ACC: ``(cc - fpr) / (tpr - fpr)``, the true- and false-positive rates measured on labelled
  out-of-sample predictions (QuaPy ``ACC`` with ``solver="exact-cc"``, ``norm="clip"``).
- PACC: the same with probabilities: ``(pcc - pfpr) / (ptpr - pfpr)``, ``ptpr`` the mean
  probability among true positives and ``pfpr`` among true negatives.
- EM (Saerens, Latinne and Decaestecker 2002; QuaPy ``EMQ``): the prior ``q`` that maximises
  the likelihood of the target's posteriors after re-weighting them from the training prior
  ``q_train`` to ``q``. EM's fixed point is that maximiser; the likelihood is concave in ``q``,
  so we find it by bisection on its derivative (exact to 1e-10, and vectorised), rather than
  by iterating EM steps until they stall.

Corrected estimates are clipped to [0, 1]; when ``tpr - fpr`` is below ``MIN_SEPARATION`` the
classifier cannot tell the classes apart and the adjustment is undefined, so ACC and PACC
return the unadjusted value (QuaPy's ``exact-cc``).
"""

from __future__ import annotations

import numpy as np

MIN_SEPARATION = 1e-3
_PROBABILITY_FLOOR = 1e-6
_BISECTION_STEPS = 36


def error_rates(weights: np.ndarray, labels: np.ndarray, decisions: np.ndarray,
                probabilities: np.ndarray) -> dict[str, np.ndarray]:
    """True- and false-positive rates (hard and soft) and the label prior, per draw.

    Parameters
    ----------
    weights : array of shape (n_draws, n)
        How often each labelled passage is in each draw (ones for the data as it is).
    labels, decisions : arrays of shape (n,) or (n, n_frames), 0/1
        True labels and the classifier's decisions on out-of-sample passages.
    probabilities : array like ``labels``
        The classifier's probabilities there.

    Returns
    -------
    dict
        ``tpr``, ``fpr``, ``ptpr``, ``pfpr``, ``prior``: arrays of shape (n_draws, ...); NaN
        where a draw has no positive (or no negative) passage.

    Examples
    --------
    >>> y = np.array([1, 1, 0, 0]); d = np.array([1, 0, 0, 1]); p = np.array([.9, .4, .2, .6])
    >>> {k: v.round(2).tolist() for k, v in error_rates(np.ones((1, 4)), y, d, p).items()}
    {'tpr': [0.5], 'fpr': [0.5], 'ptpr': [0.65], 'pfpr': [0.4], 'prior': [0.5]}
    """
    y = labels.astype(float)
    positives = weights @ y
    negatives = weights @ (1.0 - y)
    with np.errstate(invalid="ignore", divide="ignore"):
        return {
            "tpr": (weights @ (y * decisions)) / positives,
            "fpr": (weights @ ((1.0 - y) * decisions)) / negatives,
            "ptpr": (weights @ (y * probabilities)) / positives,
            "pfpr": (weights @ ((1.0 - y) * probabilities)) / negatives,
            "prior": positives / (positives + negatives),
        }


def adjust(unadjusted: np.ndarray, tpr: np.ndarray, fpr: np.ndarray) -> np.ndarray:
    """The adjusted count ``(q - fpr) / (tpr - fpr)`` clipped to [0, 1] (ACC and PACC).

    Where ``tpr - fpr < MIN_SEPARATION`` (or is NaN) the unadjusted value is returned.

    Examples
    --------
    >>> adjust(np.array([0.3, 0.9, 0.3]), np.array([0.8, 0.8, 0.5]), np.array([0.1, 0.1, 0.5]))
    array([0.28571429, 1.        , 0.3       ])
    """
    separation = tpr - fpr
    usable = np.isfinite(separation) & (separation >= MIN_SEPARATION)
    with np.errstate(invalid="ignore", divide="ignore"):
        adjusted = np.where(usable, (unadjusted - fpr) / np.where(usable, separation, 1.0),
                            unadjusted)
    return np.clip(adjusted, 0.0, 1.0)


def em_prior(probabilities: np.ndarray, weights: np.ndarray,
             train_prior: np.ndarray) -> np.ndarray:
    """The SLD/EM estimate of the target prior of one frame, for every draw at once.

    Parameters
    ----------
    probabilities : array of shape (n,)
        Calibrated probabilities of the target passages (posteriors under ``train_prior``).
    weights : array of shape (n_draws, n)
        Passage weights per draw; rows summing to zero give NaN.
    train_prior : array of shape (n_draws,)
        The prior the probabilities were calibrated under, per draw.

    Returns
    -------
    array of shape (n_draws,)
        The maximiser in [0, 1] of ``sum_i w_i log(q a_i + (1 - q) c_i)`` with
        ``a_i = p_i / q_train`` and ``c_i = (1 - p_i) / (1 - q_train)``: EM's fixed point.

    Examples
    --------
    >>> p = np.array([0.9, 0.8, 0.3, 0.2, 0.1])
    >>> em_prior(p, np.ones((1, 5)), np.array([0.5])).round(3)
    array([0.409])
    """
    p = np.clip(probabilities, _PROBABILITY_FLOOR, 1 - _PROBABILITY_FLOOR)[None, :]
    prior = np.clip(train_prior, _PROBABILITY_FLOOR, 1 - _PROBABILITY_FLOOR)[:, None]
    a = p / prior
    c = (1 - p) / (1 - prior)
    slope = a - c

    def derivative(q: np.ndarray) -> np.ndarray:
        return (weights * slope / (q[:, None] * slope + c)).sum(axis=1)

    n_draws = weights.shape[0]
    low, high = np.zeros(n_draws), np.ones(n_draws)
    at_low, at_high = derivative(low), derivative(high)
    for _ in range(_BISECTION_STEPS):
        middle = (low + high) / 2
        rising = derivative(middle) > 0
        low = np.where(rising, middle, low)
        high = np.where(rising, high, middle)
    estimate = (low + high) / 2
    # The likelihood is concave: falling at 0 means the maximum is at 0, rising at 1 at 1.
    estimate = np.where(at_low <= 0, 0.0, np.where(at_high >= 0, 1.0, estimate))
    total = weights.sum(axis=1)
    return np.where((total > 0) & np.isfinite(train_prior), estimate, np.nan)
