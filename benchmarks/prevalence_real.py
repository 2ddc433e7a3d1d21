"""Prevalence on real news: the coded role set's blind test part, per outlet bias group.

    python -m benchmarks.prevalence_real [--candidates mpnet_examples,default]
                                         [--blind-part 1|2|3] [--out FILE]

A candidate of ``frames_fewshot.py`` is trained on the 300 development passages of the main
draw; its grouped 5-fold out-of-fold predictions on them (with their gold labels) are the
``validation`` table. It then scores a blind part (``--blind-part 1``: the 180 test
passages, 60 per bias label; ``2``: the second blind part's 299, about 100 per label; ``3``:
the third's 282, 82-100 per label), and
:func:`framing.measure.estimate_prevalence` estimates each role's share per AllSides bias
label (left / center / right: 60 passages each) with every method. The truth is the coded
share of the group. No test passage is in ``validation``, so the groups have no coded
passage: the design of a study that codes a random sample and measures new coverage.
Printed: the error (estimate - truth), the 95% interval's width and whether it covers the
truth, per method, role and group, and a summary per method.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import pandas as pd

from benchmarks.frames_fewshot import CANDIDATES, ROLES, load_roles
from framing.frames import cross_validate_frames
from framing.measure import estimate_prevalence

METHODS = ["cc", "pcc", "acc", "pacc", "em", "posterior"]


def run(name: str, *, random_state: int = 0, blind_part: str = "1") -> pd.DataFrame:
    train = load_roles("dev")
    train = train[train["phase"] == "main"].head(300).reset_index(drop=True)
    test = load_roles({"1": "test", "2": "blind2", "3": "blind3"}[blind_part])
    make = CANDIDATES[name]
    validation = cross_validate_frames(make(), train[["passage_id", "doc_id", "text", *ROLES]],
                                       random_state=random_state)["predictions"]
    model = make().fit(train, train[list(ROLES)])
    frames = model.predict(test[["passage_id", "doc_id", "outlet", "bias", "text"]])
    table = estimate_prevalence(frames, by="bias", method=METHODS, validation=validation,
                                n_bootstrap=1000, random_state=random_state)
    truth = test.groupby("bias")[list(ROLES)].mean().stack().rename("truth")
    truth.index.names = ["bias", "frame"]
    table = table.merge(truth.reset_index(), on=["bias", "frame"], validate="many_to_one")
    table["error"] = table["estimate"] - table["truth"]
    table["width"] = table["ci_high"] - table["ci_low"]
    table["covers"] = (table["ci_low"] <= table["truth"]) & (table["truth"] <= table["ci_high"])
    table.insert(0, "candidate", name)
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", default="mpnet_examples,default")
    parser.add_argument("--blind-part", choices=["1", "2", "3"], default="1",
                        help="1: the 180 test passages; 2: the second blind part (299); 3: the "
                             "third (282)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    tables = [run(name, blind_part=args.blind_part) for name in args.candidates.split(",")]
    table = pd.concat(tables, ignore_index=True)
    if args.out:
        table.to_csv(args.out, index=False)
    columns = ["candidate", "method", "frame", "bias", "truth", "estimate", "ci_low", "ci_high",
               "error", "width", "covers"]
    print(table[columns].round(3).to_string(index=False))
    summary = table.groupby(["candidate", "method"], sort=False).agg(
        mean_abs_error=("error", lambda e: e.abs().mean()), max_abs_error=(
            "error", lambda e: e.abs().max()), mean_width=("width", "mean"),
        max_width=("width", "max"), coverage=("covers", "mean"))
    print(summary.round(3).to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
