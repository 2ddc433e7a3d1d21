"""``framing frames train|evaluate --single-label``, ``apply`` and ``measure prevalence`` shares."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framing.cli import main
from framing.frames import SingleLabelClassifier, load_frame_model, write_annotations
from tests.conftest import sample_truth_passages

FRAMES = ("peacemaker", "isolationist", "skeptic")
FAST = ["--features", "tfidf", "--no-char-ngrams"]


def _annotations(truth: pd.DataFrame) -> pd.DataFrame:
    """One coder's long annotations table: every frame of every passage, 0 or 1."""
    rows = [{"passage_id": pid, "coder": "ann", "frame": frame, "label": int(row[frame]),
             "annotated_at": None, "sample": "random", "codebook_version": "1.0"}
            for pid, row in truth.set_index("passage_id").iterrows() for frame in FRAMES]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> dict:
    """Train, evaluate, apply and measure a single-label model through the command line."""
    root = tmp_path_factory.mktemp("single")
    found = sample_truth_passages()
    found = found[found[list(FRAMES)].sum(axis=1) <= 1]
    found = found[found["doc_id"].isin(found["doc_id"].drop_duplicates().iloc[:200])]
    found = found.assign(passage_id=found["doc_id"] + ":" + found["paragraph_id"].astype(str))
    passages = found[["passage_id", "doc_id", "outlet", "date", "text"]]
    passages.to_csv(root / "passages.csv", index=False)
    write_annotations(_annotations(found[["passage_id", *FRAMES]]), root / "annotations.csv")
    out: dict = {"root": root, "found": found, "codes": {}}

    def call(*argv: object) -> int:
        out["codes"][" ".join(map(str, argv[:2]))] = status = main([*map(str, argv)])
        return status

    call("frames", "train", root / "passages.csv", root / "annotations.csv", "--single-label",
         "--out", root / "model", *FAST)
    call("frames", "evaluate", root / "passages.csv", root / "annotations.csv",
         "--single-label", "--folds", 3, "--baselines", "lexicon", "--schemes", "grouped",
         "--predictions", root / "oof.parquet", *FAST)
    call("frames", "apply", root / "model", root / "passages.csv", "--out",
         root / "frames.parquet")
    call("measure", "prevalence", "--frames", root / "frames.parquet", "--validation",
         root / "oof.parquet", "--by", "outlet", "--method", "cc,pcc,pacc,em",
         "--n-bootstrap", 100, "--out", root / "shares.csv")
    return out


def test_every_command_succeeds(run: dict) -> None:
    assert run["codes"] and set(run["codes"].values()) == {0}, run["codes"]


def test_train_writes_a_single_label_bundle(run: dict) -> None:
    model = load_frame_model(run["root"] / "model")
    assert isinstance(model, SingleLabelClassifier)
    assert model.classes_ == (*FRAMES, "none") and model.decision == "tuned"
    assert model.calibration == "bias_temperature"
    decision = json.loads((run["root"] / "model" / "decision.json").read_text(encoding="utf-8"))
    assert decision["classes"] == [*FRAMES, "none"]
    found = run["found"]
    assert model.n_positive_["none"] == int((found[list(FRAMES)].sum(axis=1) == 0).sum())


def test_evaluate_prints_accuracy_and_confusion(run: dict, capsys) -> None:
    root = run["root"]
    main(["frames", "evaluate", str(root / "passages.csv"), str(root / "annotations.csv"),
          "--single-label", "--folds", "3", "--baselines", "", "--schemes", "grouped", *FAST])
    printed = capsys.readouterr().out
    assert "accuracy" in printed and "single-label confusion" in printed
    oof = pd.read_parquet(root / "oof.parquet")
    assert {"frame", *FRAMES, "none"} <= set(oof.columns)
    assert (oof[[*FRAMES, "none"]].sum(axis=1) == 1).all()  # true one-hot labels


def test_apply_writes_one_frame_per_passage(run: dict) -> None:
    table = pd.read_parquet(run["root"] / "frames.parquet")
    classes = [*FRAMES, "none"]
    assert np.allclose(table[[f"p_{c}" for c in classes]].sum(axis=1), 1.0)
    assert set(table["frame"]) <= set(classes)
    assert (table[[f"is_{c}" for c in classes]].sum(axis=1) == 1).all()


def test_measure_prevalence_gives_shares(run: dict, capsys) -> None:
    shares = pd.read_csv(run["root"] / "shares.csv")
    assert set(shares["method"]) == {"cc", "pcc", "pacc", "em"}
    sums = shares.groupby(["outlet", "method"])["estimate"].sum()
    assert np.allclose(sums, 1.0)
    manifest = json.loads((run["root"] / "shares.manifest.json").read_text(encoding="utf-8"))
    assert manifest["recommended_method"] == "pacc"
    main(["measure", "prevalence", "--frames", str(run["root"] / "frames.parquet"),
          "--validation", str(run["root"] / "oof.parquet"), "--by", "outlet",
          "--n-bootstrap", "20"])
    printed = capsys.readouterr().out
    assert "single-label predictions" in printed and "by pacc" in printed
    assert "report method 'pacc'" in printed


def test_codebook_key_makes_training_single_label(run: dict, tmp_path: Path) -> None:
    shipped = Path("framing/data/codebooks/trump_ukraine_roles.yaml").read_text(
        encoding="utf-8")
    book = tmp_path / "roles_single.yaml"
    book.write_text(shipped.replace("none_label: none", "none_label: none\nsingle_label: true"),
                    encoding="utf-8")
    root = run["root"]
    assert main(["frames", "train", str(root / "passages.csv"), str(root / "annotations.csv"),
                 "--codebook", str(book), "--out", str(tmp_path / "m"), *FAST]) == 0
    assert isinstance(load_frame_model(tmp_path / "m"), SingleLabelClassifier)


def test_errors_speak_the_cli(run: dict, tmp_path: Path, capsys) -> None:
    root = run["root"]
    train = ["frames", "train", str(root / "passages.csv"), str(root / "annotations.csv")]
    assert main([*train, "--single-label", "--calibration", "sigmoid", "--out",
                 str(tmp_path / "x"), *FAST]) == 2
    assert "--calibration sigmoid is for multi-label models" in capsys.readouterr().err
    measure = ["measure", "prevalence", "--frames", str(root / "frames.parquet"),
               "--validation", str(root / "oof.parquet"), "--by", "outlet"]
    assert main([*measure, "--only", "skeptic"]) == 2
    assert "--only does not apply to a single-label table" in capsys.readouterr().err
    assert main([*measure, "--method", "pacc,posterior"]) == 2
    assert ("--method posterior is not available for a single-label table"
            in capsys.readouterr().err)
    two = _annotations(run["found"][["passage_id", *FRAMES]].assign(skeptic=1))
    write_annotations(two, tmp_path / "two.csv")
    assert main(["frames", "train", str(root / "passages.csv"), str(tmp_path / "two.csv"),
                 "--single-label", "--out", str(tmp_path / "y"), *FAST]) == 2
    error = capsys.readouterr().err
    assert "coded passages carry several frames (first: passage " in error
