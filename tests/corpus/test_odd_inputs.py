"""Odd inputs found by the fuzzing sweep of issue 21, one test per way of going wrong.

Each case must end in a correct read or a clear InputError naming the file (and the row or
field where there is one): never a traceback, a hang, or text silently changed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from framing.corpus import InputError, import_corpus, read_corpus
from framing.corpus._datafiles import read_data_file
from framing.corpus._sniff import detect_encoding

# -- YAML data files -------------------------------------------------------------------------


def _yaml(tmp_path: Path, content: str | bytes) -> Path:
    path = tmp_path / "data.yaml"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def _alias_bomb(levels: int) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("content", "match"), [
    ("name: caf\xe9\n".encode("latin-1"), r"data\.yaml: not valid UTF-8 \(byte 0xe9 on line 1\)"),
    ("a: &a [*a]\n", r"data\.yaml: field 'a\[0\]': an alias refers to the value that holds it"),
    (_alias_bomb(12), r"data\.yaml: field 'a\d+.*': too large: more than 200,000 values"),
    ("a: " + "[" * 100 + "]" * 100 + "\n", r"data\.yaml: field 'a(\[0\])+': nested more than 64"),
    ("a: " + "[" * 5000 + "]" * 5000 + "\n", r"data\.yaml: nested too deeply to read"),
    ("a: 1\na: 2\n", r"data\.yaml: field 'a': duplicate key 'a' \(line 2\)"),
])
def test_yaml_refused_clearly(tmp_path: Path, content: str | bytes, match: str) -> None:
    with pytest.raises(InputError, match=match):
        read_data_file(_yaml(tmp_path, content), "codebooks")


def test_yaml_keeps_dates_and_versions_as_written(tmp_path: Path) -> None:
    data, _, _ = read_data_file(
        _yaml(tmp_path, "name: 2.0\nversion: 1.20\nstart: 2024-02-30\n"), "codebooks")
    assert data == {"name": "2.0", "version": "1.20", "start": "2024-02-30"}


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-8-sig"])
def test_yaml_with_a_bom_reads(tmp_path: Path, encoding: str) -> None:
    data, _, _ = read_data_file(_yaml(tmp_path, "name: café\n".encode(encoding)), "codebooks")
    assert data == {"name": "café"}


# -- encodings ---------------------------------------------------------------------------------

HEADER = "doc_id,outlet,date,text\n1,X,2024-01-02,"


@pytest.mark.parametrize(("encoding", "text"), [
    ("cp1252", "Le président a négocié un accord à Genève. Réunion très attendue."),
    ("iso8859_15", "Le prix est de 5 € à Genève, déjà payé."),
    ("cp1251", "Мир и война в Украине обсуждались на встрече. Переговоры о мире продолжаются."),
    ("utf-32", "Peace talks in Genève."),
    ("utf-16-le", "Peace talks in Geneva."),  # no BOM, all ASCII
    ("utf-16-be", "Peace talks in Geneva."),
])
def test_encoding_read_right(encoding: str, text: str) -> None:
    data = (HEADER + text + "\n").encode(encoding)
    read = data.decode(detect_encoding(Path("x.csv"), data))
    assert read.lstrip("\ufeff") == HEADER + text + "\n"


@pytest.mark.parametrize(("encoding", "text"), [
    ("cp1251", "мир"),
    ("cp1250", "Prezydent rozmawiał z przywódcą Ukrainy. Rozmowy trwają, żadnego porozumienia."),
    ("cp1250", "Łódź"),
    ("koi8_r", "мир"),
    ("cp1254", "Başkan Erdoğan barış görüşmesi yaptı."),
    ("shift_jis", "大統領はウクライナの平和について話した。"),
])
def test_uncertain_encoding_is_refused_not_guessed(encoding: str, text: str) -> None:
    """The readings are listed; a wrong single-byte guess would store ``мир`` as ``ìèð``."""
    data = (HEADER + text + "\n").encode(encoding)
    try:
        guess = detect_encoding(Path("x.csv"), data)
    except InputError as error:
        assert str(error).startswith("x.csv: the text encoding is uncertain")
        assert "--encoding" in str(error)
    else:
        assert data.decode(guess) == HEADER + text + "\n"


# -- readers -----------------------------------------------------------------------------------

GOOD = ('{"doc_id": "a", "outlet": "CNN", "date": "2025-08-15", "text": "Peace talks began."}\n')


@pytest.mark.parametrize(("line", "match"), [
    ('{"doc_id": "b", "outlet": "CNN", "outlet": "Fox", "date": "2025-08-15", "text": "x"}',
     r"line 2, field 'outlet': the key 'outlet' appears twice"),
    ('{"doc_id": "b", "outlet": Infinity, "date": "2025-08-15", "text": "x"}',
     r"line 2: .*Infinity is not a JSON number"),
    ('{"doc_id": "b", "outlet": 1e999, "date": "2025-08-15", "text": "x"}',
     r"line 2, field 'outlet': inf is not a finite number"),
    ('{"doc_id": "b", "outlet": "CNN", "date": "2025-08-15", "text": ["x", "y"]}',
     r"line 2, field 'text': expected a single value for 'text', found an array"),
    ('{"doc_id": {"id": 1}, "outlet": "CNN", "date": "2025-08-15", "text": "x"}',
     r"line 2, field 'doc_id': expected a single value for 'doc_id', found an object"),
    ('{"doc_id": "b", "outlet": "CNN", "date": "2025-08-15", "text": "\\ud800 x"}',
     r"line 2, field 'text': holds a lone surrogate \(\\ud800\)"),
    ('{"doc_id": "b", "outlet": "CNN", "date": "2025-08-15", "text": "x", "m": '
     + "[" * 5000 + "]" * 5000 + "}", r"line 2: nested more than 64 levels deep"),
])
@pytest.mark.parametrize("policy", ["error", "skip"])
def test_jsonl_bad_record(tmp_path: Path, line: str, match: str, policy: str) -> None:
    source = tmp_path / "a.jsonl"
    source.write_text(GOOD + line + "\n", encoding="utf-8")
    if policy == "error":
        with pytest.raises(InputError, match=r"a\.jsonl: " + match):
            import_corpus(source, tmp_path / "store", progress=False)
        return
    corpus = import_corpus(source, tmp_path / "store", progress=False, on_bad_rows="skip")
    assert read_corpus(corpus.path)["doc_id"].tolist() == ["a"]
    assert corpus.manifest["rows"]["dropped_by_reason"] == {"bad_row": 1}


@pytest.mark.parametrize(("element", "match"), [
    ('{"doc_id": "b", "outlet": "CNN", "outlet": "Fox", "date": "2025-08-15", "text": "x"}',
     r"row 2, field 'outlet': the key 'outlet' appears twice"),
    ('{"doc_id": "b", "outlet": "CNN", "date": "2025-08-15", "text": {"t": "x"}}',
     r"row 2, field 'text': expected a single value"),
    ('{"doc_id": "b", "outlet": "CNN", "date": "2025-08-15", "text": "x", "m": '
     + "[" * 100_000 + "]" * 100_000 + "}", r"row 2, field 'm': nested more than 64"),
])
def test_json_array_bad_element(tmp_path: Path, element: str, match: str) -> None:
    source = tmp_path / "a.json"
    source.write_text("[" + GOOD + "," + element + "]", encoding="utf-8")
    with pytest.raises(InputError, match=r"a\.json: " + match):
        import_corpus(source, tmp_path / "store", progress=False)


def test_json_array_lone_surrogate_and_latin1(tmp_path: Path) -> None:
    source = tmp_path / "a.json"
    source.write_text("[" + GOOD.replace("Peace", "\\udc00Peace") + "]", encoding="utf-8")
    with pytest.raises(InputError, match=r"a\.json: row 1: .*lone surrogate \\udc00 at byte"):
        import_corpus(source, tmp_path / "store", progress=False)
    source.write_bytes(("[" + GOOD.replace("Peace", "Paix à Genève") + "]").encode("latin-1"))
    corpus = import_corpus(source, tmp_path / "store2", progress=False)
    assert read_corpus(corpus.path)["text"].tolist() == ["Paix à Genève talks began."]


CSV_HEAD = "doc_id,outlet,date,text\na,CNN,2025-08-15,Peace talks began.\n"


@pytest.mark.parametrize("policy", ["error", "skip"])
def test_unterminated_quote_is_reported_where_it_opens(tmp_path: Path, policy: str) -> None:
    rows = "".join(f"r{i},CNN,2025-08-15,Story {i}.\n" for i in range(10))
    source = tmp_path / "a.csv"
    source.write_text(CSV_HEAD + 'b,CNN,2025-08-16,"He said no.\n' + rows, encoding="utf-8")
    with pytest.raises(InputError, match=r"a\.csv: row 2, field 'text': a quoted value opens "
                       r"on line 3 and is never closed: lines 3-13"):
        import_corpus(source, tmp_path / "store", progress=False, on_bad_rows=policy)


def test_a_literal_quote_in_an_unquoted_field_is_kept(tmp_path: Path) -> None:
    source = tmp_path / "a.csv"
    source.write_text(CSV_HEAD + 'b,CNN,2025-08-16,A 6" screen.\n', encoding="utf-8")
    corpus = import_corpus(source, tmp_path / "store", progress=False)
    assert read_corpus(corpus.path)["text"].tolist()[-1] == 'A 6" screen.'


def test_corrupt_gzip_and_missing_metadata(tmp_path: Path) -> None:
    import gzip

    data = gzip.compress((CSV_HEAD * 50).encode())
    source = tmp_path / "a.csv.gz"
    source.write_bytes(data[:40] + bytes(len(data) - 60) + data[-20:])
    with pytest.raises(InputError, match=r"a\.csv\.gz: .*(decompress|corrupt)"):
        import_corpus(source, tmp_path / "store", progress=False)
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "one.txt").write_text("Peace talks began.", encoding="utf-8")
    with pytest.raises(InputError, match=r"nowhere\.csv: cannot read the metadata sheet"):
        import_corpus(folder, tmp_path / "store3", progress=False,
                      metadata=tmp_path / "nowhere.csv")


# -- Label Studio exports ----------------------------------------------------------------------


def _task(result_value: object, **task: object) -> dict:
    return {"id": 7, "data": {"passage_id": "d1:0", "sample": "random"},
            "annotations": [{"completed_by": 1, "result": [
                {"from_name": "frames", "type": "choices", "value": result_value}]}], **task}


@pytest.mark.parametrize(("task", "field"), [
    (_task({"choices": {"Skeptic": 1}}), "annotations[].result[].value.choices"),
    (_task("Skeptic"), "annotations[].result[].value"),
    (_task({"choices": ["Skeptic"]}, annotations={"result": []}), "annotations"),
    (_task({"choices": ["Skeptic"]}, data="d1:0"), "data"),
])
def test_labelstudio_structure_errors_name_the_task(tmp_path: Path, task: dict,
                                                    field: str) -> None:
    import json

    from framing.frames import read_labelstudio

    source = tmp_path / "export.json"
    source.write_text(json.dumps([task]), encoding="utf-8")
    with pytest.raises(InputError, match=rf"export\.json: row 1, field '{re.escape(field)}': "
                       r"task 7: expected"):
        read_labelstudio(source)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "latin-1"])
def test_labelstudio_export_with_bom_or_latin1_reads(tmp_path: Path, encoding: str) -> None:
    import json

    from framing.frames import read_labelstudio

    task = _task({"choices": ["Skeptic"]})
    task["data"]["note"] = "Genève, été"
    source = tmp_path / "export.json"
    source.write_bytes(json.dumps([task], ensure_ascii=False).encode(encoding))
    annotations = read_labelstudio(source).annotations
    assert annotations["passage_id"].unique().tolist() == ["d1:0"]


@pytest.mark.parametrize("value", ["2024-01-02T10:00:00+25:00", "2024-01-02T10:00+14:60"])
def test_impossible_utc_offset_is_refused(value: str) -> None:
    import pandas as pd

    from framing.corpus._dates import parse_dates

    parsed = parse_dates(pd.Series([value, "2024-01-02T10:00:00+02:00"]))
    assert "not a real one" in parsed.error[0]
    assert parsed.day.isna().tolist() == [True, False]


def _dated_csv(tmp_path: Path, dates: list[str]) -> Path:
    lines = ["doc_id,outlet,date,text"] + [
        f"d{i},CNN,{d},story number {i} about talks in town {i}" for i, d in enumerate(dates)]
    path = tmp_path / "news.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _days(tmp_path: Path, name: str, path: Path, **kwargs) -> tuple[dict[str, str], dict]:
    corpus = import_corpus(path, out=tmp_path / name, dedup="none", progress=False, **kwargs)
    table = read_corpus(corpus.path)
    days = dict(zip(table["doc_id"], table["date"].dt.strftime("%Y-%m-%d"), strict=True))
    return days, corpus.manifest["inputs"][0]


def test_ambiguous_dates_follow_the_day_first_rows(tmp_path: Path) -> None:
    path = _dated_csv(tmp_path, ["13.05.2025", "06.11.2024", "25/12/2024", "2025-01-02"])
    days, source = _days(tmp_path, "auto", path)
    assert days == {"d0": "2025-05-13", "d1": "2024-11-06", "d2": "2024-12-25",
                    "d3": "2025-01-02"}
    assert source["dates"] == {"dayfirst": True, "decided_by": "the dates", "dayfirst_only": 2,
                               "monthfirst_only": 0, "ambiguous": 1}
    note = next(n for n in source["notes"] if n.startswith("dates read"))
    assert "day-first" in note and "'13.05.2025'" in note and "'06.11.2024'" in note
    # --monthfirst forces the other reading of the ambiguous row (13.05 cannot be month-first).
    days, source = _days(tmp_path, "forced", path, dayfirst=False)
    assert days["d1"] == "2024-06-11"
    assert source["dates"]["decided_by"] == "dayfirst parameter"
    assert any("as asked (--monthfirst)" in n for n in source["notes"])


def test_only_ambiguous_dates_are_reported_with_the_reading(tmp_path: Path) -> None:
    path = _dated_csv(tmp_path, ["06.11.2024", "01/02/2025", "2025-03-04"])
    days, source = _days(tmp_path, "auto", path)
    assert days["d0"] == "2024-06-11" and days["d1"] == "2025-01-02"
    assert source["dates"]["decided_by"] == "default"
    note = next(n for n in source["notes"] if n.startswith("dates read"))
    assert "month-first" in note and "all 2 that fit both readings" in note
    assert "--dayfirst" in note
    days, source = _days(tmp_path, "forced", path, dayfirst=True)
    assert days["d0"] == "2024-11-06" and days["d1"] == "2025-02-01"


def test_month_first_rows_keep_month_first(tmp_path: Path) -> None:
    days, source = _days(tmp_path, "auto", _dated_csv(tmp_path, ["05/13/2025", "06/11/2024"]))
    assert days == {"d0": "2025-05-13", "d1": "2024-06-11"}
    assert source["dates"]["dayfirst"] is False


def test_cli_dayfirst_and_summary(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from framing.cli import main

    path = _dated_csv(tmp_path, ["06.11.2024", "07.11.2024"])
    assert main(["corpus", "import", str(path), "--out", str(tmp_path / "a"), "--quiet"]) == 0
    assert "note: dates read month-first" in capsys.readouterr().out
    assert main(["corpus", "import", str(path), "--out", str(tmp_path / "b"), "--quiet",
                 "--dayfirst"]) == 0
    assert "note: dates read day-first (DD/MM/YYYY) as asked (--dayfirst)" in (
        capsys.readouterr().out)
    table = read_corpus(tmp_path / "b")
    assert sorted(table["date"].dt.strftime("%Y-%m-%d")) == ["2024-11-06", "2024-11-07"]


def test_texts_without_letters_are_dropped_as_such_not_as_duplicates(tmp_path: Path) -> None:
    texts = ["😀🎉🇺🇦", "\u200d\u200d\u200d", "!!! ... ???", "12 34 --", "😀 then words"]
    lines = ["doc_id,outlet,date,text"] + [f'd{i},CNN,2025-01-0{i + 1},"{t}"'
                                           for i, t in enumerate(texts)]
    path = tmp_path / "news.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    corpus = import_corpus(path, out=tmp_path / "store", progress=False, on_bad_rows="skip")
    dropped = corpus.dropped().set_index("doc_id")
    assert dropped.loc[["d0", "d1", "d2", "d3"], "reason"].tolist() == ["no_letters"] * 4
    assert "no letters" in dropped.loc["d0", "detail"]
    assert corpus.manifest["rows"]["dropped_by_reason"] == {"no_letters": 4}
    assert read_corpus(corpus.path)["doc_id"].tolist() == ["d4"]


def _dated_jsonl(tmp_path: Path, lines: list[str], name: str = "news.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _jsonl_line(i: int, date: str, extra: str = "") -> str:
    return (f'{{"doc_id": "d{i}", "outlet": "CNN", "date": "{date}", '
            f'"text": "story number {i} about talks in town {i}"{extra}}}')


@pytest.mark.parametrize("lines", [
    # ISO dates only: pyarrow's look at the dates settles it, no second full read
    [_jsonl_line(0, "2025-01-02"), _jsonl_line(1, "2025-03-04T10:00:00Z")],
    # a day-first date: the full read counts the orders
    [_jsonl_line(0, "13.05.2025"), _jsonl_line(1, "06.11.2024")],
    # a line pyarrow refuses (not JSON): the full read, which reports it as a bad row
    [_jsonl_line(0, "2025-01-02"), "not json", _jsonl_line(2, "06.11.2024")],
    # a day-first date only in a bad row (a repeated key), which pyarrow still reads: the full
    # read, which skips the bad row, so the day-first date does not decide the reading
    [_jsonl_line(0, "06.11.2024"), _jsonl_line(1, "13.05.2025", ', "text": "again"')],
])
def test_json_lines_dates_read_fast_give_the_full_read_s_decision(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lines: list[str]) -> None:
    from framing.corpus import _import
    from framing.corpus._readers import Source

    path = _dated_jsonl(tmp_path, lines)
    reads = []
    original = _import._no_numeric_dates
    monkeypatch.setattr(_import, "_no_numeric_dates",
                        lambda scan, orders: reads.append(original(scan, orders)) or reads[-1])
    fast = _days(tmp_path, "fast", path, on_bad_rows="skip")
    settled_fast = reads.copy()
    monkeypatch.setattr(Source, "json_lines_dates", lambda self: None)
    full = _days(tmp_path, "full", path, on_bad_rows="skip")
    assert fast[0] == full[0] and fast[1]["dates"] == full[1]["dates"]
    assert settled_fast == [all("." not in line.split('"date": "')[1][:10] for line in lines
                                if '"date"' in line)]


def test_json_lines_dates_are_read_by_pyarrow_alone(tmp_path: Path) -> None:
    from framing.corpus._readers import Source

    path = _dated_jsonl(tmp_path, [_jsonl_line(0, "2025-01-02"), "",
                                   '{"doc_id": "d1", "text": "no date here"}'])
    dates = Source(path).json_lines_dates()
    assert dates.iloc[0] == "2025-01-02" and dates.isna().tolist() == [False, True]
    number = _dated_jsonl(tmp_path, ['{"outlet": "CNN", "date": 20250102, "text": "a number"}'],
                          "n.jsonl")
    assert Source(number).json_lines_dates() is None
    assert Source(_dated_csv(tmp_path, ["2025-01-02"])).json_lines_dates() is None
