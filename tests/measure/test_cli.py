"""``framing measure prevalence|differences`` on files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framing.cli import main
from tests.measure.test_prevalence import make_passages


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    frames, labelled = tmp_path / "frames.parquet", tmp_path / "validation.csv"
    make_passages(0, n_documents=200).to_parquet(frames)
    make_passages(1, n_documents=150, with_labels=True, prefix="v").to_csv(labelled,
                                                                           index=False)
    return frames, labelled


def test_prevalence_writes_the_table_and_prints_it(files: tuple[Path, Path], tmp_path: Path,
                                                   capsys: pytest.CaptureFixture) -> None:
    frames, labelled = files
    out = tmp_path / "prevalence.csv"
    args = ["measure", "prevalence", "--frames", str(frames), "--validation", str(labelled),
            "--by", "outlet,period", "--method", "cc,pacc", "--n-bootstrap", "50",
            "--min-documents", "60", "--out", str(out)]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "estimate" in printed and "pacc" in printed
    assert "warning: 4 of 4 groups have passages from fewer than 60 documents" in printed
    table = pd.read_csv(out)
    assert len(table) == 2 * 2 * 2 * 2       # outlets x months x frames x methods
    assert set(table["method"]) == {"cc", "pacc"}
    assert main(args) == 2                   # the file exists: refused without --force
    assert "exists" in capsys.readouterr().err
    assert main([*args, "--force"]) == 0


def test_differences_with_breakpoints(files: tuple[Path, Path],
                                      capsys: pytest.CaptureFixture) -> None:
    frames, _ = files
    assert main(["measure", "differences", "--frames", str(frames), "--method", "cc",
                 "--breaks", "before=,after=2025-08-01", "--n-bootstrap", "50",
                 "--min-documents", "1"]) == 0
    printed = capsys.readouterr().out
    assert "after" in printed and "before" in printed and "difference" in printed


def test_bad_input_is_a_message(files: tuple[Path, Path], tmp_path: Path,
                                capsys: pytest.CaptureFixture) -> None:
    frames, _ = files
    assert main(["measure", "prevalence", "--frames", str(tmp_path / "none.csv")]) == 2
    assert "none.csv: no such file" in capsys.readouterr().err
    assert main(["measure", "prevalence", "--frames", str(frames), "--method", "acc"]) == 2
    assert "needs a --validation table" in capsys.readouterr().err


def test_prevalence_prints_and_records_the_method_to_report(
        files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    frames, labelled = files
    out = tmp_path / "prevalence.parquet"
    assert main(["measure", "prevalence", "--frames", str(frames), "--validation",
                 str(labelled), "--by", "outlet", "--method", "pacc,posterior",
                 "--n-bootstrap", "50", "--min-documents", "1", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "report method 'posterior'. Rule: report 'posterior' when a --validation table" \
        in printed
    table = pd.read_parquet(out)
    assert set(table.loc[table["is_recommended"], "method"]) == {"posterior"}
    manifest = json.loads((tmp_path / "prevalence.manifest.json").read_text())
    assert manifest["recommended_method"] == "posterior"
    assert manifest["recommendation_rule"].startswith("report 'posterior' when a validation")
    assert manifest["parameters"]["method"] == ["pacc", "posterior"]
    assert manifest["seed"] == 0
    assert len(manifest["inputs"]["validation"]["sha256"]) == 64


def test_prevalence_without_validation_says_what_to_report(
        files: tuple[Path, Path], capsys: pytest.CaptureFixture) -> None:
    frames, _ = files
    assert main(["measure", "prevalence", "--frames", str(frames), "--by", "outlet",
                 "--method", "cc", "--n-bootstrap", "20", "--min-documents", "1"]) == 0
    assert ("report method 'pcc' (not computed here: add it to --method and give "
            "--validation)") in capsys.readouterr().out
    assert main(["measure", "prevalence", "--frames", str(frames)]) == 2
    assert "method 'posterior' needs a --validation table" in capsys.readouterr().err


def test_shared_passages_are_a_warning_in_the_options_words(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    frames, labelled = tmp_path / "frames.csv", tmp_path / "validation.csv"
    coded = make_passages(0, n_documents=200, with_labels=True)
    # --frames: a model's predictions on the passages it was trained on, pushed to the label
    in_sample = coded.copy()
    in_sample["p_skeptic"] = np.where(coded["skeptic"] == 1, 0.97, 0.02)
    in_sample.drop(columns=["peacemaker", "skeptic"]).to_csv(frames, index=False)
    coded.to_csv(labelled, index=False)
    assert main(["measure", "prevalence", "--frames", str(frames), "--validation",
                 str(labelled), "--by", "outlet", "--method", "cc,pacc,posterior",
                 "--n-bootstrap", "20", "--min-documents", "1"]) == 0
    printed = capsys.readouterr().out
    assert re.search(r"warning: \d+ passages of --frames are also coded in --validation "
                     r"\(first: 'd0:0'\); for \d+ of them --frames' predictions differ", printed)
    assert "Use --method posterior" in printed
    assert "`framing frames evaluate --predictions`" in printed
    assert "passage_frames" not in printed
