"""Charts of topic models: prevalence heatmap, topics over time, top words, topic x frame."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from framing.corpus import InputError
from framing.viz._heatmap import draw_heatmap, fit_column_labels
from framing.viz._layout import (
    Events,
    chars_per_line,
    fit_panel_titles,
    grow_to_fit_row_labels,
    label_outer_ticks,
    parse_events,
    set_title,
    topic_name,
)
from framing.viz._tables import (
    TIME_COLUMNS,
    grid_shape,
    hide_unused,
    in_order,
    new_figure,
    numeric,
    parse_periods,
    pick_column,
    require_table,
    require_unique,
    wrap,
)
from framing.viz._theme import PALETTE, WIDTHS, Context, Width, sequential_cmap, theme_for
from framing.viz._timegrid import time_grid

_SHARE_VALUES = ("estimate", "share", "proportion", "mean", "value")
_COUNT_VALUES = ("n", "count", "n_passages")


def _topic_names(table: pd.DataFrame, topics: list[Any]) -> dict[Any, str]:
    """Display name per topic, from the ``label`` column when there is one."""
    if "label" not in table.columns:
        return {t: topic_name(t) for t in topics}
    labels = table.drop_duplicates("topic").set_index("topic")["label"]
    return {t: topic_name(t, labels.get(t)) for t in topics}


def _topic_column(table: Any) -> Any:
    """A prevalence table that names topics in ``measure`` (its generic name) gets ``topic``."""
    if (isinstance(table, pd.DataFrame) and "topic" not in table.columns
            and "measure" in table.columns):
        return table.rename(columns={"measure": "topic"})
    return table


def _annotation(value: float, as_share: bool) -> str:
    """A cell's text in the colour bar's unit: "12%" for shares, "1,204" for counts."""
    if np.isnan(value):
        return ""
    return f"{value * 100:.0f}%" if as_share else f"{value:,.0f}"


def _heatmap_figure(matrix: pd.DataFrame, *, row_names: list[str], column_names: list[str],
                    as_share: bool, colorbar_label: str, title: str | bool | None,
                    default_title: str,
                    annotate: bool | None, raw_columns: list[Any], width: Width,
                    context: Context, height: float | None) -> Figure:
    values = matrix.to_numpy(dtype=float)
    n_rows, n_columns = values.shape
    # Rows as tall as their (wrapped) labels; room under the cells for the column labels.
    row_lines = sum(max(1.0, 0.85 * (name.count("\n") + 1)) for name in row_names)
    column_lines = max(name.count("\n") + 1 for name in column_names)
    column_room = 0.13 * column_lines
    fig_height = height or (0.75 + 0.2 * row_lines + column_room)
    rc = theme_for(width, context, fig_height)
    with mpl.rc_context(rc):
        fig, body = new_figure(rc["figure.figsize"])
        ax = body.add_subplot()
        cmap = sequential_cmap()
        vmax = float(np.nanmax(values)) if np.isfinite(values).any() else 1.0
        # Annotate when the cells are wide enough for "100%".
        cell_width_in = WIDTHS[width] * 0.6 / max(n_columns, 1)
        show = annotate if annotate is not None else cell_width_in >= 0.3
        text = (np.vectorize(lambda v: _annotation(v, as_share))(values) if show else None)
        mesh = draw_heatmap(ax, values, cmap=cmap, vmin=0.0, vmax=vmax or 1.0,
                            row_labels=row_names, column_labels=column_names, annotations=text,
                            font_size=rc["xtick.labelsize"],
                            rotate_columns=False)
        # In one column the colour bar goes on top: the cells need the width.
        if width == "single":
            bar = body.colorbar(mesh, ax=ax, location="top", shrink=0.8, aspect=30,
                                pad=0.02)
        else:
            bar = body.colorbar(mesh, ax=ax, shrink=0.85, aspect=25, pad=0.02)
        bar.set_label(colorbar_label)
        bar.outline.set_visible(False)
        bar.ax.tick_params(length=2)
        scale = bar.ax.xaxis if width == "single" else bar.ax.yaxis
        if as_share:
            scale.set_major_formatter(mpl.ticker.PercentFormatter(1.0, decimals=0))
        scale.set_major_locator(MaxNLocator(nbins=4 if width == "single" else 5))
        set_title(fig, title, default_title)
        fit_column_labels(fig, ax, [str(c) for c in raw_columns])
        if height is None:
            grow_to_fit_row_labels(fig, [ax])
    return fig


def _column_labels(names: list[Any], width: Width, font_size: float) -> list[str]:
    """Column labels wrapped to a first guess of their cell's width (refined after layout)."""
    cell_width_in = WIDTHS[width] * 0.5 / max(len(names), 1)
    return [wrap(n, chars_per_line(cell_width_in, font_size)) for n in names]


def plot_topic_heatmap(
    topic_prevalence: pd.DataFrame,
    *,
    group: str = "outlet",
    value: str | None = None,
    order: Sequence[Any] | None = None,
    topic_order: Sequence[Any] | None = None,
    annotate: bool | None = None,
    title: str | bool | None = None,
    colorbar_label: str | None = None,
    width: Width = "double",
    context: Context = "paper",
    height: float | None = None,
) -> Figure:
    """Topic prevalence as a topic x outlet heatmap, with the percentage in each cell.

    Topics run down the rows (their labels are long and there may be many), outlets across.

    Parameters
    ----------
    topic_prevalence : DataFrame
        One row per outlet and topic: ``outlet`` (see ``group``), ``topic`` (or ``measure``,
        the prevalence table's generic name) and the value
        (``estimate`` by default, or ``share`` / ``proportion`` / ``mean``, as shares in
        [0, 1]); optional ``label`` names the topics ("Topic 3: ceasefire talks").
    group : str, default="outlet"
        The columns.
    value : str, optional
        The value column; by default the first of ``estimate``, ``share``, ``proportion``,
        ``mean``.
    order, topic_order : sequence, optional
        Outlets (left to right) and topics (top to bottom); by default as they first appear.
    annotate : bool, optional
        Write the percentage in each cell; by default when the cells are wide enough.
    title : str or bool, optional
        A title above the figure, for slides: True for "Topic prevalence by outlet", or the
        text. None (the default) draws none: in a paper, the caption says what a figure shows.
    colorbar_label : str, optional
        Replace "Mean topic share"; "" for none.
    width, context, height
        Figure width ("single" 3.5 in, "double" 7.2 in), font scale and height in inches.

    Returns
    -------
    matplotlib Figure

    Raises
    ------
    InputError
        A column missing, a value that is not a number, or several rows for one outlet and
        topic.

    Examples
    --------
    >>> table = pd.DataFrame({"outlet": ["A", "A", "B", "B"], "topic": [0, 1, 0, 1],
    ...                       "estimate": [0.7, 0.3, 0.4, 0.6]})
    >>> fig = plot_topic_heatmap(table)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['Topic 0', 'Topic 1']
    """
    chart = "plot_topic_heatmap"
    table = require_table(_topic_column(topic_prevalence), chart, [group, "topic"])
    value = pick_column(table, chart, value, _SHARE_VALUES, "value")
    table = numeric(table, chart, [value], allow_missing=True)
    require_unique(table, chart, [group, "topic"],
                   "Filter one period, or estimate topic prevalence without the period key.")
    rows = in_order(table[group], order, chart, group)
    topics = in_order(table["topic"], topic_order, chart, "topic")
    names = _topic_names(table, topics)
    matrix = table.pivot(index="topic", columns=group, values=value).reindex(
        index=topics, columns=rows)
    columns = _column_labels(rows, width, 7.0)
    return _heatmap_figure(
        matrix, row_names=[wrap(names[t], chars_per_line(WIDTHS[width] * 0.3, 7.0))
                           for t in topics],
        column_names=columns, raw_columns=rows, as_share=True,
        colorbar_label="Mean topic share" if colorbar_label is None else colorbar_label,
        title=title, default_title=f"Topic prevalence by {group.replace('_', ' ')}",
        annotate=annotate, width=width, context=context, height=height)


def plot_topic_frame_crosstab(
    table: pd.DataFrame,
    *,
    value: str | None = None,
    topic_order: Sequence[Any] | None = None,
    frame_order: Sequence[Any] | None = None,
    annotate: bool | None = None,
    title: str | bool | None = None,
    colorbar_label: str | None = None,
    width: Width = "single",
    context: Context = "paper",
    height: float | None = None,
) -> Figure:
    """Topics against frames: a heatmap with a row per topic and a column per frame.

    Parameters
    ----------
    table : DataFrame
        One row per topic and frame: ``topic``, ``frame`` and the value: a share in [0, 1]
        (``estimate`` as :func:`framing.measure.topic_frame_table` names it, ``share``,
        ``proportion``, ``mean`` or ``value``; e.g. the share of the topic's
        passages with the frame) or a count (``n``, ``count``, ``n_passages``). Optional
        ``label`` names the topics.
    value : str, optional
        The value column; by default the first of the names above that the table has.
    topic_order, frame_order : sequence, optional
        Rows and columns; by default as they first appear.
    annotate : bool, optional
        Write the value in each cell (percent for shares); by default when cells are wide enough.
    title : str or bool, optional
        A title above the figure, for slides: True for "Frames within topics", or the text. None
        (the default) draws none: in a paper, the caption says what a figure shows.
    colorbar_label : str, optional
        Replace "Share of the topic's passages" (or "Passages"); "" for none.
    width, context, height
        Figure width ("single" 3.5 in, "double" 7.2 in), font scale and height in inches.

    Returns
    -------
    matplotlib Figure

    Raises
    ------
    InputError
        A column missing, a value that is not a number, or several rows for one topic and frame.

    Examples
    --------
    >>> table = pd.DataFrame({"topic": [0, 0, 1, 1], "frame": ["peacemaker", "skeptic"] * 2,
    ...                       "share": [0.6, 0.2, 0.1, 0.5]})
    >>> fig = plot_topic_frame_crosstab(table)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['Topic 0', 'Topic 1']
    """
    chart = "plot_topic_frame_crosstab"
    table = require_table(table, chart, ["topic", "frame"])
    value = pick_column(table, chart, value, _SHARE_VALUES + _COUNT_VALUES, "value")
    table = numeric(table, chart, [value], allow_missing=True)
    require_unique(table, chart, ["topic", "frame"], "Aggregate to one value per cell first.")
    topics = in_order(table["topic"], topic_order, chart, "topic")
    frames = in_order(table["frame"], frame_order, chart, "frame")
    names = _topic_names(table, topics)
    matrix = table.pivot(index="topic", columns="frame", values=value).reindex(
        index=topics, columns=frames)
    as_share = value in _SHARE_VALUES
    columns = _column_labels(frames, width, 7.0)
    default_label = "Share of the topic's passages" if as_share else "Passages"
    return _heatmap_figure(
        matrix, row_names=[wrap(names[t], chars_per_line(WIDTHS[width] * 0.42, 7.0))
                           for t in topics],
        column_names=columns, raw_columns=frames, as_share=as_share,
        colorbar_label=default_label if colorbar_label is None else colorbar_label,
        title=title, default_title="Frames within topics", annotate=annotate, width=width,
        context=context, height=height)


def plot_topics_over_time(
    topic_prevalence: pd.DataFrame,
    *,
    time: str | None = None,
    group: str | None = "outlet",
    value: str | None = None,
    topics: Sequence[Any] | None = None,
    order: Sequence[Any] | None = None,
    events: Events | None = None,
    intervals: bool | None = None,
    sharey: bool = True,
    n_columns: int | None = None,
    title: str | bool | None = None,
    ylabel: str | None = None,
    width: Width = "double",
    context: Context = "paper",
    height: float | None = None,
) -> Figure:
    """Topic prevalence over time: a panel per topic, a line per outlet.

    Parameters
    ----------
    topic_prevalence : DataFrame
        One row per topic, period (and outlet): ``topic`` (or ``measure``), a time column
        (``period``, ``month``, ``date``, ``week``, ``year``; Period, Timestamp or text like
        ``"2025-08"``),
        the value (``estimate`` by default, or ``share`` / ``proportion`` / ``mean``), the
        ``group`` column unless ``group=None``; optional ``ci_low``/``ci_high`` (ribbons) and
        ``label`` (topic names).
    time : str, optional
        The time column; by default the first of those above that the table has.
    group : str or None, default="outlet"
        One line per value of this column; None for a single line per panel.
    value : str, optional
        The value column; by default ``estimate``, ``share``, ``proportion`` or ``mean``.
    topics, order : sequence, optional
        The topics to show (panels, in order) and the lines' order.
    events : mapping of str to date, optional
        Events to mark, e.g. ``{"Alaska summit": "2025-08-15"}``.
    intervals : bool, optional
        Draw ``ci_low``-``ci_high`` ribbons; by default when the table has them and there is a
        single line per panel.
    sharey : bool, default=True
        One y scale for all panels (honest comparison) or one per panel (shape of rare topics).
    n_columns : int, optional
        Panels per row; by default 4 on a double-width figure and 2 on a single one.
    title : str or bool, optional
        A title above the figure, for slides: True for "Topic prevalence over time", or the
        text. None (the default) draws none: in a paper, the caption says what a figure shows.
    ylabel : str, optional
        Replace the y label; "" for none.
    width, context, height
        Figure width ("single" 3.5 in, "double" 7.2 in), font scale and height in inches.

    Returns
    -------
    matplotlib Figure

    Raises
    ------
    InputError
        A column missing, a time that cannot be read, a value that is not a number, or several
        rows for one topic, outlet and period.

    Examples
    --------
    >>> table = pd.DataFrame({"topic": [0, 0, 1, 1], "month": ["2025-07", "2025-08"] * 2,
    ...                       "estimate": [0.6, 0.4, 0.4, 0.6]})
    >>> fig = plot_topics_over_time(table, group=None)
    >>> [ax.get_title(loc="left") for ax in fig.axes]
    ['Topic 0', 'Topic 1']
    """
    chart = "plot_topics_over_time"
    table = require_table(_topic_column(topic_prevalence), chart,
                          ["topic"] + ([group] if group is not None else []))
    time = pick_column(table, chart, time, TIME_COLUMNS, "time")
    value = pick_column(table, chart, value, _SHARE_VALUES, "value")
    has_ci = {"ci_low", "ci_high"} <= set(table.columns)
    table = numeric(table, chart, [value] + (["ci_low", "ci_high"] if has_ci else []),
                    allow_missing=True)
    table = table.rename(columns={value: "estimate"}) if value != "estimate" else table
    table["_x"] = parse_periods(table[time], chart, time)
    if group is None:
        group = "_line"
        table[group] = "all"
    require_unique(table, chart, ["topic", group, "_x"],
                   "Aggregate the other group keys first, or pick one value of them.")
    panels = in_order(table["topic"], topics, chart, "topic")
    table = table[table["topic"].isin(panels)]
    lines = in_order(table[group], order, chart, group)
    if intervals is None:
        intervals = has_ci and len(lines) == 1
    if intervals and not has_ci:
        raise InputError(f"{chart}: intervals=True needs ci_low and ci_high columns",
                         field="ci_low")
    single = group == "_line"
    return time_grid(
        table, chart=chart, panels=panels, panel_column="topic", series=lines,
        series_column=group, events=parse_events(events, chart),
        n_columns=n_columns or (4 if width == "double" else 2), intervals=intervals,
        title=title, default_title="Topic prevalence over time"
        + ("" if single else f" by {group.replace('_', ' ')}"),
        ylabel="Mean topic share" if ylabel is None else ylabel, width=width, context=context,
        height=height, panel_names=_topic_names(table, panels),
        legend_title=None, sharey=sharey, show_series_legend=not single)


def plot_top_words(
    top_words_table: pd.DataFrame,
    *,
    topics: Sequence[Any] | None = None,
    n_columns: int | None = None,
    score_label: str = "Probability in topic",
    sharex: bool = True,
    title: str | bool | None = None,
    width: Width = "double",
    context: Context = "paper",
    height: float | None = None,
) -> Figure:
    """Top words of each topic as horizontal bars, a panel per topic.

    Parameters
    ----------
    top_words_table : DataFrame
        :func:`framing.topics.top_words` output: ``topic``, ``rank`` (1 = best), ``word``,
        ``score``; optional ``label`` names the panels. Phrases joined with ``_`` by the
        tokenizer are shown with spaces.
    topics : sequence, optional
        The topics to show, in order; by default all, as they first appear.
    n_columns : int, optional
        Panels per row; by default 4 on a double-width figure and 2 on a single one.
    score_label : str, default="Probability in topic"
        The x label: say "FREX score" or "Lift" for tables ranked ``by="frex"`` / ``"lift"``.
    sharex : bool, default=True
        One x scale for all panels.
    title : str, optional
        A title above the figure, for slides: True for "Top words per topic", or the text. None
        (the default) draws none: in a paper, the caption says what a figure shows.
    width, context, height
        Figure width ("single" 3.5 in, "double" 7.2 in), font scale and height in inches.

    Returns
    -------
    matplotlib Figure

    Raises
    ------
    InputError
        A column missing, a score that is not a number, or a rank repeated within a topic.

    Examples
    --------
    >>> table = pd.DataFrame({"topic": [0, 0, 1, 1], "label": ["war", "war", "vote", "vote"],
    ...     "rank": [1, 2, 1, 2], "word": ["tank", "drone", "ballot", "poll"],
    ...     "score": [0.2, 0.1, 0.3, 0.1]})
    >>> fig = plot_top_words(table)
    >>> [ax.get_title(loc="left") for ax in fig.axes if ax.get_visible()]
    ['Topic 0: war', 'Topic 1: vote']
    """
    chart = "plot_top_words"
    table = require_table(top_words_table, chart, ["topic", "rank", "word", "score"])
    table = numeric(table, chart, ["score", "rank"])
    require_unique(table, chart, ["topic", "rank"], "Pass one ranking (one `by=`) at a time.")
    panels = in_order(table["topic"], topics, chart, "topic")
    names = _topic_names(table, panels)
    n_columns = n_columns or (4 if width == "double" else 2)
    n_rows, n_columns = grid_shape(len(panels), n_columns)
    n_words = int(table.groupby("topic").size().max())
    panel_width = WIDTHS[width] / n_columns
    fig_height = height or (0.75 + n_rows * (0.42 + 0.118 * n_words))
    rc = theme_for(width, context, fig_height)
    with mpl.rc_context(rc):
        fig, body = new_figure(rc["figure.figsize"])
        titles: list[tuple[Any, Any, Any]] = []
        axes = body.subplots(n_rows, n_columns, sharex=sharex, squeeze=False)
        title_chars = chars_per_line(panel_width, rc["axes.titlesize"], bold=True)
        for index, topic in enumerate(panels):
            ax = axes.flat[index]
            rows = table[table["topic"] == topic].sort_values("rank")
            y = np.arange(len(rows))
            ax.barh(y, rows["score"], height=0.72, color=PALETTE[0], linewidth=0)
            # the tokenizer joins phrases with "_" (donald_trump); a reader sees words
            ax.set_yticks(y, [str(w).replace("_", " ") for w in rows["word"]])
            ax.set_ylim(n_words - 0.5, -0.6)
            ax.tick_params(axis="y", length=0)
            ax.xaxis.set_major_locator(MaxNLocator(nbins=3))
            ax.grid(axis="x")
            titles.append((ax, ax.set_title(wrap(names[topic], title_chars)), names[topic]))
        hide_unused(axes, len(panels))
        if sharex:
            label_outer_ticks(axes, len(panels), n_columns)
        body.supxlabel(score_label, fontsize=rc["axes.labelsize"])
        set_title(fig, title, "Top words per topic")
        fit_panel_titles(fig, titles)
        if height is None:
            grow_to_fit_row_labels(fig, list(axes.flat[: len(panels)]))
    return fig
