"""The viz stage: publication charts of every stage's tables, in a paper theme.

Every chart is a function that takes the tidy table of its stage and returns a matplotlib
``Figure`` (made outside pyplot, so nothing global is touched and nothing needs closing);
:func:`save_figure` writes it as PDF, SVG and PNG, atomically and byte-identically on reruns.
:func:`paper_theme` gives the settings (one- or two-column width, print-size fonts, a
colour-blind-safe palette with a marker and line style per series, embedded fonts);
:func:`use_paper_theme` applies them to a notebook session.
"""

from __future__ import annotations

from framing.viz._diagnostics import (
    plot_agreement,
    plot_confusion,
    plot_frame_scores,
    plot_k_search,
    plot_learning_curve,
    plot_reliability,
)
from framing.viz._prevalence import plot_prevalence_by_outlet, plot_prevalence_over_time
from framing.viz._save import save_figure
from framing.viz._theme import (
    LINESTYLES,
    MARKERS,
    PALETTE,
    WIDTHS,
    grayscale_lightness,
    paper_theme,
    use_paper_theme,
)
from framing.viz._topics import (
    plot_top_words,
    plot_topic_frame_crosstab,
    plot_topic_heatmap,
    plot_topics_over_time,
)

__all__ = [
    "LINESTYLES", "MARKERS", "PALETTE", "WIDTHS", "grayscale_lightness", "paper_theme",
    "plot_agreement", "plot_confusion", "plot_frame_scores", "plot_k_search",
    "plot_learning_curve", "plot_prevalence_by_outlet", "plot_prevalence_over_time",
    "plot_reliability", "plot_top_words", "plot_topic_frame_crosstab", "plot_topic_heatmap",
    "plot_topics_over_time", "save_figure", "use_paper_theme",
]
