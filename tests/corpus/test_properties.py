"""Properties of import_corpus on random sources, good rows mixed with malformed ones.

Rows are drawn at random: text with unicode, quotes, commas, line breaks inside quoted fields,
empty fields; and malformed rows (impossible or unparseable dates, ragged rows, NUL bytes,
lines that are not JSON objects). Whatever the mix, either the import refuses the file as a
whole with an InputError, or the store's row accounting adds up; clean rows round-trip; and
the result depends neither on the batch size nor on the run.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framing.corpus import Corpus, InputError, import_corpus, read_corpus

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
COLUMNS = ["doc_id", "outlet", "date", "text", "section"]

# Characters that text cleaning leaves alone (no control or zero-width characters, no Latin-1
# letters that could read as mojibake, no '&' entities, all NFC), so clean rows round-trip
# exactly up to whitespace; quotes, commas, semicolons, tabs and line breaks included.
_CLEAN = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    " ,;.:!?'\"()[]{}-_/\\#@%*+=<>|~`$^\n\t"
    "αβγδΔΩжщЖЯ中文新闻日本語한국어עבריתالعربية—–…“”‘’€™😀🇺🇦"
)
# A good text has a letter: one without (digits or punctuation alone) is dropped as no_letters.
clean_texts = st.text(alphabet=_CLEAN, min_size=1, max_size=60).filter(
    lambda t: any(c.isalpha() for c in t))
# Anything at all (but NUL, which makes a row bad, and lone surrogates, which UTF-8 cannot hold).
any_texts = st.text(
    alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=60
)
texts = st.one_of(clean_texts, any_texts)
outlets = st.sampled_from(["CNN", "Fox News", "le monde", "https://www.politico.com/story/1"])
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2024, 12, 31)).flatmap(
    lambda d: st.sampled_from([
        d.isoformat(), d.strftime("%B %d, %Y"), f"{d.isoformat()}T12:30:00Z",
        f"{d.isoformat()} 08:00",
    ])
)
bad_dates = st.sampled_from(["2025-02-30", "garbage", "2024-00-10", "31/31/2020", "not a date"])


@dataclass
class Row:
    """One generated row: its fields, and what it should become."""

    kind: str  # good, empty_text, no_outlet, no_date, bad_date, ragged, nul, not_json, list
    fields: dict[str, Any]
    width: int = len(COLUMNS)  # for ragged CSV rows

    @property
    def is_bad(self) -> bool:
        return self.kind in ("bad_date", "ragged", "nul", "not_json", "list")


@st.composite
def rows(draw: st.DrawFn, *, jsonl: bool) -> Row:
    kinds = ["good"] * 6 + ["empty_text", "no_outlet", "no_date", "bad_date", "nul"]
    kinds += ["not_json", "list"] if jsonl else ["ragged"]
    kind = draw(st.sampled_from(kinds))
    fields: dict[str, Any] = {
        "doc_id": draw(st.sampled_from(["", "auto"])),  # "auto": replaced by a unique id
        "outlet": draw(outlets),
        "date": draw(dates),
        # One thing wrong per row: rows dropped for a missing value have a text.
        "text": draw(clean_texts if kind in ("good", "no_outlet", "no_date") else texts),
        "section": draw(st.one_of(st.just(""), any_texts)),
    }
    if kind == "empty_text":
        fields["text"] = draw(st.sampled_from(["", " ", "\n\n", "\t "]))
    elif kind == "no_outlet":
        fields["outlet"] = ""
    elif kind == "no_date":
        fields["date"] = ""
    elif kind == "bad_date":
        fields["date"] = draw(bad_dates)
    elif kind == "nul":
        text = fields["text"] or "x"
        at = draw(st.integers(0, len(text)))
        fields["text"] = text[:at] + "\x00" + text[at:]
    width = len(COLUMNS)
    if kind == "ragged":
        width = draw(st.sampled_from([1, 2, 3, 4, 6, 7]))
    if jsonl:
        # A record may leave out any key it has no value for; a count is an optional number.
        if kind in ("no_outlet", "no_date") and draw(st.booleans()):
            fields.pop("outlet" if kind == "no_outlet" else "date")
        if draw(st.booleans()):
            fields.pop("section")
        if draw(st.booleans()):
            fields["n_words"] = draw(st.integers(0, 5000))
    return Row(kind, fields, width)


@dataclass
class Source:
    """A generated file and the rows it holds (1-based data row or line -> Row)."""

    name: str
    content: str
    rows: dict[int, Row]

    @property
    def bad_rows(self) -> list[int]:
        return sorted(n for n, r in self.rows.items() if r.is_bad)

    def write(self, folder: Path) -> Path:
        path = folder / self.name
        path.write_bytes(self.content.encode("utf-8"))
        return path


def _ids(generated: list[Row]) -> None:
    for number, row in enumerate(generated, start=1):
        if row.fields.get("doc_id") == "auto":
            row.fields["doc_id"] = f"id-{number}"


@st.composite
def csv_sources(draw: st.DrawFn) -> Source:
    generated = draw(st.lists(rows(jsonl=False), max_size=25))
    _ids(generated)
    buffer = io.StringIO()
    # Minimal quoting needs both line-break characters in the terminator to quote either.
    dialect = draw(st.sampled_from([("\r\n", csv.QUOTE_MINIMAL), ("\n", csv.QUOTE_ALL)]))
    writer = csv.writer(buffer, lineterminator=dialect[0], quoting=dialect[1])
    writer.writerow(COLUMNS)
    for row in generated:
        values = [row.fields[c] for c in COLUMNS]
        values = values[: row.width] + [f"extra{i}" for i in range(row.width - len(COLUMNS))]
        writer.writerow(values)
    return Source("news.csv", buffer.getvalue(), dict(enumerate(generated, start=1)))


@st.composite
def jsonl_sources(draw: st.DrawFn) -> Source:
    generated = draw(st.lists(rows(jsonl=True), max_size=25))
    _ids(generated)
    lines, numbered = [], {}
    for row in generated:
        for _ in range(draw(st.integers(0, 1) if draw(st.booleans()) else st.just(0))):
            lines.append(draw(st.sampled_from(["", "  ", "\t"])))  # blank lines are not records
        if row.kind == "not_json":
            line = draw(st.sampled_from(['{"doc_id": "x", "text": ', "{'single': 'quotes'}",
                                         "not json at all", '{"a": 1}}', "{,}"]))
        elif row.kind == "list":
            line = json.dumps(list(row.fields.values()), ensure_ascii=False)
        else:
            line = json.dumps(row.fields, ensure_ascii=draw(st.booleans()))
        lines.append(line)
        numbered[len(lines)] = row
    content = "".join(line + "\n" for line in lines)
    return Source("news.jsonl", content, numbered)


sources = st.one_of(csv_sources(), jsonl_sources())


def _import(path: Path, out: Path, **kwargs: Any) -> Corpus:
    return import_corpus(path, out, progress=False, **kwargs)


def _is_file_level(source: Source) -> bool:
    """No data rows (an empty or header-only file), or no record with a required key."""
    if not source.rows:
        return True
    records = [r.fields for r in source.rows.values() if r.kind not in ("not_json", "list")]
    return any(all(key not in fields for fields in records) for key in ("outlet", "date")) \
        if records else False


def _check_store(corpus: Corpus, source: Source) -> pd.DataFrame:
    rows = corpus.manifest["rows"]
    assert rows["read"] == len(source.rows)
    assert rows["read"] == rows["kept"] + rows["dropped"]
    assert sum(rows["dropped_by_reason"].values()) == rows["dropped"]
    assert rows["dropped_by_reason"].get("bad_row", 0) == len(source.bad_rows)
    table = read_corpus(corpus.path)
    assert len(table) == rows["kept"] == len(corpus)
    assert table["doc_id"].is_unique
    assert table["text"].map(lambda t: isinstance(t, str) and t.strip() != "").all()
    dropped = corpus.dropped()
    assert len(dropped) == rows["dropped"]
    assert sorted(dropped.loc[dropped["reason"] == "bad_row", "source_row"]) == source.bad_rows
    kept_rows = set(table["source_row"])
    assert kept_rows.isdisjoint(dropped["source_row"])
    assert kept_rows | set(dropped["source_row"]) == set(source.rows)
    for kind, reason in (("no_outlet", "missing_outlet"), ("no_date", "missing_date")):
        expected = sum(r.kind == kind for r in source.rows.values())
        assert rows["dropped_by_reason"].get(reason, 0) == expected
    return table


def _normalized(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@SETTINGS
@given(source=sources)
def test_skip_accounting_adds_up(source: Source) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = source.write(Path(folder))
        try:
            corpus = _import(path, Path(folder) / "store", on_bad_rows="skip")
        except InputError as error:
            assert _is_file_level(source), str(error)
            assert error.path == str(path)
            return
        assert not _is_file_level(source)
        _check_store(corpus, source)


@SETTINGS
@given(source=sources)
def test_error_policy_refuses_the_first_bad_row_or_adds_up(source: Source) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = source.write(Path(folder))
        try:
            corpus = _import(path, Path(folder) / "store", on_bad_rows="error")
        except InputError as error:
            assert source.bad_rows or _is_file_level(source), str(error)
            assert error.path == str(path)
            assert error.row is None or error.row in source.bad_rows, str(error)
            assert "\n" not in str(error)
            assert not (Path(folder) / "store").exists()
            return
        assert not source.bad_rows and not _is_file_level(source)
        _check_store(corpus, source)


@SETTINGS
@given(source=sources)
def test_clean_rows_round_trip(source: Source) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = source.write(Path(folder))
        try:
            corpus = _import(path, Path(folder) / "store", on_bad_rows="skip", dedup="none")
        except InputError:
            assert _is_file_level(source)
            return
        table = _check_store(corpus, source)
        good = {n for n, r in source.rows.items() if r.kind == "good"}
        # Only repeated content ids can drop a good row when dedup is off.
        assert good - set(table["source_row"]) <= set(
            corpus.dropped().query("reason == 'duplicate_doc_id'")["source_row"])
        for row in table.itertuples():
            original = source.rows[row.source_row].fields
            if source.rows[row.source_row].kind != "good":
                continue
            assert _normalized(row.text) == _normalized(original["text"])
            if original["doc_id"]:
                assert row.doc_id == original["doc_id"]
            else:
                assert row.doc_id.startswith("auto-")


def _tables(path: Path, out: Path, **kwargs: Any) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Documents, dropped rows, and the manifest's row accounting and column types."""
    corpus = _import(path, out, on_bad_rows="skip", **kwargs)
    manifest = {key: corpus.manifest[key] for key in ("rows", "columns")}
    return read_corpus(corpus.path), corpus.dropped(), manifest


@SETTINGS
@given(source=sources)
def test_chunked_equals_unchunked(source: Source) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = source.write(Path(folder))
        try:
            one = _tables(path, Path(folder) / "one", batch_size=1)
        except InputError:
            assert _is_file_level(source)
            with pytest.raises(InputError):
                _tables(path, Path(folder) / "many", batch_size=1000)
            return
        many = _tables(path, Path(folder) / "many", batch_size=1000)
        pd.testing.assert_frame_equal(one[0], many[0])
        pd.testing.assert_frame_equal(one[1], many[1])
        assert one[2] == many[2]


@SETTINGS
@given(source=sources)
def test_same_input_gives_equal_tables(source: Source) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = source.write(Path(folder))
        try:
            first = _tables(path, Path(folder) / "first", batch_size=7)
        except InputError:
            assert _is_file_level(source)
            return
        second = _tables(path, Path(folder) / "second", batch_size=7)
        pd.testing.assert_frame_equal(first[0], second[0])
        pd.testing.assert_frame_equal(first[1], second[1])
        assert first[2] == second[2]


_RECORD = {"doc_id": "a", "outlet": "CNN", "date": "2025-08-15", "text": "Talks in Alaska."}


def _lines(*records: dict[str, Any]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        # The first record has no outlet key: the column plan must not come from it alone.
        ("a.jsonl", _lines({k: v for k, v in _RECORD.items() if k != "outlet"},
                           {**_RECORD, "doc_id": "b"})),
        ("a.json", "[" + ", ".join(json.dumps(r) for r in (
            {k: v for k, v in _RECORD.items() if k != "date"}, {**_RECORD, "doc_id": "b"})) + "]"),
        # A key seen only in a dropped row is still a column of the store.
        ("a.jsonl", _lines(_RECORD, {**_RECORD, "doc_id": "b", "text": "", "n_words": 0})),
        # An optional number: int where given, missing elsewhere, whatever the batches.
        ("a.jsonl", _lines({**_RECORD, "n_words": 5}, {**_RECORD, "doc_id": "b", "text": "Two."},
                           {**_RECORD, "doc_id": "c", "text": "Three.", "n_words": 7})),
        # A synonym (headline -> title) first seen in a later record.
        ("a.jsonl", _lines(_RECORD, {**_RECORD, "doc_id": "b", "headline": "Summit"})),
    ],
    ids=["jsonl-first-lacks-outlet", "json-first-lacks-date", "key-only-in-dropped-row",
         "optional-int", "late-synonym"],
)
def test_chunked_equals_unchunked_known_cases(name: str, content: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    one = _tables(path, tmp_path / "one", batch_size=1)
    many = _tables(path, tmp_path / "many", batch_size=1000)
    pd.testing.assert_frame_equal(one[0], many[0])
    pd.testing.assert_frame_equal(one[1], many[1])
    assert one[2] == many[2]
    assert one[2]["rows"]["kept"] >= 1
