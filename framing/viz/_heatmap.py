"""A labelled heatmap cell grid, shared by the topic, cross-tab and confusion charts."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import QuadMesh
from matplotlib.colors import Colormap
from matplotlib.figure import Figure

from framing.viz._tables import wrap
from framing.viz._theme import grayscale_lightness


def draw_heatmap(ax: Axes, values: np.ndarray, *, cmap: Colormap, vmin: float, vmax: float,
                 row_labels: Sequence[str], column_labels: Sequence[str],
                 annotations: np.ndarray | None, font_size: float,
                 rotate_columns: bool = True) -> QuadMesh:
    """Cells with white gaps, rows top to bottom, optional text in each cell.

    Cell text is white on dark cells and black on light ones (by the cell's lightness), so it
    stays readable in colour and in grayscale. Missing values are left blank.
    """
    n_rows, n_columns = values.shape
    masked = np.ma.masked_invalid(values)
    mesh = ax.pcolormesh(np.arange(n_columns + 1), np.arange(n_rows + 1), masked, cmap=cmap,
                         vmin=vmin, vmax=vmax, edgecolors="white", linewidth=0.6,
                         rasterized=False)
    ax.set_xlim(0, n_columns)
    ax.set_ylim(n_rows, 0)
    ax.set_yticks(np.arange(n_rows) + 0.5, list(row_labels))
    ax.set_xticks(np.arange(n_columns) + 0.5, list(column_labels))
    if rotate_columns:
        ax.tick_params(axis="x", labelrotation=40)
        for label in ax.get_xticklabels():
            label.set_horizontalalignment("right")
            label.set_rotation_mode("anchor")
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    if annotations is not None:
        span = (vmax - vmin) or 1.0
        for i in range(n_rows):
            for j in range(n_columns):
                if not annotations[i, j] or np.isnan(values[i, j]):
                    continue
                colour = cmap(min(max((values[i, j] - vmin) / span, 0.0), 1.0))
                ink = "white" if grayscale_lightness(colour[:3]) < 55 else "black"
                ax.text(j + 0.5, i + 0.5, annotations[i, j], ha="center", va="center",
                        fontsize=font_size, color=ink)
    return mesh


def fit_column_labels(fig: Figure, ax: Axes, labels: Sequence[str]) -> None:
    """Wrap the column labels to their cells' width, or rotate them when a word is too wide.

    Measured after layout: the cells' width depends on the row labels and the colour bar.
    """
    raw = [str(label) for label in labels]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    font_px = ax.get_xticklabels()[0].get_fontsize() * fig.dpi / 72.0
    cell = ax.get_window_extent(renderer).width / max(len(raw), 1) - 0.03 * fig.dpi
    # First guess from the measured cell width, then narrower until every label fits.
    chars = max(4, int(cell / (0.6 * font_px)))
    for _round in range(4):
        wrapped = [wrap(label, chars) for label in raw]
        if max(len(line) for w in wrapped for line in w.split("\n")) > chars:
            break  # a word alone is too wide: wrapping cannot help
        ax.set_xticks(ax.get_xticks(), wrapped)
        fig.canvas.draw()
        cell = ax.get_window_extent(renderer).width / max(len(raw), 1) - 0.03 * fig.dpi
        if max(t.get_window_extent(renderer).width for t in ax.get_xticklabels()) <= cell:
            return
        chars -= 2
    ax.set_xticks(ax.get_xticks(), raw)
    for label in ax.get_xticklabels():
        label.set_rotation(40)
        label.set_horizontalalignment("right")
        label.set_rotation_mode("anchor")
