"""Aggregation of single-label classifier output into class shares: CC, PCC, ACC, PACC, EM.

The multiclass counterparts of :mod:`framing.measure._quantify`: every passage belongs to
exactly one class (a frame, or the none category), so a group's prevalence is a vector of
shares on the simplex. Each function takes arrays whose leading axis is the bootstrap draw.

- CC: share of passages decided into each class; PCC: mean probability vector.
- ACC / PACC (QuaPy ``ACC`` / ``PACC`` with ``method="inversion"``, ``solver="minimize"``):
  the shares ``q`` on the simplex that minimise ``||M q - c||``, where ``c`` is the CC (PCC)
  vector and ``M[i, j]`` the rate at which a passage of true class ``j`` is decided into
  (the mean probability of) class ``i``, measured on labelled out-of-sample predictions.
  Minimised by accelerated projected gradient (FISTA) from the projected exact solution.
- EM (Saerens, Latinne and Decaestecker 2002; QuaPy ``EMQ``): the prior that maximises the
  likelihood of the group's posteriors re-weighted from the training prior to it, by EM
  iterations (each raises the likelihood) until no share moves by ``1e-6`` or more in a step,
  at most 1,000 steps (QuaPy stops at a mean move below ``1e-4``, also at 1,000).
"""

from __future__ import annotations

import numpy as np

_FLOOR = 1e-12
_LS_STEPS = 5_000
_EM_STEPS = 1_000
_TOLERANCE = 1e-10
_EM_TOLERANCE = 1e-6
_CHUNK_CELLS = 4_000_000


def class_rates(weights: np.ndarray, labels: np.ndarray, outputs: np.ndarray) -> np.ndarray:
    """``M[d, i, j]``: the weighted mean of output ``i`` over passages of true class ``j``.

    Parameters
    ----------
    weights : array of shape (n_draws, n)
        How often each labelled passage is in each draw.
    labels : array of shape (n, n_classes), one-hot
        The true class of each labelled passage.
    outputs : array of shape (n, n_classes)
        One-hot decisions (ACC) or probabilities (PACC) of the same passages.

    Returns
    -------
    array of shape (n_draws, n_classes, n_classes)
        Columns sum to one; NaN in the column of a class absent from a draw.

    Examples
    --------
    >>> y = np.array([[1, 0], [1, 0], [0, 1]]); d = np.array([[1, 0], [0, 1], [0, 1]])
    >>> class_rates(np.ones((1, 3)), y, d)[0]
    array([[0.5, 0. ],
           [0.5, 1. ]])
    """
    totals = weights @ labels  # (n_draws, n_classes)
    sums = np.einsum("dn,ni,nj->dij", weights, outputs, labels)
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / totals[:, None, :]


def project_simplex(values: np.ndarray) -> np.ndarray:
    """The Euclidean projection of each row onto the probability simplex.

    Examples
    --------
    >>> project_simplex(np.array([[0.5, 0.8, -0.1], [0.2, 0.3, 0.5]])).round(3)
    array([[0.35, 0.65, 0.  ],
           [0.2 , 0.3 , 0.5 ]])
    """
    ordered = -np.sort(-values, axis=1)
    cumulative = np.cumsum(ordered, axis=1) - 1.0
    steps = np.arange(1, values.shape[1] + 1)
    positive = ordered - cumulative / steps > 0
    count = positive.sum(axis=1)
    shift = cumulative[np.arange(len(values)), count - 1] / count
    return np.maximum(values - shift[:, None], 0.0)


def adjust_shares(unadjusted: np.ndarray, rates: np.ndarray) -> np.ndarray:
    """The shares on the simplex that best explain ``unadjusted`` through ``rates`` (ACC/PACC).

    Parameters
    ----------
    unadjusted : array of shape (n_draws, n_classes)
        CC or PCC shares of the group, per draw.
    rates : array of shape (n_draws, n_classes, n_classes)
        :func:`class_rates` of the matching outputs.

    Returns
    -------
    array of shape (n_draws, n_classes)
        ``argmin ||M q - c||`` over the simplex. A draw whose rates are undefined (a class
        absent from its validation passages) keeps the unadjusted shares.

    Examples
    --------
    >>> rates = np.array([[[0.8, 0.3], [0.2, 0.7]]])
    >>> adjust_shares(np.array([[0.55, 0.45]]), rates).round(6)  # exact solution inside
    array([[0.5, 0.5]])
    >>> adjust_shares(np.array([[0.9, 0.1]]), rates).round(6)  # beyond the simplex: clipped
    array([[1., 0.]])
    """
    n_draws, n_classes = unadjusted.shape
    usable = np.isfinite(rates).all(axis=(1, 2)) & np.isfinite(unadjusted).all(axis=1)
    out = unadjusted.copy()
    if not usable.any():
        return out
    M, c = rates[usable], unadjusted[usable]
    # Start from the exact solution (least squares where M is singular), projected.
    start = np.stack([np.linalg.lstsq(m, v, rcond=None)[0] for m, v in zip(M, c, strict=True)])
    q = project_simplex(np.where(np.isfinite(start), start, 1.0 / n_classes))
    gram = np.einsum("dki,dkj->dij", M, M)
    target = np.einsum("dki,dk->di", M, c)
    lipschitz = np.maximum(np.linalg.eigvalsh(gram)[:, -1], _FLOOR)[:, None]
    previous, momentum, t = q, q, 1.0
    for _ in range(_LS_STEPS):
        gradient = np.einsum("dij,dj->di", gram, momentum) - target
        q = project_simplex(momentum - gradient / lipschitz)
        t_next = (1 + np.sqrt(1 + 4 * t * t)) / 2
        momentum = q + (t - 1) / t_next * (q - previous)
        if np.abs(q - previous).max() < _TOLERANCE:
            break
        previous, t = q, t_next
    out[usable] = q
    return out


def em_shares(probabilities: np.ndarray, weights: np.ndarray,
              train_prior: np.ndarray) -> np.ndarray:
    """The SLD/EM estimate of a group's class shares, for every draw at once.

    Parameters
    ----------
    probabilities : array of shape (n, n_classes)
        Calibrated posteriors of the group's passages (under ``train_prior``), rows summing
        to one.
    weights : array of shape (n_draws, n)
        Passage weights per draw; a row summing to zero gives NaN.
    train_prior : array of shape (n_draws, n_classes)
        The prior the posteriors were calibrated under, per draw.

    Returns
    -------
    array of shape (n_draws, n_classes)
        EM's fixed point: ``q = mean_i normalise(p_i * q / q_train)`` (weighted).

    Examples
    --------
    >>> p = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.2, 0.8], [0.1, 0.9]])
    >>> em_shares(p, np.ones((1, 5)), np.array([[0.5, 0.5]])).round(3)
    array([[0.409, 0.591]])
    """
    prior = np.clip(train_prior, _FLOOR, None)
    total = weights.sum(axis=1)
    bad = (total <= 0) | ~np.isfinite(train_prior).all(axis=1)
    q = np.where(bad[:, None], np.nan, prior / prior.sum(axis=1, keepdims=True))
    share = weights / np.where(total > 0, total, 1.0)[:, None]
    # Draws in chunks, so that a chunk's (draws, passages, classes) array stays near 32 MB.
    size = max(1, _CHUNK_CELLS // max(probabilities.size, 1))
    usable = np.flatnonzero(~bad)
    for start in range(0, usable.size, size):
        active = usable[start:start + size]
        for _ in range(_EM_STEPS):
            ratio = q[active] / prior[active]  # (n_active, n_classes)
            scaled = probabilities[None, :, :] * ratio[:, None, :]
            scaled /= np.maximum(scaled.sum(axis=2, keepdims=True), _FLOOR)
            new = np.einsum("dn,dnk->dk", share[active], scaled)
            moved = np.abs(new - q[active]).max(axis=1)
            q[active] = new
            active = active[moved >= _EM_TOLERANCE]
            if not active.size:
                break
    return q
