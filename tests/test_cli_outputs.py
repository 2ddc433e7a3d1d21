"""Outputs on the command line: every refusal comes before any work or write, in the CLI's
words; --force replaces only what framing wrote, never the input or a folder of user files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from framing.cli import main


def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    pd.DataFrame({
        "doc_id": ["a", "b"], "outlet": ["X", "Y"], "date": ["2025-08-15", "2025-08-16"],
        "text": ["Trump met Putin in Alaska today.", "Zelensky went to Washington today."],
    }).to_json(folder / "news.jsonl", orient="records", lines=True)
    (folder / "notes.txt").write_text("my notes")
    return folder


def test_import_refuses_to_replace_the_folder_holding_its_input(data: Path, capsys) -> None:
    before = _listing(data)
    code = main(["corpus", "import", str(data / "news.jsonl"), "--out", str(data), "--force",
                 "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"the output would replace the input {data / 'news.jsonl'}" in err
    assert _listing(data) == before


def test_force_never_replaces_a_folder_of_user_files(data: Path, tmp_path: Path,
                                                     capsys) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.docx").write_text("chapter 1")
    code = main(["corpus", "import", str(data / "news.jsonl"), "--out", str(mine), "--force",
                 "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert "framing did not write (no manifest.json)" in err and "--force replaces only" in err
    assert "force=True" not in err  # in the command line's words
    assert (mine / "thesis.docx").read_text() == "chapter 1"
    # a store framing wrote is replaced with --force
    store = tmp_path / "store"
    assert main(["corpus", "import", str(data / "news.jsonl"), "--out", str(store),
                 "--quiet"]) == 0
    assert main(["corpus", "import", str(data / "news.jsonl"), "--out", str(store), "--force",
                 "--quiet"]) == 0


@pytest.mark.parametrize(
    ("argv", "existing", "never_written"),
    [
        # each refusal names the existing output, and nothing else is written first
        (["topics", "fit", "--tokens", "T.parquet", "--k", "3", "--out", "B",
          "--doc-topics", "DT.parquet"], "DT.parquet", "B"),
        (["topics", "search-k", "--tokens", "T.parquet", "--ks", "2,3", "--out", "runs.csv",
          "--summary", "summary.csv"], "summary.csv", "runs.csv"),
        (["measure", "prevalence", "--frames", "F.parquet", "--out", "prev.csv"],
         "prev.manifest.json", "prev.csv"),
        (["frames", "evaluate", "P", "A.csv", "--out", "scores.csv",
          "--predictions", "pred.csv"], "pred.csv", "scores.csv"),
        (["frames", "agreement", "A.csv", "--disagreements", "dis.csv", "--gold", "gold.csv"],
         "gold.csv", "dis.csv"),
        (["passages", "kwic", "P", "--html", "kwic.html"], "kwic.html", None),
    ],
)
def test_an_existing_output_is_refused_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, argv, existing, never_written
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / existing).write_text("the user's")
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"{existing} exists; pass --force to replace it" in err
    assert (tmp_path / existing).read_text() == "the user's"
    assert sorted(p.name for p in tmp_path.iterdir()) == [existing]
    assert never_written is None or not (tmp_path / never_written).exists()


def test_export_refuses_before_writing_either_file(tmp_path: Path, capsys) -> None:
    sample = tmp_path / "sample.csv"
    pd.DataFrame({"passage_id": ["a:0"], "doc_id": ["a"], "text": ["Trump spoke."],
                  "sample": ["random"]}).to_csv(sample, index=False)
    (tmp_path / "sheet.README.md").write_text("the user's")
    assert main(["frames", "export", str(sample), "--out", str(tmp_path / "sheet")]) == 2
    assert "sheet.README.md exists" in capsys.readouterr().err
    assert not (tmp_path / "sheet.csv").exists()
    (tmp_path / "tasks.config.xml").write_text("the user's")
    assert main(["frames", "export", str(sample), "--out", str(tmp_path / "tasks"),
                 "--format", "labelstudio"]) == 2
    assert not (tmp_path / "tasks.tasks.json").exists()


def test_two_outputs_of_one_name_are_refused(tmp_path: Path, capsys) -> None:
    out = str(tmp_path / "runs.csv")
    assert main(["topics", "search-k", "--tokens", "T.parquet", "--ks", "2", "--out", out,
                 "--summary", out]) == 2
    assert "is named as two outputs" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_an_output_may_not_be_an_input(tmp_path: Path, capsys) -> None:
    annotations = tmp_path / "annotations.csv"
    annotations.write_text("passage_id,coder,frame,label\n")
    assert main(["frames", "agreement", str(annotations), "--gold", str(annotations),
                 "--force"]) == 2
    assert "the output would replace the input" in capsys.readouterr().err
    assert annotations.read_text() == "passage_id,coder,frame,label\n"
