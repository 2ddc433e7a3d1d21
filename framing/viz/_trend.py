"""A smooth trend of time through per-period shares, with its 95% band.

Monthly cells of a prevalence table are few passages each, so their intervals are wide and a
line joining them zigzags. The trend drawn over them is a quasi-binomial GLM (logit link) of
the cell estimates on a natural cubic regression spline of time (patsy's ``cr``), each cell
weighted by the passages behind it. The dispersion is estimated from the Pearson residuals and
never taken below 1, so the band widens when the cells scatter more than binomial noise would
make them (as corrected estimates, which carry the classifier's error, do) and is never
narrower than a binomial model's. The band is the pointwise 95% interval of the fitted mean,
computed on the logit scale and mapped back, so it stays inside 0-100%.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

#: Spline degrees of freedom: enough for a rise and a fall over a year of months, few enough
#: that a dozen noisy cells do not make it wiggle. Fewer cells get fewer (down to a line).
_MAX_DF = 3
#: Below this many cells no trend is drawn: the points say all there is.
MIN_CELLS = 4
_Z = 1.959964

TREND_METHOD = ("quasi-binomial GLM on a natural cubic spline of time, cells weighted by "
                "their passages")


@dataclass(frozen=True)
class Trend:
    """A fitted trend on an even grid of time: ``x`` (matplotlib date numbers), ``fit``,
    ``low`` and ``high`` (the pointwise 95% band), all shares in [0, 1]."""

    x: np.ndarray
    fit: np.ndarray
    low: np.ndarray
    high: np.ndarray


def smooth_trend(x: np.ndarray, estimate: np.ndarray, weight: np.ndarray | None = None, *,
                 n_grid: int = 120) -> Trend | None:
    """The trend of ``estimate`` over ``x`` (see the module docstring), or None when there
    are fewer than :data:`MIN_CELLS` usable cells or the model cannot be fitted.

    Examples
    --------
    >>> x = np.arange(12.0) * 30
    >>> share = np.array([.2, .25, .22, .3, .35, .33, .4, .45, .42, .5, .48, .55])
    >>> trend = smooth_trend(x, share, np.full(12, 40))
    >>> bool(trend.fit[0] < trend.fit[-1]) and bool(np.all(trend.low <= trend.fit))
    True
    """
    # statsmodels and patsy take a second to import: only when a trend is drawn
    import patsy
    import statsmodels.api as sm
    from scipy.special import expit

    x = np.asarray(x, dtype=float)
    estimate = np.asarray(estimate, dtype=float)
    weight = np.ones_like(x) if weight is None else np.asarray(weight, dtype=float)
    usable = np.isfinite(x) & np.isfinite(estimate) & np.isfinite(weight) & (weight > 0)
    x, estimate, weight = x[usable], np.clip(estimate[usable], 0.0, 1.0), weight[usable]
    n_cells = len(np.unique(x))
    if n_cells < MIN_CELLS:
        return None
    if estimate.min() == estimate.max():  # all 0 or all 1: the logit has no finite fit
        flat = np.full(n_grid, estimate[0])
        return Trend(np.linspace(x.min(), x.max(), n_grid), flat, flat, flat)
    # centre and scale time so the spline basis is well conditioned
    centre, scale = x.mean(), (x.max() - x.min()) or 1.0
    t = (x - centre) / scale
    df = min(_MAX_DF, n_cells - 2)
    formula = f"cr(t, df={df})" if df >= 3 else "t"
    design = patsy.dmatrix(formula, {"t": t}, return_type="matrix")
    grid = np.linspace(x.min(), x.max(), n_grid)
    (grid_design,) = patsy.build_design_matrices([design.design_info],
                                                 {"t": (grid - centre) / scale})
    model = sm.GLM(estimate, np.asarray(design), family=sm.families.Binomial(),
                   var_weights=weight)
    try:
        with warnings.catch_warnings():
            # shares are not counts (statsmodels warns about non-integer successes), and a
            # cell at 0 or 1 may warn of a perfect prediction: the fit is still the MLE
            warnings.simplefilter("ignore")
            result = model.fit(scale="X2")
            if result.scale < 1.0:  # never claim less noise than binomial sampling
                result = model.fit(scale=1.0)
    except (np.linalg.LinAlgError, ValueError):
        return None
    exog = np.asarray(grid_design)
    eta = exog @ result.params
    se = np.sqrt(np.einsum("ij,jk,ik->i", exog, result.cov_params(), exog))
    if not np.all(np.isfinite(se)):
        return None
    return Trend(grid, expit(eta), expit(eta - _Z * se), expit(eta + _Z * se))
