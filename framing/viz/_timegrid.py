"""Small multiples of lines over time, shared by the prevalence and topic charts.

One panel per outlet (or topic), one line per frame (or outlet), each with its colour, marker
and line style; optional interval ribbons; events as dotted lines marked by a letter and named
in the legend under the panels.
"""

from __future__ import annotations

from typing import Any

import matplotlib as mpl
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from framing.viz._layout import (
    chars_per_line,
    draw_events,
    event_handles,
    event_levels,
    fit_panel_titles,
    label_outer_ticks,
    legend_below,
    set_title,
    share_axis,
    time_axis,
    x_limits,
)
from framing.viz._tables import grid_shape, hide_unused, new_figure, wrap
from framing.viz._theme import WIDTHS, Context, Width, series_styles, theme_for
from framing.viz._trend import smooth_trend

#: Opacity of the interval ribbons, and of their swatches in the legend.
_BAND_ALPHA = 0.14


def time_grid(table: pd.DataFrame, *, chart: str, panels: list[Any], panel_column: str,
               series: list[Any], series_column: str, events: list, n_columns: int | None,
               intervals: bool, title: str | bool | None, default_title: str, ylabel: str,
               width: Width, context: Context, height: float | None,
               panel_names: dict[Any, str] | None, legend_title: str | None,
               sharey: bool = True, show_series_legend: bool = True) -> Figure:
    """Small multiples of lines over time (shared by the prevalence and topic charts)."""
    n_columns = n_columns or (3 if width == "double" else 2)
    n_rows, n_columns = grid_shape(len(panels), n_columns)
    panel_width = WIDTHS[width] / n_columns
    fig_height = height or (0.9 + n_rows * min(1.75, max(1.35, panel_width * 0.72)))
    rc = theme_for(width, context, fig_height)
    styles = series_styles(series)
    with mpl.rc_context(rc):
        fig, body = new_figure(rc["figure.figsize"])
        titles: list[tuple[Any, Any, Any]] = []
        axes = body.subplots(n_rows, n_columns, sharex=True, sharey=sharey, squeeze=False)
        has_interval = intervals and {"ci_low", "ci_high"} <= set(table.columns)
        top = table["ci_high"].max() if has_interval else table["estimate"].max()
        top = float(np.nanmax([top, table["estimate"].max(), 0.01]))
        x_low, x_high = x_limits(table["_x"], events)
        n_levels = max(event_levels(events, x_low, x_high), default=-1) + 1
        title_chars = chars_per_line(panel_width, rc["axes.titlesize"], bold=True)
        for index, panel in enumerate(panels):
            ax = axes.flat[index]
            rows = table[table[panel_column] == panel]
            for name in series:
                part = rows[rows[series_column] == name].sort_values("_x")
                if part.empty:
                    continue
                x = mdates.date2num(part["_x"])
                style = styles[name]
                if has_interval:
                    ax.fill_between(x, part["ci_low"], part["ci_high"], color=style["color"],
                                    alpha=_BAND_ALPHA, linewidth=0, zorder=1)
                ax.plot(x, part["estimate"], color=style["color"], marker=style["marker"],
                        linestyle=style["linestyle"], markersize=3.0, linewidth=1.1,
                        markeredgecolor="white", markeredgewidth=0.3, zorder=3)
            name = panel_names.get(panel, panel) if panel_names else panel
            if str(name):
                titles.append((ax, ax.set_title(wrap(name, title_chars)), name))
            ax.set_xlim(x_low, x_high)
            # room above the data for the event letters
            headroom = 1.06 + 0.11 * n_levels
            if sharey:
                ax.set_ylim(0, top * headroom)
            else:
                column = "ci_high" if has_interval else "estimate"
                ax.set_ylim(0, max(float(rows[column].max()), 0.01) * headroom)
            share_axis(ax, "y")
            time_axis(ax)
            ax.grid(axis="y")
            draw_events(ax, events, font_size=rc["xtick.labelsize"])
        hide_unused(axes, len(panels))
        label_outer_ticks(axes, len(panels), n_columns)
        for ax in axes.flat[: len(panels)]:
            ax.tick_params(axis="x", labelrotation=0)
        body.supylabel(ylabel, fontsize=rc["axes.labelsize"])
        lines = {s: Line2D([], [], color=styles[s]["color"], marker=styles[s]["marker"],
                           linestyle=styles[s]["linestyle"], markersize=3.5, label=str(s))
                 for s in series}
        # The legend's bands are the plot's: each series' colour at the ribbons' opacity.
        bands = {s: Patch(facecolor=styles[s]["color"], alpha=_BAND_ALPHA, linewidth=0,
                          label="95% interval") for s in series}
        handles: list[Any] = []
        if show_series_legend:
            handles = [(bands[s], lines[s]) if has_interval else lines[s] for s in series]
        if has_interval:
            # one entry saying what the bands are, in the first series' colour
            handles.append(bands[series[0]])
        handles += event_handles(events)
        n_legend_columns = min(len(handles), 4 if width == "double" else 2)
        legend_below(fig, handles, n_columns=n_legend_columns, title=legend_title)
        set_title(fig, title, default_title)
        fit_panel_titles(fig, titles)
    return fig


#: Opacity of the cells' points and interval bars when a trend is drawn over them.
_CELL_ALPHA = 0.45
#: Marker area (points squared) of the largest cell in a grid; the others scale with their n.
_MAX_MARKER_AREA = 30.0


def frame_grid(table: pd.DataFrame, *, rows: list[Any], row_column: str, columns: list[Any],
               column_column: str | None, events: list, intervals: bool,
               title: str | bool | None, default_title: str, ylabel: str, width: Width,
               context: Context, height: float | None, size_column: str | None,
               trend: bool = True) -> Figure:
    """One row of panels per frame, one column per outlet: a single series in every panel.

    Each period's estimate is a point (its area proportional to ``size_column``, the passages
    behind it) with its 95% interval as a thin bar. With ``trend`` a smooth of time (see
    :mod:`framing.viz._trend`: a quasi-binomial GLM on a natural spline of time, cells weighted
    by their passages) is drawn over them as a line with its 95% band; without it a thin line
    joins the points. Nothing overlaps, so wide monthly intervals stay visible without hiding
    the trend.
    """
    n_rows, n_columns = len(rows), len(columns)
    panel_width = WIDTHS[width] / n_columns
    fig_height = height or (1.15 + n_rows * min(1.45, max(1.0, panel_width * 0.95)))
    rc = theme_for(width, context, fig_height)
    styles = series_styles(rows)
    has_interval = intervals and {"ci_low", "ci_high"} <= set(table.columns)
    has_sizes = size_column is not None and size_column in table.columns
    table = table.copy()
    table["_size"] = 9.0
    if has_sizes:
        counts = pd.to_numeric(table[size_column], errors="coerce").fillna(0.0)
        largest = float(counts.max()) or 1.0
        table["_size"] = 2.0 + (_MAX_MARKER_AREA - 2.0) * counts / largest
    with mpl.rc_context(rc):
        fig, body = new_figure(rc["figure.figsize"])
        titles: list[tuple[Any, Any, Any]] = []
        axes = body.subplots(n_rows, n_columns, sharex=True, sharey=True, squeeze=False)
        top = table["ci_high"].max() if has_interval else table["estimate"].max()
        top = float(np.nanmax([top, table["estimate"].max(), 0.01]))
        x_low, x_high = x_limits(table["_x"], events)
        n_levels = max(event_levels(events, x_low, x_high), default=-1) + 1
        title_chars = chars_per_line(panel_width, rc["axes.titlesize"], bold=True)
        drawn_trend = False
        for r, frame in enumerate(rows):
            style = styles[frame]
            for c, column in enumerate(columns):
                ax = axes[r, c]
                chosen = table[row_column] == frame
                if column_column is not None:
                    chosen &= table[column_column] == column
                part = table[chosen & table["estimate"].notna()].sort_values("_x")
                x = mdates.date2num(part["_x"])
                if has_interval:
                    ax.vlines(x, part["ci_low"], part["ci_high"], color=style["color"],
                              alpha=_CELL_ALPHA, linewidth=0.9, zorder=2)
                fitted = (smooth_trend(x, part["estimate"].to_numpy(),
                                       part[size_column].to_numpy() if has_sizes else None)
                          if trend else None)
                if fitted is not None:
                    drawn_trend = True
                    ax.fill_between(fitted.x, fitted.low, fitted.high, color=style["color"],
                                    alpha=_BAND_ALPHA, linewidth=0, zorder=1)
                    ax.plot(fitted.x, fitted.fit, color=style["color"], linewidth=1.6,
                            linestyle=style["linestyle"], marker="", zorder=5)
                else:
                    ax.plot(x, part["estimate"], color=style["color"], linewidth=0.8,
                            linestyle=style["linestyle"], marker="", zorder=3)
                ax.scatter(x, part["estimate"], s=part["_size"], color=style["color"],
                           marker=style["marker"], edgecolors="white", linewidths=0.3,
                           alpha=_CELL_ALPHA if fitted is not None else 1.0, zorder=4)
                if r == 0 and column_column is not None:
                    titles.append((ax, ax.set_title(wrap(column, title_chars)), column))
                if c == 0:
                    ax.set_ylabel(str(frame), fontweight="bold")
                ax.set_xlim(x_low, x_high)
                ax.set_ylim(0, top * (1.06 + 0.11 * n_levels))
                share_axis(ax, "y", nbins=3)
                _month_axis(ax)
                ax.grid(axis="y")
                draw_events(ax, events, font_size=rc["xtick.labelsize"])
        for ax in axes.flat:
            ax.tick_params(axis="x", labelrotation=0)
        body.supylabel(ylabel, fontsize=rc["axes.labelsize"])
        # narrow panels: months on the ticks, the years once under the grid
        years = sorted({day.year for day in pd.to_datetime(table["_x"])})
        body.supxlabel(str(years[0]) if len(years) == 1 else f"{years[0]}\u2013{years[-1]}",
                       fontsize=rc["axes.labelsize"])
        # Every swatch is drawn as the panels draw it: one piece per frame, in its colour and
        # at the opacity of the panels.
        colours = [styles[frame]["color"] for frame in rows]
        markers = [styles[frame]["marker"] for frame in rows]
        cell_alpha = _CELL_ALPHA if drawn_trend else 1.0
        point = "Estimate per period" + (" (area: passages)" if has_sizes else "")
        entries: list[tuple[tuple[Any, ...], str]] = [(tuple(
            Line2D([], [], color=c, marker=m, alpha=cell_alpha, linestyle="none",
                   markersize=4, markeredgecolor="white", markeredgewidth=0.3)
            for c, m in zip(colours, markers, strict=True)), point)]
        if has_interval:
            entries.append((tuple(
                Line2D([], [], color=c, alpha=_CELL_ALPHA, marker="|", markersize=9,
                       markeredgewidth=0.9, linestyle="none") for c in colours),
                "95% interval of the period"))
        if drawn_trend:
            entries.append((tuple(
                (Patch(facecolor=c, alpha=_BAND_ALPHA, linewidth=0),
                 Line2D([], [], color=c, linewidth=1.6, linestyle=styles[f]["linestyle"],
                        marker=""))
                for c, f in zip(colours, rows, strict=True)),
                "Trend with its 95% band (spline GLM)"))
        handles: list[Any] = []
        handler_map: dict[Any, Any] = {}
        for pieces, label in entries:
            handle = _Swatch(pieces, label)
            handles.append(handle)
            handler_map[handle] = HandlerTuple(ndivide=None, pad=0.15)
        handles += event_handles(events)
        legend_below(fig, handles, n_columns=min(len(handles), 2 if width == "double" else 1),
                     handler_map=handler_map)
        set_title(fig, title, default_title)
        fit_panel_titles(fig, titles)
    return fig


class _Swatch(tuple):
    """A legend entry drawn as several pieces side by side, with its own label."""

    def __new__(cls, pieces: tuple[Any, ...], label: str) -> _Swatch:
        swatch = super().__new__(cls, pieces)
        swatch.label = label
        return swatch

    def get_label(self) -> str:
        return self.label

    __hash__ = object.__hash__  # a key of the legend's handler map by identity

    def __eq__(self, other: object) -> bool:
        return self is other


def _month_axis(ax: Any) -> None:
    """Ticks at the quarters' first months, labelled "Apr", "Jul" (January with its year);
    by year when the axis spans more than a year and a half."""
    low, high = ax.get_xlim()
    if high - low > 550:
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        return

    def label(value: float, _position: Any) -> str:
        day = mdates.num2date(value)
        return day.strftime("%b\n%Y") if day.month == 1 else day.strftime("%b")

    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
    ax.xaxis.set_major_formatter(FuncFormatter(label))
