"""The ``posterior`` method: a group's share of passages with a frame, from the classifier's
scores on the group and the coded passages it holds.

The model is the one behind EM/SLD, PACC and QuaPy's ``PQ``: the classifier's score has one
distribution among passages with the frame (``f1``) and another among passages without it
(``f0``), the same in every group (prior shift); a group is a mixture ``q f1 + (1 - q) f0``.
The scores are the logits of ``p_<frame>``, cut into a few bins, so ``f1`` and ``f0`` are two
histograms measured on the labelled out-of-sample predictions ("validation"): nothing is
assumed about their shape, and a classifier whose probabilities are off (over-confident,
calibrated at another prevalence) does no harm, only its ranking counts.

What is estimated is the share of the group's passages that carry the frame,
``S = (coded positives + positives among the uncoded passages) / n_passages``: what coding
every passage of the group would find. Given ``q`` and the histograms, an uncoded passage in
bin ``k`` is positive with probability ``r_k(q) = q f1_k / (q f1_k + (1 - q) f0_k)``, and
coded passages are known. The likelihood of ``q`` is
``sum_k m_k log(q f1_k + (1 - q) f0_k) + n1 log q + n0 log(1 - q)`` (``m_k`` uncoded passages
in bin ``k``; ``n1``, ``n0`` coded positives and negatives of the group; the coded part is the
same whether they were drawn at random or chosen by the classifier's score), so the coded
sample and the classifier's counts are combined by the likelihood itself.

- Point estimate: ``q`` at its maximum likelihood (EM's fixed point, found by bisection: the
  log-likelihood is concave), then ``S = (n1 + sum_k m_k r_k(q)) / n_passages``.
- Interval: each bootstrap draw re-measures the histograms on resampled validation passages
  (articles whole), draws ``q`` from its posterior on a grid (uniform prior) and then the
  positives among the uncoded passages (binomial per bin); the interval is the percentile
  interval of those ``S``. It is an interval for the group's share, not for the rate of the
  process that wrote the group (which the article bootstrap of the other methods targets, and
  which no estimator can pin down to better than the binomial spread of ~65 passages).

Measured in ``benchmarks/prevalence_coverage.py --design groups`` (benchmarks/README.md):
for groups of 65 passages and 300 labelled passages at 6-16% positives, coverage of the share
0.94-0.98 at AUC 0.85-0.95 and prevalence 0.05-0.4, and intervals 0.12-0.37 wide with no coded
passage in the group (within 0.05 of what any estimator could do), 0.09-0.25 with 13 coded.

Limits: it assumes, as every corrected method does, that a frame's passages score alike in
every group (a group whose positives are written differently biases it); the coded passages of
a group must be drawn at random or by the classifier's score, not picked by hand; and passages
of one article count as independent given their scores (coverage 0.94-0.98 at 1.3 passages
per article, 0.93-0.955 at 3: with many passages per article the interval gets too narrow).

References: Saerens, Latinne and Decaestecker (2002) for the likelihood; Keith and O'Connor
(2018), "Uncertainty-aware generative models for inferring document class prevalence"
(EMNLP), for the implied likelihood with a grid posterior; QuaPy's ``PQ`` (Bayesian
distribution matching on binned scores) for the histograms, here without Stan.
"""

from __future__ import annotations

import numpy as np

#: Bins of the score histograms: a quarter of the rarer class's labelled passages, in [2, 8].
MIN_BINS, MAX_BINS, PASSAGES_PER_BIN = 2, 8, 4
_PSEUDO_COUNT = 0.1      # added to every bin of both histograms, so none is empty
_GRID = 200              # points of the posterior grid of q in (0, 1)
_BISECTION_STEPS = 40
_LOGIT_FLOOR = 1e-6


def score_bins(probabilities: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Inner edges (on the logit scale) of the score bins, from the labelled passages.

    The edges are quantiles of the even mixture of the two classes' score distributions, so
    the rare class has as many bins as the common one; there are
    ``clip(min(n_positive, n_negative) // 4, 2, 8)`` bins.

    Examples
    --------
    >>> p = np.array([.1, .2, .3, .4, .6, .7, .8, .9] * 2); y = np.array([0] * 8 + [1] * 8)
    >>> score_bins(np.r_[p[:8] / 2, p[8:]], y).round(2)
    array([-0.85])
    """
    logits = _logit(probabilities)
    positive, negative = np.sort(logits[labels == 1]), np.sort(logits[labels == 0])
    n_bins = int(np.clip(min(positive.size, negative.size) // PASSAGES_PER_BIN,
                         MIN_BINS, MAX_BINS))
    if positive.size == 0 or negative.size == 0:
        return np.quantile(logits, np.arange(1, n_bins) / n_bins) if logits.size else \
            np.zeros(0)
    values = np.unique(logits)
    mixture = (np.searchsorted(positive, values, side="right") / positive.size
               + np.searchsorted(negative, values, side="right") / negative.size) / 2
    edges = np.interp(np.arange(1, n_bins) / n_bins, mixture, values)
    return np.unique(edges)


def bin_of(probabilities: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """The bin (0 .. len(edges)) of each probability."""
    return np.searchsorted(edges, _logit(probabilities), side="right")


def class_histograms(weights: np.ndarray, labels: np.ndarray, bins: np.ndarray,
                     n_bins: int) -> tuple[np.ndarray, np.ndarray]:
    """Score histograms of positive and negative labelled passages, per bootstrap draw.

    Parameters
    ----------
    weights : array of shape (n_draws, n)
        How often each labelled passage is in each draw.
    labels, bins : arrays of shape (n,)
        True 0/1 labels and score bins of the labelled passages.
    n_bins : int
        Number of bins.

    Returns
    -------
    f1, f0 : arrays of shape (n_draws, n_bins)
        Bin probabilities among positives and negatives, each bin given ``0.1`` extra
        passage so no bin is empty.
    """
    onehot = np.zeros((bins.size, n_bins))
    onehot[np.arange(bins.size), bins] = 1.0
    y = labels.astype(float)[:, None]
    counts = weights @ (onehot * y), weights @ (onehot * (1.0 - y))
    return tuple(  # type: ignore[return-value]
        (c + _PSEUDO_COUNT) / (c.sum(axis=1, keepdims=True) + n_bins * _PSEUDO_COUNT)
        for c in counts)


def fit_histograms(probabilities: np.ndarray, labels: np.ndarray,
                   weights: np.ndarray) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Bin edges and class histograms (per draw) of every frame, from the labelled passages.

    ``probabilities`` and ``labels`` have shape (n, n_frames), ``weights`` (n_draws, n).
    Returns, per frame, ``(edges, f1, f0)`` (see :func:`score_bins`, :func:`class_histograms`).
    """
    out = []
    for f in range(labels.shape[1]):
        edges = score_bins(probabilities[:, f], labels[:, f])
        f1, f0 = class_histograms(weights, labels[:, f], bin_of(probabilities[:, f], edges),
                                  edges.size + 1)
        out.append((edges, f1, f0))
    return out


def share_draws(f1: np.ndarray, f0: np.ndarray, counts: np.ndarray, n_positive: int,
                n_negative: int, rng: np.random.Generator) -> np.ndarray:
    """The group's share: the point estimate (row 0) and posterior-predictive draws.

    Parameters
    ----------
    f1, f0 : arrays of shape (n_draws, n_bins)
        Class histograms (row 0 from all labelled passages, then one per bootstrap draw).
    counts : array of shape (n_bins,)
        Uncoded passages of the group in each bin.
    n_positive, n_negative : int
        Coded passages of the group with and without the frame.
    rng : numpy Generator
        Source of the posterior and binomial draws.

    Returns
    -------
    array of shape (n_draws,)
        Row 0: the share at the maximum-likelihood ``q``; rows 1..: draws of the share.

    Examples
    --------
    >>> f1 = np.array([[.1, .2, .7]]); f0 = np.array([[.7, .2, .1]])
    >>> share_draws(f1, f0, np.array([10, 5, 5]), 0, 0, np.random.default_rng(0)).round(3)
    array([0.278])
    """
    n_uncoded = counts.sum()
    n_passages = n_uncoded + n_positive + n_negative
    if n_passages == 0:
        return np.full(f1.shape[0], np.nan)
    q = _maximum_likelihood(f1[0], f0[0], counts, n_positive, n_negative)
    out = np.empty(f1.shape[0])
    out[0] = (n_positive + counts @ _positive_share(q, f1[0], f0[0])) / n_passages
    if f1.shape[0] == 1:
        return out
    grid = (np.arange(_GRID) + 0.5) / _GRID
    mixture = grid[None, :, None] * f1[1:, None, :] + (1 - grid[None, :, None]) * f0[1:, None, :]
    log_likelihood = (np.log(mixture) @ counts + n_positive * np.log(grid)
                      + n_negative * np.log1p(-grid))
    posterior = np.exp(log_likelihood - log_likelihood.max(axis=1, keepdims=True))
    cumulative = np.cumsum(posterior, axis=1)
    u = rng.random(f1.shape[0] - 1) * cumulative[:, -1]
    drawn = grid[np.minimum((cumulative < u[:, None]).sum(axis=1), _GRID - 1)]
    share = _positive_share(drawn[:, None], f1[1:], f0[1:])
    positives = rng.binomial(np.broadcast_to(counts.astype(np.int64), share.shape), share)
    out[1:] = (n_positive + positives.sum(axis=1)) / n_passages
    return out


def _positive_share(q: float | np.ndarray, f1: np.ndarray, f0: np.ndarray) -> np.ndarray:
    """Probability that an uncoded passage of each bin has the frame, at prevalence ``q``."""
    return q * f1 / (q * f1 + (1 - q) * f0)


def _maximum_likelihood(f1: np.ndarray, f0: np.ndarray, counts: np.ndarray, n_positive: int,
                        n_negative: int) -> float:
    """The ``q`` in [0, 1] maximising the (concave) log-likelihood, by bisection."""
    def slope(q: float) -> float:
        with np.errstate(divide="ignore", invalid="ignore"):
            coded = np.float64(n_positive) / q - np.float64(n_negative) / (1 - q)
        return float(counts @ ((f1 - f0) / (q * f1 + (1 - q) * f0)) + np.nan_to_num(coded))

    low, high = 0.0, 1.0
    if slope(low) <= 0:
        return 0.0
    if slope(high) >= 0:
        return 1.0
    for _ in range(_BISECTION_STEPS):
        middle = (low + high) / 2
        low, high = (middle, high) if slope(middle) > 0 else (low, middle)
    return (low + high) / 2


def _logit(probabilities: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(probabilities, dtype=float), _LOGIT_FLOOR, 1 - _LOGIT_FLOOR)
    return np.log(p) - np.log1p(-p)
