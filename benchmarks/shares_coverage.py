"""Simulation: bias, 95% interval coverage and width of the single-label share estimators.

Each replication draws a labelled validation set of ``--validation`` passages at a prior
``pi_val`` and ``--groups`` target groups of ``--group-size`` passages whose shares differ
from it (the design of ``prevalence_coverage.py --design groups``, for exclusive classes).
Passages come in articles of 1 + Poisson(0.3); an article's class propensities are drawn from
``Dirichlet(4 * shares)``, so classes are correlated within an article. A passage of class
``y`` gets scores ``x ~ N(d e_y, I)`` over the ``K`` classes, its probabilities are the exact
posterior under the validation prior, ``p_k ∝ pi_val_k exp(d x_k)`` (a classifier calibrated on
its training data; ``--sharpness s`` raises them to the power ``s`` and renormalises: ``s > 1``
an overconfident classifier, ``s < 1`` a timid one), and its decision is the most probable
class. ``d`` is set from the
one-vs-rest AUC of a class's own score, ``Phi(d / sqrt(2))``. Truth: each group's realised
shares (what coding all its passages would find).

Reported per method of :func:`framing.measure.estimate_shares`, over groups and classes: the
mean absolute bias of a (group, class) cell across replications, the mean absolute error
against the truth, the share of 95% intervals that cover it, and the mean interval width.

Usage::

    python benchmarks/shares_coverage.py [--replications 200] [--bootstrap 500]
        [--classes 4] [--auc 0.8,0.9] [--sharpness 1,1.5] [--group-size 65] [--groups 5]
        [--validation 300]
        [--seed 0] [--out results.csv]
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd
from scipy.stats import norm

from framing.measure import SHARE_METHODS, ThinCellWarning, estimate_shares


def class_names(n_classes: int) -> list[str]:
    return [f"c{k}" for k in range(n_classes)]


def validation_prior(n_classes: int) -> np.ndarray:
    """The validation (training) prior: decreasing shares, e.g. 0.4/0.3/0.2/0.1 for K = 4."""
    weights = np.arange(n_classes, 0, -1, dtype=float)
    return weights / weights.sum()


def group_shares(n_classes: int, n_groups: int) -> np.ndarray:
    """Each group's generating shares: the validation prior rotated (and, past K groups,
    flattened), so the groups differ from the training data and from each other."""
    prior = validation_prior(n_classes)
    rows = [np.roll(prior, g) if g < n_classes else (prior + 1 / n_classes) / 2
            for g in range(n_groups)]
    return np.vstack(rows)


def simulate(rng: np.random.Generator, *, shares: np.ndarray, n_passages: int, separation: float,
             prior: np.ndarray, prefix: str, sharpness: float = 1.0) -> pd.DataFrame:
    """``n_passages`` passages in articles, with true one-hot classes, probabilities, decisions."""
    n_classes = len(shares)
    sizes = []
    while sum(sizes) < n_passages:
        sizes.append(1 + rng.poisson(0.3))
    sizes[-1] -= sum(sizes) - n_passages
    doc = np.repeat(np.arange(len(sizes)), sizes)
    propensity = rng.dirichlet(4 * shares + 1e-3, size=len(sizes))
    labels = np.array([rng.choice(n_classes, p=propensity[d]) for d in doc])
    scores = rng.normal(size=(n_passages, n_classes)) + separation * np.eye(n_classes)[labels]
    logits = sharpness * (np.log(prior) + separation * scores)
    probabilities = np.exp(logits - logits.max(axis=1, keepdims=True))
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    decided = probabilities.argmax(axis=1)
    names = class_names(n_classes)
    table = pd.DataFrame({"doc_id": [f"{prefix}{d}" for d in doc]})
    for k, name in enumerate(names):
        table[f"p_{name}"] = probabilities[:, k]
    for k, name in enumerate(names):
        table[f"is_{name}"] = (decided == k).astype(int)
    for k, name in enumerate(names):
        table[name] = (labels == k).astype(int)
    return table


def replicate(seed: int, *, n_classes: int, auc: float, n_groups: int, group_size: int,
              n_validation: int, n_bootstrap: int, sharpness: float = 1.0) -> pd.DataFrame:
    """One replication: every method's estimate and interval per group and class."""
    rng = np.random.default_rng(seed)
    separation = float(np.sqrt(2) * norm.ppf(auc))
    prior = validation_prior(n_classes)
    validation = simulate(rng, shares=prior, n_passages=n_validation, separation=separation,
                          prior=prior, prefix="v", sharpness=sharpness)
    parts = []
    for g, shares in enumerate(group_shares(n_classes, n_groups)):
        part = simulate(rng, shares=shares, n_passages=group_size, separation=separation,
                        prior=prior, prefix=f"g{g}-", sharpness=sharpness)
        parts.append(part.assign(group=f"g{g}"))
    target = pd.concat(parts, ignore_index=True)
    names = class_names(n_classes)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ThinCellWarning)
        table = estimate_shares(target.drop(columns=names), by="group",
                                method=list(SHARE_METHODS), validation=validation,
                                n_bootstrap=n_bootstrap, random_state=seed)
    truth = target.groupby("group")[names].mean().stack().rename("truth")
    table = table.join(truth, on=["group", "frame"])
    return table.assign(replication=seed, auc=auc, n_classes=n_classes, sharpness=sharpness)


def summarise(results: pd.DataFrame) -> pd.DataFrame:
    """Per setting and method: mean |bias| of the (group, class) cells over replications (the
    plain mean bias is 0 by construction: shares sum to one), MAE, coverage, width."""
    error = results["estimate"] - results["truth"]
    covered = (results["ci_low"] <= results["truth"]) & (results["truth"] <= results["ci_high"])
    frame = results.assign(error=error, abs_error=error.abs(), covered=covered,
                           width=results["ci_high"] - results["ci_low"])
    keys = ["n_classes", "auc", "sharpness", "method"]
    cells = frame.groupby([*keys, "group", "frame"], sort=False)["error"].mean().abs()
    table = frame.groupby(keys, sort=False).agg(
        mae=("abs_error", "mean"), coverage=("covered", "mean"),
        width=("width", "mean"), n=("covered", "size")).reset_index()
    bias = cells.groupby(level=keys, sort=False).mean().rename("abs_bias").reset_index()
    table = table.merge(bias, on=keys, validate="one_to_one")
    return table[[*keys, "abs_bias", "mae", "coverage", "width", "n"]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=200)
    parser.add_argument("--bootstrap", type=int, default=500)
    parser.add_argument("--classes", default="4")
    parser.add_argument("--auc", default="0.8,0.9")
    parser.add_argument("--groups", type=int, default=5)
    parser.add_argument("--group-size", type=int, default=65)
    parser.add_argument("--validation", type=int, default=300)
    parser.add_argument("--sharpness", default="1",
                        help="logits times this: 1 calibrated, 1.5 overconfident, 0.7 timid")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=None)
    args = parser.parse_args(argv)
    results = []
    start = time.perf_counter()
    settings = [(int(k), float(a), float(t)) for k in args.classes.split(",")
                for a in args.auc.split(",") for t in args.sharpness.split(",")]
    for n_classes, auc, sharpness in settings:
        for r in range(args.replications):
            results.append(replicate(
                args.seed + r, n_classes=n_classes, auc=auc, n_groups=args.groups,
                group_size=args.group_size, n_validation=args.validation,
                n_bootstrap=args.bootstrap, sharpness=sharpness))
    table = pd.concat(results, ignore_index=True)
    if args.out:
        table.to_csv(args.out, index=False)
    with pd.option_context("display.width", 120, "display.float_format", "{:.3f}".format):
        print(summarise(table).to_string(index=False))
    print(f"{args.replications} replications, {args.bootstrap} draws, "
          f"{time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
