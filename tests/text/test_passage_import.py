"""import_passages and ``framing passages import``: passages cut elsewhere, any metadata."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.cli import main
from framing.corpus import BadRowWarning, InputError, StoreExistsError
from framing.text import import_passages, load_passages

HEADER = "id,article_id,outlet,date,text,coder,month\n"
GOOD = ("p1,a1,Fox,2019-05-01,Trump hailed the talks.,ana,May\n"
        "p2,a1,Fox,2019-05-01,He said a deal was near.,ana,May\n"
        "p3,a2,,2019-06-03,Trump left the summit early.,ben,June\n")


def _import(path: Path, out: Path, **kwargs) -> pd.DataFrame:
    return import_passages(path, out, progress=False, **kwargs).passages


def test_columns_ids_types_and_metadata(write, tmp_path: Path) -> None:
    found = import_passages(write("coded.csv", HEADER + GOOD), tmp_path / "p", progress=False)
    table = found.passages
    assert list(table.columns) == ["passage_id", "doc_id", "outlet", "date", "text", "coder",
                                   "user_month", "source_row"]
    assert table["passage_id"].tolist() == ["p1", "p2", "p3"]  # the bare id names the passage
    assert table["doc_id"].tolist() == ["a1", "a1", "a2"]     # article_id names the document
    assert table["outlet"].tolist()[:2] == ["Fox", "Fox"] and pd.isna(table["outlet"].iloc[2])
    assert table["date"].dtype == "datetime64[ns]"
    assert table["date"].dt.strftime("%Y-%m-%d").tolist() == ["2019-05-01"] * 2 + ["2019-06-03"]
    assert table["user_month"].tolist() == ["May", "May", "June"]  # a reserved name, renamed
    assert found.documents[["doc_id", "n_passages"]].values.tolist() == [["a1", 2], ["a2", 1]]
    manifest = found.manifest
    assert manifest["created_by"] == "framing.text.import_passages"
    assert manifest["rows"] == {"read": 3, "kept": 3, "dropped": 0, "dropped_by_reason": {}}
    assert manifest["source"]["inferred_columns"] == {"passage_id": "id", "doc_id": "article_id"}
    assert manifest["counts"]["missing_outlet"] == 1
    assert manifest["has_outlet"] and manifest["has_date"]


def test_every_row_is_kept_or_dropped_for_a_reason(write, tmp_path: Path) -> None:
    rows = (GOOD
            + "p4,a3,CNN,2019-02-30,A bad date.,ana,x\n"       # row 4: bad date
            + "p1,a4,CNN,2019-07-01,The id again.,ana,x\n"     # row 5: duplicate id
            + ",a5,CNN,2019-07-01,No id.,ana,x\n"              # row 6: empty id
            + "p7,a6,CNN,2019-07-01,,ana,x\n"                  # row 7: empty text
            + "p8,a7,CNN\n"                                    # row 8: ragged
            + "p9,a8,CNN,2019-07-02,Kept at the end.,ana,x\n")
    path = write("coded.csv", HEADER + rows)
    with pytest.warns(BadRowWarning) as warned:
        found = import_passages(path, tmp_path / "p", on_bad_rows="warn", progress=False)
    # One warning per bad row, each naming its row (an empty text is dropped, not bad).
    assert sorted(re.search(r"coded\.csv: row (\d+)", str(w.message)).group(1)
                  for w in warned) == ["4", "5", "6", "8"]
    rows_ = found.manifest["rows"]
    assert rows_ == {"read": 9, "kept": 4, "dropped": 5, "dropped_by_reason": {
        "bad_row": 1, "bad_date": 1, "missing_passage_id": 1, "duplicate_passage_id": 1,
        "empty_text": 1}}
    assert rows_["read"] == rows_["kept"] + sum(rows_["dropped_by_reason"].values())
    assert found.passages["passage_id"].tolist() == ["p1", "p2", "p3", "p9"]
    dropped = pd.read_parquet(tmp_path / "p" / "dropped")
    assert dropped[["source_row", "reason"]].values.tolist() == [
        [4, "bad_date"], [5, "duplicate_passage_id"], [6, "missing_passage_id"],
        [7, "empty_text"], [8, "bad_row"]]
    assert "also on row 1" in dropped["detail"].iloc[1]


@pytest.mark.parametrize(("extra", "message"), [
    ("p4,a3,CNN,31/02/2019,Bad.,ana,x\n", r"coded\.csv: row 4, field 'date': cannot parse"),
    ("p1,a3,CNN,2019-01-01,Again.,ana,x\n",
     r"coded\.csv: row 4, field 'passage_id': passage id 'p1' is also on row 1"),
    (",a3,CNN,2019-01-01,No id.,ana,x\n", r"coded\.csv: row 4, field 'passage_id': empty"),
    ("p4,a3,CNN\n", r"coded\.csv: row 4: expected 7 fields, found 3"),
])
def test_bad_rows_stop_the_import_by_default(write, tmp_path: Path, extra: str,
                                             message: str) -> None:
    with pytest.raises(InputError, match=message):
        import_passages(write("coded.csv", HEADER + GOOD + extra), tmp_path / "p",
                        progress=False)
    assert not (tmp_path / "p").exists()


def test_ids_are_made_when_absent(write, tmp_path: Path) -> None:
    by_doc = _import(write("a.csv", "doc_id,text\nx,One.\ny,Two.\nx,Three.\n"), tmp_path / "a")
    assert by_doc["passage_id"].tolist() == ["x:0", "y:0", "x:1"]
    bare = import_passages(write("b.csv", "text\nOne.\n\nTwo.\n"), tmp_path / "b",
                           progress=False)
    assert bare.passages[["passage_id", "doc_id"]].values.tolist() == [
        ["row1:0", "row1"], ["row2:0", "row2"]]
    assert any("no doc_id" in n for n in bare.manifest["notes"])
    # Ids of one file are the same however it is batched.
    chunked = _import(write("a.csv", "doc_id,text\nx,One.\ny,Two.\nx,Three.\n"), tmp_path / "c",
                      batch_size=1)
    pd.testing.assert_frame_equal(chunked, by_doc)


def test_outlet_and_date_are_optional(write, tmp_path: Path) -> None:
    found = import_passages(write("s.csv", "id,text,stance\n1,Trump won.,pro\n2,He lost.,con\n"),
                            tmp_path / "p", progress=False)
    assert list(found.passages.columns) == ["passage_id", "doc_id", "text", "stance",
                                            "source_row"]
    assert not found.manifest["has_outlet"] and not found.manifest["has_date"]
    assert any("no outlet column" in n for n in found.manifest["notes"])
    assert any("no date column" in n for n in found.manifest["notes"])


def test_formats_read_alike_and_columns_can_be_mapped_or_dropped(tmp_path: Path) -> None:
    table = pd.DataFrame({"item": ["a", "b"], "story": ["s1", "s2"], "sentence": ["One.", "Two."],
                          "skeptic": ["1", "0"], "topic": ["war", "aid"]})
    table.to_csv(tmp_path / "t.csv", index=False)
    table.to_parquet(tmp_path / "t.parquet", index=False)
    (tmp_path / "t.jsonl").write_text("\n".join(json.dumps(r) for r in
                                                table.to_dict("records")) + "\n")
    spec = "passage_id=item,doc_id=story,text=sentence"
    tables = [_import(tmp_path / f"t.{suffix}", tmp_path / suffix, column_map=spec,
                      drop=["skeptic"]) for suffix in ("csv", "parquet", "jsonl")]
    assert list(tables[0].columns) == ["passage_id", "doc_id", "text", "topic", "source_row"]
    assert tables[0]["passage_id"].tolist() == ["a", "b"]
    for other in tables[1:]:
        pd.testing.assert_frame_equal(other, tables[0], check_dtype=False)
    with pytest.raises(InputError, match=r"t\.csv: field 'stance': no column 'stance' to drop"):
        _import(tmp_path / "t.csv", tmp_path / "x", column_map=spec, drop=["stance"])
    with pytest.raises(InputError, match=r"field 'text': required column\(s\) 'text' not found"):
        _import(tmp_path / "t.csv", tmp_path / "y")


def test_a_workbook_is_refused_with_what_to_do(write, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"coded\.xlsx: a spreadsheet workbook.*save the sheet "
                                         r"as CSV"):
        _import(write("coded.xlsx", b"PK\x03\x04 not really"), tmp_path / "p")


def test_existing_folder_is_replaced_only_with_force(write, tmp_path: Path) -> None:
    path = write("coded.csv", HEADER + GOOD)
    out = tmp_path / "p"
    _import(path, out)
    before = (out / "manifest.json").read_bytes()
    with pytest.raises(StoreExistsError, match=r"exists; pass force=True \(--force\)"):
        _import(path, out)
    bad = write("bad.csv", HEADER + GOOD + "p4,a3,CNN,31/02/2019,Bad.,ana,x\n")
    with pytest.raises(InputError):
        _import(bad, out, force=True)  # a failed import leaves the folder as it was
    assert (out / "manifest.json").read_bytes() == before
    _import(write("two.csv", HEADER + GOOD.splitlines(keepends=True)[0]), out, force=True)
    assert len(load_passages(out).passages) == 1


@settings(max_examples=30, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from(["a", "b", "c", "d", ""]),
                               st.sampled_from(["Some text.", "", "  ", "Other text."])),
                     min_size=1, max_size=12),
       batch_size=st.integers(1, 5))
def test_read_is_kept_plus_dropped(tmp_path_factory, rows, batch_size) -> None:
    folder = tmp_path_factory.mktemp("prop")
    table = pd.DataFrame(rows, columns=["passage_id", "text"])
    table.to_csv(folder / "t.csv", index=False)
    expected_kept = []
    seen = set()
    for pid, text in rows:
        if not pid or pid in seen:
            continue
        if text.strip():
            seen.add(pid)
            expected_kept.append(pid)
    try:
        found = import_passages(folder / "t.csv", folder / "p", on_bad_rows="skip",
                                batch_size=batch_size, progress=False)
    except InputError as exc:
        assert not expected_kept and "no passage left" in str(exc)
        return
    counts = found.manifest["rows"]
    assert counts["read"] == len(rows) == counts["kept"] + counts["dropped"]
    assert counts["dropped"] == sum(counts["dropped_by_reason"].values())
    assert found.passages["passage_id"].tolist() == expected_kept
    whole = import_passages(folder / "t.csv", folder / "q", on_bad_rows="skip",
                            progress=False)
    pd.testing.assert_frame_equal(whole.passages, found.passages)


# -- the command ---------------------------------------------------------------------------------

def test_command_prints_the_accounting(write, tmp_path: Path, capsys) -> None:
    path = write("coded.csv", HEADER + GOOD + "p7,a6,CNN,2019-07-01,,ana,x\n")
    out = tmp_path / "p"
    assert main(["passages", "import", str(path), "--out", str(out), "--drop", "coder",
                 "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "read         4 rows" in printed
    assert "columns: passage_id<-id, doc_id<-article_id, outlet, date, text, user_month" \
        in printed
    assert "left out: coder" in printed
    assert "kept         3 passages from 2 documents" in printed
    assert "dropped      1\n           1  empty_text\n      row 4: empty_text" in printed
    assert main(["passages", "import", str(path), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("framing: error: ") and "pass --force to replace it" in err
    assert "force=True" not in err
    assert main(["passages", "kwic", str(out)]) == 2
    assert "imported (`framing passages import`)" in capsys.readouterr().err
