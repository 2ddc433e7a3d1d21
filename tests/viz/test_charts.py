"""Every chart renders realistic tables legibly, and refuses tables it cannot draw."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

import framing.viz as viz
from framing.corpus import InputError
from tests.viz.conftest import (
    CHARTS,
    EVENTS,
    FRAMES,
    LONG_OUTLETS,
    drawn_texts,
    make_agreement,
    make_confusion,
    make_crosstab,
    make_k_search,
    make_learning_curve,
    make_prevalence_by_outlet,
    make_prevalence_over_time,
    make_scores,
    make_topics_over_time,
    text_problems,
)


@pytest.fixture(scope="module", params=list(CHARTS))
def rendered(request: pytest.FixtureRequest) -> tuple[str, Figure]:
    function, make, kwargs = CHARTS[request.param]
    return request.param, getattr(viz, function)(make(), **kwargs)


def test_returns_a_figure_at_a_column_width(rendered: tuple[str, Figure]) -> None:
    _name, fig = rendered
    assert isinstance(fig, Figure)
    assert fig.get_size_inches()[0] in (3.5, 7.2)
    assert not plt.get_fignums()  # made outside pyplot: nothing global to close


def test_has_no_title_unless_asked(rendered: tuple[str, Figure]) -> None:
    # A figure for a paper carries no title: the caption says what it shows.
    _name, fig = rendered
    assert fig.get_suptitle() == ""


@pytest.mark.parametrize("chart", list(CHARTS))
def test_title_for_slides_is_meaningful(chart: str) -> None:
    function, make, kwargs = CHARTS[chart]
    fig = getattr(viz, function)(make(), **{**kwargs, "title": True})
    title = fig.get_suptitle()
    assert len(title.split()) >= 3
    assert title.lower() not in {"estimate", "value", "score", "frame", "topic"}
    assert text_problems(fig) == [], chart


def test_no_text_overlaps_or_leaves_the_figure(rendered: tuple[str, Figure]) -> None:
    name, fig = rendered
    assert text_problems(fig) == [], name


def test_every_text_is_readable_in_print(rendered: tuple[str, Figure]) -> None:
    _name, fig = rendered
    sizes = [t["size"] for t in drawn_texts(fig)]
    assert sizes and min(sizes) >= 7.0


def test_displays_itself_in_a_notebook(rendered: tuple[str, Figure]) -> None:
    # What Jupyter and nbconvert ask of a cell's value: a PNG, with no %matplotlib magic.
    from io import BytesIO

    from IPython.core.formatters import DisplayFormatter
    from PIL import Image

    name, fig = rendered
    data, metadata = DisplayFormatter().format(fig)
    assert "image/png" in data, name
    width, height = fig.get_size_inches() * fig.dpi
    shown = metadata["image/png"]
    assert abs(shown["width"] - width) <= 1 and abs(shown["height"] - height) <= 1
    with Image.open(BytesIO(data["image/png"])) as image:
        # drawn at twice its size, to be sharp on HiDPI screens
        assert abs(image.size[0] - 2 * width) <= 1 and abs(image.size[1] - 2 * height) <= 1
        assert len(image.convert("L").getcolors(maxcolors=1 << 16) or range(1 << 16)) > 10


def test_notebook_image_is_the_same_on_a_rerun() -> None:
    first = viz.plot_agreement(make_agreement())._repr_png_()
    assert viz.plot_agreement(make_agreement())._repr_png_() == first


@pytest.mark.parametrize(("observed", "n"), [(1.0, 4), (1.0, 10), (0.0, 69), (0.0, 125)])
def test_reliability_bins_at_zero_or_one(observed: float, n: int) -> None:
    # Rounding put a Wilson bound a hair inside a share of 0 or 1 for these bin sizes; the
    # error bar came out negative and matplotlib refused to draw it.
    table = pd.DataFrame({"frame": ["skeptic"] * 3, "mean_predicted": [0.1, 0.5, 0.95],
                          "observed": [0.2, 0.5, observed], "n": [40, 30, n]})
    fig = viz.plot_reliability(table)
    segments = [s for c in fig.axes[0].collections for s in c.get_segments()]
    assert len(segments) == 3
    for segment in segments:
        low, high = sorted(segment[:, 1])
        assert 0.0 <= low <= high <= 1.0
    top = [s for s in segments if np.isclose(s[0, 0], 0.95)][0]
    assert min(top[:, 1]) <= observed <= max(top[:, 1])


def test_long_outlet_names_do_not_overlap() -> None:
    # Six long outlet names down the y axis of a single-column figure.
    fig = viz.plot_prevalence_by_outlet(make_prevalence_by_outlet())
    names = {"".join(name.split()) for name in LONG_OUTLETS.values()}
    labels = [t for t in drawn_texts(fig) if "".join(t["text"].split()) in names]
    assert len(labels) == 6
    boxes = sorted((t["box"] for t in labels), key=lambda b: -b.y1)
    for upper, lower in zip(boxes, boxes[1:], strict=False):
        assert upper.y0 >= lower.y1  # stacked, no overlap
    assert min(b.x0 for b in boxes) >= 0


def test_prevalence_by_outlet_draws_every_point_and_interval() -> None:
    table = make_prevalence_by_outlet()
    fig = viz.plot_prevalence_by_outlet(table)
    ax = fig.axes[0]
    points = np.concatenate([np.asarray(line.get_xdata(), dtype=float) for line in ax.lines])
    assert sorted(np.round(points, 6)) == sorted(np.round(table["estimate"], 6))
    assert [t.get_text() for t in fig.legends[0].get_texts()] == FRAMES


def test_prevalence_by_outlet_refuses_several_periods() -> None:
    with pytest.raises(InputError, match="one row per outlet and frame.*Filter one period"):
        viz.plot_prevalence_by_outlet(make_prevalence_over_time())


def test_prevalence_over_time_marks_events_by_letter() -> None:
    fig = viz.plot_prevalence_over_time(make_prevalence_over_time(), events=EVENTS)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "A  Inauguration (20 Jan 2025)" in legend
    assert "B  Alaska summit (15 Aug 2025)" in legend
    letters = [t.get_text() for t in fig.axes[0].texts]
    assert letters == ["A", "B", "C"]
    assert len(fig.axes) == 18  # a row per frame, a column per outlet
    overlay = viz.plot_prevalence_over_time(make_prevalence_over_time(), events=EVENTS,
                                            layout="overlay")
    assert len(overlay.axes) == 6


def test_prevalence_over_time_grid_has_one_series_per_panel() -> None:
    table = make_prevalence_over_time(long_names=False)
    fig = viz.plot_prevalence_over_time(table)
    outlets = list(pd.unique(table["outlet"]))
    assert [ax.get_ylabel() for ax in fig.axes[::6]] == FRAMES
    assert [ax.get_title(loc="left").replace("\n", " ") for ax in fig.axes[:6]] == outlets
    ax = fig.axes[6 + 1]  # isolationist, the second outlet
    cells = table[(table["frame"] == "isolationist") & (table["outlet"] == outlets[1])]
    from matplotlib.collections import LineCollection, PathCollection
    (bars,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    (points,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    spans = np.array([sorted(segment[:, 1]) for segment in bars.get_segments()])
    np.testing.assert_allclose(spans, cells[["ci_low", "ci_high"]].to_numpy())
    # the points' areas grow with the passages behind each estimate
    areas = points.get_sizes()
    assert np.corrcoef(areas, cells["n_passages"])[0, 1] > 0.999


def test_prevalence_over_time_grid_refuses_too_many_outlets() -> None:
    table = make_prevalence_over_time(long_names=False)
    many = pd.concat([table.assign(outlet=table["outlet"] + suffix) for suffix in ("", " 2")])
    with pytest.raises(InputError, match="takes at most 8; the table has 12"):
        viz.plot_prevalence_over_time(many)
    assert len(viz.plot_prevalence_over_time(many, layout="overlay").axes) >= 12


@pytest.mark.parametrize("kind", ["string", "period", "timestamp", "day"])
def test_period_forms(kind: str) -> None:
    table = make_prevalence_over_time(long_names=False)
    table = table[table["outlet"] == "Harbor Daily"]
    if kind == "period":
        table = table.assign(period=pd.PeriodIndex(table["period"], freq="M"))
    elif kind == "timestamp":
        table = table.assign(period=pd.to_datetime(table["period"]))
    elif kind == "day":
        table = table.assign(period=table["period"] + "-15")
    fig = viz.plot_prevalence_over_time(table)
    x = fig.axes[0].lines[0].get_xdata()
    days = pd.to_datetime(np.asarray(x), unit="D", origin="unix")
    expected = {"string": "2025-01-16", "period": "2025-01-16", "timestamp": "2025-01-01",
                "day": "2025-01-15"}[kind]
    assert days[0] == pd.Timestamp(expected)  # a month is drawn at its middle


def test_bad_period_names_row_and_column() -> None:
    table = make_prevalence_over_time(long_names=False).head(6).copy()
    table.loc[table.index[4], "period"] = "last spring"
    with pytest.raises(InputError, match=r"row 5, field 'period': .*'last spring'"):
        viz.plot_prevalence_over_time(table)


def test_bad_event_date() -> None:
    with pytest.raises(InputError, match="event 'summit'"):
        viz.plot_prevalence_over_time(make_prevalence_over_time(), events={"summit": "soon"})


def test_not_a_number_names_row_and_column() -> None:
    table = make_agreement()
    table["alpha"] = table["alpha"].astype(object)
    table.loc[1, "alpha"] = "high"
    with pytest.raises(InputError, match=r"row 2, field 'alpha'"):
        viz.plot_agreement(table)


def test_frame_scores_take_the_cross_validation_table_as_returned() -> None:
    # cross_validate_frames(...)["scores"]: frames as an unnamed index, extra columns.
    scores = make_scores().rename_axis(None).assign(auc=[0.9, 0.8, 0.85], ece=0.04)
    fig = viz.plot_frame_scores(scores)
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert ticks == [f"{f}\n(n = {n} positives)" for f, n in zip(
        FRAMES, scores["n_positive"], strict=True)]
    assert fig.legends[0].get_texts()[-1].get_text() == (
        f"Macro F1 = {scores['f1'].mean():.2f}")


def test_top_words_from_a_fitted_topic_model() -> None:
    from framing.topics import TopicModel, top_words
    from tests.topics.conftest import FAST, make_tokens

    model = TopicModel(**FAST).fit(make_tokens())
    table = top_words(model, n=6, by="frex")
    fig = viz.plot_top_words(table, score_label="FREX score")
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title(loc="left") for ax in visible] == ["Topic 0", "Topic 1", "Topic 2"]
    assert [t.get_text() for t in visible[0].get_yticklabels()] == list(
        table[table["topic"] == 0].sort_values("rank")["word"].str.replace("_", " "))
    assert fig.subfigs[0].get_supxlabel() == "FREX score"


def test_top_words_show_phrases_with_spaces() -> None:
    table = pd.DataFrame({"topic": [0, 0], "rank": [1, 2], "word": ["donald_trump", "talks"],
                          "score": [0.2, 0.1]})
    fig = viz.plot_top_words(table)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["donald trump", "talks"]


def test_confusion_annotates_counts_and_row_shares() -> None:
    fig = viz.plot_confusion(make_confusion())
    cells = [t.get_text() for t in fig.axes[0].texts]
    assert cells == ["612\n(87%)", "88\n(13%)", "95\n(23%)", "317\n(77%)"]
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["absent", "present"]


def test_learning_curve_summarises_repeats() -> None:
    curve = make_learning_curve()
    fig = viz.plot_learning_curve(curve)
    means = curve.groupby(["frame", "n_train"], sort=False)["f1"].mean()
    drawn = [line for line in fig.axes[0].lines if line.get_linestyle() != "None"]
    assert np.allclose(drawn[0].get_ydata(), means["peacemaker"].to_numpy())
    summary = means.rename("f1_mean").reset_index()
    again = viz.plot_learning_curve(summary)  # already summarised, no spread
    assert len(again.legends[0].get_texts()) == 4


def test_k_search_panels_follow_the_metrics() -> None:
    fig = viz.plot_k_search(make_k_search(), metrics=["coherence_npmi", "exclusivity"],
                            selected_k=20)
    assert [ax.get_title(loc="left") for ax in fig.axes if ax.get_visible()] == [
        "Coherence (NPMI)", "Exclusivity"]
    assert fig.legends[0].get_texts()[-1].get_text() == "Chosen K = 20"


def test_k_search_without_metrics() -> None:
    with pytest.raises(InputError, match="at least one metric column: heldout_likelihood"):
        viz.plot_k_search(make_k_search()[["k", "seed"]])


def test_topics_over_time_single_line_per_panel() -> None:
    table = make_topics_over_time()
    table = table[table["outlet"] == table["outlet"].iloc[0]].drop(columns="outlet")
    fig = viz.plot_topics_over_time(table, group=None, title=True)
    assert len(fig.axes[0].collections) == 1  # the interval ribbon
    assert fig.get_suptitle() == "Topic prevalence over time"


def test_scores_out_of_range() -> None:
    scores = make_scores()
    scores.loc["skeptic", "recall"] = 69.0  # a percentage where a share belongs
    with pytest.raises(InputError, match=r"field 'recall': 69.0 is not in \[0, 1\]"):
        viz.plot_frame_scores(scores)


# chart -> the columns it needs (the documented contract)
REQUIRED = {
    "prevalence_by_outlet": ["outlet", "frame", "estimate", "ci_low", "ci_high"],
    "prevalence_over_time": ["outlet", "period", "frame", "estimate", "ci_low", "ci_high"],
    "topic_heatmap": ["outlet", "topic", "estimate"],
    "topics_over_time": ["topic", "outlet", "period", "estimate"],
    "top_words": ["topic", "rank", "word", "score"],
    "topic_frame_crosstab": ["topic", "frame", "share"],
    "frame_scores": ["frame", "precision", "recall", "f1"],
    "reliability": ["frame", "mean_predicted", "observed", "n"],
    "confusion": ["frame", "true", "predicted", "n"],
    "learning_curve": ["n_train", "frame", "f1"],
    "k_search": ["k"],
    "agreement": ["frame", "alpha", "ci_low", "ci_high"],
}


@pytest.mark.parametrize(("chart", "column"),
                         [(c, col) for c, cols in REQUIRED.items() for col in cols])
def test_missing_column_is_named(chart: str, column: str) -> None:
    function, make, kwargs = CHARTS[chart]
    table = make()
    if table.index.name is not None:
        table = table.reset_index()
    with pytest.raises(InputError, match=f"'{column}'|{column}") as error:
        getattr(viz, function)(table.drop(columns=column), **kwargs)
    assert column in str(error.value)
    assert error.value.field == column or chart in {"topic_frame_crosstab", "topic_heatmap"}


@pytest.mark.parametrize("chart", list(REQUIRED))
def test_empty_table_and_not_a_table(chart: str) -> None:
    function, make, kwargs = CHARTS[chart]
    with pytest.raises(InputError, match="empty table"):
        getattr(viz, function)(make().iloc[0:0], **kwargs)
    with pytest.raises(InputError, match="needs a pandas DataFrame; got list"):
        getattr(viz, function)([1, 2], **kwargs)


def test_topic_tables_may_name_topics_measure() -> None:
    # The prevalence table's generic name for what it measures is "measure".
    from tests.viz.conftest import make_topic_prevalence

    table = make_topic_prevalence().rename(columns={"topic": "measure"})
    fig = viz.plot_topic_heatmap(table)
    assert fig.axes[0].get_yticklabels()[0].get_text() == "Topic 0: ceasefire, talks, summit"


@pytest.mark.parametrize(("title", "expected"), [
    (None, ""), ("", ""), (True, "Inter-coder agreement by frame"), ("Figure 2", "Figure 2")])
def test_title_can_be_replaced_or_dropped(title: str, expected: str) -> None:
    fig = viz.plot_agreement(make_agreement(), title=title)
    assert fig.get_suptitle() == expected


def test_charts_leave_global_settings_alone() -> None:
    import matplotlib as mpl

    before = dict(mpl.rcParams)
    viz.plot_prevalence_over_time(make_prevalence_over_time(), events=EVENTS)
    assert dict(mpl.rcParams) == before


def test_heatmap_cells_are_in_the_colour_bar_unit() -> None:
    from tests.viz.conftest import make_topic_prevalence

    fig = viz.plot_topic_heatmap(make_topic_prevalence())
    cells = [t.get_text() for t in fig.axes[0].texts]
    assert cells and all(re.fullmatch(r"\d{1,3}%", c) for c in cells)
    bar = fig.axes[1]
    assert all(t.get_text().endswith("%") for t in bar.get_yticklabels() if t.get_text())
    crosstab = viz.plot_topic_frame_crosstab(make_crosstab())
    assert all(re.fullmatch(r"\d{1,3}%", t.get_text()) for t in crosstab.axes[0].texts)


def test_topic_labels_show_phrases_as_words() -> None:
    from tests.viz.conftest import make_topic_prevalence

    table = make_topic_prevalence().assign(label="donetsk_region, peace_deal")
    fig = viz.plot_topic_heatmap(table)
    label = fig.axes[0].get_yticklabels()[0].get_text().replace("\n", " ")
    assert label == "Topic 0: donetsk region, peace deal"


def test_frame_scores_axis_is_zoomed_to_the_scores() -> None:
    scores = make_scores()
    fig = viz.plot_frame_scores(scores)
    low, high = fig.axes[0].get_xlim()
    assert (low, high) == (0.4, 1.0)  # lowest score 0.52
    high_scores = scores.assign(precision=0.93, recall=0.91, f1=0.92)
    assert viz.plot_frame_scores(high_scores).axes[0].get_xlim() == (0.8, 1.0)


def _one_outlet_topics() -> Figure:
    table = make_topics_over_time()
    table = table[table["outlet"] == table["outlet"].iloc[0]].drop(columns="outlet")
    return viz.plot_topics_over_time(table, group=None)  # one line per panel: with its band


@pytest.mark.parametrize("make_chart", [
    lambda: viz.plot_prevalence_over_time(make_prevalence_over_time(), layout="overlay"),
    _one_outlet_topics,
    lambda: viz.plot_learning_curve(make_learning_curve()),
    lambda: viz.plot_k_search(make_k_search()),
], ids=["prevalence_overlay", "topics_over_time", "learning_curve", "k_search"])
def test_legend_bands_look_like_the_plotted_bands(make_chart) -> None:
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Patch

    fig = make_chart()
    plotted = {tuple(np.round(c.get_facecolor()[0], 3)) for ax in fig.axes
               for c in ax.collections if len(c.get_facecolor())}
    swatches = [h for h in fig.legends[0].legend_handles if isinstance(h, Patch)]
    assert swatches
    for swatch in swatches:
        colour = tuple(np.round(to_rgba(swatch.get_facecolor()), 3))
        assert colour in plotted, (colour, plotted)


def test_prevalence_over_time_grid_draws_a_trend_with_its_band() -> None:
    from matplotlib.collections import PolyCollection
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Rectangle

    table = make_prevalence_over_time(long_names=False)
    fig = viz.plot_prevalence_over_time(table)
    bands = [[c for c in ax.collections if isinstance(c, PolyCollection)] for ax in fig.axes]
    assert all(len(band) == 1 for band in bands)  # one trend band in every panel
    ax = fig.axes[0]
    cells = table[(table["frame"] == FRAMES[0]) & (table["outlet"] == table["outlet"].iloc[0])]
    (trend,) = [line for line in ax.get_lines() if len(line.get_xdata()) > len(cells)]
    # the trend is smooth: far less month-to-month movement than the cells it runs through
    assert np.abs(np.diff(trend.get_ydata())).sum() < np.abs(np.diff(cells["estimate"])).sum()
    # the legend's band swatches are the panels' bands: colour and opacity
    plotted = {tuple(np.round(band[0].get_facecolor()[0], 3)) for band in bands}
    legend = fig.legends[0]
    drawn = {tuple(np.round(to_rgba(patch.get_facecolor()), 3))
             for patch in legend.findobj(Rectangle) if patch.get_alpha() is not None}
    assert drawn == plotted  # a piece per frame, each like its band
    assert "Trend with its 95% band (spline GLM)" in [t.get_text() for t in legend.get_texts()]
    plain = viz.plot_prevalence_over_time(table, trend=False)
    assert not any(isinstance(c, PolyCollection) for ax in plain.axes for c in ax.collections)


def test_trend_recovers_a_planted_smooth_share() -> None:
    from framing.viz._trend import smooth_trend

    rng = np.random.default_rng(7)
    x = np.arange(12.0) * 30.4
    truth = 1 / (1 + np.exp(-(-1.0 + 2.0 * np.sin(x / 365 * np.pi))))
    raw_error, trend_error, covered = [], [], []
    for _ in range(60):
        n = rng.integers(8, 40, size=12)
        share = rng.binomial(n, truth) / n
        trend = smooth_trend(x, share, n)
        fitted = np.interp(x, trend.x, trend.fit)
        raw_error.append(np.sqrt(np.mean((share - truth) ** 2)))
        trend_error.append(np.sqrt(np.mean((fitted - truth) ** 2)))
        covered.append(np.mean((np.interp(x, trend.x, trend.low) <= truth)
                               & (truth <= np.interp(x, trend.x, trend.high))))
    assert np.mean(trend_error) < 0.6 * np.mean(raw_error)
    assert np.mean(covered) > 0.85  # a pointwise 95% band


def test_trend_needs_four_cells() -> None:
    from framing.viz._trend import smooth_trend

    assert smooth_trend(np.arange(3.0), np.array([0.1, 0.2, 0.3]), np.ones(3)) is None
    flat = smooth_trend(np.arange(5.0), np.zeros(5), np.ones(5))
    assert flat is not None and np.all(flat.fit == 0)
