"""``framing measure prevalence|differences`` on a Parquet table read in batches: a folder of
parts, or one file when every method streams; the same table as in memory."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framing.cli import _measure, main
from tests.measure.test_prevalence import make_passages


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same passage_frames as a folder of three parts, a .parquet file and a .csv."""
    root = tmp_path_factory.mktemp("on_disk")
    frames = make_passages(0, n_documents=200)
    (root / "parts").mkdir()
    for k, part in enumerate(np.array_split(np.arange(len(frames)), 3)):
        frames.iloc[part].to_parquet(root / "parts" / f"part-{k:06d}.parquet", index=False)
    frames.to_parquet(root / "frames.parquet", index=False)
    frames.to_csv(root / "frames.csv", index=False)      # a .csv is always read whole
    labelled = make_passages(1, n_documents=150, with_labels=True, prefix="v")
    labelled.to_csv(root / "validation.csv", index=False)
    # with 60 passages of the table coded too (the same out-of-fold predictions)
    coded = frames.iloc[::5].head(60).copy()
    for frame in [c[2:] for c in frames.columns if c.startswith("p_")]:
        coded[frame] = (np.random.default_rng(2).random(60) < coded[f"p_{frame}"]).astype(int)
    pd.concat([labelled, coded], ignore_index=True).to_csv(root / "coded.csv", index=False)
    return {"parts": root / "parts", "file": root / "frames.parquet",
            "csv": root / "frames.csv", "validation": root / "validation.csv",
            "coded": root / "coded.csv"}


COMMON = ["--n-bootstrap", "40", "--min-documents", "1", "--seed", "5"]


@pytest.mark.parametrize(("methods", "validation"), [
    ("cc,pcc,acc,pacc", "validation"),
    ("posterior,validation,combined", "coded"),
])
@pytest.mark.parametrize("command", ["prevalence", "differences"])
def test_a_folder_of_parts_gives_the_in_memory_table(tables: dict[str, Path], tmp_path: Path,
                                                     command: str, methods: str,
                                                     validation: str) -> None:
    outputs = {}
    # the parts with few documents held at a time: the groups are resampled a few at a time
    for name, batch, held in (("parts", "17", "7"), ("file", "50", "100000"),
                              ("csv", "100000", "100000")):
        out = tmp_path / f"{name}.csv"
        assert main(["measure", command, "--frames", str(tables[name]), "--validation",
                     str(tables[validation]), "--batch-size", batch, "--max-documents", held,
                     "--out", str(out), "--method", methods, *COMMON]) == 0
        outputs[name] = pd.read_csv(out)
    assert len(outputs["csv"]) > 0 and set(outputs["csv"]["method"]) == set(methods.split(","))
    pd.testing.assert_frame_equal(outputs["parts"], outputs["csv"], rtol=1e-12)
    pd.testing.assert_frame_equal(outputs["file"], outputs["csv"], rtol=1e-12)
    manifest = json.loads((tmp_path / "parts.manifest.json").read_text())
    assert manifest["inputs"]["frames"]["parts"] == 3
    assert manifest["read_in_batches_of"] == 17 and manifest["max_documents_in_memory"] == 7
    assert json.loads((tmp_path / "csv.manifest.json").read_text())["read_in_batches_of"] is None


@pytest.mark.parametrize("method", ["em", "posterior,em"])
def test_a_method_that_needs_every_passage_is_refused_for_a_folder(
        tables: dict[str, Path], tmp_path: Path, method: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "p.csv"
    assert main(["measure", "prevalence", "--frames", str(tables["parts"]), "--validation",
                 str(tables["validation"]), "--method", method, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "--method em needs every passage in memory" in err
    assert "use --method posterior with --validation" in err and "one .parquet file" in err
    assert len(err.strip().splitlines()) == 1 and not out.exists()


def test_the_default_method_streams_a_folder(tables: dict[str, Path], tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """posterior, the default and the method to report, reads a folder in batches."""
    out = tmp_path / "p.csv"
    assert main(["measure", "prevalence", "--frames", str(tables["parts"]), "--validation",
                 str(tables["coded"]), "--by", "outlet", "--batch-size", "30", "--out",
                 str(out), *COMMON]) == 0
    assert "report method 'posterior'." in capsys.readouterr().out
    table = pd.read_csv(out)
    assert set(table["method"]) == {"posterior"} and table["is_recommended"].all()
    assert json.loads((tmp_path / "p.manifest.json").read_text())["read_in_batches_of"] == 30


def test_a_budget_below_one_document_is_named_in_cli_words(
        tables: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["measure", "prevalence", "--frames", str(tables["parts"]), "--validation",
                 str(tables["coded"]), "--max-documents", "0",
                 "--out", str(tmp_path / "p.csv")]) == 2
    err = capsys.readouterr().err
    assert "--max-documents" in err and "max_documents_in_memory" not in err


def test_one_file_is_read_whole_for_em(tables: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "em.csv"
    assert main(["measure", "prevalence", "--frames", str(tables["file"]), "--validation",
                 str(tables["validation"]), "--by", "outlet", "--method", "em", "--out",
                 str(out), *COMMON]) == 0
    assert json.loads((tmp_path / "em.manifest.json").read_text())["read_in_batches_of"] is None


def test_a_single_label_folder_is_refused(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "single"
    folder.mkdir()
    pd.DataFrame({"passage_id": ["a:0", "b:0"], "doc_id": ["a", "b"], "outlet": ["X", "Y"],
                  "date": ["2025-08-01"] * 2, "frame": ["p", "q"], "p_p": [0.7, 0.2],
                  "p_q": [0.3, 0.8]}).to_parquet(folder / "part-0.parquet")
    assert main(["measure", "prevalence", "--frames", str(folder), "--method", "pcc"]) == 2
    assert "single-label table" in capsys.readouterr().err


def test_the_streamed_methods_are_the_stage_s() -> None:
    from framing.measure._prevalence_disk import STREAMED_METHODS
    assert tuple(_measure.STREAMED) == tuple(STREAMED_METHODS)
