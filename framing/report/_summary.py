"""The sentences of a report's opening summary, written from the stages' tables.

Each ``describe_*`` function turns one table into Markdown a reader can quote (numbers with
their 95% intervals, what was measured on what); :func:`summarize` joins them under a heading.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from framing.corpus import InputError
from framing.report._display import ReportText, format_interval, notes_markdown

_CORRECTED = {"acc", "pacc", "em", "posterior", "combined", "validation"}


def _require(table: Any, function: str, columns: Sequence[str]) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise InputError(f"{function} needs a pandas DataFrame; got {type(table).__name__}")
    if table.index.name is not None and table.index.name not in table.columns:
        table = table.reset_index()
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise InputError(f"{function} needs a column {missing[0]!r}; the table has "
                         f"{', '.join(map(str, table.columns))}", field=missing[0])
    return table


def describe_prevalence(prevalence: pd.DataFrame, *, group: str = "outlet",
                        measure: str = "frame", decimals: int = 2) -> str:
    """One line per frame: the groups where it is least and most prevalent, with intervals.

    Parameters
    ----------
    prevalence : DataFrame
        ``estimate_prevalence(..., by=group)``: ``group``, ``measure``, ``estimate``,
        ``ci_low``, ``ci_high`` (one row per group and frame).
    group, measure : str
        The columns naming the groups (outlets) and the frames.
    decimals : int, default=2
        Digits after the point.

    Returns
    -------
    str
        A Markdown list.

    Examples
    --------
    >>> table = pd.DataFrame({"outlet": ["A", "B"], "frame": ["skeptic"] * 2,
    ...     "estimate": [0.62, 0.18], "ci_low": [0.55, 0.12], "ci_high": [0.69, 0.25]})
    >>> print(describe_prevalence(table))
    - **skeptic**: from 0.18 [0.12, 0.25] in B to 0.62 [0.55, 0.69] in A (intervals apart).
    """
    table = _require(prevalence, "describe_prevalence",
                     [group, measure, "estimate", "ci_low", "ci_high"])
    lines = []
    for frame, rows in table.dropna(subset=["estimate"]).groupby(measure, sort=False):
        rows = rows.sort_values("estimate", kind="stable")
        low, high = rows.iloc[0], rows.iloc[-1]
        first = format_interval(low["estimate"], low["ci_low"], low["ci_high"],
                                decimals=decimals)
        if len(rows) == 1:
            lines.append(f"- **{frame}**: {first} in {low[group]}.")
            continue
        last = format_interval(high["estimate"], high["ci_low"], high["ci_high"],
                               decimals=decimals)
        apart = ("intervals apart" if low["ci_high"] < high["ci_low"]
                 else "the intervals overlap")
        lines.append(f"- **{frame}**: from {first} in {low[group]} to {last} in "
                     f"{high[group]} ({apart}).")
    return "\n".join(lines)


def describe_changes(changes: pd.DataFrame, *, n: int = 3, group: str = "outlet",
                     measure: str = "frame", decimals: int = 2) -> str:
    """The largest changes at the events whose 95% interval excludes zero.

    Parameters
    ----------
    changes : DataFrame
        ``prevalence_differences`` rows (after minus before), with an ``event`` column when
        there are several events: ``group``, ``measure``, ``difference``, ``ci_low``,
        ``ci_high``.
    n : int, default=3
        How many changes to name.
    group, measure : str
        The columns naming the groups (outlets) and the frames.
    decimals : int, default=2
        Digits after the point.

    Returns
    -------
    str
        Markdown: how many of the comparisons have an interval that excludes zero (and how
        many would by chance), then the ``n`` largest of those.

    Examples
    --------
    >>> table = pd.DataFrame({"event": ["Summit"] * 2, "outlet": ["A", "B"],
    ...     "frame": ["skeptic"] * 2, "difference": [0.21, -0.02],
    ...     "ci_low": [0.08, -0.15], "ci_high": [0.34, 0.11]})
    >>> print(describe_changes(table))
    1 of 2 changes (outlet × frame × event) have a 95% interval that excludes zero
    (about 0.1 would by chance):
    <BLANKLINE>
    - **A**, skeptic, at Summit: +0.21 [+0.08, +0.34].
    """
    table = _require(changes, "describe_changes",
                     [group, measure, "difference", "ci_low", "ci_high"])
    table = table.dropna(subset=["difference"])
    if table.empty:
        return "No change could be estimated (no passages on one side of the events)."
    clear = table[(table["ci_low"] > 0) | (table["ci_high"] < 0)]
    by_event = "event" in table.columns
    what = f"{group} × {measure}" + (" × event" if by_event else "")
    head = (f"{len(clear)} of {len(table)} changes ({what}) have a 95% interval that excludes "
            f"zero (about {0.05 * len(table):.1f} would by chance)")
    if clear.empty:
        largest = table.loc[table["difference"].abs().idxmax()]
        value = format_interval(largest["difference"], largest["ci_low"], largest["ci_high"],
                                decimals=decimals, signed=True)
        return (f"{head}. The largest estimated change, {largest[measure]} in "
                f"{largest[group]}, is {value}.")
    order = clear["difference"].abs().sort_values(ascending=False, kind="stable").index
    lines = []
    for _, row in clear.loc[order[:n]].iterrows():
        at = f", at {row['event']}" if by_event else ""
        value = format_interval(row["difference"], row["ci_low"], row["ci_high"],
                                decimals=decimals, signed=True)
        lines.append(f"- **{row[group]}**, {row[measure]}{at}: {value}.")
    return f"{head}:\n\n" + "\n".join(lines)


def describe_classifier(scores: pd.DataFrame, *, n_passages: int, n_documents: int | None = None,
                        n_folds: int = 5, method: str | None = None,
                        decimals: int = 2) -> str:
    """How good the frame classifier is, on what it was measured, and what that means.

    Parameters
    ----------
    scores : DataFrame
        Per frame (a ``frame`` column or index): ``precision``, ``recall``, ``f1``, from
        cross-validation grouped by article.
    n_passages : int
        Annotated passages the scores were measured on.
    n_documents : int, optional
        The articles they come from.
    n_folds : int, default=5
        Cross-validation folds.
    method : str, optional
        The prevalence estimator the report uses (``posterior``, ``cc``, ``pcc``, ``acc``,
        ``pacc``, ``em``):
        says whether the estimates correct for the classifier's errors.
    decimals : int, default=2
        Digits after the point.

    Returns
    -------
    str
        Markdown.

    Examples
    --------
    >>> scores = pd.DataFrame({"frame": ["peacemaker", "skeptic"], "precision": [0.8, 0.7],
    ...     "recall": [0.9, 0.6], "f1": [0.85, 0.65]})
    >>> print(describe_classifier(scores, n_passages=400, method="pacc"))  # doctest: +ELLIPSIS
    Macro-F1 **0.75**, measured by 5-fold cross-validation grouped by article on the 400
    annotated passages: ...
    """
    if isinstance(scores, pd.DataFrame) and "frame" not in scores.columns \
            and scores.index.name is None and not isinstance(scores.index, pd.RangeIndex):
        scores = scores.rename_axis("frame")  # cross_validate_frames: indexed by frame
    table = _require(scores, "describe_classifier", ["frame", "precision", "recall", "f1"])
    macro = float(table["f1"].mean())
    articles = f" from {n_documents:,} articles" if n_documents else ""
    lines = [f"Macro-F1 **{macro:.{decimals}f}**, measured by {n_folds}-fold cross-validation "
             f"grouped by article on the {n_passages:,} annotated passages{articles}: each "
             "passage is scored by a model that never saw its article. The score belongs to "
             "these passages; on other passages (another sample, another corpus) it differs."]
    parts = [f"{row.frame} {row.f1:.{decimals}f} (precision {row.precision:.{decimals}f}, "
             f"recall {row.recall:.{decimals}f})" for row in table.itertuples()]
    lines.append("F1 by frame: " + "; ".join(parts) + ".")
    worst = table.loc[table["f1"].idxmin()]
    lines.append(f"What it means: of the passages the classifier marks as {worst['frame']}, "
                 f"{worst['precision']:.0%} were coded so, and it finds "
                 f"{worst['recall']:.0%} of those coded so; single passages are often "
                 "misclassified, so read frame labels of single passages with care.")
    if method is not None:
        if method in _CORRECTED:
            lines.append(f"The prevalence estimates ({method}) correct for these error rates, "
                         "and their intervals include the uncertainty of the rates (the "
                         "bootstrap also resamples the annotated passages).")
        else:
            lines.append(f"The prevalence estimates ({method}) do not correct for these error "
                         "rates: where an outlet's frames differ from the annotated passages', "
                         "they are biased toward the classifier's errors.")
    return " ".join(lines)


def summarize(sections: Mapping[str, str | None], *, notes: Sequence[str] | None = None,
              title: str = "Summary") -> ReportText:
    """The opening summary: a heading, then each section's text under a bold lead.

    Sections given as None or "" are left out. A report run moves the cell that shows it
    (tagged ``summary``) to the top of the HTML, under the title.

    Examples
    --------
    >>> print(summarize({"Classifier": "Macro-F1 0.80.", "Changes": None}).markdown)
    ## Summary
    <BLANKLINE>
    **Classifier.** Macro-F1 0.80.
    """
    parts = [f"## {title}"]
    for lead, text in sections.items():
        if not text:
            continue
        text = text.strip()
        if text.startswith("- "):
            parts.append(f"**{lead}.**\n\n{text}")
        else:
            parts.append(f"**{lead}.** {text}")
    if notes:
        parts.append(notes_markdown(list(notes)))
    return ReportText("\n\n".join(parts))
