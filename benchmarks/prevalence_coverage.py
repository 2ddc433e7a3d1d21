"""Simulation: bias, 95% interval coverage and width of the prevalence estimators.

Two designs.

``--design shift`` (issue 7): each replication draws a labelled validation set at the training
prevalence and a target set at a shifted prevalence, both made of articles with several
passages whose labels are correlated within the article (an article-level propensity drawn
from a Beta around the prevalence). A passage's classifier score is ``x ~ N(+1, 1)`` for a
positive and ``N(-1, 1)`` for a negative; its probability is the exact posterior under the
training prevalence, ``sigmoid(logit(pi_train) + 2x)``, and its decision is ``p >= 0.5`` (so the
classifier is calibrated on the training data and errs with tpr = 0.84, fpr = 0.16 at
pi_train = 0.5). Truth: the target's population prevalence ``pi_target``.

``--design groups`` (issue 18): what a paper measures. Each replication has five groups of 65
passages (articles of 1 + Poisson(0.3) passages, labels correlated within the article) with
prevalences 0.05, 0.1, 0.2, 0.3 and 0.4, and a labelled validation set of 300 passages at a
prevalence drawn from U(0.06, 0.16), like real coded data. Scores: ``N(0, 1)`` for negatives
and ``N(d, s)`` for positives, ``d`` set for the AUC (``s = 1``, "binormal", or ``s = 1.5``,
"unequal"); probabilities ``sigmoid(logit(pi_val) + d x - d^2 / 2)``, the exact posterior at
the validation prevalence when ``s = 1`` and mis-calibrated when ``s = 1.5``; decisions
``p >= 0.5``. With ``--coded c`` a random share ``c`` of every group's passages is coded too
(it joins the validation table, with its out-of-sample prediction); ``--in-sample`` gives
those coded passages, in the target table, the predictions of a model trained on them
(pushed towards their label), the mistake ``SharedPassagesWarning`` is about. Truth: the
group's share (its passages' labels: what coding all of them would find), and the rate
``pi_g`` that generated it (reported too).

Reported per method: bias and mean absolute error against the truth, the share of intervals
that cover it, and the mean interval width. Besides the package's methods the groups design
runs PPI++ (prediction-powered inference with power tuning, on each group's own coded
passages) for comparison, when groups have coded passages.

Usage::

    python benchmarks/prevalence_coverage.py --design shift [--replications 1000]
        [--bootstrap 1000] [--target-prevalence 0.2] [--train-prevalence 0.5] [--seed 0]
    python benchmarks/prevalence_coverage.py --design groups [--replications 500]
        [--bootstrap 1000] [--auc 0.85,0.9,0.95] [--coded 0,0.2] [--scores binormal]
        [--in-sample] [--seed 0] [--out results.csv]
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd
from scipy.stats import norm

from framing.measure import (
    SharedPassagesWarning,
    ThinCellWarning,
    WeakClassifierWarning,
    estimate_prevalence,
)

METHODS = ("cc", "pcc", "acc", "pacc", "em")
GROUP_METHODS = ("cc", "pcc", "acc", "pacc", "em", "validation", "combined", "ppi",
                 "posterior")
GROUP_PREVALENCES = (0.05, 0.1, 0.2, 0.3, 0.4)


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


# -- the groups design (issue 18) ----------------------------------------------------------------

def score_separation(auc: float, positive_sd: float) -> float:
    """Mean score of positives (negatives: 0, sd 1) giving this AUC: ``d / sqrt(1 + s^2)``."""
    return float(np.sqrt(1 + positive_sd**2) * norm.ppf(auc))


def simulate_group(rng: np.random.Generator, *, prevalence: float, n_passages: int,
                   auc: float, positive_sd: float, calibration_prevalence: float,
                   prefix: str, passages_per_document: float = 1.3,
                   dispersion: float = 4.0) -> pd.DataFrame:
    """Passages in articles of ``1 + Poisson(passages_per_document - 1)``, with labels,
    probabilities and decisions (see the module docstring)."""
    sizes = 1 + rng.poisson(passages_per_document - 1, size=n_passages)
    doc = np.repeat(np.arange(n_passages), sizes)[:n_passages]
    propensity = rng.beta(prevalence * dispersion, (1 - prevalence) * dispersion,
                          size=n_passages)
    labels = (rng.random(n_passages) < propensity[doc]).astype(int)
    d = score_separation(auc, positive_sd)
    score = np.where(labels == 1, rng.normal(d, positive_sd, n_passages),
                     rng.normal(0.0, 1.0, n_passages))
    logit = np.log(calibration_prevalence / (1 - calibration_prevalence)) + d * score - d * d / 2
    probability = 1 / (1 + np.exp(-logit))
    return pd.DataFrame({
        "passage_id": [f"{prefix}:{i}" for i in range(n_passages)],
        "doc_id": [f"{prefix}-{k}" for k in doc], "frame": labels, "p_frame": probability,
        "is_frame": (probability >= 0.5).astype(int)})


def groups_replication(seed: np.random.SeedSequence | int, *, auc: float, coded: float = 0.0,
                       positive_sd: float = 1.0, in_sample: bool = False,
                       n_validation: int = 300, group_size: int = 65,
                       prevalences: tuple[float, ...] = GROUP_PREVALENCES,
                       methods: tuple[str, ...] = GROUP_METHODS, n_bootstrap: int = 1000,
                       passages_per_document: float = 1.3,
                       random_state: int = 0) -> pd.DataFrame:
    """One replication of the groups design: the prevalence table with the truths beside it."""
    rng = np.random.default_rng(seed)
    validation_prevalence = rng.uniform(0.06, 0.16)
    validation = simulate_group(rng, prevalence=validation_prevalence,
                                n_passages=n_validation, auc=auc, positive_sd=positive_sd,
                                calibration_prevalence=validation_prevalence, prefix="v",
                                passages_per_document=passages_per_document)
    groups = []
    for g, prevalence in enumerate(prevalences):
        group = simulate_group(rng, prevalence=prevalence, n_passages=group_size, auc=auc,
                               positive_sd=positive_sd,
                               calibration_prevalence=validation_prevalence, prefix=f"g{g}",
                               passages_per_document=passages_per_document)
        groups.append(group.assign(group=f"g{g}", rate=prevalence,
                                   is_coded=rng.random(group_size) < coded))
    target = pd.concat(groups, ignore_index=True)
    labelled = pd.concat([validation.assign(group="elsewhere"),
                          target.loc[target["is_coded"], [*validation.columns, "group"]]],
                         ignore_index=True)
    if in_sample:  # a model's predictions on its own training passages: pushed to the label
        coded_rows = target["is_coded"].to_numpy()
        logit = np.log(target["p_frame"] / (1 - target["p_frame"]))
        pushed = 1 / (1 + np.exp(-(logit + 3.0 * (2 * target["frame"] - 1))))
        target.loc[coded_rows, "p_frame"] = pushed[coded_rows]
        target["is_frame"] = (target["p_frame"] >= 0.5).astype(int)
    if not coded:
        methods = tuple(m for m in methods if m not in ("validation", "combined", "ppi"))
    with warnings.catch_warnings():
        for category in (ThinCellWarning, WeakClassifierWarning, SharedPassagesWarning):
            warnings.simplefilter("ignore", category)
        table = estimate_prevalence(
            target.drop(columns=["frame", "rate", "is_coded"]), by="group",
            method=[m for m in methods if m != "ppi"], validation=labelled, frames=["frame"],
            n_bootstrap=n_bootstrap, random_state=random_state)
    if "ppi" in methods:
        table = pd.concat([table, ppi_table(target, labelled)], ignore_index=True)
    truth = target.groupby("group").agg(share=("frame", "mean"), rate=("rate", "first"))
    return table.join(truth, on="group")


def ppi_table(target: pd.DataFrame, labelled: pd.DataFrame,
              confidence: float = 0.95) -> pd.DataFrame:
    """PPI++ (Angelopoulos, Duchi and Zrnic 2023) per group, for comparison: the mean label of
    the group's coded passages plus ``lambda`` times the gap between the mean probability of
    its uncoded passages and that of its coded ones (out-of-sample), ``lambda`` tuned for the
    smallest variance, with its normal interval (clipped to [0, 1])."""
    out_of_sample = labelled.set_index("passage_id")["p_frame"]
    z = norm.ppf(0.5 + confidence / 2)
    rows = []
    for group, part in target.groupby("group"):
        coded, uncoded = part[part["is_coded"]], part[~part["is_coded"]]
        y = coded["frame"].to_numpy(float)
        f_coded = out_of_sample.loc[coded["passage_id"]].to_numpy()
        f_uncoded = uncoded["p_frame"].to_numpy()
        n, big_n = y.size, f_uncoded.size
        if n < 2:
            continue
        spread = np.var(f_coded, ddof=1)
        weight = (np.clip(np.cov(y, f_coded)[0, 1] / ((1 + n / big_n) * spread), 0, 1)
                  if spread > 0 else 0.0)
        estimate = y.mean() + weight * (f_uncoded.mean() - f_coded.mean())
        se = np.sqrt(np.var(y - weight * f_coded, ddof=1) / n
                     + weight**2 * np.var(f_uncoded, ddof=1) / big_n)
        rows.append({"group": group, "frame": "frame", "method": "ppi",
                     "estimate": float(np.clip(estimate, 0, 1)),
                     "ci_low": float(np.clip(estimate - z * se, 0, 1)),
                     "ci_high": float(np.clip(estimate + z * se, 0, 1)), "se": float(se)})
    return pd.DataFrame(rows)


def run_groups(replications: int, *, auc: float, coded: float = 0.0, positive_sd: float = 1.0,
               in_sample: bool = False, methods: tuple[str, ...] = GROUP_METHODS,
               n_bootstrap: int = 1000, passages_per_document: float = 1.3,
               seed: int = 0) -> pd.DataFrame:
    """``replications`` seeded replications of the groups design, stacked."""
    children = np.random.SeedSequence(seed).spawn(replications)
    return pd.concat([
        groups_replication(child, auc=auc, coded=coded, positive_sd=positive_sd,
                           in_sample=in_sample, methods=methods, n_bootstrap=n_bootstrap,
                           passages_per_document=passages_per_document,
                           random_state=r).assign(replication=r)
        for r, child in enumerate(children)], ignore_index=True)


def bound_width(auc: float, prevalence: float, *, positive_sd: float = 1.0,
                n_passages: int = 65, confidence: float = 0.95, seed: int = 0) -> float:
    """The narrowest 95% interval for a group's share that its scores allow, no passage coded.

    With the two classes' score distributions known exactly (an infinite validation set), the
    maximum-likelihood share has asymptotic variance ``pi (1 - pi) (k - 1) / n`` with
    ``k = pi (1 - pi) / Var(P(y = 1 | score))``: Fisher's information about ``pi`` in the
    mixture, plus the labels' own spread given the scores. ``Var`` by Monte Carlo (10^6 draws).
    """
    rng = np.random.default_rng(seed)
    labels = rng.random(1_000_000) < prevalence
    d = score_separation(auc, positive_sd)
    score = np.where(labels, rng.normal(d, positive_sd, labels.size),
                     rng.normal(0.0, 1.0, labels.size))
    ratio = norm.pdf(score, d, positive_sd) / norm.pdf(score)
    posterior = prevalence * ratio / (prevalence * ratio + 1 - prevalence)
    k = prevalence * (1 - prevalence) / posterior.var()
    se = np.sqrt(prevalence * (1 - prevalence) * (k - 1) / n_passages)
    return float(2 * norm.ppf(0.5 + confidence / 2) * se)


def summarize_groups(results: pd.DataFrame, truth: str = "share") -> pd.DataFrame:
    """Bias, MAE, coverage and mean width per method and group prevalence (the rate)."""
    results = results.assign(
        error=results["estimate"] - results[truth],
        covered=(results["ci_low"] <= results[truth]) & (results[truth] <= results["ci_high"]),
        width=results["ci_high"] - results["ci_low"])
    return results.groupby(["method", "rate"], sort=False).agg(
        bias=("error", "mean"), mae=("error", lambda e: e.abs().mean()),
        coverage=("covered", "mean"), width=("width", "mean"))


def _markdown(summary: pd.DataFrame) -> str:
    lines = ["| method | bias | MAE | coverage | mean width |", "|---|---:|---:|---:|---:|"]
    for method, row in summary.iterrows():
        lines.append(f"| {method} | {row['bias']:+.4f} | {row['mae']:.4f} | "
                     f"{row['coverage']:.3f} | {row['width']:.3f} |")
    return "\n".join(lines)


def _groups_markdown(summary: pd.DataFrame) -> str:
    rates = sorted(summary.index.get_level_values("rate").unique())
    lines = ["| method | " + " | ".join(f"{r:g}" for r in rates) + " | all |",
             "|---|" + "---|" * (len(rates) + 1)]
    for method in dict.fromkeys(summary.index.get_level_values("method")):
        part = summary.loc[method]
        cells = [f"{part.loc[r, 'coverage']:.3f} / {part.loc[r, 'width']:.3f} / "
                 f"{part.loc[r, 'mae']:.3f}" for r in rates]
        cells.append(f"{part['coverage'].mean():.3f} / {part['width'].mean():.3f} / "
                     f"{part['mae'].mean():.3f}")
        lines.append(f"| {method} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--design", choices=["shift", "groups"], default="groups")
    parser.add_argument("--replications", type=int, default=500)
    parser.add_argument("--bootstrap", type=int, default=1000)
    parser.add_argument("--target-prevalence", type=float, default=0.2)
    parser.add_argument("--train-prevalence", type=float, default=0.5)
    parser.add_argument("--auc", default="0.85,0.9,0.95")
    parser.add_argument("--coded", default="0,0.2", help="share of each group's passages coded")
    parser.add_argument("--scores", default="binormal", help="binormal and/or unequal")
    parser.add_argument("--in-sample", action="store_true")
    parser.add_argument("--passages-per-article", type=float, default=1.3,
                        help="groups design: mean passages per article (1 + Poisson)")
    parser.add_argument("--methods", default=",".join(GROUP_METHODS),
                        help="groups design: the methods to run")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", help="write every replication's table (.csv)")
    args = parser.parse_args()
    if args.design == "shift":
        for target in sorted({args.target_prevalence, args.train_prevalence}):
            start = time.perf_counter()
            results = run(args.replications, args.bootstrap, target, args.train_prevalence,
                          args.seed)
            seconds = time.perf_counter() - start
            print(f"\npi_train={args.train_prevalence}, pi_target={target}: "
                  f"{args.replications} replications, {args.bootstrap} bootstrap draws, "
                  f"{seconds:.1f} s")
            print(_markdown(summarize(results)))
        return
    stacked = []
    for scores in args.scores.split(","):
        for auc in (float(a) for a in args.auc.split(",")):
            for coded in (float(c) for c in args.coded.split(",")):
                start = time.perf_counter()
                results = run_groups(args.replications, auc=auc, coded=coded,
                                     positive_sd=1.5 if scores == "unequal" else 1.0,
                                     in_sample=args.in_sample, n_bootstrap=args.bootstrap,
                                     methods=tuple(args.methods.split(",")),
                                     passages_per_document=args.passages_per_article,
                                     seed=args.seed)
                seconds = time.perf_counter() - start
                print(f"\nscores={scores}, AUC={auc}, coded={coded}, in_sample={args.in_sample}: "
                      f"{args.replications} replications x 5 groups, {args.bootstrap} draws, "
                      f"{seconds:.0f} s; cells: coverage of the share / mean width / MAE")
                print(_groups_markdown(summarize_groups(results)))
                if not coded:
                    sd = 1.5 if scores == "unequal" else 1.0
                    print("| bound (width) | " + " | ".join(
                        f"{bound_width(auc, r, positive_sd=sd):.3f}"
                        for r in GROUP_PREVALENCES) + " | |")
                print("coverage of the rate pi_g: " + ", ".join(
                    f"{m} {c:.3f}" for m, c in summarize_groups(results, "rate")
                    .groupby(level="method", sort=False)["coverage"].mean().items()))
                stacked.append(results.assign(scores=scores, auc=auc, coded=coded))
    if args.out:
        pd.concat(stacked, ignore_index=True).to_csv(args.out, index=False)


if __name__ == "__main__":
    main()
