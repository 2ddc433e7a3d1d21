"""Bad input: every way a source can be wrong gives one clear InputError, or a counted bad row.

Each error names the file, the row (or line, for JSONL) and the field where they are known, in
one readable sentence with no library traceback. Errors in a single row can be skipped
(``on_bad_rows="skip"``) or skipped with a :class:`BadRowWarning` (``"warn"``); then the row
accounting of the manifest still adds up and ``Corpus.dropped()`` points at every skipped row.
"""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path
from typing import Any

import ijson
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from framing.corpus import (
    BadRowWarning,
    Corpus,
    InputError,
    import_corpus,
    load_manifest,
    read_corpus,
)

HEADER = "doc_id,outlet,date,text\n"
GOOD_ROWS = [
    "a,Fox News,2025-08-15,Trump met Putin in Alaska on Friday.\n",
    "b,CNN,2025-08-16,Zelensky will travel to Washington next week.\n",
    "c,Politico,2025-08-17,European leaders joined the talks at the White House.\n",
]


def _jsonl(doc_id: str, text: str, date: str = "2025-08-15") -> str:
    return f'{{"doc_id": "{doc_id}", "outlet": "CNN", "date": "{date}", "text": "{text}"}}\n'


def _parquet(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), buffer)
    return buffer.getvalue()


def _write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def _import(source: Path | list[Path], tmp_path: Path, **kwargs: Any) -> Corpus:
    return import_corpus(source, tmp_path / "store", progress=False, **kwargs)


def _check_readable(error: pytest.ExceptionInfo[InputError], cause: type | None = None) -> None:
    """One sentence from framing, not a library's traceback; chained to the library error."""
    assert error.type is InputError
    message = str(error.value)
    assert "\n" not in message, message
    assert "Traceback" not in message
    assert not re.search(r"\b(pyarrow|pandas|ijson)\.", message), message
    if cause is not None:
        assert isinstance(error.value.__cause__, cause), repr(error.value.__cause__)


def _check_accounting(corpus: Corpus, bad_rows: list[int]) -> None:
    """read == kept + dropped, and every bad row is in dropped() with reason bad_row."""
    rows = corpus.manifest["rows"]
    assert rows["read"] == rows["kept"] + rows["dropped"]
    assert sum(rows["dropped_by_reason"].values()) == rows["dropped"]
    assert rows["dropped_by_reason"].get("bad_row", 0) == len(bad_rows)
    assert len(read_corpus(corpus.path)) == rows["kept"] == len(corpus)
    dropped = corpus.dropped()
    assert len(dropped) == rows["dropped"]
    assert sorted(dropped.loc[dropped["reason"] == "bad_row", "source_row"].tolist()) == bad_rows


# -- cases -----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Case:
    """A source file and the error it must give."""

    id: str
    name: str
    content: str | bytes
    match: str
    row: int | None = None
    field: str | None = None
    kwargs: dict[str, Any] = dataclasses.field(default_factory=dict)
    #: For a row-level case: how many rows the file holds and which of them are bad.
    read: int = 0
    bad_rows: tuple[int, ...] = ()


ROW_CASES = [
    Case(
        "ragged-short", "a.csv", HEADER + GOOD_ROWS[0] + "b,CNN,2025-08-16\n" + GOOD_ROWS[2],
        r"a\.csv: row 2: expected 4 fields, found 3 \(line 3\)", row=2, read=3, bad_rows=(2,),
    ),
    Case(
        "ragged-long", "a.csv",
        HEADER + GOOD_ROWS[0] + GOOD_ROWS[1] + "x,CNN,2025-08-18,one,two\n" + GOOD_ROWS[2],
        r"a\.csv: row 3: expected 4 fields, found 5 \(line 4\)", row=3, read=4, bad_rows=(3,),
    ),
    Case(
        "ragged-after-quoted-newline", "a.csv",
        HEADER + 'a,CNN,2025-08-15,"two\nlines"\n' + "b,CNN\n" + GOOD_ROWS[2],
        r"a\.csv: row 2: expected 4 fields, found 2 \(line 4\)", row=2, read=3, bad_rows=(2,),
    ),
    Case(
        "impossible-date", "a.csv", HEADER + GOOD_ROWS[0] + GOOD_ROWS[1]
        + "x,CNN,2025-02-30,Talks ended without a deal.\n",
        r"a\.csv: row 3, field 'date': cannot parse '2025-02-30' as a date "
        r"\(day is out of range for month\)$",
        row=3, field="date", read=3, bad_rows=(3,),
    ),
    Case(
        "garbage-date", "a.csv", HEADER + GOOD_ROWS[0] + GOOD_ROWS[1]
        + "x,CNN,garbage,Talks ended without a deal.\n",
        r"a\.csv: row 3, field 'date': cannot parse 'garbage' as a date$",
        row=3, field="date", read=3, bad_rows=(3,),
    ),
    Case(
        "two-bad-dates", "a.csv", HEADER + "x,CNN,garbage,One.\n" + GOOD_ROWS[1]
        + "y,CNN,2025-13-45,Two.\n",
        r"a\.csv: row 1, field 'date': cannot parse 'garbage' as a date$",
        row=1, field="date", read=3, bad_rows=(1, 3),
    ),
    Case(
        "nul-in-text", "a.csv", HEADER + GOOD_ROWS[0] + GOOD_ROWS[1]
        + "x,CNN,2025-08-18,Talks\x00ended.\n",
        r"a\.csv: row 3, field 'text': contains NUL bytes", row=3, field="text", read=3,
        bad_rows=(3,),
    ),
    Case(
        "nul-in-outlet", "a.csv", HEADER + "x,C\x00NN,2025-08-18,Talks ended.\n" + GOOD_ROWS[1],
        r"a\.csv: row 1, field 'outlet': contains NUL bytes", row=1, field="outlet", read=2,
        bad_rows=(1,),
    ),
    Case(
        "jsonl-not-json", "a.jsonl",
        _jsonl("a", "One.") + "\n" + '{"doc_id": "b", "text": }\n' + _jsonl("c", "Three."),
        r"a\.jsonl: line 3: not valid JSON \(Expecting value, column 25\)$", row=3, read=3,
        bad_rows=(3,),
    ),
    Case(
        "jsonl-list", "a.jsonl", _jsonl("a", "One.") + '["b", "CNN"]\n' + _jsonl("c", "Three."),
        r"a\.jsonl: line 2: expected a JSON object, found list$", row=2, read=3, bad_rows=(2,),
    ),
    Case(
        "jsonl-bad-date", "a.jsonl", _jsonl("a", "One.") + _jsonl("b", "Two.", "2025-02-30"),
        r"a\.jsonl: line 2, field 'date': cannot parse '2025-02-30' as a date", row=2,
        field="date", read=2, bad_rows=(2,),
    ),
    Case(
        "json-array-number", "a.json",
        "[" + _jsonl("a", "One.") + ", 5, " + _jsonl("c", "Three.") + "]",
        r"a\.json: row 2: expected a JSON object, found int$", row=2, read=3, bad_rows=(2,),
    ),
    Case(
        "parquet-bad-date", "a.parquet", _parquet(pd.DataFrame({
            "doc_id": ["a", "b"], "outlet": ["CNN", "CNN"], "date": ["2025-08-15", "garbage"],
            "text": ["One.", "Two."],
        })),
        r"a\.parquet: row 2, field 'date': cannot parse 'garbage' as a date", row=2,
        field="date", read=2, bad_rows=(2,),
    ),
]

FILE_CASES = [
    Case("empty-csv", "a.csv", b"", r"a\.csv: file is empty$"),
    Case("whitespace-csv", "a.csv", " \n\t\n  \n", r"a\.csv: file is empty$"),
    Case("header-only-csv", "a.csv", HEADER, r"a\.csv: .*no data rows"),
    Case("header-and-blank-lines-csv", "a.csv", HEADER + "\n\n", r"a\.csv: .*no data rows"),
    Case("empty-jsonl", "a.jsonl", b"", r"a\.jsonl: file is empty$"),
    Case("whitespace-jsonl", "a.jsonl", "\n  \n", r"a\.jsonl: file is empty$"),
    Case("empty-json-array", "a.json", "[ ]", r"a\.json: the JSON array is empty$"),
    Case(
        "truncated-json-array", "a.json",
        "[" + _jsonl("a", "One.") + ", " + _jsonl("b", "Two.")[:30],
        r"a\.json: row 2: not a valid JSON array \(.*\); the file cannot be read past this point$",
        row=2,
    ),
    Case(
        "missing-text", "a.csv", "doc_id,outlet,date,words\na,CNN,2025-08-15,One.\n",
        r"a\.csv: field 'text': required column\(s\) 'text' not found among 'doc_id', "
        r"'outlet', 'date', 'words'; map them with --map text=<column>$",
        field="text",
    ),
    Case(
        "missing-outlet", "a.csv", "doc_id,date,text\na,2025-08-15,One.\n",
        r"a\.csv: field 'outlet': required column\(s\) 'outlet' not found among .*"
        r"map them with --map outlet=<column>$",
        field="outlet",
    ),
    Case(
        "missing-date", "a.jsonl", '{"outlet": "CNN", "text": "One."}\n',
        r"a\.jsonl: field 'date': required column\(s\) 'date' not found among 'outlet', 'text'; "
        r"map them with --map date=<column>$",
        field="date",
    ),
    Case(
        "missing-several", "a.csv", "id,body\n1,One.\n",
        r"a\.csv: field 'outlet': required column\(s\) 'outlet', 'date' not found .*"
        r"--map outlet=<column>, date=<column>$",
        field="outlet",
    ),
    Case(
        "parquet-text-int64", "a.parquet", _parquet(pd.DataFrame({
            "doc_id": ["a"], "outlet": ["CNN"], "date": ["2025-08-15"], "text": [5],
        })),
        r"a\.parquet: field 'text': column has type int64; expected text \(string\)$",
        field="text",
    ),
    Case(
        "parquet-date-float", "a.parquet", _parquet(pd.DataFrame({
            "doc_id": ["a"], "outlet": ["CNN"], "date": [1.5], "text": ["One."],
        })),
        r"a\.parquet: field 'date': column has type double; expected dates", field="date",
    ),
    Case("not-parquet", "a.parquet", b"PAR1 this is not parquet",
         r"a\.parquet: not a readable Parquet file or dataset"),
    Case(
        "map-column-not-in-file", "a.csv", HEADER + GOOD_ROWS[0],
        r"a\.csv: field 'body': column 'body' \(mapped to 'text'\) is not in the file; its "
        r"columns are 'doc_id', 'outlet', 'date', 'text'$",
        field="body", kwargs={"column_map": {"text": "body"}},
    ),
    Case(
        "map-string-column-not-in-file", "a.csv", HEADER + GOOD_ROWS[0],
        r"a\.csv: field 'media': column 'media' \(mapped to 'outlet'\) is not in the file",
        field="media", kwargs={"column_map": "outlet=media"},
    ),
    Case("duplicate-header", "a.csv", "text,outlet,date,text\nx,CNN,2025-08-15,One.\n",
         r"a\.csv: field 'text': column name appears twice in the header$", field="text"),
    Case(
        "unknown-suffix", "a.dat", "hello", r"a\.dat: cannot tell the format from the name "
        r"'a\.dat'; pass format= \(--format\) as one of csv, jsonl, json, parquet"
    ),
]


def _case_params(cases: list[Case]) -> list[Any]:
    return [pytest.param(case, id=case.id) for case in cases]


# -- errors naming file, row and field ---------------------------------------------------------


@pytest.mark.parametrize("case", _case_params(ROW_CASES + FILE_CASES))
def test_error_names_file_row_and_field(case: Case, tmp_path: Path) -> None:
    source = _write(tmp_path / case.name, case.content)
    with pytest.raises(InputError, match=case.match) as error:
        _import(source, tmp_path, **case.kwargs)
    _check_readable(error)
    assert error.value.path == str(source)
    assert str(error.value).startswith(f"{source}: ")
    assert (error.value.row, error.value.field) == (case.row, case.field)
    assert not (tmp_path / "store").exists()


@pytest.mark.parametrize("policy", ["skip", "warn"])
@pytest.mark.parametrize("case", _case_params(FILE_CASES))
def test_file_level_errors_are_not_skipped(case: Case, policy: str, tmp_path: Path) -> None:
    source = _write(tmp_path / case.name, case.content)
    with pytest.raises(InputError, match=case.match):
        _import(source, tmp_path, on_bad_rows=policy, **case.kwargs)
    assert not (tmp_path / "store").exists()


@pytest.mark.parametrize("case", _case_params(ROW_CASES))
def test_bad_rows_skipped(case: Case, tmp_path: Path) -> None:
    source = _write(tmp_path / case.name, case.content)
    corpus = _import(source, tmp_path, on_bad_rows="skip", **case.kwargs)
    _check_accounting(corpus, list(case.bad_rows))
    rows = corpus.manifest["rows"]
    assert rows["read"] == case.read
    assert rows["kept"] == case.read - len(case.bad_rows)
    assert corpus.manifest["inputs"][0]["bad_rows"] == len(case.bad_rows)
    dropped = corpus.dropped()
    assert set(dropped["source_file"]) == {str(source)}
    kept_rows = set(read_corpus(corpus.path)["source_row"])
    assert kept_rows.isdisjoint(case.bad_rows)


@pytest.mark.parametrize("case", _case_params(ROW_CASES))
def test_bad_rows_warned(case: Case, tmp_path: Path) -> None:
    source = _write(tmp_path / case.name, case.content)
    with pytest.warns(BadRowWarning) as record:
        corpus = _import(source, tmp_path, on_bad_rows="warn", **case.kwargs)
    messages = [str(w.message) for w in record if issubclass(w.category, BadRowWarning)]
    assert len(messages) == len(case.bad_rows)
    assert re.search(case.match, messages[0].removeprefix("skipped: ")), messages[0]
    _check_accounting(corpus, list(case.bad_rows))
    assert corpus.manifest["rows"]["read"] == case.read


def test_many_bad_rows_warn_then_count(tmp_path: Path) -> None:
    rows = [f"r{i},CNN,garbage,Text {i}.\n" for i in range(25)]
    source = _write(tmp_path / "a.csv", HEADER + GOOD_ROWS[0] + "".join(rows))
    with pytest.warns(BadRowWarning) as record:
        corpus = _import(source, tmp_path, on_bad_rows="warn")
    messages = [str(w.message) for w in record]
    assert len(messages) == 21
    assert messages[0].startswith(f"skipped: {source}: row 2, field 'date'")
    assert messages[-1] == f"{source}: 25 bad rows skipped in all (the first 20 were shown)"
    _check_accounting(corpus, list(range(2, 27)))


# -- encodings -------------------------------------------------------------------------------


def test_latin1_read_as_utf8(tmp_path: Path) -> None:
    content = HEADER + GOOD_ROWS[0] + "b,Le Monde,2025-08-16,Caf\u00e9 et d\u00e9bat.\n"
    source = _write(tmp_path / "a.csv", content.encode("latin-1"))
    with pytest.raises(InputError, match=r"a\.csv: row 2, field 'text': .*not valid utf-8 "
                       r"\(invalid continuation byte, byte 0xe9\).*encoding=") as error:
        _import(source, tmp_path, encoding="utf-8")
    _check_readable(error, UnicodeDecodeError)
    assert (error.value.row, error.value.field) == (2, "text")
    # A file-level problem: rows after it cannot be trusted, so it is never skipped.
    with pytest.raises(InputError, match=r"a\.csv: row 2, field 'text'"):
        _import(source, tmp_path, encoding="utf-8", on_bad_rows="skip")
    assert not (tmp_path / "store").exists()


def test_latin1_named_or_detected_reads(tmp_path: Path) -> None:
    content = HEADER + "b,Le Monde,2025-08-16,Caf\u00e9 et d\u00e9bat.\n"
    source = _write(tmp_path / "a.csv", content.encode("latin-1"))
    for encoding, out in ((None, "detected"), ("latin-1", "named")):
        corpus = import_corpus(source, tmp_path / out, encoding=encoding, progress=False)
        assert read_corpus(corpus.path)["text"].tolist() == ["Caf\u00e9 et d\u00e9bat."]


def test_latin1_header_read_as_utf8(tmp_path: Path) -> None:
    content = "doc_id,outlet,date,text,r\u00e9sum\u00e9\n" + "a,CNN,2025-08-15,One.,x\n"
    source = _write(tmp_path / "a.csv", content.encode("latin-1"))
    with pytest.raises(InputError, match=r"a\.csv: row 0: .*not valid utf-8") as error:
        _import(source, tmp_path, encoding="utf-8")
    _check_readable(error, UnicodeDecodeError)


@pytest.mark.parametrize("suffix", ["csv", "jsonl"])
def test_invalid_byte_after_the_sample(suffix: str, tmp_path: Path) -> None:
    """The encoding is detected from the first 1 MB; a bad byte later is still pinned down."""
    n_good = 30_000
    if suffix == "csv":
        head = HEADER + "".join(f"d{i},CNN,2025-08-15,Words number {i} of a story.\n"
                                for i in range(n_good))
        bad = b"z,CNN,2025-08-15,A bad \xff byte.\n"
        tail = "y,CNN,2025-08-15,After it.\n"
        where = rf"a\.csv: row {n_good + 1}, field 'text'"
    else:
        head = "".join(_jsonl(f"d{i}", f"Words number {i} of a story.") for i in range(n_good))
        bad = b'{"doc_id": "z", "outlet": "CNN", "date": "2025-08-15", "text": "A \xff."}\n'
        tail = _jsonl("y", "After it.")
        where = rf"a\.jsonl: line {n_good + 1}: "
    assert len(head.encode()) > 1 << 20
    source = _write(tmp_path / f"a.{suffix}", head.encode() + bad + tail.encode())
    with pytest.raises(InputError, match=where + r".*not valid utf-8 \(invalid start byte, "
                       r"byte 0xff\)") as error:
        _import(source, tmp_path)
    _check_readable(error, UnicodeDecodeError)
    assert error.value.row == n_good + 1
    assert not (tmp_path / "store").exists()


def test_utf16_bom_reads(tmp_path: Path) -> None:
    source = _write(tmp_path / "a.csv", (HEADER + GOOD_ROWS[0]).encode("utf-16"))
    corpus = _import(source, tmp_path)
    assert read_corpus(corpus.path)["doc_id"].tolist() == ["a"]


# -- duplicate doc_ids -----------------------------------------------------------------------


def test_duplicate_doc_id_with_other_text_is_an_error(tmp_path: Path) -> None:
    content = HEADER + GOOD_ROWS[0] + GOOD_ROWS[1] + "a,CNN,2025-08-18,A different story.\n"
    source = _write(tmp_path / "a.csv", content)
    with pytest.raises(
        InputError,
        match=rf"a\.csv: row 3, field 'doc_id': doc_id 'a' is already used by row 1 of "
        rf"{re.escape(str(source))} for a different text$",
    ) as error:
        _import(source, tmp_path)
    _check_readable(error)
    assert (error.value.row, error.value.field) == (3, "doc_id")
    assert not (tmp_path / "store").exists()


def test_duplicate_doc_id_across_files(tmp_path: Path) -> None:
    first = _write(tmp_path / "a.csv", HEADER + GOOD_ROWS[1] + GOOD_ROWS[0])
    second = _write(tmp_path / "b.csv", HEADER + "a,CNN,2025-08-18,A different story.\n")
    with pytest.raises(
        InputError,
        match=rf"b\.csv: row 1, field 'doc_id': doc_id 'a' is already used by row 2 of "
        rf"{re.escape(str(first))} for a different text$",
    ) as error:
        _import([first, second], tmp_path)
    assert error.value.path == str(second)


@pytest.mark.parametrize("policy", ["skip", "warn"])
def test_duplicate_doc_id_with_other_text_skipped(policy: str, tmp_path: Path) -> None:
    content = HEADER + GOOD_ROWS[0] + GOOD_ROWS[1] + "a,CNN,2025-08-18,A different story.\n"
    source = _write(tmp_path / "a.csv", content)
    if policy == "warn":
        with pytest.warns(BadRowWarning, match=r"a\.csv: row 3, field 'doc_id': doc_id 'a'"):
            corpus = _import(source, tmp_path, on_bad_rows=policy)
    else:
        corpus = _import(source, tmp_path, on_bad_rows=policy)
    rows = corpus.manifest["rows"]
    assert rows == {"read": 3, "kept": 2, "dropped": 1,
                    "dropped_by_reason": {"conflicting_doc_id": 1}}
    dropped = corpus.dropped()
    assert dropped[["source_row", "doc_id", "reason"]].values.tolist() == [
        [3, "a", "conflicting_doc_id"]
    ]
    kept = read_corpus(corpus.path)
    assert kept.set_index("doc_id").loc["a", "text"] == "Trump met Putin in Alaska on Friday."


def test_duplicate_doc_id_with_same_text_is_dropped(tmp_path: Path) -> None:
    source = _write(tmp_path / "a.csv", HEADER + GOOD_ROWS[0] + GOOD_ROWS[1] + GOOD_ROWS[0])
    corpus = _import(source, tmp_path)  # on_bad_rows="error": not an error
    rows = corpus.manifest["rows"]
    assert rows == {"read": 3, "kept": 2, "dropped": 1,
                    "dropped_by_reason": {"duplicate_doc_id": 1}}
    dropped = corpus.dropped()
    assert dropped[["source_row", "doc_id", "reason", "duplicate_of"]].values.tolist() == [
        [3, "a", "duplicate_doc_id", "a"]
    ]
    assert sorted(read_corpus(corpus.path)["source_row"]) == [1, 2]


# -- a text too long to be an article ----------------------------------------------------------

BIG_CHARS = 50_000_000


@pytest.fixture(scope="module")
def huge_field_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Row 2 holds one 50 MB text field (a runaway quote, say)."""
    path = tmp_path_factory.mktemp("huge") / "a.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER + GOOD_ROWS[0] + 'b,CNN,2025-08-16,"')
        chunk = "ab, " * 125_000
        for _ in range(BIG_CHARS // len(chunk)):
            handle.write(chunk)
        handle.write('"\n' + GOOD_ROWS[2])
    return path


def test_huge_field_is_a_clear_error(huge_field_csv: Path, tmp_path: Path) -> None:
    with pytest.raises(
        InputError,
        match=r"a\.csv: row 2, field 'text': has 50,000,000 characters, more than "
        r"max_text_chars=1,000,000",
    ) as error:
        _import(huge_field_csv, tmp_path)
    _check_readable(error)
    assert (error.value.row, error.value.field) == (2, "text")
    assert not (tmp_path / "store").exists()


@pytest.mark.parametrize("policy", ["skip", "warn"])
def test_huge_field_skipped(policy: str, huge_field_csv: Path, tmp_path: Path) -> None:
    if policy == "warn":
        with pytest.warns(BadRowWarning, match=r"row 2, field 'text': has 50,000,000"):
            corpus = _import(huge_field_csv, tmp_path, on_bad_rows=policy)
    else:
        corpus = _import(huge_field_csv, tmp_path, on_bad_rows=policy)
    _check_accounting(corpus, [2])
    assert corpus.manifest["rows"]["read"] == 3
    assert sorted(read_corpus(corpus.path)["doc_id"]) == ["a", "c"]


def test_max_text_chars_is_a_parameter(tmp_path: Path) -> None:
    source = _write(tmp_path / "a.csv", HEADER + GOOD_ROWS[0] + GOOD_ROWS[1])
    with pytest.raises(InputError, match=r"a\.csv: row 1, field 'text': has 36 characters, "
                       r"more than max_text_chars=20"):
        _import(source, tmp_path, max_text_chars=20)


# -- options: column map, outlet aliases, format ----------------------------------------------


@pytest.mark.parametrize(
    ("column_map", "match"),
    [
        ("text", r"^column map entry 'text' is not of the form ours=theirs"),
        ("text=body,outlet", r"^column map entry 'outlet' is not of the form ours=theirs"),
        ("=body", r"^column map entry '=body' is not of the form ours=theirs"),
        ("text=body,text=content", r"^column map names 'text' twice$"),
        ({"source_row": "line"}, r"^column map targets 'source_row', a name framing reserves"),
    ],
)
def test_malformed_column_map(column_map: Any, match: str, tmp_path: Path) -> None:
    source = _write(tmp_path / "a.csv", HEADER + GOOD_ROWS[0])
    with pytest.raises(InputError, match=match) as error:
        _import(source, tmp_path, column_map=column_map)
    _check_readable(error)
    assert not (tmp_path / "store").exists()


@pytest.mark.parametrize(
    ("table", "match", "row", "field"),
    [
        ("alias,name\ncnn.com,CNN\n",
         r"aliases\.csv: field 'outlet': the outlet alias table needs the columns 'alias' and "
         r"'outlet'$", None, "outlet"),
        ("outlet\nCNN\n", r"aliases\.csv: field 'alias': the outlet alias table needs", None,
         "alias"),
        ("", r"aliases\.csv: field 'alias': the outlet alias table needs", None, "alias"),
        ("alias,outlet\ncnn.com,CNN\nfoxnews.com,Fox News\nwww.cnn.com,Fox News\n",
         r"aliases\.csv: row 3, field 'alias': alias 'www\.cnn\.com' maps to 'CNN' and to "
         r"'Fox News'$", 3, "alias"),
        ("alias,outlet\ncnn.com,CNN\nfoxnews.com,\n",
         r"aliases\.csv: row 2, field 'outlet': alias and outlet must both be given$", 2,
         "outlet"),
    ],
)
def test_bad_outlet_alias_table(
    table: str, match: str, row: int | None, field: str | None, tmp_path: Path
) -> None:
    source = _write(tmp_path / "a.csv", HEADER + GOOD_ROWS[0])
    aliases = _write(tmp_path / "aliases.csv", table)
    with pytest.raises(InputError, match=match) as error:
        _import(source, tmp_path, outlet_aliases=aliases)
    _check_readable(error)
    assert (error.value.path, error.value.row, error.value.field) == (str(aliases), row, field)


def test_outlet_alias_table_not_utf8(tmp_path: Path) -> None:
    source = _write(tmp_path / "a.csv", HEADER + GOOD_ROWS[0])
    aliases = _write(tmp_path / "aliases.csv", "alias,outlet\nle monde,Le Monde \u00e9d.\n"
                     .encode("latin-1"))
    with pytest.raises(InputError, match=r"aliases\.csv: cannot read the outlet alias table") as \
            error:
        _import(source, tmp_path, outlet_aliases=aliases)
    _check_readable(error, UnicodeDecodeError)


def test_unknown_format(tmp_path: Path) -> None:
    source = _write(tmp_path / "a.csv", HEADER + GOOD_ROWS[0])
    with pytest.raises(InputError, match=r"^unknown format 'xml'; use one of auto, csv, jsonl, "
                       r"json, parquet, text, mediacloud$") as error:
        _import(source, tmp_path, format="xml")
    _check_readable(error)


@pytest.mark.parametrize(
    ("name", "fmt", "match", "cause"),
    [
        ("missing.csv", "auto", r"missing\.csv: no such file or folder$", None),
        ("missing.jsonl", "jsonl", r"missing\.jsonl: cannot open file \(No such file or "
         r"directory\)$", FileNotFoundError),
        ("missing.parquet", "auto", r"missing\.parquet: no such file or folder$", None),
        ("missing.parquet", "parquet", r"missing\.parquet: not a readable Parquet", OSError),
    ],
)
def test_path_that_does_not_exist(
    name: str, fmt: str, match: str, cause: type | None, tmp_path: Path
) -> None:
    with pytest.raises(InputError, match=match) as error:
        _import(tmp_path / name, tmp_path, format=fmt)
    _check_readable(error, cause)
    assert error.value.path == str(tmp_path / name)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_folder_with_nothing_to_import(tmp_path: Path) -> None:
    _write(tmp_path / "in" / "notes.doc", b"\x00\x01")
    with pytest.raises(InputError, match=r"in: folder holds neither Parquet files nor \.txt/\.md"):
        _import(tmp_path / "in", tmp_path)


def test_no_sources(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"^no sources given$"):
        _import([], tmp_path)


def test_truncated_json_is_chained_to_the_parser_error(tmp_path: Path) -> None:
    source = _write(tmp_path / "a.json", "[" + _jsonl("a", "One.") + ", {")
    with pytest.raises(InputError, match=r"a\.json: row 2: not a valid JSON array") as error:
        _import(source, tmp_path, on_bad_rows="skip")
    _check_readable(error, ijson.JSONError)


# -- a failed import changes nothing ----------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(
    ("bad_row", "kwargs", "match"),
    [
        (b"z,CNN,garbage,Bad date.\n", {}, r"bad\.csv: row 51, field 'date'"),
        (b"z,CNN,2025-09-30,Bad \xff byte.\n", {"encoding": "utf-8", "on_bad_rows": "warn"},
         r"bad\.csv: row 51, field 'text': .*not valid utf-8"),
    ],
    ids=["bad-date", "bad-byte"],
)
def test_failed_import_leaves_existing_store_untouched(
    bad_row: bytes, kwargs: dict[str, Any], match: str, tmp_path: Path
) -> None:
    good = _write(tmp_path / "in" / "good.csv", HEADER + "".join(GOOD_ROWS))
    out = tmp_path / "out" / "store"
    first = import_corpus(good, out, progress=False)
    before_table = read_corpus(out)
    before_files = _snapshot(out)
    # The bad row comes late enough that several batches are staged before the import fails.
    rows = "".join(f"n{i},CNN,2025-09-{1 + i % 28:02d},Story number {i} here.\n"
                   for i in range(50))
    bad = _write(tmp_path / "in" / "bad.csv", (HEADER + rows).encode() + bad_row)
    with pytest.raises(InputError, match=match):
        import_corpus(bad, out, force=True, batch_size=7, progress=False, **kwargs)
    assert _snapshot(out) == before_files
    pd.testing.assert_frame_equal(read_corpus(out), before_table)
    assert load_manifest(out) == first.manifest
    assert sorted(p.name for p in out.parent.iterdir()) == ["store"]


def test_failed_import_leaves_no_temp_folders(tmp_path: Path) -> None:
    bad = _write(tmp_path / "in" / "bad.csv", HEADER + "".join(GOOD_ROWS) + "d,CNN,garbage,x\n")
    out = tmp_path / "out" / "store"
    out.parent.mkdir()
    with pytest.raises(InputError, match=r"bad\.csv: row 4, field 'date'"):
        import_corpus(bad, out, batch_size=1, progress=False)
    assert list(out.parent.iterdir()) == []


def test_failed_second_source_keeps_the_store(tmp_path: Path) -> None:
    good = _write(tmp_path / "in" / "good.csv", HEADER + "".join(GOOD_ROWS))
    out = tmp_path / "store"
    import_corpus(good, out, progress=False)
    before = _snapshot(out)
    other = _write(tmp_path / "in" / "other.jsonl", _jsonl("x", "One.") + "[1]\n")
    with pytest.raises(InputError, match=r"other\.jsonl: line 2: expected a JSON object"):
        import_corpus([good, other], out, force=True, progress=False)
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "store"]
