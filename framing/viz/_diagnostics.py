"""Charts that judge the models: classifier scores, calibration, confusion, learning curve,
topic-number search and inter-coder agreement."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, PercentFormatter

from framing.corpus import InputError
from framing.viz._heatmap import draw_heatmap
from framing.viz._layout import (
    chars_per_line,
    fit_panel_titles,
    grow_to_fit_row_labels,
    label_outer_ticks,
    legend_below,
    set_title,
)
from framing.viz._tables import (
    grid_shape,
    hide_unused,
    in_order,
    new_figure,
    numeric,
    plain_value,
    require_table,
    require_unique,
    wrap,
)
from framing.viz._theme import (
    NEUTRAL,
    PALETTE,
    WIDTHS,
    Context,
    Width,
    sequential_cmap,
    series_style,
    series_styles,
    theme_for,
)

_METRIC_NAMES = {"precision": "Precision", "recall": "Recall", "f1": "F1"}


def _frame_tick(frame: Any, n: Any, unit: str, chars: int) -> str:
    label = wrap(frame, chars)
    if n is None or (isinstance(n, float) and np.isnan(n)):
        return label
    return f"{label}\n(n = {int(n):,} {unit})"


def plot_frame_scores(
    scores: pd.DataFrame,
    *,
    metrics: Sequence[str] = ("precision", "recall", "f1"),
    order: Sequence[Any] | None = None,
    title: str | bool | None = None,
    width: Width = "single",
    context: Context = "paper",
    height: float | None = None,
) -> Figure:
    """Precision, recall and F1 of each frame as dots, with the macro F1 as a reference line.

    Parameters
    ----------
    scores : DataFrame
        ``cross_validate_frames(...)["scores"]``: indexed by ``frame`` (or with a ``frame``
        column), with ``precision``, ``recall``, ``f1``; an ``n_positive`` column adds
        "(n = 120 positives)" under each frame. Other columns (``brier``) are ignored.
    metrics : sequence of str, default=("precision", "recall", "f1")
        The columns to draw, each a score in [0, 1].
    order : sequence, optional
        Frames top to bottom; by default as they appear.
    title : str, optional
        A title above the figure, for slides: True for "Frame classifier: cross-validated
        scores", or the text. None (the default) draws none: in a paper, the caption says what a
        figure shows.
    width, context, height
        Figure width ("single" 3.5 in, "double" 7.2 in), font scale and height in inches.

    Returns
    -------
    matplotlib Figure

    Raises
    ------
    InputError
        A column missing, a score that is not a number or not in [0, 1], or a frame repeated.

    Examples
    --------
    >>> scores = pd.DataFrame({"precision": [0.8, 0.6], "recall": [0.7, 0.5],
    ...     "f1": [0.75, 0.55], "n_positive": [120, 40]},
    ...     index=pd.Index(["peacemaker", "skeptic"], name="frame"))
    >>> fig = plot_frame_scores(scores)
    >>> fig.legends[0].get_texts()[-1].get_text()
    'Macro F1 = 0.65'
    """
    chart = "plot_frame_scores"
    metrics = list(metrics)
    table = require_table(scores, chart, ["frame", *metrics], index_column="frame")
    table = numeric(table, chart, metrics)
    _check_unit_interval(table, chart, metrics)
    require_unique(table, chart, ["frame"], "Pass one score table at a time.")
    frames = in_order(table["frame"], order, chart, "frame")
    table = table.set_index("frame").loc[frames]
    fig_height = height or max(1.7, 0.95 + len(frames) * (0.14 + 0.06 * len(metrics)))
    rc = theme_for(width, context, fig_height)
    with mpl.rc_context(rc):
        fig, body = new_figure(rc["figure.figsize"])
        ax = body.add_subplot()
        offsets = np.linspace(-0.22, 0.22, len(metrics)) if len(metrics) > 1 else [0.0]
        handles: list[Any] = []
        for j, metric in enumerate(metrics):
            style = series_style(j)
            y = np.arange(len(frames)) + offsets[j]
            ax.plot(table[metric], y, linestyle="none", marker=style["marker"],
                    color=style["color"], markersize=4.5, markeredgecolor="white",
                    markeredgewidth=0.4, zorder=3)
            handles.append(Line2D([], [], linestyle="none", marker=style["marker"],
                                  color=style["color"], markersize=4.5,
                                  label=_METRIC_NAMES.get(metric, metric)))
        if "f1" in table.columns:
            macro = float(table["f1"].mean())
            ax.axvline(macro, color=NEUTRAL, linestyle="--", linewidth=0.8, zorder=1)
            handles.append(Line2D([], [], color=NEUTRAL, linestyle="--", linewidth=0.8,
                                  label=f"Macro F1 = {macro:.2f}"))
        counts = table["n_positive"] if "n_positive" in table.columns else [None] * len(frames)
        chars = chars_per_line(WIDTHS[width] * 0.3, rc["ytick.labelsize"])
        ax.set_yticks(range(len(frames)),
                      [_frame_tick(f, n, "positives", chars) for f, n in zip(frames, counts,
                                                                             strict=True)])
        ax.set_ylim(len(frames) - 0.5, -0.5)
        ax.tick_params(axis="y", length=0)
        # zoomed to the scores (dots need no zero), in steps of 0.1, up to the best score, 1
        lowest = float(np.nanmin(table[metrics].to_numpy(dtype=float)))
        ax.set_xlim(max(0.0, np.floor((lowest - 0.05) * 10) / 10), 1.0)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
        ax.grid(axis="x")
        ax.set_xlabel("Score on out-of-fold predictions")
        legend_below(fig, handles, n_columns=min(len(handles), 4 if width == "double" else 2))
        set_title(fig, title, "Frame classifier: cross-validated scores")
        if height is None:
            grow_to_fit_row_labels(fig, [ax])
    return fig


def _check_unit_interval(table: pd.DataFrame, chart: str, columns: Sequence[str]) -> None:
    for column in columns:
        outside = (table[column] < 0) | (table[column] > 1)
        if outside.any():
            position = int(np.flatnonzero(outside.to_numpy())[0])
            value = plain_value(table[column].iloc[position])
            raise InputError(f"{value!r} is not in [0, 1] ({chart} takes shares, not "
                             f"percentages)",
                             row=position + 1, field=column)


def _wilson(observed: np.ndarray, n: np.ndarray, z: float = 1.959964) -> tuple[np.ndarray, ...]:
    """Wilson score interval of a share from ``n`` trials (fine for small bins and 0 or 1)."""
    n = np.maximum(n, 1e-12)
    centre = (observed + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(observed * (1 - observed) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    # The bounds hold the observed share exactly: rounding puts the upper bound of a share of 1
    # a hair below 1 (1 - 1.1e-16 for n = 4), and matplotlib refuses a negative error bar.
    low = np.minimum(np.clip(centre - half, 0, 1), observed)
    high = np.maximum(np.clip(centre + half, 0, 1), observed)
    return low, high


def plot_reliability(
    reliability: pd.DataFrame,
    *,
    order: Sequence[Any] | None = None,
    n_columns: int | None = None,
    title: str | bool | None = None,
    width: Width = "double",
    context: Context = "paper",
    height: float | None = None,
) -> Figure:
    """Reliability diagram per frame: observed share of positives against mean predicted
    probability in each bin, with Wilson 95% intervals from the bin sizes.

    Parameters
    ----------
    reliability : DataFrame
        One row per frame and bin: ``frame``, ``mean_predicted``, ``observed`` (shares in
        [0, 1]) and ``n`` (passages in the bin); ``bin`` is optional (rows are drawn in order
        of ``mean_predicted``). Bins with ``n`` = 0 are skipped.
    order : sequence, optional
        Frames (panels) in order; by default as they appear.
    n_columns : int, optional
        Panels per row; by default 3 on a double-width figure and 2 on a single one.
    title : str, optional
        A title above the figure, for slides: True for "Calibration of frame probabilities", or
        the text. None (the default) draws none: in a paper, the caption says what a figure
        shows.
    width, context, height
        Figure width ("single" 3.5 in, "double" 7.2 in), font scale and height in inches.

    Returns
    -------
    matplotlib Figure

    Raises
    ------
    InputError
        A column missing, or a value that is not a number or not in [0, 1].

    Examples
    --------
    >>> table = pd.DataFrame({"frame": ["skeptic"] * 3, "bin": [0, 1, 2],
    ...     "mean_predicted": [0.1, 0.5, 0.9], "observed": [0.15, 0.45, 0.8], "n": [50, 20, 30]})
    >>> fig = plot_reliability(table)
    >>> fig.axes[0].get_title(loc="left"), fig.subfigs[0].get_supxlabel()
    ('skeptic', 'Mean predicted probability in the bin')
    """
    chart = "plot_reliability"
    table = require_table(reliability, chart, ["frame", "mean_predicted", "observed", "n"])
    table = numeric(table, chart, ["mean_predicted", "observed", "n"])
    table = table[table["n"] > 0]
    _check_unit_interval(table, chart, ["mean_predicted", "observed"])
    frames = in_order(table["frame"], order, chart, "frame")
    n_columns = n_columns or (3 if width == "double" else 2)
    n_rows, n_columns = grid_shape(len(frames), n_columns)
    panel_width = WIDTHS[width] / n_columns
    fig_height = height or (0.85 + n_rows * min(2.3, panel_width * 0.95))
    rc = theme_for(width, context, fig_height)
    styles = series_styles(frames)
    with mpl.rc_context(rc):
        fig, body = new_figure(rc["figure.figsize"])
        titles: list[tuple[Any, Any, Any]] = []
        axes = body.subplots(n_rows, n_columns, sharex=True, sharey=True, squeeze=False)
        title_chars = chars_per_line(panel_width, rc["axes.titlesize"], bold=True)
        for index, frame in enumerate(frames):
            ax = axes.flat[index]
            rows = table[table["frame"] == frame].sort_values("mean_predicted")
            low, high = _wilson(rows["observed"].to_numpy(), rows["n"].to_numpy())
            ax.plot([0, 1], [0, 1], color=NEUTRAL, linestyle="--", linewidth=0.8, marker="",
                    zorder=1)
            style = styles[frame]
            ax.errorbar(rows["mean_predicted"], rows["observed"],
                        yerr=[np.clip(rows["observed"] - low, 0, None),
                              np.clip(high - rows["observed"], 0, None)],
                        color=style["color"], marker=style["marker"], markersize=3.5,
                        linestyle="-", linewidth=1.0, elinewidth=0.8,
                        markeredgecolor="white", markeredgewidth=0.3, zorder=3)
            titles.append((ax, ax.set_title(wrap(f"{frame}", title_chars)), frame))
            ax.set_xlim(0, 1)
            ax.set_ylim(0, 1)
            ax.set_aspect("equal", adjustable="box")
            ax.xaxis.set_major_locator(MaxNLocator(nbins=3))
            ax.yaxis.set_major_locator(MaxNLocator(nbins=3))
        hide_unused(axes, len(frames))
        label_outer_ticks(axes, len(frames), n_columns)
        body.supxlabel("Mean predicted probability in the bin", fontsize=rc["axes.labelsize"])
        body.supylabel("Observed share of positives", fontsize=rc["axes.labelsize"])
        handles = [Line2D([], [], color=NEUTRAL, linestyle="--", linewidth=0.8,
                          label="Perfect calibration"),
                   Line2D([], [], color="#333333", marker="o", markersize=3.5, linewidth=1.0,
                          label="Observed (95% Wilson interval)")]
        legend_below(fig, handles, n_columns=2)
        set_title(fig, title, "Calibration of frame probabilities")
        fit_panel_titles(fig, titles)
    return fig


def _outcome_name(value: Any) -> str:
    if isinstance(value, bool | np.bool_):
        return "present" if value else "absent"
    if isinstance(value, int | np.integer | float | np.floating) and value in (0, 1):
        return "present" if value == 1 else "absent"
    return str(value)


def plot_confusion(
    confusion: pd.DataFrame,
    *,
    order: Sequence[Any] | None = None,
    n_columns: int | None = None,
    title: str | bool | None = None,
    width: Width = "double",
    context: Context = "paper",
    height: float | None = None,
) -> Figure:
    """Confusion matrix per frame: counts and the share of each coded (true) row.

    Parameters
    ----------
    confusion : DataFrame
        Tidy counts: ``frame``, ``true``, ``predicted``, ``n``. ``true`` and ``predicted`` may
        be 0/1 or booleans (shown as "absent"/"present") or any labels (shown as they are); a
        combination missing from the table counts 0.
    order : sequence, optional
        Frames (panels) in order; by default as they appear.
    n_columns : int, optional
        Panels per row; by default 3 on a double-width figure and 2 on a single one.
    title : str, optional
        A title above the figure, for slides: True for "Frame classifier: confusion matrices",
        or the text. None (the default) draws none: in a paper, the caption says what a figure
        shows.
    width, context, height
        Figure width ("single" 3.5 in, "double" 7.2 in), font scale and height in inches.

    Returns
    -------
    matplotlib Figure

    Raises
    ------
    InputError
        A column missing, a count that is not a number, or a cell repeated.

    Examples
    --------
    >>> table = pd.DataFrame({"frame": ["skeptic"] * 4, "true": [0, 0, 1, 1],
    ...                       "predicted": [0, 1, 0, 1], "n": [80, 10, 5, 25]})
    >>> fig = plot_confusion(table)
    >>> [t.get_text() for t in fig.axes[0].texts]
    ['80\\n(89%)', '10\\n(11%)', '5\\n(17%)', '25\\n(83%)']
    """
    chart = "plot_confusion"
    table = require_table(confusion, chart, ["frame", "true", "predicted", "n"])
    table = numeric(table, chart, ["n"])
    require_unique(table, chart, ["frame", "true", "predicted"], "Sum the counts first.")
    frames = in_order(table["frame"], order, chart, "frame")
    n_columns = n_columns or (3 if width == "double" else 2)
    n_rows, n_columns = grid_shape(len(frames), n_columns)
    panel_width = WIDTHS[width] / n_columns
    fig_height = height or (1.0 + n_rows * min(1.8, panel_width * 0.6))
    rc = theme_for(width, context, fig_height)
    cmap = sequential_cmap()
    with mpl.rc_context(rc):
        fig, body = new_figure(rc["figure.figsize"])
        titles: list[tuple[Any, Any, Any]] = []
        axes = body.subplots(n_rows, n_columns, squeeze=False)
        title_chars = chars_per_line(panel_width, rc["axes.titlesize"], bold=True)
        mesh = None
        for index, frame in enumerate(frames):
            ax = axes.flat[index]
            rows = table[table["frame"] == frame]
            labels = sorted(set(rows["true"]) | set(rows["predicted"]), key=_sort_key)
            counts = rows.pivot(index="true", columns="predicted", values="n").reindex(
                index=labels, columns=labels).fillna(0.0).to_numpy()
            totals = counts.sum(axis=1, keepdims=True)
            shares = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
            text = np.array([[f"{int(c):,}\n({s:.0%})" for c, s in zip(cr, sr, strict=True)]
                             for cr, sr in zip(counts, shares, strict=True)], dtype=object)
            names = [_outcome_name(v) for v in labels]
            mesh = draw_heatmap(ax, shares, cmap=cmap, vmin=0.0, vmax=1.0, row_labels=names,
                                column_labels=names, annotations=text,
                                font_size=rc["xtick.labelsize"], rotate_columns=False)
            titles.append((ax, ax.set_title(wrap(frame, title_chars)), frame))
            ax.set_xlabel("Predicted")
            ax.set_ylabel("Coded")
        hide_unused(axes, len(frames))
        if mesh is not None:
            bar = body.colorbar(mesh, ax=axes.ravel().tolist(), shrink=0.8, aspect=25, pad=0.02)
            bar.set_label("Share of the coded row")
            bar.outline.set_visible(False)
            bar.ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        set_title(fig, title, "Frame classifier: confusion matrices")
        fit_panel_titles(fig, titles)
    return fig


def _sort_key(value: Any) -> tuple[int, Any]:
    # 0/False before 1/True; other labels by their text
    if isinstance(value, bool | np.bool_ | int | np.integer | float | np.floating):
        return (0, float(value))
    return (1, str(value))


def plot_learning_curve(
    curve: pd.DataFrame,
    *,
    metric: str = "f1",
    order: Sequence[Any] | None = None,
    log_x: bool | None = None,
    title: str | bool | None = None,
    ylabel: str | None = None,
    width: Width = "single",
    context: Context = "paper",
    height: float | None = None,
) -> Figure:
    """Learning curve: the score against the number of training passages, per frame.

    Parameters
    ----------
    curve : DataFrame
        ``n_train``, ``frame`` (a frame name, or ``"macro"`` for the mean over frames) and
        either one row per repeat with a ``f1`` column (the mean is drawn with a +/-1 SD band
        and the repeats as faint dots), or one row per point with ``f1_mean`` and optional
        ``f1_std`` (the band). ``metric`` replaces ``f1`` in these names.
    metric : str, default="f1"
        The score's column name (or prefix of ``_mean`` / ``_std``).
    order : sequence, optional
        Lines in legend order; by default as they appear ("macro" is drawn last, thick, gray).
    log_x : bool, optional
        A log x axis; by default when the largest training size is 8 or more times the smallest.
    title : str or bool, optional
        A title above the figure, for slides: True for "Frame classifier: learning curve", or
        the text. None (the default) draws none: in a paper, the caption says what a figure
        shows.
    ylabel : str, optional
        Replace the default y label ("F1 (cross-validated)"); "" for none.
    width, context, height
        Figure width ("single" 3.5 in, "double" 7.2 in), font scale and height in inches.

    Returns
    -------
    matplotlib Figure

    Raises
    ------
    InputError
        A column missing, a value that is not a number, or summarised rows repeated.

    Examples
    --------
    >>> table = pd.DataFrame({"n_train": [50, 50, 200, 200], "frame": ["macro"] * 4,
    ...                       "f1": [0.50, 0.54, 0.70, 0.72]})
    >>> fig = plot_learning_curve(table)
    >>> fig.axes[0].get_xlabel(), fig.axes[0].get_ylabel()
    ('Training passages', 'F1 (cross-validated)')
    """
    chart = "plot_learning_curve"
    table = require_table(curve, chart, ["n_train", "frame"])
    mean_column = f"{metric}_mean"
    if mean_column in table.columns:
        spread = f"{metric}_std" if f"{metric}_std" in table.columns else None
        table = numeric(table, chart, ["n_train", mean_column] + ([spread] if spread else []))
        require_unique(table, chart, ["frame", "n_train"],
                       f"One row per point when the table has {mean_column!r}.")
        summary = table.rename(columns={mean_column: "mean"})
        summary["sd"] = summary[spread] if spread else np.nan
        repeats = None
    elif metric in table.columns:
        table = numeric(table, chart, ["n_train", metric])
        grouped = table.groupby(["frame", "n_train"], sort=False)[metric]
        summary = grouped.agg(mean="mean", sd="std").reset_index()
        summary["sd"] = summary["sd"].fillna(0.0)
        repeats = table
    else:
        raise InputError(f"{chart} needs a column {metric!r} (one row per repeat) or "
                         f"{mean_column!r} (one row per point); the table has "
                         f"{', '.join(map(str, table.columns))}", field=metric)
    lines = in_order(summary["frame"], order, chart, "frame")
    if "macro" in lines and order is None:
        lines = [v for v in lines if v != "macro"] + ["macro"]
    styles = series_styles([v for v in lines if v != "macro"])
    styles["macro"] = {"color": "#4d4d4d", "marker": "o", "linestyle": "-"}
    sizes = summary["n_train"]
    log_x = bool(sizes.max() >= 8 * max(sizes.min(), 1)) if log_x is None else log_x
    rc = theme_for(width, context, height or 2.5)
    with mpl.rc_context(rc):
        fig, body = new_figure(rc["figure.figsize"])
        ax = body.add_subplot()
        handles: list[Any] = []
        for name in lines:
            part = summary[summary["frame"] == name].sort_values("n_train")
            style = styles[name]
            thick = name == "macro"
            if part["sd"].notna().any():
                ax.fill_between(part["n_train"], part["mean"] - part["sd"].fillna(0),
                                part["mean"] + part["sd"].fillna(0), color=style["color"],
                                alpha=0.14, linewidth=0)
            if repeats is not None:
                dots = repeats[repeats["frame"] == name]
                ax.plot(dots["n_train"], dots[metric], linestyle="none", marker=".",
                        markersize=2.5, color=style["color"], alpha=0.45)
            ax.plot(part["n_train"], part["mean"], color=style["color"],
                    marker=style["marker"], linestyle=style["linestyle"],
                    linewidth=2.0 if thick else 1.1, markersize=3.5, markeredgecolor="white",
                    markeredgewidth=0.3, zorder=3)
            line = Line2D([], [], color=style["color"], marker=style["marker"],
                          linestyle=style["linestyle"], linewidth=2.0 if thick else 1.1,
                          markersize=3.5, label="macro average" if thick else str(name))
            band = Patch(facecolor=style["color"], alpha=0.14, linewidth=0,
                         label="\u00b11 SD over repeats")
            # the legend shows each line over its band, as the plot does
            handles.append((band, line) if part["sd"].notna().any() else line)
        if summary["sd"].notna().any():
            last = styles[lines[-1]]["color"]
            handles.append(Patch(facecolor=last, alpha=0.14, linewidth=0,
                                 label="\u00b11 SD over repeats"))
        if log_x:
            ax.set_xscale("log")
            ticks = np.unique(sizes.to_numpy())
            if len(ticks) <= 6:
                ax.set_xticks(ticks, [f"{int(t):,}" for t in ticks])
                ax.xaxis.set_minor_locator(mpl.ticker.NullLocator())
        ax.set_ylim(0, 1)
        ax.grid(axis="y")
        ax.set_xlabel("Training passages")
        ax.set_ylabel(f"{_METRIC_NAMES.get(metric, metric)} (cross-validated)"
                      if ylabel is None else ylabel)
        legend_below(fig, handles, n_columns=min(len(handles), 4 if width == "double" else 2))
        set_title(fig, title, "Frame classifier: learning curve")
    return fig


_K_METRICS = {
    "heldout_likelihood": "Held-out log-likelihood per token",
    "perplexity": "Held-out perplexity (lower is better)",
    "coherence_npmi": "Coherence (NPMI)",
    "coherence_cv": "Coherence (C_v)",
    "coherence_umass": "Coherence (UMass)",
    "exclusivity": "Exclusivity",
    "topic_diversity": "Topic diversity",
    "semantic_coherence": "Semantic coherence",
}


def _metric_title(metric: str) -> str:
    return _K_METRICS.get(metric, metric.replace("_", " ").capitalize())


def plot_k_search(
    search: pd.DataFrame,
    *,
    metrics: Sequence[str] | None = None,
    selected_k: int | None = None,
    n_columns: int | None = None,
    title: str | bool | None = None,
    width: Width = "double",
    context: Context = "paper",
    height: float | None = None,
) -> Figure:
    """Choosing the number of topics: each metric against K, mean and spread over seeds.

    Parameters
    ----------
    search : DataFrame
        One row per K and seed: ``k``, optional ``seed`` (or any repeat key), and metric
        columns. By default every known metric present is drawn: ``heldout_likelihood``,
        ``perplexity``, ``coherence_npmi``, ``coherence_cv``, ``coherence_umass``,
        ``exclusivity``, ``topic_diversity``, ``semantic_coherence``.
    metrics : sequence of str, optional
        The metric columns to draw (any numeric column), one panel each.
    selected_k : int, optional
        Mark the chosen K with a vertical line.
    n_columns : int, optional
        Panels per row; by default up to 4 on a double-width figure and 2 on a single one.
    title : str, optional
        A title above the figure, for slides: True for "Choosing the number of topics", or the
        text. None (the default) draws none: in a paper, the caption says what a figure shows.
    width, context, height
        Figure width ("single" 3.5 in, "double" 7.2 in), font scale and height in inches.

    Returns
    -------
    matplotlib Figure
        The line is the mean over seeds, the band +/-1 SD, dots the single seeds.

    Raises
    ------
    InputError
        No ``k`` column, no metric column, or a value that is not a number.

    Examples
    --------
    >>> table = pd.DataFrame({"k": [5, 5, 10, 10], "seed": [0, 1, 0, 1],
    ...                       "coherence_npmi": [0.05, 0.06, 0.08, 0.07]})
    >>> fig = plot_k_search(table, selected_k=10)
    >>> fig.axes[0].get_title(loc="left")
    'Coherence (NPMI)'
    """
    chart = "plot_k_search"
    table = require_table(search, chart, ["k"])
    if metrics is None:
        metrics = [m for m in _K_METRICS if m in table.columns]
        if not metrics:
            raise InputError(f"{chart} needs at least one metric column: "
                             f"{', '.join(_K_METRICS)} (or name them with metrics=); the table "
                             f"has {', '.join(map(str, table.columns))}",
                             field="heldout_likelihood")
    else:
        metrics = list(metrics)
        require_table(table, chart, ["k", *metrics])
    table = numeric(table, chart, ["k", *metrics], allow_missing=True)
    n_columns = n_columns or (min(4, len(metrics)) if width == "double" else 2)
    n_rows, n_columns = grid_shape(len(metrics), n_columns)
    panel_width = WIDTHS[width] / n_columns
    fig_height = height or (0.95 + n_rows * min(1.9, max(1.45, panel_width * 0.8)))
    rc = theme_for(width, context, fig_height)
    with mpl.rc_context(rc):
        fig, body = new_figure(rc["figure.figsize"])
        titles: list[tuple[Any, Any, Any]] = []
        axes = body.subplots(n_rows, n_columns, sharex=True, squeeze=False)
        title_chars = chars_per_line(panel_width, rc["axes.titlesize"], bold=True)
        summary = table.groupby("k")[metrics].agg(["mean", "std"])
        ks = summary.index.to_numpy(dtype=float)
        several_seeds = bool(table.groupby("k").size().max() > 1)
        for index, metric in enumerate(metrics):
            ax = axes.flat[index]
            mean = summary[(metric, "mean")].to_numpy()
            sd = summary[(metric, "std")].fillna(0.0).to_numpy()
            if several_seeds:
                ax.fill_between(ks, mean - sd, mean + sd, color=PALETTE[0], alpha=0.16,
                                linewidth=0)
                ax.plot(table["k"], table[metric], linestyle="none", marker=".",
                        markersize=2.5, color=PALETTE[0], alpha=0.5)
            ax.plot(ks, mean, color=PALETTE[0], marker="o", markersize=3.2, linewidth=1.1,
                    markeredgecolor="white", markeredgewidth=0.3)
            if selected_k is not None:
                ax.axvline(selected_k, color=NEUTRAL, linestyle="--", linewidth=0.8)
            titles.append((ax, ax.set_title(wrap(_metric_title(metric), title_chars)),
                           _metric_title(metric)))
            ax.yaxis.set_major_locator(MaxNLocator(nbins=4))
            ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
            ax.grid(axis="y")
        hide_unused(axes, len(metrics))
        label_outer_ticks(axes, len(metrics), n_columns)
        body.supxlabel("Number of topics (K)", fontsize=rc["axes.labelsize"])
        handles: list[Any] = [Line2D([], [], color=PALETTE[0], marker="o", markersize=3.2,
                                     linewidth=1.1,
                                     label="Mean over seeds" if several_seeds else "Score")]
        if several_seeds:
            handles.append(Patch(facecolor=PALETTE[0], alpha=0.16, linewidth=0,
                                 label="\u00b11 SD over seeds"))
        if selected_k is not None:
            handles.append(Line2D([], [], color=NEUTRAL, linestyle="--", linewidth=0.8,
                                  label=f"Chosen K = {selected_k}"))
        legend_below(fig, handles, n_columns=len(handles) if width == "double" else 2)
        set_title(fig, title, "Choosing the number of topics")
        fit_panel_titles(fig, titles)
    return fig


def plot_agreement(
    agreement: pd.DataFrame,
    *,
    thresholds: Sequence[float] = (0.667, 0.8),
    order: Sequence[Any] | None = None,
    title: str | bool | None = None,
    width: Width = "single",
    context: Context = "paper",
    height: float | None = None,
) -> Figure:
    """Inter-coder agreement per frame: Krippendorff's alpha with its 95% interval.

    Parameters
    ----------
    agreement : DataFrame
        One row per frame: ``frame``, ``alpha``, ``ci_low``, ``ci_high``; an ``n_units``
        column adds "(n = 80 units)" under each frame.
    thresholds : sequence of float, default=(0.667, 0.8)
        Reference lines: Krippendorff's lowest acceptable alpha for tentative conclusions and
        the level for reliable ones.
    order : sequence, optional
        Frames top to bottom; by default as they appear.
    title : str, optional
        A title above the figure, for slides: True for "Inter-coder agreement by frame", or the
        text. None (the default) draws none: in a paper, the caption says what a figure shows.
    width, context, height
        Figure width ("single" 3.5 in, "double" 7.2 in), font scale and height in inches.

    Returns
    -------
    matplotlib Figure

    Raises
    ------
    InputError
        A column missing, a value that is not a number, or a frame repeated.

    Examples
    --------
    >>> table = pd.DataFrame({"frame": ["peacemaker", "skeptic"], "alpha": [0.82, 0.61],
    ...     "ci_low": [0.74, 0.48], "ci_high": [0.89, 0.72], "n_units": [120, 120]})
    >>> fig = plot_agreement(table)
    >>> fig.axes[0].get_xlabel()
    "Krippendorff's \u03b1 (95% interval)"
    """
    chart = "plot_agreement"
    table = require_table(agreement, chart, ["frame", "alpha", "ci_low", "ci_high"],
                          index_column="frame")
    table = numeric(table, chart, ["alpha", "ci_low", "ci_high"], allow_missing=True)
    require_unique(table, chart, ["frame"], "Pass one agreement table at a time.")
    frames = in_order(table["frame"], order, chart, "frame")
    table = table.set_index("frame").loc[frames]
    fig_height = height or max(1.7, 1.05 + len(frames) * 0.3)
    rc = theme_for(width, context, fig_height)
    with mpl.rc_context(rc):
        fig, body = new_figure(rc["figure.figsize"])
        ax = body.add_subplot()
        y = np.arange(len(frames))
        low = (table["alpha"] - table["ci_low"]).clip(lower=0).fillna(0)
        high = (table["ci_high"] - table["alpha"]).clip(lower=0).fillna(0)
        ax.errorbar(table["alpha"], y, xerr=[low.to_numpy(), high.to_numpy()], fmt="o",
                    color=PALETTE[0], markersize=4.5, markeredgecolor="white",
                    markeredgewidth=0.4, elinewidth=1.0, zorder=3)
        handles: list[Any] = [Line2D([], [], color=PALETTE[0], marker="o", markersize=4.5,
                                     label="\u03b1 (95% interval)")]
        styles = ["dotted", "dashed", "dashdot"]
        for i, level in enumerate(sorted(thresholds)):
            ax.axvline(level, color=NEUTRAL, linestyle=styles[i % 3], linewidth=0.8, zorder=1)
            meaning = ("reliable" if level >= 0.8 else "tentative" if level >= 0.667 else
                       "reference")
            handles.append(Line2D([], [], color=NEUTRAL, linestyle=styles[i % 3],
                                  linewidth=0.8, label=f"\u03b1 = {level:g} ({meaning})"))
        counts = table["n_units"] if "n_units" in table.columns else [None] * len(frames)
        chars = chars_per_line(WIDTHS[width] * 0.3, rc["ytick.labelsize"])
        ax.set_yticks(y, [_frame_tick(f, n, "units", chars)
                          for f, n in zip(frames, counts, strict=True)])
        ax.set_ylim(len(frames) - 0.5, -0.5)
        ax.tick_params(axis="y", length=0)
        lowest = float(np.nanmin([table["ci_low"].min(), table["alpha"].min(), 0.0]))
        ax.set_xlim(min(0.0, lowest - 0.05), 1.0)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
        ax.grid(axis="x")
        ax.set_xlabel("Krippendorff's \u03b1 (95% interval)")
        legend_below(fig, handles, n_columns=min(len(handles), 3 if width == "double" else 2))
        set_title(fig, title, "Inter-coder agreement by frame")
        if height is None:
            grow_to_fit_row_labels(fig, [ax])
    return fig
