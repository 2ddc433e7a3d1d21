"""Realistic tables for every chart, shaped as the stages document them.

Prevalence uses the planted truth of the bundled sample corpus (corpora/sample/truth) with
Wilson intervals, and outlet names made long on purpose (labels must not collide).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.conftest import SAMPLE

FRAMES = ["peacemaker", "isolationist", "skeptic"]
LONG_OUTLETS = {
    "Capitol Signal": "The Capitol Signal Weekly Review of National Politics",
    "Harbor Daily": "Harbor Daily Morning Edition and Evening Post",
    "Ledger & Line": "Ledger & Line: Independent Journal of Record",
    "Northfield Courier": "The Northfield Courier-Gazette and Sunday Observer",
    "The Continental Review": "The Continental Review of Books, Politics and Culture",
    "The Meridian Post": "The Meridian Post-Dispatch International Edition",
}
TOPIC_LABELS = [
    "ceasefire, talks, summit", "sanctions, oil, price", "nato, alliance, spending",
    "aid, congress, package", "front, drone, offensive", "election, campaign, poll",
    "energy, grid, winter", "minerals, deal, resources", "prisoners, exchange, release",
    "territory, referendum, border", "tariffs, trade, europe", "refugees, border, shelter",
]
EVENTS = {"Inauguration": "2025-01-20", "Alaska summit": "2025-08-15",
          "White House meeting": "2025-08-18"}


def _wilson(share: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    z = 1.959964
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def make_prevalence_over_time(long_names: bool = True) -> pd.DataFrame:
    truth = pd.read_csv(SAMPLE / "truth" / "prevalence.csv")
    low, high = _wilson(truth["share"].to_numpy(), truth["n_passages"].to_numpy())
    table = pd.DataFrame({
        "outlet": truth["outlet"].map(LONG_OUTLETS) if long_names else truth["outlet"],
        "period": truth["month"], "frame": truth["frame"], "estimate": truth["share"],
        "ci_low": low, "ci_high": high, "n_passages": truth["n_passages"],
        "n_documents": (truth["n_passages"] * 0.8).round().astype(int), "method": "cc"})
    return table


def make_prevalence_by_outlet(long_names: bool = True) -> pd.DataFrame:
    truth = pd.read_csv(SAMPLE / "truth" / "prevalence.csv")
    truth["positives"] = truth["share"] * truth["n_passages"]
    grouped = truth.groupby(["outlet", "frame"], sort=False).agg(
        positives=("positives", "sum"), n_passages=("n_passages", "sum")).reset_index()
    share = (grouped["positives"] / grouped["n_passages"]).to_numpy()
    low, high = _wilson(share, grouped["n_passages"].to_numpy())
    return pd.DataFrame({
        "outlet": grouped["outlet"].map(LONG_OUTLETS) if long_names else grouped["outlet"],
        "frame": grouped["frame"], "estimate": share, "ci_low": low, "ci_high": high,
        "n_passages": grouped["n_passages"], "n_documents": grouped["n_passages"] // 2,
        "method": "cc"})


def make_topic_prevalence(n_topics: int = 12, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for outlet in LONG_OUTLETS.values():
        shares = rng.dirichlet(np.linspace(3.0, 0.6, n_topics))
        for topic, share in enumerate(shares):
            rows.append({"outlet": outlet, "topic": topic, "label": TOPIC_LABELS[topic],
                         "estimate": share, "n_documents": 150})
    return pd.DataFrame(rows)


def make_topics_over_time(n_topics: int = 6, seed: int = 4) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    months = pd.period_range("2025-01", "2025-12", freq="M")
    rows = []
    for outlet in list(LONG_OUTLETS.values())[:3]:
        for month in months:
            shares = rng.dirichlet(np.linspace(4.0, 1.0, n_topics) * 8)
            for topic, share in enumerate(shares):
                rows.append({"outlet": outlet, "period": month, "topic": topic,
                             "label": TOPIC_LABELS[topic], "estimate": share,
                             "ci_low": share * 0.8, "ci_high": min(1.0, share * 1.2)})
    return pd.DataFrame(rows)


def make_top_words(n_topics: int = 8, n_words: int = 10, seed: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    vocabulary = ["ceasefire", "negotiations", "summit", "sanctions", "territorial", "alliance",
                  "spending", "administration", "counteroffensive", "reconstruction", "drone",
                  "minerals", "referendum", "humanitarian", "tariffs", "congress", "package",
                  "election", "kremlin", "zelensky", "europe", "security", "guarantees",
                  "withdrawal", "prisoners", "exchange", "energy", "infrastructure"]
    rows = []
    for topic in range(n_topics):
        words = rng.choice(vocabulary, size=n_words, replace=False)
        scores = np.sort(rng.dirichlet(np.ones(40)))[::-1][:n_words]
        for rank, (word, score) in enumerate(zip(words, scores, strict=True), start=1):
            rows.append({"topic": topic, "label": TOPIC_LABELS[topic], "rank": rank,
                         "word": str(word), "score": float(score)})
    return pd.DataFrame(rows)


def make_crosstab(n_topics: int = 8, seed: int = 6) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = [{"topic": t, "label": TOPIC_LABELS[t], "frame": f, "share": float(rng.beta(2, 4))}
            for t in range(n_topics) for f in FRAMES]
    return pd.DataFrame(rows)


def make_scores() -> pd.DataFrame:
    return pd.DataFrame({"precision": [0.81, 0.64, 0.72], "recall": [0.77, 0.52, 0.69],
                         "f1": [0.79, 0.574, 0.705], "brier": [0.11, 0.16, 0.14],
                         "n_positive": [412, 187, 298]},
                        index=pd.Index(FRAMES, name="frame"))


def make_reliability(seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for i, frame in enumerate(FRAMES):
        for b in range(10):
            predicted = (b + 0.5) / 10
            n = int(rng.integers(8, 200)) if b < 7 else int(rng.integers(0, 25))
            observed = float(np.clip(predicted + (i - 1) * 0.06 + rng.normal(0, 0.04), 0, 1))
            rows.append({"frame": frame, "bin": b, "mean_predicted": predicted,
                         "observed": observed, "n": n})
    return pd.DataFrame(rows)


def make_confusion() -> pd.DataFrame:
    counts = {"peacemaker": [612, 88, 95, 317], "isolationist": [801, 71, 90, 97],
              "skeptic": [700, 102, 93, 205]}
    rows = []
    for frame, (tn, fp, fn, tp) in counts.items():
        for true, predicted, n in ((0, 0, tn), (0, 1, fp), (1, 0, fn), (1, 1, tp)):
            rows.append({"frame": frame, "true": true, "predicted": predicted, "n": n})
    return pd.DataFrame(rows)


def make_learning_curve(seed: int = 8) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for n_train in (50, 100, 200, 400, 800):
        for repeat in range(5):
            f1s = []
            for i, frame in enumerate(FRAMES):
                f1 = float(np.clip(0.86 - 0.05 * i - (0.45 + 0.1 * i) * (50 / n_train) ** 0.6
                                   + rng.normal(0, 0.025), 0, 1))
                f1s.append(f1)
                rows.append({"n_train": n_train, "frame": frame, "repeat": repeat, "f1": f1})
            rows.append({"n_train": n_train, "frame": "macro", "repeat": repeat,
                         "f1": float(np.mean(f1s))})
    return pd.DataFrame(rows)


def make_k_search(seed: int = 9) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for k in (5, 10, 15, 20, 25, 30, 40):
        for s in range(3):
            rows.append({"k": k, "seed": s,
                         "heldout_likelihood": -8.1 + 0.5 * np.log(k) - 0.004 * k
                         + rng.normal(0, 0.02),
                         "coherence_npmi": 0.12 - 0.0015 * (k - 15) ** 2 / 10
                         + rng.normal(0, 0.005),
                         "coherence_cv": 0.48 - 0.002 * abs(k - 20) + rng.normal(0, 0.01),
                         "exclusivity": 8.5 + 0.02 * k + rng.normal(0, 0.05)})
    return pd.DataFrame(rows)


def make_agreement() -> pd.DataFrame:
    return pd.DataFrame({"frame": FRAMES, "alpha": [0.84, 0.63, 0.74],
                         "ci_low": [0.77, 0.51, 0.65], "ci_high": [0.9, 0.73, 0.82],
                         "n_units": [200, 200, 200]})


# name -> (chart function name, table maker, keyword arguments)
CHARTS = {
    "prevalence_by_outlet": ("plot_prevalence_by_outlet", make_prevalence_by_outlet, {}),
    "prevalence_by_outlet_facet": ("plot_prevalence_by_outlet", make_prevalence_by_outlet,
                                   {"layout": "facet", "width": "double"}),
    "prevalence_over_time": ("plot_prevalence_over_time", make_prevalence_over_time,
                             {"events": EVENTS}),
    "prevalence_over_time_overlay": ("plot_prevalence_over_time", make_prevalence_over_time,
                                     {"events": EVENTS, "layout": "overlay"}),
    "topic_heatmap": ("plot_topic_heatmap", make_topic_prevalence, {}),
    "topics_over_time": ("plot_topics_over_time", make_topics_over_time,
                         {"events": {"Alaska summit": "2025-08-15"}}),
    "top_words": ("plot_top_words", make_top_words, {}),
    "topic_frame_crosstab": ("plot_topic_frame_crosstab", make_crosstab, {}),
    "frame_scores": ("plot_frame_scores", make_scores, {}),
    "reliability": ("plot_reliability", make_reliability, {}),
    "confusion": ("plot_confusion", make_confusion, {}),
    "learning_curve": ("plot_learning_curve", make_learning_curve, {}),
    "k_search": ("plot_k_search", make_k_search, {"selected_k": 20}),
    "agreement": ("plot_agreement", make_agreement, {}),
}


@pytest.fixture(scope="session")
def prevalence_over_time() -> pd.DataFrame:
    return make_prevalence_over_time()


@pytest.fixture(scope="session")
def prevalence_by_outlet() -> pd.DataFrame:
    return make_prevalence_by_outlet()


def drawn_texts(fig) -> list[dict]:
    """Every text matplotlib actually draws in ``fig``: its string, window extent in pixels,
    font size, rotation and anchor point.

    Recorded while the figure is drawn, so hidden panels, tick labels outside the axis limits
    and empty strings are left out exactly as the renderer leaves them out.
    """
    from unittest import mock

    from matplotlib.text import Text

    recorded = []
    original = Text.draw

    def spy(self, renderer):
        original(self, renderer)
        if self.get_visible() and self.get_text().strip():
            anchor = self.get_transform().transform(self.get_unitless_position())
            recorded.append({"text": self.get_text(), "box": self.get_window_extent(renderer),
                             "size": self.get_fontsize(), "rotation": self.get_rotation(),
                             "anchor": anchor, "lines": self.get_text().count("\n") + 1})
    with mock.patch.object(Text, "draw", spy):
        fig.canvas.draw()
    return recorded


def _parallel_apart(a: dict, b: dict, dpi: float) -> bool:
    """Two labels rotated alike (slanted column labels) sit on parallel lines; they are clear
    of each other when those lines are at least a line height apart."""
    if a["rotation"] == 0 or a["rotation"] != b["rotation"]:
        return False
    angle = np.deg2rad(a["rotation"])
    normal = np.array([-np.sin(angle), np.cos(angle)])
    distance = abs(float(np.dot(a["anchor"] - b["anchor"], normal)))
    line_px = max(a["size"] * a["lines"], b["size"] * b["lines"]) * dpi / 72.0
    return distance >= line_px


def text_problems(fig, tolerance_px: float = 0.5) -> list[str]:
    """Texts that overlap another text or stick out of the figure."""
    texts = drawn_texts(fig)
    width, height = fig.bbox.width, fig.bbox.height
    problems = []
    for item in texts:
        box = item["box"]
        if (box.x0 < -tolerance_px or box.y0 < -tolerance_px or box.x1 > width + tolerance_px
                or box.y1 > height + tolerance_px):
            problems.append(f"outside the figure: {item['text']!r} {box.bounds}")
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            overlap_w = min(a["box"].x1, b["box"].x1) - max(a["box"].x0, b["box"].x0)
            overlap_h = min(a["box"].y1, b["box"].y1) - max(a["box"].y0, b["box"].y0)
            if (overlap_w > tolerance_px and overlap_h > tolerance_px
                    and not _parallel_apart(a, b, fig.dpi)):
                problems.append(f"overlap: {a['text']!r} and {b['text']!r}")
    return problems
