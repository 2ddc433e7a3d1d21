"""Pieces several charts share: legends outside the axes, time axes, event markers, titles."""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator, PercentFormatter

from framing.corpus import InputError
from framing.viz._tables import wrap
from framing.viz._theme import NEUTRAL

Events = Mapping[str, Any]


def parse_events(events: Events | None, chart: str) -> list[tuple[str, str, pd.Timestamp]]:
    """``{"Alaska summit": "2025-08-15"}`` as (letter, name, day), sorted by day."""
    if events is None:
        return []
    if not isinstance(events, Mapping):
        raise InputError(f"{chart}: events must be a mapping of name to date, e.g. "
                         f"{{'Alaska summit': '2025-08-15'}}; got {type(events).__name__}",
                         field="events")
    parsed = []
    for name, when in events.items():
        try:
            day = pd.Timestamp(when)
        except (ValueError, TypeError) as exc:
            raise InputError(f"{chart}: cannot read the date {when!r} of event {name!r}",
                             field="events") from exc
        if pd.isna(day):
            raise InputError(f"{chart}: event {name!r} has no date", field="events")
        parsed.append((str(name), day.tz_localize(None) if day.tzinfo else day))
    parsed.sort(key=lambda item: (item[1], item[0]))
    letters = _letters(len(parsed))
    return [(letter, name, day) for letter, (name, day) in zip(letters, parsed, strict=True)]


def _letters(n: int) -> list[str]:
    upper = string.ascii_uppercase
    return [upper[i] if i < 26 else upper[i // 26 - 1] + upper[i % 26] for i in range(n)]


def event_handles(events: list[tuple[str, str, pd.Timestamp]]) -> list[Line2D]:
    """Legend entries: the event line, labelled with its letter, name and day."""
    return [Line2D([], [], color=NEUTRAL, linestyle=(0, (1, 1.5)), linewidth=0.9,
                   label=f"{letter}  {name} ({day.day} {day:%b %Y})")
            for letter, name, day in events]


def event_levels(events: list[tuple[str, str, pd.Timestamp]], low: float, high: float,
                 min_gap: float = 0.07) -> list[int]:
    """Row of each event letter: letters closer than ``min_gap`` (axes fraction) are stacked."""
    span = high - low or 1.0
    placed: list[list[float]] = []  # x (axes fraction) of the letters on each row
    levels = []
    for _letter, _name, day in events:
        fraction = (mdates.date2num(day) - low) / span
        level = 0
        while level < len(placed) and any(abs(fraction - f) < min_gap for f in placed[level]):
            level += 1
        if level == len(placed):
            placed.append([])
        placed[level].append(fraction)
        levels.append(level)
    return levels


def draw_events(ax: Axes, events: list[tuple[str, str, pd.Timestamp]], *,
                font_size: float) -> None:
    """A dotted vertical line per event, its letter at the top of the panel.

    Letters (not names) go in the panel: names of events days apart would overlap, and the
    legend spells them out. Letters closer than a letter's width are stacked.
    """
    low, high = ax.get_xlim()
    for (letter, _name, day), level in zip(events, event_levels(events, low, high), strict=True):
        x = mdates.date2num(day)
        ax.axvline(x, color=NEUTRAL, linestyle=(0, (1, 1.5)), linewidth=0.9, zorder=1)
        ax.annotate(letter, xy=(x, 1.0), xycoords=("data", "axes fraction"),
                    xytext=(0, -2 - level * (font_size + 2)), textcoords="offset points",
                    ha="center", va="top", fontsize=font_size, color="#333333",
                    bbox={"boxstyle": "square,pad=0.1", "facecolor": "white",
                          "edgecolor": "none"}, zorder=5, annotation_clip=False)


def time_axis(ax: Axes) -> None:
    """Few date ticks, concise labels (``Jan Apr Jul`` and the year once)."""
    locator = mdates.AutoDateLocator(minticks=3, maxticks=5)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False,
                                                             formats=["%Y", "%b\n%Y", "%d %b",
                                                                      "%H:%M", "%H:%M", "%S"],
                                                             zero_formats=["", "%b\n%Y", "%b",
                                                                           "%d %b", "%H:%M",
                                                                           "%H:%M"]))


def share_axis(ax: Axes, axis: str = "y", *, decimals: int = 0, nbins: int = 5) -> None:
    """Shares (0 to 1) shown as percentages with at most ``nbins`` ticks."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(PercentFormatter(1.0, decimals=decimals))
    target.set_major_locator(MaxNLocator(nbins=nbins, steps=[1, 2, 2.5, 5, 10]))


def x_limits(times: pd.Series, events: list[tuple[str, str, pd.Timestamp]]) -> tuple[float, float]:
    """Date limits covering the data and the events, with a small margin."""
    values = [mdates.date2num(t) for t in pd.to_datetime(times)]
    values += [mdates.date2num(day) for _letter, _name, day in events]
    low, high = min(values), max(values)
    margin = max((high - low) * 0.03, 3.0)
    return low - margin, high + margin


def legend_below(fig: Figure, handles: Sequence[Any], *, n_columns: int | None = None,
                 title: str | None = None, max_label_chars: int = 48,
                 handler_map: Mapping[Any, Any] | None = None) -> None:
    """A figure legend under the panels; constrained layout makes room for it.

    Long labels are wrapped, and columns are dropped until the legend fits the figure's width
    (a legend wider than the page would be clipped on both sides). A handle may be a tuple of
    artists, drawn on top of each other in one entry.
    """
    if not handles:
        return
    # A tuple of artists is one entry drawn on top of each other (a line over its band); its
    # label is its last artist's.
    labels = [wrap(_label_of(handle), max_label_chars) for handle in handles]
    n_columns = n_columns or min(len(handles), 4)
    renderer = fig.canvas.get_renderer()
    available = fig.bbox.width * 0.98
    while True:
        legend = fig.legend(handles=list(handles), labels=labels, loc="outside lower center",
                            ncols=n_columns, title=title, handlelength=2.6,
                            handler_map=dict(handler_map or {}))
        if n_columns == 1 or legend.get_window_extent(renderer).width <= available:
            return
        legend.remove()
        n_columns -= 1


def _label_of(handle: Any) -> str:
    """A handle's label; a plain tuple (artists drawn on top of each other) takes its last
    artist's, a tuple with a label of its own keeps it."""
    if isinstance(handle, tuple) and not hasattr(handle, "get_label"):
        return _label_of(handle[-1])
    return str(handle.get_label())


def set_title(fig: Figure, title: str | bool | None, default: str) -> None:
    """The figure title: none by default (a paper's caption says what a figure shows);
    ``True`` draws ``default`` and a string draws itself (slides)."""
    text = default if title is True else (title or "")
    if text:
        fig.suptitle(str(text), x=0.01, ha="left")


def label_outer_ticks(axes: np.ndarray, n_used: int, n_columns: int) -> None:
    """After hiding empty panels, give the panel above each one its x tick labels back."""
    flat = axes.flat
    for index in range(n_used, len(axes.flat)):
        above = index - n_columns
        if 0 <= above < n_used:
            flat[above].xaxis.set_tick_params(labelbottom=True)


def chars_per_line(panel_width_in: float, font_size: float, *, bold: bool = False) -> int:
    """About how many characters of ``font_size`` fit on one line of a panel.

    DejaVu Sans averages about 0.6 em per character of lower-case text, 0.7 em in bold.
    """
    em = 0.72 if bold else 0.62
    return max(10, int(panel_width_in * 72.0 / (font_size * em)))


def topic_name(topic: Any, label: Any = None) -> str:
    """"Topic 3: ceasefire talks", or "Topic 3" when the label is the default name.

    Words joined into phrases by the tokenizer ("donetsk_region") are shown as a reader
    writes them ("donetsk region").

    Examples
    --------
    >>> topic_name("topic_3", "donetsk_region, peace_deal")
    'Topic 3: donetsk region, peace deal'
    """
    text = str(topic)
    number = text.removeprefix("topic_")
    head = f"Topic {number}" if number.isdigit() else text
    if label is None or (isinstance(label, float) and np.isnan(label)):
        return head
    label = str(label)
    if label in {text, f"topic_{number}", number, head}:
        return head
    return f"{head}: {label.replace('_', ' ')}"


def fit_panel_titles(fig: Figure, titles: Sequence[tuple[Axes, Text, str]]) -> None:
    """Rewrap left-aligned panel titles that run into the next panel or off the figure.

    ``titles`` holds (panel, the Text ``set_title`` returned, the unwrapped title). The first
    wrap guesses from character counts; this pass lays the figure out, measures the titles and
    narrows any that collide (a few rounds, as narrower titles change the layout), so long
    outlet names never overlap.
    """
    panels = [(ax, text, str(raw)) for ax, text, raw in titles if ax.get_visible()]
    for _round in range(3):
        fig.canvas.draw()  # runs constrained layout at the figure's own dpi
        renderer = fig.canvas.get_renderer()
        changed = False
        for ax, text, raw in panels:
            neighbours = [other.get_window_extent(renderer).x0 for other, _, _ in panels
                          if other is not ax
                          and abs(other.get_position().y1 - ax.get_position().y1) < 1e-3
                          and other.get_position().x0 > ax.get_position().x0]
            limit = min(neighbours, default=fig.bbox.width) - 0.04 * fig.dpi
            chars = max(len(line) for line in text.get_text().split("\n"))
            while chars > 8 and text.get_window_extent(renderer).x1 > limit:
                chars -= 2
                text.set_text(wrap(raw, chars))
                changed = True
        if not changed:
            return


def grow_to_fit_row_labels(fig: Figure, axes: Sequence[Axes], *, max_rounds: int = 3) -> None:
    """Make the figure taller until no two y tick labels of a panel overlap.

    Row labels (outlets, topics, frames) are wrapped to fit the width; a label of several
    lines needs a row at least that tall. The first height is a guess; this measures the
    laid-out labels and grows the figure by what the tightest pair lacks.
    """
    for _round in range(max_rounds):
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        factor = 1.0
        share = 0.0
        for ax in axes:
            if not ax.get_visible():
                continue
            boxes = sorted((t.get_window_extent(renderer) for t in ax.get_yticklabels()
                            if t.get_visible() and t.get_text().strip()),
                           key=lambda box: -box.y1)
            for upper, lower in zip(boxes, boxes[1:], strict=False):
                spacing = (upper.y0 + upper.y1) / 2 - (lower.y0 + lower.y1) / 2
                needed = (upper.height + lower.height) / 2 + 0.02 * fig.dpi
                if spacing > 0 and needed > spacing:
                    factor = max(factor, needed / spacing)
            share = max(share, ax.get_window_extent(renderer).height / fig.bbox.height)
        if factor <= 1.0:
            return
        width, height = fig.get_size_inches()
        # only the panels' part of the height stretches; titles, labels and legend stay
        fig.set_size_inches(width, round(height + height * share * (factor - 1.0) + 0.02, 3))
