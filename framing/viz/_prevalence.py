"""Charts of the prevalence table: frames (or topics) by outlet, and over time."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from framing.corpus import InputError, Options, validate_params
from framing.viz._layout import (
    Events,
    chars_per_line,
    fit_panel_titles,
    grow_to_fit_row_labels,
    legend_below,
    parse_events,
    set_title,
    share_axis,
)
from framing.viz._tables import (
    MEASURE_COLUMNS,
    TIME_COLUMNS,
    in_order,
    new_figure,
    numeric,
    parse_periods,
    pick_column,
    require_table,
    require_unique,
    wrap,
)
from framing.viz._theme import WIDTHS, Context, Width, series_styles, theme_for
from framing.viz._timegrid import frame_grid, time_grid

_INTERVAL = ["estimate", "ci_low", "ci_high"]
#: The grid layout of prevalence over time has a column per outlet: beyond this they get too
#: narrow to read.
_MAX_GRID_COLUMNS = 8


def _measure_words(measure: str) -> tuple[str, str]:
    """(title word, axis label) for what the table measures."""
    if measure == "topic":
        return "Topic", "Topic share"
    if measure == "frame":
        return "Frame", "Share of passages with the frame"
    return measure.replace("_", " ").capitalize(), "Prevalence"


def plot_prevalence_by_outlet(
    prevalence: pd.DataFrame,
    *,
    group: str = "outlet",
    measure: str | None = None,
    order: Sequence[Any] | None = None,
    measure_order: Sequence[Any] | None = None,
    layout: Literal["dodge", "facet"] = "dodge",
    title: str | bool | None = None,
    xlabel: str | None = None,
    width: Width = "single",
    context: Context = "paper",
    height: float | None = None,
) -> Figure:
    """Prevalence per outlet: a point and its 95% interval for each frame.

    Outlets run down the y axis (long names stay readable and never collide); frames are
    dodged within an outlet, each with its own colour and marker, or put in panels side by side
    with ``layout="facet"``.

    Parameters
    ----------
    prevalence : DataFrame
        One row per outlet and frame: ``outlet`` (see ``group``), ``frame`` (or ``topic`` /
        ``measure``), ``estimate``, ``ci_low``, ``ci_high`` as shares in [0, 1]. Other columns
        (``n_passages``, ``method``, ...) are ignored. A missing estimate leaves a gap.
    group : str, default="outlet"
        The column down the y axis.
    measure : str, optional
        The column naming the frames; by default the first of ``frame``, ``topic``, ``measure``.
    order, measure_order : sequence, optional
        Outlets (top to bottom) and frames (legend order); by default as they first appear.
    layout : {"dodge", "facet"}, default="dodge"
        Frames side by side in one panel, or one panel per frame.
    title : str or bool, optional
        A title above the figure, for slides: True for "Frame prevalence by outlet", or the
        text. None (the default) draws none: in a paper, the caption says what a figure shows.
    xlabel : str, optional
        Replace the default x label; "" for none.
    width : {"single", "double"}, default="single"
        Figure width: one column (3.5 in) or two (7.2 in).
    context : {"paper", "notebook", "talk"}, default="paper"
        Font scale.
    height : float, optional
        Figure height in inches; by default it grows with the number of outlets.

    Returns
    -------
    matplotlib Figure

    Raises
    ------
    InputError
        A column missing, a value that is not a number, or several rows for one outlet and
        frame (filter one period first).

    Examples
    --------
    >>> table = pd.DataFrame({"outlet": ["A", "A", "B", "B"],
    ...     "frame": ["peacemaker", "skeptic"] * 2, "estimate": [0.4, 0.3, 0.5, 0.2],
    ...     "ci_low": [0.3, 0.2, 0.4, 0.1], "ci_high": [0.5, 0.4, 0.6, 0.3]})
    >>> fig = plot_prevalence_by_outlet(table)
    >>> fig.subfigs[0].get_supxlabel()
    'Share of passages with the frame (95% interval)'
    """
    chart = "plot_prevalence_by_outlet"
    validate_params(chart, {"layout": layout}, {"layout": [Options({"dodge", "facet"})]})
    table = require_table(prevalence, chart, [group, *_INTERVAL])
    measure = pick_column(table, chart, measure, MEASURE_COLUMNS, "measure")
    table = numeric(table, chart, _INTERVAL, allow_missing=True)
    require_unique(table, chart, [group, measure],
                   "Filter one period, or estimate prevalence without the period key.")
    outlets = in_order(table[group], order, chart, group)
    frames = in_order(table[measure], measure_order, chart, measure)
    styles = series_styles(frames)
    word, axis_label = _measure_words(measure)
    n_panels = len(frames) if layout == "facet" else 1
    per_outlet = 0.16 + (0.07 * len(frames) if layout == "dodge" else 0.06)
    fig_height = height or max(1.9, 1.0 + len(outlets) * per_outlet)
    rc = theme_for(width, context, fig_height)
    with mpl.rc_context(rc):
        fig, body = new_figure(rc["figure.figsize"])
        titles: list[tuple[Any, Any, Any]] = []
        axes = np.atleast_1d(body.subplots(1, n_panels, sharey=True, sharex=True, squeeze=False)
                             ).ravel()
        positions = {outlet: i for i, outlet in enumerate(outlets)}
        offsets = (np.linspace(-0.27, 0.27, len(frames)) if layout == "dodge" and len(frames) > 1
                   else np.zeros(len(frames)))
        for j, frame in enumerate(frames):
            ax = axes[j] if layout == "facet" else axes[0]
            rows = table[(table[measure] == frame) & table[group].isin(outlets)
                         & table["estimate"].notna()]
            y = rows[group].map(positions).to_numpy(dtype=float) + offsets[j]
            low = (rows["estimate"] - rows["ci_low"]).clip(lower=0).fillna(0)
            high = (rows["ci_high"] - rows["estimate"]).clip(lower=0).fillna(0)
            style = styles[frame]
            ax.errorbar(rows["estimate"], y, xerr=[low.to_numpy(), high.to_numpy()],
                        fmt=style["marker"], color=style["color"], markersize=4.2,
                        markeredgecolor="white", markeredgewidth=0.4, elinewidth=1.0,
                        label=str(frame), zorder=3)
            if layout == "facet":
                chars = chars_per_line(WIDTHS[width] / n_panels, rc["axes.titlesize"], bold=True)
                titles.append((ax, ax.set_title(wrap(frame, chars)), frame))
        font = rc["ytick.labelsize"]
        longest = chars_per_line(WIDTHS[width] * 0.38, font)
        for ax in axes:
            ax.set_yticks(range(len(outlets)), [wrap(o, longest) for o in outlets])
            ax.set_ylim(len(outlets) - 0.5, -0.5)  # first outlet on top
            ax.grid(axis="x")
            ax.tick_params(axis="y", length=0)
            # about one tick per 0.4 in of panel, so narrow facets keep their labels apart
            panel_in = (WIDTHS[width] - 1.4) / n_panels
            share_axis(ax, "x", nbins=max(2, min(5, int(panel_in / 0.4))))
            ax.set_xlim(left=0)
        label = f"{axis_label} (95% interval)" if xlabel is None else xlabel
        # A figure-wide label: centred under a narrow panel it would run off the page.
        body.supxlabel(wrap(label, chars_per_line(WIDTHS[width], rc["axes.labelsize"])),
                      fontsize=rc["axes.labelsize"])
        if layout == "dodge":
            handles = [Line2D([], [], color=styles[f]["color"], marker=styles[f]["marker"],
                              linestyle="none", markersize=4.5, label=str(f)) for f in frames]
            legend_below(fig, handles, n_columns=min(len(frames), 4))
        set_title(fig, title, f"{word} prevalence by {group.replace('_', ' ')}")
        if layout == "facet":
            fit_panel_titles(fig, titles)
        if height is None:
            grow_to_fit_row_labels(fig, list(axes))
    return fig


def plot_prevalence_over_time(
    prevalence: pd.DataFrame,
    *,
    events: Events | None = None,
    time: str | None = None,
    group: str | None = "outlet",
    measure: str | None = None,
    order: Sequence[Any] | None = None,
    measure_order: Sequence[Any] | None = None,
    layout: Literal["grid", "overlay"] = "grid",
    n_columns: int | None = None,
    intervals: bool = True,
    trend: bool = True,
    title: str | bool | None = None,
    ylabel: str | None = None,
    width: Width = "double",
    context: Context = "paper",
    height: float | None = None,
) -> Figure:
    """Prevalence over time: each frame's estimate per period with its 95% interval, by outlet.

    With ``layout="grid"`` (the default) every frame has its own row of panels and every outlet
    its own column, so each panel holds one series: the estimates as faint points whose area
    grows with the passages behind them (``n_passages``), their 95% intervals as thin bars, and
    over them a smooth trend of time with its 95% band. Monthly cells keep their real, often
    wide, uncertainty and the trend stays readable. ``layout="overlay"`` puts all frames in one
    panel per outlet, as lines with interval ribbons (readable when intervals are narrow).

    The trend is a quasi-binomial GLM (logit link) of the cell estimates on a natural cubic
    regression spline of time (3 degrees of freedom; fewer cells, fewer, down to a straight
    line; none under 4 cells), each cell weighted by its ``n_passages``. Its dispersion comes
    from the Pearson residuals, floored at 1, so cells that scatter more than sampling noise
    (as corrected estimates do) widen the band; the band is the fitted mean's pointwise 95%
    interval. It smooths over the events by design: read jumps at an event from the cells.

    Each period is drawn at its middle (a monthly estimate at mid-month), so an event on a given
    day falls where it belongs between the points. Events are dotted lines marked by a letter in
    every panel and named with their day in the legend.

    Parameters
    ----------
    prevalence : DataFrame
        One row per outlet, period and frame: ``outlet`` (see ``group``), a time column
        (``period``, ``month``, ``date``, ``week`` or ``year``; Period, Timestamp, or text such
        as ``"2025-08"`` or ``"2025-08-15"``), ``frame`` (or ``topic`` / ``measure``),
        ``estimate``, ``ci_low``, ``ci_high`` as shares in [0, 1].
    events : mapping of str to date, optional
        Events to mark, e.g. ``{"Alaska summit": "2025-08-15"}``.
    time : str, optional
        The time column; by default the first of those above that the table has.
    group : str or None, default="outlet"
        The column of the panels; None for a single panel (a table without outlets).
    measure : str, optional
        The column naming the frames; by default ``frame``, ``topic`` or ``measure``.
    order, measure_order : sequence, optional
        Panels and frames, in order; by default as they first appear.
    layout : {"grid", "overlay"}, default="grid"
        A row of panels per frame and a column per outlet (at most 8 outlets), or one panel
        per outlet with a line per frame.
    n_columns : int, optional
        ``layout="overlay"``: panels per row; by default 3 on a double-width figure and 2 on a
        single one.
    intervals : bool, default=True
        Draw the intervals (bars of the cells in the grid, ribbons in the overlay).
    trend : bool, default=True
        ``layout="grid"``: draw the smooth trend and its band (see above); False joins the
        cells with a thin line instead.
    title : str or bool, optional
        A title above the figure, for slides: True for "Frame prevalence over time by outlet",
        or the text. None (the default) draws none: in a paper, the caption says what a figure
        shows.
    ylabel : str, optional
        Replace the default y label; "" for none.
    width, context, height
        Figure width ("single" 3.5 in, "double" 7.2 in), font scale and height in inches.

    Returns
    -------
    matplotlib Figure

    Raises
    ------
    InputError
        A column missing, a time that cannot be read, a value that is not a number, several
        rows for one outlet, period and frame, or more than 8 outlets in the grid layout.

    Examples
    --------
    >>> table = pd.DataFrame({"outlet": ["A"] * 4, "month": ["2025-07", "2025-07", "2025-08",
    ...     "2025-08"], "frame": ["peacemaker", "skeptic"] * 2, "estimate": [0.4, 0.3, 0.5, 0.2],
    ...     "ci_low": [0.3, 0.2, 0.4, 0.1], "ci_high": [0.5, 0.4, 0.6, 0.3],
    ...     "n_passages": [30, 30, 12, 12]})
    >>> fig = plot_prevalence_over_time(table, events={"Alaska summit": "2025-08-15"})
    >>> [ax.get_ylabel() for ax in fig.axes]
    ['peacemaker', 'skeptic']
    >>> for text in fig.legends[0].get_texts():
    ...     print(text.get_text())
    Estimate per period (area: passages)
    95% interval of the period
    A  Alaska summit (15 Aug 2025)
    """
    chart = "plot_prevalence_over_time"
    validate_params(chart, {"layout": layout}, {"layout": [Options({"grid", "overlay"})]})
    needed = ([group] if group is not None else []) + _INTERVAL
    table = require_table(prevalence, chart, needed)
    time = pick_column(table, chart, time, TIME_COLUMNS, "time")
    measure = pick_column(table, chart, measure, MEASURE_COLUMNS, "measure")
    table = numeric(table, chart, _INTERVAL, allow_missing=True)
    table["_x"] = parse_periods(table[time], chart, time)
    if group is None:
        group = "_panel"
        table[group] = ""
    require_unique(table, chart, [group, "_x", measure],
                   "Aggregate the other group keys first, or pick one value of them.")
    parsed_events = parse_events(events, chart)
    panels = in_order(table[group], order, chart, group)
    frames = in_order(table[measure], measure_order, chart, measure)
    word, axis_label = _measure_words(measure)
    if layout == "grid":
        if len(panels) > _MAX_GRID_COLUMNS:
            raise InputError(f"{chart}: the grid layout has a column per {group} and takes at "
                             f"most {_MAX_GRID_COLUMNS}; the table has {len(panels)}. Pass "
                             f"order= with the ones to show, or layout='overlay'",
                             field=group)
        return frame_grid(
            table, rows=frames, row_column=measure, columns=panels,
            column_column=None if group == "_panel" else group, events=parsed_events,
            intervals=intervals, title=title,
            default_title=f"{word} prevalence over time"
            + (f" by {group.replace('_', ' ')}" if group != "_panel" else ""),
            ylabel=axis_label if ylabel is None else ylabel, width=width, context=context,
            height=height, size_column="n_passages", trend=trend)
    return time_grid(
        table, chart=chart, panels=panels, panel_column=group, series=frames,
        series_column=measure, events=parsed_events, n_columns=n_columns, intervals=intervals,
        title=title, default_title=f"{word} prevalence over time"
        + (f" by {group.replace('_', ' ')}" if group != "_panel" else ""),
        ylabel=axis_label if ylabel is None else ylabel, width=width, context=context,
        height=height, panel_names=None, legend_title=None)
