"""Readers: every supported format reads into our columns, with the source row of each record."""

from __future__ import annotations

import bz2
import gzip
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from framing.corpus import InputError, Source, import_corpus, parse_column_map, read_corpus
from tests.conftest import shared_path

ROWS = [
    {"id": "a1", "outlet": "Harbor Daily", "date": "2025-08-15",
     "body": "Trump met Putin, in Alaska.", "section": "world"},
    {"id": "a2", "outlet": "harbordaily.com", "date": "2025-08-18T10:30:00Z",
     "body": "Zelensky said \"we are ready\" in Washington.", "section": "world"},
]


def _read_all(source: Source) -> pd.DataFrame:
    return pd.concat(list(source.batches()), ignore_index=True)


def test_csv_with_column_map_and_metadata(write) -> None:
    path = write("news.csv", pd.DataFrame(ROWS).to_csv(index=False))
    frame = _read_all(Source(path, column_map={"text": "body", "doc_id": "id"}))
    assert frame["text"].tolist() == [r["body"] for r in ROWS]
    assert frame["doc_id"].tolist() == ["a1", "a2"]
    assert frame["section"].tolist() == ["world", "world"]
    assert frame["source_row"].tolist() == [1, 2]


@pytest.mark.parametrize(
    ("name", "delimiter"), [("news.tsv", "\t"), ("news.csv", ";"), ("news.txt.csv", "|")]
)
def test_delimiter_is_detected(write, name: str, delimiter: str) -> None:
    path = write(name, pd.DataFrame(ROWS).to_csv(index=False, sep=delimiter))
    source = Source(path, column_map={"text": "body"})
    frame = _read_all(source)
    assert source.report.delimiter == delimiter
    assert frame["text"].tolist() == [r["body"] for r in ROWS]


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-16", "utf-8-sig"])
def test_encoding_is_detected(write, encoding: str) -> None:
    rows = [dict(r, body=r["body"] + " Président Macron était là, à Paris, où l'été s'achève.")
            for r in ROWS]
    path = write("news.csv", pd.DataFrame(rows).to_csv(index=False), encoding=encoding)
    frame = _read_all(Source(path, column_map={"text": "body"}))
    assert frame["text"].str.contains("Président Macron était là").all()


@pytest.mark.parametrize(("encoding", "given", "noted"), [
    ("cp1252", None, True), ("cp1252", "cp1252", False), ("utf-8", None, False),
    ("utf-16", None, False)])
def test_a_guessed_code_page_is_noted_in_the_summary(write, encoding: str, given: str | None,
                                                     noted: bool) -> None:
    # A code page guessed on a few accented letters can be the wrong one and still read as
    # text: the import says it guessed, so a wrong guess is never silent.
    rows = [dict(r, body=r["body"] + " Président Macron était là.") for r in ROWS]
    path = write("news.csv", pd.DataFrame(rows).to_csv(index=False), encoding=encoding)
    source = Source(path, column_map={"text": "body"}, encoding=given)
    _read_all(source)
    notes = [n for n in source.report.notes if "detected, not declared" in n]
    assert bool(notes) is noted
    if noted:
        assert notes == [f"encoding {source.report.encoding} detected, not declared: if accented "
                         "letters look wrong, pass the file's own with --encoding"]


def test_csv_multiline_quoted_fields_keep_row_numbers(write) -> None:
    text = 'outlet,date,text\nA,2025-01-02,"first\nparagraph\n\nsecond"\nB,2025-01-03,plain\n'
    frame = _read_all(Source(write("m.csv", text)))
    assert frame["text"].tolist() == ["first\nparagraph\n\nsecond", "plain"]
    assert frame["source_row"].tolist() == [1, 2]


@pytest.mark.parametrize("opener", [gzip.open, bz2.open])
def test_compressed_files_are_read(tmp_path: Path, opener) -> None:
    suffix = ".gz" if opener is gzip.open else ".bz2"
    path = tmp_path / f"news.jsonl{suffix}"
    with opener(path, "wt", encoding="utf-8") as handle:
        for row in ROWS:
            handle.write(json.dumps(row) + "\n")
    frame = _read_all(Source(path, column_map={"text": "body"}))
    assert frame["doc_id"].tolist() == ["a1", "a2"]  # "id" inferred as doc_id


def test_jsonl_rows_are_lines_and_nested_values_become_json(write) -> None:
    lines = [json.dumps(ROWS[0]), "", json.dumps(dict(ROWS[1], tags=["a", "b"], n=3))]
    source = Source(write("news.jsonl", "\n".join(lines) + "\n"), column_map={"text": "body"})
    frame = _read_all(source)
    assert frame["source_row"].tolist() == [1, 3]
    assert frame["tags"].tolist()[1] == '["a", "b"]'
    assert source.report.rows_read == 2


def test_json_array(write) -> None:
    frame = _read_all(Source(write("news.json", json.dumps(ROWS)), column_map={"text": "body"}))
    assert frame["text"].tolist() == [r["body"] for r in ROWS]
    assert frame["source_row"].tolist() == [1, 2]


def test_parquet_file_and_partitioned_dataset(tmp_path: Path) -> None:
    table = pa.Table.from_pandas(pd.DataFrame(ROWS), preserve_index=False)
    pq.write_table(table, tmp_path / "one.parquet")
    folder = tmp_path / "dataset"
    pq.write_to_dataset(table, folder, partition_cols=["section"])
    one = _read_all(Source(tmp_path / "one.parquet", column_map={"text": "body"}))
    many = _read_all(Source(folder, column_map={"text": "body"}))
    assert one["text"].tolist() == many["text"].tolist() == [r["body"] for r in ROWS]
    assert many["section"].astype(str).tolist() == ["world", "world"]


def test_text_folder_with_metadata_sheet(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    (folder / "one.txt").write_text("Trump spoke to Putin by phone.", encoding="utf-8")
    (folder / "sub" / "two.md").write_text("# A headline\n\nZelensky met Macron.", encoding="utf-8")
    (folder / "three.txt").write_bytes("Le président était à Kyiv.".encode("cp1252"))
    (folder / "metadata.csv").write_text(
        "file,outlet,date,desk\none.txt,A,2025-03-01,world\nsub/two.md,B,2025-03-02,politics\n"
        "three,C,2025-03-03,world\nmissing.txt,D,2025-03-04,x\n",
        encoding="utf-8",
    )
    source = Source(folder)
    frame = _read_all(source).set_index("doc_id")
    assert sorted(frame.index) == ["one", "sub/two", "three"]
    assert frame.loc["sub/two", "title"] == "A headline"
    assert frame.loc["three", "text"] == "Le président était à Kyiv."
    assert frame.loc["one", "desk"] == "world"
    assert any("name no file" in note for note in source.report.notes)


MEDIACLOUD_FILES = [
    "mc-onlinenews-mediacloud-20260507155422-content.head200.csv",
    "mc_v2api_storylist_2020-10-15_kentucky.head200.csv",
]


@pytest.mark.shared_data
@pytest.mark.parametrize("name", MEDIACLOUD_FILES)
def test_mediacloud_exports_as_they_are(tmp_path: Path, name: str) -> None:
    path = shared_path("formats", "mediacloud", name)
    source = Source(path)
    assert source.format == "mediacloud"
    frame = _read_all(source)
    assert len(frame) == 200
    assert frame["text"].equals(frame["title"])  # headlines only: no text column in the export
    assert frame["doc_id"].notna().all() and frame["doc_id"].is_unique is not None
    corpus = import_corpus(path, tmp_path / "store", progress=False)
    rows = corpus.manifest["rows"]
    assert rows["read"] == 200 == rows["kept"] + rows["dropped"]
    docs = read_corpus(tmp_path / "store")
    assert docs["date"].notna().all()
    assert "media_url" in docs.columns  # metadata kept
    if "v2api" in name:
        assert "Newsweek" in set(docs["outlet"])  # trailing space in media_name trimmed
        assert docs["published_at"].notna().any()  # times kept in UTC


def test_synonyms_are_inferred_and_recorded(write) -> None:
    frame = pd.DataFrame({"headline": ["H"], "content": ["Body text here."],
                          "publish_date": ["2025-01-01"], "media_name": ["X"]})
    source = Source(write("n.csv", frame.to_csv(index=False)))
    out = _read_all(source)
    assert out[["title", "text", "date", "outlet"]].iloc[0].tolist() == [
        "H", "Body text here.", "2025-01-01", "X"]
    assert source.report.column_plan.inferred == {
        "outlet": "media_name", "date": "publish_date", "text": "content", "title": "headline"}


def test_ambiguous_synonyms_are_not_guessed(write) -> None:
    frame = pd.DataFrame({"body": ["a"], "content": ["b"], "date": ["2025-01-01"],
                          "outlet": ["X"]})
    with pytest.raises(InputError, match=r"n\.csv: field 'text': required column\(s\) 'text'"):
        Source(write("n.csv", frame.to_csv(index=False))).batches().__next__()


def test_reserved_and_shadowed_columns_are_renamed(write) -> None:
    frame = pd.DataFrame({"outlet": ["X"], "date": ["2025-01-01"], "published": ["yesterday"],
                          "text": ["T"], "month": ["m"], "source_file": ["f"]})
    source = Source(write("n.csv", frame.to_csv(index=False)), column_map={"date": "date"})
    out = _read_all(source)
    assert {"user_month", "user_source_file", "published"} <= set(out.columns)
    assert source.report.column_plan.renamed_metadata == {
        "month": "user_month", "source_file": "user_source_file"}


def test_column_map_parsing() -> None:
    assert parse_column_map("text=body,outlet = media_name,") == {
        "text": "body", "outlet": "media_name"}
    with pytest.raises(InputError, match="not of the form ours=theirs"):
        parse_column_map("text")
    with pytest.raises(InputError, match="reserves for itself"):
        parse_column_map("source_row=x")
