"""``framing frames sample|export|import|agreement|train|evaluate|apply|retrain`` on files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framing.cli import main
from framing.frames import load_codebook, load_frame_model, read_annotations
from tests.conftest import REPO, sample_truth_passages, shared_path

FRAMES = ("peacemaker", "isolationist", "skeptic")
# Uncalibrated with a fixed threshold: fast to refit (the calibrated path has its own tests).
TFIDF = ["--features", "tfidf", "--no-char-ngrams", "--calibration", "none", "--threshold", "0.5"]


def _fill(sheet: pd.DataFrame, truth: pd.DataFrame, coder: str, flip: float,
          seed: int) -> pd.DataFrame:
    """A coder's answers: the truth with a share ``flip`` of the cells flipped."""
    rng = np.random.default_rng(seed)
    labels = sheet[["passage_id"]].merge(truth, on="passage_id", how="left")
    filled = sheet.copy()
    filled["coder"] = coder
    for frame in FRAMES:
        values = labels[frame].to_numpy()
        flips = rng.random(len(values)) < flip
        filled[frame] = np.where(flips, 1 - values, values).astype(int)
    return filled


def _labelstudio_export(tasks: list[dict], truth: pd.DataFrame) -> list[dict]:
    """What Label Studio would export after one coder (user 7) answered every task."""
    by_id = truth.set_index("passage_id")
    out = []
    for k, task in enumerate(tasks):
        chosen = [f for f in FRAMES if by_id.loc[task["data"]["passage_id"], f]] or ["none"]
        out.append({"id": 1000 + k, "data": task["data"], "drafts": [], "predictions": [],
                    "annotations": [{
                        "id": 5000 + k, "completed_by": {"id": 7, "email": "c@example.org"},
                        "was_cancelled": False, "created_at": "2025-12-01T09:00:00Z",
                        "updated_at": "2025-12-01T09:00:00Z",
                        "result": [{"id": f"res{k}", "type": "choices", "from_name": "frames",
                                    "to_name": "text", "value": {"choices": chosen}}]}]})
    return out


@pytest.fixture(scope="module")
def loop(tmp_path_factory) -> dict:
    """Run the whole loop through the command line once; tests check its outputs."""
    root = tmp_path_factory.mktemp("cli")
    found = sample_truth_passages()
    found["passage_id"] = found["doc_id"] + ":" + found["paragraph_id"].astype(str)
    found = found[found["doc_id"].isin(found["doc_id"].drop_duplicates().iloc[:220])]
    truth = found[["passage_id", *FRAMES]]
    passages = found.drop(columns=list(FRAMES)).reset_index(drop=True)
    passages_csv = root / "passages.csv"
    passages.to_csv(passages_csv, index=False)
    codes: dict[str, int] = {}

    def run(*argv: str) -> int:
        codes[f"{len(codes)}: {argv[0]}"] = status = main(["frames", *map(str, argv)])
        return status

    run("sample", passages_csv, "--out", root / "sample.csv", "--random", 60, "--active", 40,
        "--features", "tfidf", "--seed", 3)
    run("export", root / "sample.csv", "--out", root / "sheet")
    run("export", root / "sample.csv", "--out", root / "batch", "--format", "labelstudio")
    sheet = pd.read_csv(root / "sheet.csv", dtype={"passage_id": str}, keep_default_na=False)
    _fill(sheet, truth, "ann", 0.0, 0).to_csv(root / "ann.csv", index=False)
    _fill(sheet, truth, "ben", 0.1, 1).to_csv(root / "ben.csv", index=False)
    tasks = json.loads((root / "batch.tasks.json").read_text(encoding="utf-8"))
    (root / "export.json").write_text(json.dumps(_labelstudio_export(tasks, truth)),
                                      encoding="utf-8")
    run("import", root / "ann.csv", root / "ben.csv", root / "export.json", "--out",
        root / "annotations.csv", "--passages", passages_csv)
    run("agreement", root / "annotations.csv", "--bootstrap", 200, "--disagreements",
        root / "disagreements.csv", "--gold", root / "gold.csv", "--ties", "negative")
    run("train", passages_csv, root / "annotations.csv", "--out", root / "m1", *TFIDF)
    run("evaluate", passages_csv, root / "annotations.csv", *TFIDF, "--folds", 3,
        "--schemes", "grouped", "--baselines", "lexicon", "--out", root / "scores.csv")
    run("apply", root / "m1", passages_csv, "--out", root / "frames.parquet")
    run("apply", root / "m1", passages_csv, "--out", root / "frames_batched.parquet",
        "--batch-size", 37)
    # Round 2: a second sheet of 60 passages coded by one more coder, then retrain.
    run("sample", passages_csv, "--out", root / "sample2.csv", "--random", 40, "--active", 20,
        "--model", root / "m1", "--exclude", root / "annotations.csv", "--seed", 4)
    run("export", root / "sample2.csv", "--out", root / "sheet2")
    sheet2 = pd.read_csv(root / "sheet2.csv", dtype={"passage_id": str}, keep_default_na=False)
    _fill(sheet2, truth, "cat", 0.05, 2).to_csv(root / "cat.csv", index=False)
    run("import", root / "cat.csv", "--out", root / "annotations2.csv")
    run("retrain", root / "m1", passages_csv, "--annotations", root / "annotations.csv",
        "--new-annotations", root / "annotations2.csv", "--out", root / "m2", "--folds", 3)
    return {"root": root, "codes": codes, "passages": passages, "truth": truth,
            "passages_csv": passages_csv}


def test_every_command_succeeds(loop: dict) -> None:
    assert loop["codes"] and set(loop["codes"].values()) == {0}, loop["codes"]


def test_sample_and_exports(loop: dict) -> None:
    root = loop["root"]
    sample = pd.read_csv(root / "sample.csv")
    assert sample["sample"].value_counts().to_dict() == {"random": 60, "active": 40}
    assert sample["passage_id"].is_unique
    assert sample.loc[sample["sample"] == "random", "inclusion_probability"].notna().all()
    assert (root / "sheet.README.md").is_file()
    assert "Coding guide" in (root / "sheet.README.md").read_text(encoding="utf-8")
    assert "<Choices" in (root / "batch.config.xml").read_text(encoding="utf-8")
    second = pd.read_csv(root / "sample2.csv")
    assert not set(second["passage_id"]) & set(sample["passage_id"])
    # The second active half comes from the model: the passages nearest its thresholds.
    active = second[second["sample"] == "active"]
    assert len(active) == 20 and active["uncertainty"].is_monotonic_increasing
    thresholds = load_frame_model(root / "m1").thresholds_
    margins = np.min([abs(active[f"p_{f}"] - thresholds[f]) for f in FRAMES], axis=0)
    assert np.allclose(margins, active["uncertainty"])


def test_sample_relevance_strategy_seeks_the_rarest_frame(
        loop: dict, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = loop["root"]
    out = tmp_path / "relevance.csv"
    assert main(["frames", "sample", str(loop["passages_csv"]), "--out", str(out), "--random",
                 "0", "--active", "12", "--model", str(root / "m1"), "--exclude",
                 str(root / "annotations.csv"), "--active-strategy", "relevance"]) == 0
    assert "12 active (relevance, model" in capsys.readouterr().out
    drawn = pd.read_csv(out)
    assert (drawn["active_reason"] == "relevance").all() and drawn["doc_id"].is_unique
    coded = read_annotations(root / "annotations.csv")
    positives = coded[coded["label"] == 1].groupby("frame")["passage_id"].nunique()
    rarest = min(FRAMES, key=lambda f: (positives.get(f, 0), FRAMES.index(f)))
    # The first pick is the uncoded passage the model scores highest for the rarest frame.
    scores = load_frame_model(root / "m1").predict_proba(pd.read_csv(loop["passages_csv"]))
    uncoded = scores[~scores["passage_id"].isin(coded["passage_id"])]
    assert drawn["passage_id"].iloc[0] == uncoded.loc[uncoded[f"p_{rarest}"].idxmax(),
                                                      "passage_id"]


def test_import_merges_sheets_and_labelstudio(loop: dict) -> None:
    annotations = read_annotations(loop["root"] / "annotations.csv", codebook=load_codebook())
    assert sorted(annotations["coder"].unique()) == ["7", "ann", "ben"]
    assert len(annotations) == 100 * 3 * 3
    truth = loop["truth"].melt("passage_id", var_name="frame", value_name="truth")
    joined = annotations.merge(truth, on=["passage_id", "frame"])
    exact = joined[joined["coder"].isin(["ann", "7"])]
    assert (exact["label"] == exact["truth"]).all()
    assert set(annotations["sample"]) == {"random", "active"}


def test_agreement_outputs(loop: dict, capsys) -> None:
    root = loop["root"]
    gold = pd.read_csv(root / "gold.csv")
    assert len(gold) == 100 * 3
    truth = loop["truth"].melt("passage_id", var_name="frame", value_name="truth")
    joined = gold.merge(truth, on=["passage_id", "frame"])
    assert (joined["label"] == joined["truth"]).all()  # two exact coders outvote one noisy
    split = pd.read_csv(root / "disagreements.csv")
    assert len(split) > 0 and set(split["n_coders"]) == {3}
    assert main(["frames", "agreement", str(root / "annotations.csv"), "--bootstrap", "50"]) == 0
    printed = capsys.readouterr().out
    assert "Krippendorff's alpha" in printed and "peacemaker" in printed


def test_train_evaluate_apply(loop: dict) -> None:
    root = loop["root"]
    model = load_frame_model(root / "m1")
    assert model.frames_ == FRAMES
    scores = pd.read_csv(root / "scores.csv")
    assert set(scores["frame"]) >= set(FRAMES)
    table = pd.read_parquet(root / "frames.parquet")
    passages = loop["passages"]
    assert table["passage_id"].tolist() == passages["passage_id"].tolist()
    assert "text" not in table.columns
    expected = ([c for c in passages.columns if c != "text"] + [f"p_{f}" for f in FRAMES]
                + [f"is_{f}" for f in FRAMES] + ["model_id", "codebook_hash"])
    assert list(table.columns) == expected
    assert (table["model_id"] == model.model_id_).all()
    assert (table["codebook_hash"] == load_codebook().sha256).all()
    batched = pd.read_parquet(root / "frames_batched.parquet")
    pd.testing.assert_frame_equal(batched, table)  # chunked equals unchunked


def test_retrain_writes_a_child_bundle(loop: dict) -> None:
    root = loop["root"]
    parent, child = load_frame_model(root / "m1"), load_frame_model(root / "m2")
    lineage = child.bundle_metrics_["lineage"]
    assert lineage["parent_model_id"] == parent.model_id_ != child.model_id_
    assert lineage["n_passages"] == {"old": 100, "all": 160}
    assert child.n_training_ == 160


def test_apply_from_a_passages_folder(loop: dict, tmp_path: Path) -> None:
    folder = tmp_path / "passages"
    (folder / "passages").mkdir(parents=True)
    (folder / "manifest.json").write_text("{}", encoding="utf-8")
    passages = loop["passages"]
    passages.iloc[:150].to_parquet(folder / "passages" / "part-0.parquet", index=False)
    passages.iloc[150:].to_parquet(folder / "passages" / "part-1.parquet", index=False)
    out = tmp_path / "frames.parquet"
    assert main(["frames", "apply", str(loop["root"] / "m1"), str(folder), "--out", str(out),
                 "--batch-size", "64", "--jobs", "2"]) == 0
    pd.testing.assert_frame_equal(pd.read_parquet(out),
                                  pd.read_parquet(loop["root"] / "frames.parquet"))
    assert main(["frames", "apply", str(loop["root"] / "m1"), str(folder), "--out",
                 str(tmp_path / "other.parquet"), "--jobs", "0"]) != 0
    assert not (tmp_path / "other.parquet").exists()


def test_apply_refuses_a_changed_codebook_and_existing_output(loop: dict, tmp_path: Path,
                                                              capsys) -> None:
    root = loop["root"]
    shipped = load_codebook()
    edited = tmp_path / "edited.yaml"
    edited.write_bytes((REPO / shipped.path).read_bytes() + b"\n# edited\n")
    out = tmp_path / "f.parquet"
    argv = ["frames", "apply", str(root / "m1"), str(loop["passages_csv"]), "--out", str(out),
            "--codebook", str(edited)]
    assert main(argv) == 2
    error = capsys.readouterr().err
    assert "codebook changed" in error and shipped.sha256[:12] in error
    assert load_codebook(edited).sha256[:12] in error and not out.exists()
    with pytest.warns(UserWarning, match="codebook changed"):
        assert main([*argv, "--force"]) == 0
    assert main(argv[:-2]) == 2
    assert "exists" in capsys.readouterr().err


def test_import_accepts_annotation_tables_too(loop: dict, tmp_path: Path) -> None:
    out = tmp_path / "all.parquet"
    assert main(["frames", "import", str(loop["root"] / "annotations.csv"),
                 str(loop["root"] / "annotations2.csv"), "--out", str(out)]) == 0
    assert len(read_annotations(out)) == (100 * 3 + 60) * 3


def test_import_errors_name_the_file(loop: dict, tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.csv"
    sheet = pd.read_csv(loop["root"] / "ann.csv", dtype=str, keep_default_na=False)
    sheet.loc[2, "skeptic"] = "maybe"
    sheet.to_csv(bad, index=False)
    assert main(["frames", "import", str(bad), "--out", str(tmp_path / "a.csv")]) == 2
    assert "bad.csv: row 3, field 'skeptic': expected 1, 0 or blank" in capsys.readouterr().err
    assert main(["frames", "import", str(loop["root"] / "export.json"), "--out",
                 str(tmp_path / "b.csv"), "--choice-map", "Peacemaker=hawk"]) == 2
    assert "unknown frame 'hawk'" in capsys.readouterr().err


def test_import_a_real_labelstudio_export(tmp_path: Path, capsys) -> None:
    path = shared_path("formats", "labelstudio", "lssdk_csv_test_history.json")
    out = tmp_path / "annotations.csv"
    assert main(["frames", "import", str(path), "--out", str(out), "--sample", "random",
                 "--choice-map", "Positive=peacemaker,Negative=none"]) == 0
    printed = capsys.readouterr().out
    assert "choices_kept: Positive: peacemaker" in printed
    table = read_annotations(out)
    assert table.set_index("frame")["label"].to_dict() == {
        "peacemaker": 1, "isolationist": 0, "skeptic": 0}


def test_train_threshold_rules(loop: dict, tmp_path: Path, capsys) -> None:
    root = loop["root"]
    args = ["frames", "train", str(root / "passages.csv"), str(root / "annotations.csv"),
            "--features", "tfidf", "--no-char-ngrams", "--calibration", "none"]
    assert main([*args, "--out", str(tmp_path / "micro"), "--threshold", "micro_f1"]) == 0
    model = load_frame_model(tmp_path / "micro")
    assert model.threshold == "micro_f1"
    assert set(model.thresholds_) == set(FRAMES)
    capsys.readouterr()
    assert main([*args, "--out", str(tmp_path / "bad"), "--threshold", "best"]) != 0
    err = capsys.readouterr().err
    assert "--threshold" in err and "'best'" in err and "micro_f1" in err
    assert not (tmp_path / "bad").exists()


def test_train_with_few_label_options(loop: dict, tmp_path: Path) -> None:
    root = loop["root"]
    assert main(["frames", "train", str(root / "passages.csv"), str(root / "annotations.csv"),
                 "--features", "tfidf", "--no-char-ngrams", "--threshold", "half_f1",
                 "--codebook-examples", "--out", str(tmp_path / "model")]) == 0
    model = load_frame_model(tmp_path / "model")
    assert model.threshold == "half_f1" and model.codebook_examples is True
    assert all(0 < t <= 0.5 for t in model.thresholds_.values())


def test_bundles_record_the_annotations_they_were_trained_on(loop: dict) -> None:
    from framing.corpus._bundles import file_sha256

    root = loop["root"]
    for bundle, files in (("m1", ["annotations.csv"]),
                          ("m2", ["annotations.csv", "annotations2.csv"])):
        manifest = json.loads((root / bundle / "manifest.json").read_text(encoding="utf-8"))
        recorded = manifest["training"]["annotations"]
        assert [Path(r["path"]) for r in recorded] == [(root / f).resolve() for f in files]
        assert [r["sha256"] for r in recorded] == [file_sha256(root / f) for f in files]
        assert [r["n_rows"] for r in recorded] == [
            len(read_annotations(root / f, codebook=load_codebook())) for f in files]


@pytest.mark.parametrize("quiet", [False, True])
def test_train_and_evaluate_progress_bars(loop: dict, tmp_path: Path, capsys,
                                          quiet: bool) -> None:
    root = loop["root"]
    inputs = [str(root / "passages.csv"), str(root / "annotations.csv"), "--features", "tfidf",
              "--no-char-ngrams", "--calibration", "none", *(["--quiet"] if quiet else [])]
    capsys.readouterr()
    assert main(["frames", "train", *inputs, "--out", str(tmp_path / "m")]) == 0
    # per frame: 3 inner threshold folds and the final fit
    fits = len(FRAMES) * 4
    err = capsys.readouterr().err
    assert ("frames train" not in err) if quiet else "frames train: 100%" in err
    assert quiet or f"{fits}/{fits}" in err
    assert main(["frames", "evaluate", *inputs, "--folds", "3", "--schemes", "grouped",
                 "--baselines", ""]) == 0
    err = capsys.readouterr().err
    assert ("frames evaluate" not in err) if quiet else "frames evaluate (grouped): 100%" in err
    assert quiet or "3/3" in err
