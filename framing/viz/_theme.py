"""The paper theme: figure sizes for one or two journal columns, print-size fonts, a palette.

The palette is Okabe & Ito's colour-blind-safe set, reordered so that the first series (the
three frames of the default codebook) also differ in lightness when printed in grayscale. Past
the third or fourth series the Okabe-Ito colours share lightness, so every series also gets its
own marker and line style; a reader of a grayscale print tells series apart by those.

Sequential data (heatmaps) use seaborn's ``mako`` ramp, whose lightness falls monotonically.

Output is vector with embedded TrueType fonts (``pdf.fonttype`` 42) and glyphs drawn as paths in
SVG, and is deterministic: a fixed SVG hash salt here, no creation date in
:func:`~framing.viz.save_figure`, and DejaVu Sans (shipped with matplotlib) as the default font,
so the same table gives byte-identical files on every machine.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import matplotlib as mpl
import numpy as np
import seaborn as sns
from cycler import cycler
from matplotlib.colors import Colormap, to_rgb

from framing.corpus import InstanceOf, Options, validate_params

Width = Literal["single", "double"]
Context = Literal["paper", "notebook", "talk"]

#: Okabe-Ito colours, ordered for grayscale: blue, orange, black, bluish green, reddish purple,
#: sky blue, vermillion, yellow.
PALETTE: tuple[str, ...] = (
    "#0072B2", "#E69F00", "#000000", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
)
#: One marker per series, in palette order; filled shapes that stay distinct at 4 pt.
MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P", "X", "*")
#: One line style per series, in palette order.
LINESTYLES: tuple[Any, ...] = (
    "-", "--", ":", "-.", (0, (5, 1.5, 1, 1.5, 1, 1.5)), (0, (8, 2)), (0, (1, 3)), (0, (3, 3)),
)
#: Figure widths in inches: one column and the full page of a two-column journal.
WIDTHS: dict[str, float] = {"single": 3.5, "double": 7.2}
#: Base font size in points per context; ticks and legends are 1 pt smaller, never below 7 pt.
_BASE_FONT: dict[str, float] = {"paper": 8.0, "notebook": 10.0, "talk": 13.0}
#: The sequential colour map of heatmaps (light = low, dark = high).
SEQUENTIAL_CMAP = "mako_r"
#: Reference lines, event markers, faint spread: one neutral gray.
NEUTRAL = "#6e6e6e"

# Read when a figure is saved, so save_figure applies them too.
SAVE_RC: dict[str, Any] = {
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.fonttype": "path",
    "svg.hashsalt": "framing-viz",
    "pdf.compression": 6,
    "savefig.bbox": None,  # keep the column width exact; constrained layout keeps text inside
    "savefig.transparent": False,
    "savefig.facecolor": "white",
}


def paper_theme(width: Width = "single", context: Context = "paper", *,
                aspect: float = 0.62, font: str = "DejaVu Sans") -> dict[str, Any]:
    """The matplotlib rc settings of the paper theme, to use with ``matplotlib.rc_context``.

    Parameters
    ----------
    width : {"single", "double"}, default="single"
        Figure width: one column (3.5 in) or two columns (7.2 in).
    context : {"paper", "notebook", "talk"}, default="paper"
        Font scale: 8 pt text for print, 10 pt for screens, 13 pt for slides. Tick labels and
        legends are 1 pt smaller and never below 7 pt.
    aspect : float, default=0.62
        Default figure height as a share of its width.
    font : str, default="DejaVu Sans"
        Sans-serif font family. The default ships with matplotlib, which keeps files
        identical across machines; a journal font ("Arial") must be installed.

    Returns
    -------
    dict
        rcParams: seaborn's ``ticks`` style without top and right spines, font sizes, the
        palette with markers and line styles as the property cycle, constrained layout, and
        the vector-output and determinism settings.

    Examples
    --------
    >>> import matplotlib
    >>> rc = paper_theme("double")
    >>> rc["figure.figsize"], rc["pdf.fonttype"], rc["xtick.labelsize"] >= 7
    ((7.2, 4.464), 42, True)
    >>> with matplotlib.rc_context(rc):
    ...     matplotlib.rcParams["font.size"]
    8.0
    """
    validate_params("paper_theme", {"width": width, "context": context, "aspect": aspect,
                                    "font": font},
                    {"width": [Options(WIDTHS)], "context": [Options(_BASE_FONT)],
                     "aspect": [InstanceOf((float, int))], "font": [InstanceOf((str,))]})
    base = _BASE_FONT[context]
    small = max(7.0, base - 1.0)
    figure_width = WIDTHS[width]
    rc: dict[str, Any] = dict(sns.axes_style("ticks"))
    rc.update({
        "font.family": "sans-serif",
        "font.sans-serif": [font, "DejaVu Sans"],
        "font.size": base,
        "axes.titlesize": base,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "axes.titlepad": 4.0,
        "axes.labelsize": base,
        "axes.labelpad": 3.0,
        "xtick.labelsize": small,
        "ytick.labelsize": small,
        "legend.fontsize": small,
        "legend.title_fontsize": base,
        "legend.frameon": False,
        "legend.handlelength": 2.4,
        "legend.borderaxespad": 0.3,
        "legend.columnspacing": 1.2,
        "figure.titlesize": base + 1.0,
        "figure.titleweight": "bold",
        "figure.figsize": (figure_width, round(figure_width * float(aspect), 3)),
        "figure.dpi": 100,
        "figure.facecolor": "white",
        "figure.constrained_layout.use": True,
        "figure.constrained_layout.h_pad": 0.03,
        "figure.constrained_layout.w_pad": 0.03,
        "axes.facecolor": "white",
        "axes.edgecolor": "#333333",
        "axes.linewidth": 0.6,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": False,
        "axes.axisbelow": True,
        "grid.color": "#dddddd",
        "grid.linewidth": 0.5,
        "xtick.major.width": 0.6,
        "ytick.major.width": 0.6,
        "xtick.major.size": 2.5,
        "ytick.major.size": 2.5,
        "xtick.color": "#333333",
        "ytick.color": "#333333",
        "text.color": "#1a1a1a",
        "axes.labelcolor": "#1a1a1a",
        "lines.linewidth": 1.2,
        "lines.markersize": 4.0,
        "patch.linewidth": 0.5,
        "errorbar.capsize": 0.0,
        "image.cmap": SEQUENTIAL_CMAP,
        "axes.prop_cycle": (cycler(color=list(PALETTE)) + cycler(marker=list(MARKERS))
                            + cycler(linestyle=list(LINESTYLES))),
        "savefig.dpi": 300,
        "savefig.format": "pdf",
    })
    rc.update(SAVE_RC)
    return rc


def use_paper_theme(width: Width = "single", context: Context = "paper", **kwargs: Any
                    ) -> dict[str, Any]:
    """Apply :func:`paper_theme` to matplotlib's global settings (for a notebook session).

    The chart functions apply the theme themselves; this makes the user's own plots match.
    Returns the settings applied; ``matplotlib.rcdefaults()`` undoes them.

    Examples
    --------
    >>> import matplotlib
    >>> with matplotlib.rc_context():  # only to leave the doctest session as it was
    ...     _ = use_paper_theme("single")
    ...     matplotlib.rcParams["pdf.fonttype"]
    42
    """
    rc = paper_theme(width, context, **kwargs)
    mpl.rcParams.update(rc)
    return rc


def series_style(index: int) -> dict[str, Any]:
    """Colour, marker and line style of the ``index``-th series (cycling past eight)."""
    return {"color": PALETTE[index % len(PALETTE)], "marker": MARKERS[index % len(MARKERS)],
            "linestyle": LINESTYLES[index % len(LINESTYLES)]}


def series_styles(names: list[Any]) -> dict[Any, dict[str, Any]]:
    """A style per series name, in the order given (so a frame keeps its colour)."""
    return {name: series_style(i) for i, name in enumerate(names)}


def grayscale_lightness(colour: Any) -> float:
    """CIE L* (0 black to 100 white) of a colour: what a grayscale print shows of it.

    Examples
    --------
    >>> round(grayscale_lightness("#000000")), round(grayscale_lightness("#ffffff"))
    (0, 100)
    """
    rgb = np.asarray(to_rgb(colour), dtype=float)
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    luminance = float(linear @ np.array([0.2126, 0.7152, 0.0722]))
    if luminance <= 216 / 24389:
        return luminance * 24389 / 27
    return 116.0 * luminance ** (1.0 / 3.0) - 16.0


def sequential_cmap() -> Colormap:
    """The heatmap colour map (seaborn ``mako``, reversed: light for low values)."""
    return sns.color_palette(SEQUENTIAL_CMAP, as_cmap=True)


def theme_for(width: Width, context: Context, height: float | None,
              extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The theme with an explicit figure height in inches, for the chart functions."""
    rc = paper_theme(width, context)
    if height is not None:
        rc["figure.figsize"] = (WIDTHS[width], float(height))
    if extra:
        rc.update(extra)
    return rc
