"""The command line: thin over the API, clear errors, no tracebacks."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from framing.cli import cli_message, main


@pytest.fixture
def news(tmp_path: Path) -> Path:
    pd.DataFrame({
        "id": ["a", "b", "c"],
        "media_name": ["X", "Y", "X"],
        "publish_date": ["2025-08-15", "2025-08-16", "2025-09-01"],
        "body": ["Trump met Putin in Alaska.", "Zelensky in Washington.", "Talks go on."],
    }).to_csv(tmp_path / "news.csv", index=False)
    return tmp_path / "news.csv"


def test_import_and_info(news: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "store"
    assert main(["corpus", "import", str(news), "--out", str(out), "--map", "text=body",
                 "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "kept         3 documents from 2 outlets, 2025-08-15 .. 2025-09-01" in printed
    assert "columns inferred: doc_id<-id, outlet<-media_name, date<-publish_date" in printed
    assert main(["corpus", "info", str(out)]) == 0
    table = capsys.readouterr().out
    assert "2025-08" in table and "2025-09" in table and "total" in table
    assert main(["corpus", "info", str(out), "--by", "outlet", "--dropped"]) == 0
    assert "n_documents" in capsys.readouterr().out


def test_existing_store_is_refused_without_force(news: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "store"
    args = ["corpus", "import", str(news), "--out", str(out), "--map", "text=body", "--quiet"]
    assert main(args) == 0
    assert main(args) == 2
    assert "exists; pass --force to replace it" in capsys.readouterr().err
    assert main([*args, "--force"]) == 0


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--format", "json"], "not a valid JSON array"),
        (["--map", "text=nope"], "column 'nope' (mapped to 'text') is not in the file"),
        (["--map", "text"], "is not of the form ours=theirs"),
        (["--map", "titel=headline"], "column map names 'titel', which is not one of our "
                                      "columns; map one of doc_id, outlet, date, text, title"),
    ],
)
def test_errors_are_one_line(news: Path, tmp_path: Path, capsys, extra, message) -> None:
    code = main(["corpus", "import", str(news), "--out", str(tmp_path / "s"), "--quiet", *extra])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert "Traceback" not in err and err.startswith("framing: error: ")


def test_info_on_a_folder_that_is_not_a_store(tmp_path: Path, capsys) -> None:
    assert main(["corpus", "info", str(tmp_path)]) == 2
    assert "not a corpus store" in capsys.readouterr().err


def test_missing_text_column_names_the_fix(tmp_path: Path, capsys) -> None:
    (tmp_path / "n.csv").write_text("outlet,date,words\nA,2025-01-01,hi\n", encoding="utf-8")
    assert main(["corpus", "import", str(tmp_path / "n.csv"), "--out", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err
    assert "n.csv: field 'text': required column(s) 'text' not found" in err
    assert "map them with --map text=<column>" in err


@pytest.fixture
def sample_store(tmp_path: Path) -> Path:
    rows = pd.DataFrame({
        "doc_id": ["a", "b", "c"],
        "outlet": ["X", "Y", "X"],
        "date": ["2025-08-15", "2025-08-16", "2025-08-17"],
        "text": ["Trump met Putin in Alaska. He praised the ceasefire talks on Ukraine.",
                 "Zelensky flew to Washington to discuss security guarantees.",
                 "Trump talked about tariffs. Markets were calm. Analysts expect a rate cut."],
    })
    rows.to_csv(tmp_path / "n.csv", index=False)
    assert main(["corpus", "import", str(tmp_path / "n.csv"), "--out",
                 str(tmp_path / "store"), "--quiet"]) == 0
    return tmp_path / "store"


def test_passages_extract_kwic_audit(sample_store: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "passages"
    assert main(["passages", "extract", "--corpus", str(sample_store), "--out", str(out),
                 "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "1 passages about trump from 1 of 3 documents" in printed
    assert "1  documents without a mention of the actor" in printed
    assert "1  documents whose mentions lie outside the issue" in printed
    assert main(["passages", "kwic", str(out), "--html", str(tmp_path / "k.html")]) == 0
    printed = capsys.readouterr().out
    assert "Trump" in printed and "pronoun" in printed
    assert "<mark" in (tmp_path / "k.html").read_text(encoding="utf-8")
    sheet = tmp_path / "sheet.csv"
    assert main(["passages", "audit", str(out), "--out", str(sheet), "--selected", "5",
                 "--unselected", "5"]) == 0
    marked = pd.read_csv(sheet)
    assert set(marked["stratum"]) == {"selected", "unselected"}
    marked["about_actor"] = marked["predicted"]
    marked.to_csv(sheet, index=False)
    capsys.readouterr()
    assert main(["passages", "audit", "--score", str(sheet)]) == 0
    assert "precision" in capsys.readouterr().out


def test_passages_errors(sample_store: Path, tmp_path: Path, capsys) -> None:
    code = main(["passages", "extract", "--corpus", str(sample_store), "--out",
                 str(tmp_path / "p"), "--actor", "nobody", "--quiet"])
    assert code == 2
    assert "actor 'nobody' is not declared" in capsys.readouterr().err
    assert main(["passages", "audit", "--score", str(tmp_path / "missing.csv")]) == 2
    assert "cannot read the audit sheet" in capsys.readouterr().err


@pytest.mark.parametrize(("message", "shown"), [
    ("x exists; pass force=True (--force) to replace it", "x exists; pass --force to replace it"),
    ("no coder: fill the coder column or pass coder= (--coder)",
     "no coder: fill the coder column or pass --coder"),
    ("a tie; pass ties= (--ties) 'positive', 'negative' or 'drop', or adjudicate it "
     "(decisions= (--decisions))",
     "a tie; pass --ties 'positive', 'negative' or 'drop', or adjudicate it (--decisions)"),
    ("not valid utf-8; pass the file's own encoding as encoding='...' (--encoding)",
     "not valid utf-8; pass the file's own encoding as --encoding"),
    ("row 3, field 'date': cannot parse '31/02/2024' as a date",
     "row 3, field 'date': cannot parse '31/02/2024' as a date"),
])
def test_library_messages_are_shown_in_the_command_line_s_words(message: str,
                                                                 shown: str) -> None:
    assert cli_message(message) == shown


@pytest.mark.parametrize(("argv", "suggestion"), [
    (["frams"], "did you mean 'frames'?"),
    (["frames", "evalute"], "did you mean 'evaluate'?"),
    (["corpus", "imprt"], "did you mean 'import'?"),
])
def test_a_mistyped_command_gets_the_near_one(capsys, argv, suggestion) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    assert suggestion in capsys.readouterr().err


def test_report_with_an_unknown_parameter_lists_the_templates(tmp_path: Path, capsys) -> None:
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "manifest.json").write_text("{}", encoding="utf-8")
    code = main(["report", "--corpus", str(tmp_path / "store"), "--out", str(tmp_path / "r"),
                 "-p", "unknown=1"])
    err = capsys.readouterr().err
    assert code == 2
    assert "the template 'corpus_report' has no parameter 'unknown'; its parameters are" in err
    assert "corpus" in err.split("its parameters are")[1]
    assert not (tmp_path / "r").exists()


def test_by_a_missing_column_lists_the_available_ones() -> None:
    from framing.corpus import InputError
    from framing.measure import estimate_prevalence, topic_prevalence

    frames = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"],
                           "date": ["2025-01-01", "2025-02-01"],
                           "p_skeptic": [0.2, 0.7], "is_skeptic": [0, 1]})
    with pytest.raises(InputError, match=r"no 'outlt' column to group by; its columns are "
                                         r"doc_id, outlet, date, p_skeptic, is_skeptic "
                                         r"\(and 'period'"):
        estimate_prevalence(frames, by=["outlt"], method="pcc")
    topics = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"],
                           "topic_0": [0.3, 0.6], "topic_1": [0.7, 0.4]})
    with pytest.raises(InputError, match=r"no 'source' column to group by; its columns are "
                                         r"doc_id, outlet, topic_0, topic_1"):
        topic_prevalence(topics, by=["source"])


def test_the_bundled_coded_sheet_names_its_converting_command(tmp_path: Path, capsys) -> None:
    sheet = Path(__file__).parents[1] / "corpora" / "sample" / "annotations.csv"
    from framing.corpus import InputError
    from framing.frames import validate_annotations

    with pytest.raises(InputError, match=r"annotations\.csv: field 'frame': .* coded sheet .* "
                                         r"`framing frames import SHEET --out annotations"):
        validate_annotations(pd.read_csv(sheet), path=sheet)
    # ... and that command (the one the README shows) makes the table train reads
    assert main(["frames", "import", str(sheet), "--out", str(tmp_path / "a.csv")]) == 0
    table = pd.read_csv(tmp_path / "a.csv")
    assert len(table) == 1200 and table["passage_id"].nunique() == 400
