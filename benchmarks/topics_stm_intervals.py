"""Diagnosis: why our composition intervals for stm's rating effect were narrower than stm's.

On poliblog5k (stm's exported corpus, K=20 LDA, ``min_df=1``) the standard error of the
rating effect in ``topic ~ rating + bs(day, df=10)`` (nonrobust OLS, as stm's
``estimateEffect``) is compared with stm 1.3.7's recorded one, topic by topic after Hungarian
matching of the topics (median and range of the ratio), for:

* stm's own point theta (its recorded ``stm_K20_theta``): how much of stm's width its
  composition adds;
* our single Gibbs state's shares (``doc_topic_``), no draws;
* the composition with ``Dirichlet(alpha + n * theta)`` draws (one state's counts), split
  into the mean within-draw variance and the between-draw variance;
* the composition over ``--states`` Gibbs states saved ``--spacing`` sweeps apart after the
  fit (``Dirichlet(alpha + counts at state m mod S)``), split the same way.

R is not available here: stm's side is its record (../shared/data/poliblog5k_stm).

    python benchmarks/topics_stm_intervals.py --seed 2 --iterations 50 --spacing 2
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import patsy
from scipy.optimize import linear_sum_assignment

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from topics_stm import SHARED, load_stm  # noqa: E402

from framing.topics import DocumentTerms, TopicModel, topic_similarity  # noqa: E402

RATING = 1  # column of rating[T.Liberal] in the design


class Regression:
    """Nonrobust OLS of many outcomes on one design: the rating effect and its SE."""

    def __init__(self, x: np.ndarray) -> None:
        self.x, self.bread = x, np.linalg.pinv(x.T @ x)

    def fit(self, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        beta = (self.bread @ (self.x.T @ y)).T
        residuals = y - self.x @ beta.T
        sigma2 = (residuals ** 2).sum(axis=0) / (len(self.x) - self.x.shape[1])
        return beta[:, RATING], np.sqrt(sigma2 * self.bread[RATING, RATING])

    def composition(self, draws: list[np.ndarray]) -> dict[str, np.ndarray]:
        """Pooled SE (as stm's): within-draw variance plus the variance between draws."""
        fits = [self.fit(y) for y in draws]
        estimates = np.array([b for b, _ in fits])
        within = np.array([se ** 2 for _, se in fits]).mean(axis=0)
        between = estimates.var(axis=0, ddof=1)
        return {"total": np.sqrt(within + between), "within": np.sqrt(within),
                "between": np.sqrt(between)}


def dirichlet(concentration: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    gamma = rng.standard_gamma(np.maximum(concentration, 1e-12))
    return gamma / gamma.sum(axis=1, keepdims=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("--eta", type=float, default=0.01)
    parser.add_argument("--states", type=int, default=10)
    parser.add_argument("--spacing", type=int, default=2)
    parser.add_argument("--draws", type=int, default=25)
    args = parser.parse_args()
    folder = SHARED / "stm_reference"
    terms, stm = DocumentTerms.read(folder), load_stm(folder)
    regression = Regression(np.asarray(patsy.dmatrix("rating + bs(day, df=10)",
                                                     terms.metadata)))
    stm_se = stm["effects"]["std_error"].to_numpy()

    def ratio(name: str, se: np.ndarray, order: np.ndarray | None = None) -> None:
        r = (se if order is None else se[order]) / (stm_se if order is None else stm_se[rows])
        print(f"{name:46s} median {np.median(r):.2f}  range {r.min():.2f}-{r.max():.2f}")

    stm_theta = pd.read_csv(folder / "stm_K20_theta.csv.gz").to_numpy()[:, -20:]
    ratio("stm's point theta, OLS", regression.fit(stm_theta)[1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # tomotopy: workers > 1
        model = TopicModel(n_topics=20, kind="lda", min_df=1, n_iterations=args.iterations,
                           burn_in=args.iterations // 2, eta=args.eta, random_state=args.seed,
                           n_jobs=2, posterior_samples=0).fit(terms)
    position = {word: j for j, word in enumerate(model.vocabulary_.tolist())}
    ours = model.topic_word_[:, [position[word] for word in terms.vocabulary]]
    similarity = topic_similarity(stm["beta"], ours)
    rows, cols = linear_sum_assignment(-similarity)
    print(f"seed {args.seed}: matched similarity {similarity[rows, cols].mean():.3f}")
    theta, lengths = model.doc_topic_, model.doc_lengths_.astype(float)[:, None]
    rng = np.random.default_rng(args.seed)
    ratio("our one state's theta, OLS", regression.fit(theta)[1], cols)
    pooled = regression.composition(
        [dirichlet(model.alpha_ + lengths * theta, rng) for _ in range(args.draws)])
    for part, se in pooled.items():
        ratio(f"Dirichlet(alpha + n theta): {part}", se, cols)
    native, states = model.engine_model_, []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for _ in range(args.states):
            native.train(args.spacing, workers=2)
            states.append(np.array([np.bincount(d.topics, minlength=20) for d in native.docs],
                                   dtype=float))
    alpha = np.asarray(native.alpha, dtype=float)
    pooled = regression.composition(
        [dirichlet(alpha + states[m % len(states)], rng) for m in range(args.draws)])
    for part, se in pooled.items():
        ratio(f"{args.states} states {args.spacing} apart: {part}", se, cols)


if __name__ == "__main__":
    main()
