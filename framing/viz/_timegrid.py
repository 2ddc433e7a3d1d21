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


#: Marker area (points squared) of the largest cell in a grid; the others scale with their n.
_MAX_MARKER_AREA = 30.0


def frame_grid(table: pd.DataFrame, *, rows: list[Any], row_column: str, columns: list[Any],
               column_column: str | None, events: list, intervals: bool,
               title: str | bool | None, default_title: str, ylabel: str, width: Width,
               context: Context, height: float | None, size_column: str | None) -> Figure:
    """One row of panels per frame, one column per outlet: a single series in every panel.

    Each period's estimate is a point (its area proportional to ``size_column``, the passages
    behind it) with its 95% interval as a thin bar, and a thin line joins the points. Nothing
    overlaps, so wide monthly intervals stay visible without hiding the trend.
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
                              alpha=0.45, linewidth=0.9, zorder=2)
                ax.plot(x, part["estimate"], color=style["color"], linewidth=0.8,
                        linestyle=style["linestyle"], marker="", zorder=3)
                ax.scatter(x, part["estimate"], s=part["_size"], color=style["color"],
                           marker=style["marker"], edgecolors="white", linewidths=0.3,
                           zorder=4)
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
        point = "Estimate per period" + (" (area: passages)" if has_sizes else "")
        handles: list[Any] = [Line2D([], [], color="#4d4d4d", marker="o", linestyle="-",
                                     linewidth=0.8, markersize=4, label=point)]
        if has_interval:
            handles.append(Line2D([], [], color="#4d4d4d", alpha=0.45, marker="|",
                                  markersize=9, markeredgewidth=0.9, linestyle="none",
                                  label="95% interval"))
        handles += event_handles(events)
        legend_below(fig, handles, n_columns=min(len(handles), 3 if width == "double" else 1))
        set_title(fig, title, default_title)
        fit_panel_titles(fig, titles)
    return fig


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
