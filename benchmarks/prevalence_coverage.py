"""Simulation: bias and 95% interval coverage of the prevalence estimators under prior shift.

Each replication draws a labelled validation set at the training prevalence and a target set
at a shifted prevalence, both made of articles with several passages whose labels are
correlated within the article (an article-level propensity drawn from a Beta around the
prevalence). A passage's classifier score is ``x ~ N(+1, 1)`` for a positive and ``N(-1, 1)``
for a negative; its probability is the exact posterior under the training prevalence,
``sigmoid(logit(pi_train) + 2x)``, and its decision is ``p >= 0.5`` (so the classifier is
calibrated on the training data and errs with tpr = 0.84, fpr = 0.16 at pi_train = 0.5).
:func:`framing.measure.estimate_prevalence` then estimates the target prevalence with every
method from one set of bootstrap draws (articles resampled, validation resampled too).

Reported per method: bias and mean absolute error against the target's *population*
prevalence ``pi_target`` (the estimand the bootstrap's sampling variance refers to), and the
share of replications whose 95% interval covers it.

Usage::

    python benchmarks/prevalence_coverage.py [--replications 1000] [--bootstrap 1000]
        [--target-prevalence 0.2] [--train-prevalence 0.5] [--seed 0]
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd

from framing.measure import ThinCellWarning, estimate_prevalence

METHODS = ("cc", "pcc", "acc", "pacc", "em")


def simulate_passages(rng: np.random.Generator, *, prevalence: float, n_documents: int,
                      passages_per_document: int, train_prevalence: float,
                      dispersion: float = 4.0, prefix: str = "d") -> pd.DataFrame:
    """One set of passages with true labels, scores, probabilities and decisions."""
    propensity = rng.beta(prevalence * dispersion, (1 - prevalence) * dispersion,
                          size=n_documents)
    doc = np.repeat(np.arange(n_documents), passages_per_document)
    labels = (rng.random(doc.size) < propensity[doc]).astype(int)
    score = rng.normal(np.where(labels == 1, 1.0, -1.0), 1.0)
    logit = np.log(train_prevalence / (1 - train_prevalence)) + 2 * score
    probability = 1 / (1 + np.exp(-logit))
    return pd.DataFrame({
        "doc_id": [f"{prefix}{d}" for d in doc], "group": "all",
        "frame": labels, "p_frame": probability,
        "is_frame": (probability >= 0.5).astype(int)})


def run(replications: int, n_bootstrap: int, target_prevalence: float,
        train_prevalence: float, seed: int, n_target_documents: int = 200,
        n_validation_documents: int = 150, passages_per_document: int = 2) -> pd.DataFrame:
    """One row per replication and method: estimate, interval, and the true prevalence."""
    rows = []
    children = np.random.SeedSequence(seed).spawn(replications)
    for r, child in enumerate(children):
        rng = np.random.default_rng(child)
        validation = simulate_passages(rng, prevalence=train_prevalence,
                                       n_documents=n_validation_documents,
                                       passages_per_document=passages_per_document,
                                       train_prevalence=train_prevalence, prefix="v")
        target = simulate_passages(rng, prevalence=target_prevalence,
                                   n_documents=n_target_documents,
                                   passages_per_document=passages_per_document,
                                   train_prevalence=train_prevalence, prefix="t")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ThinCellWarning)
            table = estimate_prevalence(target.drop(columns="frame"), by="group",
                                        method=list(METHODS), validation=validation,
                                        n_bootstrap=n_bootstrap, random_state=r)
        table["replication"] = r
        table["truth"] = target_prevalence
        rows.append(table)
    return pd.concat(rows, ignore_index=True)


def summarize(results: pd.DataFrame) -> pd.DataFrame:
    """Bias, MAE, coverage and mean interval width per method."""
    results = results.assign(
        error=results["estimate"] - results["truth"],
        covered=(results["ci_low"] <= results["truth"]) & (results["truth"] <= results["ci_high"]),
        width=results["ci_high"] - results["ci_low"])
    summary = results.groupby("method", sort=False).agg(
        bias=("error", "mean"), mae=("error", lambda e: e.abs().mean()),
        coverage=("covered", "mean"), width=("width", "mean"))
    return summary.loc[[m for m in METHODS if m in summary.index]]


def _markdown(summary: pd.DataFrame) -> str:
    lines = ["| method | bias | MAE | coverage | mean width |", "|---|---:|---:|---:|---:|"]
    for method, row in summary.iterrows():
        lines.append(f"| {method} | {row['bias']:+.4f} | {row['mae']:.4f} | "
                     f"{row['coverage']:.3f} | {row['width']:.3f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--replications", type=int, default=1000)
    parser.add_argument("--bootstrap", type=int, default=1000)
    parser.add_argument("--target-prevalence", type=float, default=0.2)
    parser.add_argument("--train-prevalence", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    for target in sorted({args.target_prevalence, args.train_prevalence}):
        start = time.perf_counter()
        results = run(args.replications, args.bootstrap, target, args.train_prevalence,
                      args.seed)
        seconds = time.perf_counter() - start
        print(f"\npi_train={args.train_prevalence}, pi_target={target}: "
              f"{args.replications} replications, {args.bootstrap} bootstrap draws, "
              f"{seconds:.1f} s")
        print(_markdown(summarize(results)))


if __name__ == "__main__":
    main()
