"""Contrastive fine-tuning of the sentence encoder (SetFit) on the real coded set (issue 18).

SetFit fine-tunes the encoder on pairs of coded passages (same label: pulled together,
different: pushed apart) before a classifier is fitted on its embeddings. Here the encoder
(the shipped MiniLM) is fine-tuned with ``setfit``'s contrastive trainer on each training
fold, then ``FrameClassifier`` (the same features, codebook examples and thresholds as the
``examples`` candidate of ``frames_fewshot``) is fitted on the fine-tuned encoder, so the
comparison isolates the fine-tuning. The pairs come from the role combination as one label
(none included): setfit's multi-label pairing calls two uncoded passages "different", which
would push apart the 80% of passages that carry no role.

    python -m benchmarks.frames_setfit [--size 300] [--seeds 0] [--iterations 3]
                                       [--max-length 128] [--out results.csv]

Development part only (``split == "dev"``), the grouped 5-fold CV of ``frames_fewshot``
(same folds and the same training cut for a seed and size), so its rows compare with that
script's rows. Prints the per-role F1, AUC and average precision, and the seconds per fold.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.frames_fewshot import CODEBOOK, ROLES, cross_validate, load_roles, score
from framing.frames import FrameClassifier
from framing.frames._embeddings import resolve_model_path


class ContrastiveFrameClassifier:
    """``FrameClassifier`` on an encoder fine-tuned contrastively on the training passages."""

    def __init__(self, *, iterations: int, max_length: int, seed: int, workdir: Path):
        self.iterations = iterations
        self.max_length = max_length
        self.seed = seed
        self.workdir = workdir

    def fit(self, passages: pd.DataFrame, labels: pd.DataFrame) -> ContrastiveFrameClassifier:
        from sentence_transformers import SentenceTransformer
        from setfit import SetFitModel, Trainer, TrainingArguments

        body = SentenceTransformer(str(resolve_model_path()), device="cpu")
        inference_length = body.max_seq_length
        # setfit's max_length reaches only its head phase; the pairs are cut by the body's own
        body.max_seq_length = self.max_length
        model = SetFitModel(model_body=body)
        combination = (labels[list(ROLES)].to_numpy() * (2 ** np.arange(len(ROLES)))).sum(1)
        arguments = TrainingArguments(
            output_dir=str(self.workdir / "checkpoints"), batch_size=16, num_epochs=1,
            num_iterations=self.iterations, max_length=self.max_length, seed=self.seed,
            show_progress_bar=False, report_to="none", save_strategy="no")
        trainer = Trainer(model=model, args=arguments)
        start = time.perf_counter()
        trainer.train_embeddings(passages["text"].tolist(), combination.tolist(),
                                 args=arguments)
        self.fine_tune_seconds_ = time.perf_counter() - start
        model.model_body.max_seq_length = inference_length  # embed as the other candidates do
        encoder = self.workdir / f"encoder-{time.monotonic_ns()}"
        model.model_body.save(str(encoder))
        self.classifier_ = FrameClassifier(codebook=CODEBOOK, features="both",
                                           codebook_examples=True, embedding_model=encoder,
                                           embedding_cache=None).fit(passages, labels)
        print(f"  fine-tuned on {len(passages)} passages in {self.fine_tune_seconds_:.0f} s",
              flush=True)
        return self

    def predict(self, passages: pd.DataFrame) -> pd.DataFrame:
        return self.classifier_.predict(passages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=300)
    parser.add_argument("--seeds", default="0")
    parser.add_argument("--iterations", type=int, default=3)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--development", default="dev",
                        help='"dev", or "dev,test" (the first blind part, scored, is now '
                             'development data)')
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    passages = load_roles(args.development)
    rows = []
    with tempfile.TemporaryDirectory(prefix="framing-setfit-") as workdir:
        for seed in map(int, args.seeds.split(",")):
            start = time.perf_counter()

            def make(seed: int = seed) -> ContrastiveFrameClassifier:
                return ContrastiveFrameClassifier(iterations=args.iterations,
                                                  max_length=args.max_length, seed=seed,
                                                  workdir=Path(workdir))

            predicted = cross_validate(make, passages, size=args.size, seed=seed)
            scores = score(passages, predicted)
            scores.insert(0, "candidate", f"setfit_it{args.iterations}")
            scores.insert(1, "size", args.size)
            scores.insert(2, "seed", seed)
            scores["seconds"] = time.perf_counter() - start
            rows.append(scores)
            print(scores.round(3).to_string(index=False), flush=True)
    table = pd.concat(rows, ignore_index=True)
    if args.out:
        table.to_csv(args.out, index=False)
    print(table.groupby("role", sort=False)[["f1", "auc", "average_precision"]].mean()
          .round(3).to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
