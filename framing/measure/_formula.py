"""Formulas of :func:`framing.measure.estimate_effects`: patsy's language plus stm's ``s()``.

stm writes a smooth of time as ``s(day)``: a B-spline (R's ``splines::bs``) with
``min(10, distinct values - 1)`` degrees of freedom unless ``df`` is given. patsy's ``bs`` is
built to match R's, so ``s`` here is patsy's ``bs`` with stm's default, and a formula copied
from an stm script (``rating + s(day)``) gives the same design as stm builds.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
import patsy
from patsy.splines import BS

from framing.corpus import InputError

_TOPIC = re.compile(r"topic_\d+$")


class _StmSmooth(BS):
    """stm's ``s(x, df)``: patsy's ``bs`` whose ``df`` defaults to min(10, distinct - 1)."""

    def memorize_finish(self) -> None:
        args = self._tmp["args"]
        if args["df"] is None and args["knots"] is None:
            distinct = len(np.unique(np.concatenate(self._tmp["xs"])))
            args["df"] = min(10, distinct - 1)
            if args["df"] < args["degree"]:
                raise patsy.PatsyError(
                    f"s() needs at least {args['degree'] + 1} distinct values for a cubic "
                    f"spline, the column has {distinct}")
        super().memorize_finish()


#: ``s`` as patsy sees it: a stateful transform, like ``bs`` and ``cr``.
stm_smooth = patsy.stateful_transform(_StmSmooth)


def formula_design(formula: str, data: pd.DataFrame) -> Any:
    """patsy's design matrix of the right-hand side ``formula`` over ``data``.

    ``s(x)`` is stm's smooth (see the module docstring); missing values, bad syntax and names
    that are not columns raise InputError with field "formula", the last listing the columns
    (but the ``topic_<k>`` outcomes).

    Examples
    --------
    >>> data = pd.DataFrame({"day": np.arange(1, 101), "rating": ["L", "C"] * 50})
    >>> design = formula_design("rating + s(day)", data)
    >>> design.design_info.column_names[:3], design.shape
    (['Intercept', 'rating[T.L]', 's(day)[0]'], (100, 12))
    """
    environment = patsy.EvalEnvironment.capture(0).with_outer_namespace({"s": stm_smooth})
    try:
        return patsy.dmatrix(formula, data, eval_env=environment, return_type="matrix",
                             NA_action="raise")
    except patsy.PatsyError as exc:
        cause = exc.__cause__
        if isinstance(cause, NameError) and getattr(cause, "name", None):
            columns = [str(c) for c in data.columns if not _TOPIC.match(str(c))]
            raise InputError(f"the formula {formula!r} names {cause.name!r}, which is not a "
                             f"column; the columns are: {', '.join(columns)}",
                             field="formula") from exc
        raise InputError(f"the formula {formula!r} cannot be built on the table: "
                         f"{str(exc).splitlines()[0]}", field="formula") from exc
    except (NameError, KeyError, ValueError, TypeError) as exc:
        raise InputError(f"the formula {formula!r} cannot be built on the table: {exc}",
                         field="formula") from exc
