"""The paper theme: sizes, print-size fonts, a palette that survives grayscale."""

from __future__ import annotations

import itertools

import matplotlib as mpl
import numpy as np
import pytest

from framing.corpus import InputError
from framing.viz import (
    LINESTYLES,
    MARKERS,
    PALETTE,
    WIDTHS,
    grayscale_lightness,
    paper_theme,
    use_paper_theme,
)
from framing.viz._theme import sequential_cmap


@pytest.mark.parametrize(("width", "inches"), [("single", 3.5), ("double", 7.2)])
def test_widths(width: str, inches: float) -> None:
    rc = paper_theme(width)
    assert rc["figure.figsize"][0] == inches == WIDTHS[width]
    assert 0 < rc["figure.figsize"][1] < inches


@pytest.mark.parametrize("context", ["paper", "notebook", "talk"])
def test_every_font_readable_at_print_size(context: str) -> None:
    rc = paper_theme("single", context)
    sizes = [rc[k] for k in ("font.size", "axes.titlesize", "axes.labelsize", "xtick.labelsize",
                             "ytick.labelsize", "legend.fontsize", "legend.title_fontsize")]
    assert min(sizes) >= 7.0
    assert paper_theme("single", "talk")["font.size"] > paper_theme("single", "paper")["font.size"]


def test_vector_output_settings() -> None:
    rc = paper_theme()
    assert rc["pdf.fonttype"] == 42 and rc["ps.fonttype"] == 42
    assert rc["svg.fonttype"] in {"path", "none"}
    assert rc["svg.hashsalt"]
    assert rc["axes.spines.top"] is False and rc["axes.spines.right"] is False
    with mpl.rc_context(rc):  # every key is one matplotlib knows
        assert mpl.rcParams["font.size"] == 8.0


@pytest.mark.parametrize(("argument", "value"), [("width", "triple"), ("context", "poster")])
def test_bad_option(argument: str, value: str) -> None:
    with pytest.raises(InputError, match=f"'{argument}' parameter of paper_theme"):
        paper_theme(**{argument: value})


def test_use_paper_theme_sets_global_settings() -> None:
    before = tuple(mpl.rcParams["figure.figsize"])
    with mpl.rc_context():  # restores the session's settings afterwards
        applied = use_paper_theme("double")
        assert mpl.rcParams["figure.figsize"][0] == 7.2 == applied["figure.figsize"][0]
        assert mpl.rcParams["pdf.fonttype"] == 42
    assert tuple(mpl.rcParams["figure.figsize"]) == before


def test_lightness_scale() -> None:
    assert grayscale_lightness("#000000") == pytest.approx(0.0)
    assert grayscale_lightness("#ffffff") == pytest.approx(100.0)
    assert grayscale_lightness("#777777") == pytest.approx(50.0, abs=1.0)


def _min_gap(colours: tuple[str, ...]) -> float:
    values = [grayscale_lightness(c) for c in colours]
    return min(abs(a - b) for a, b in itertools.combinations(values, 2))


def test_first_series_differ_in_grayscale() -> None:
    # The three frames of the default codebook print as clearly different grays (CIE L*).
    assert _min_gap(PALETTE[:3]) >= 20.0
    # Four series still differ by a visible step.
    assert _min_gap(PALETTE[:4]) >= 10.0


def test_every_series_has_its_own_marker_and_line_style() -> None:
    # Beyond four series lightness alone cannot separate Okabe-Ito colours; shapes do.
    assert len(PALETTE) == len(MARKERS) == len(LINESTYLES) == 8
    assert len(set(PALETTE)) == len(set(MARKERS)) == len({str(s) for s in LINESTYLES}) == 8


def test_no_series_is_near_white() -> None:
    # Lines must show on a white page: yellow (the lightest) comes last.
    lightness = [grayscale_lightness(c) for c in PALETTE]
    assert max(lightness[:7]) < 75.0


def test_sequential_map_lightness_is_monotonic() -> None:
    cmap = sequential_cmap()
    lightness = np.array([grayscale_lightness(cmap(x)[:3]) for x in np.linspace(0, 1, 64)])
    steps = np.diff(lightness)
    assert (steps < 0).all()  # light for low values, darker for every step up
    assert lightness[0] - lightness[-1] > 70.0
