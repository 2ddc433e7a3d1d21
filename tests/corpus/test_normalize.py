"""Validation and normalization: dates, outlets, text, ids."""

from __future__ import annotations

import pandas as pd
import pytest

from framing.corpus import (
    InputError,
    OutletAliases,
    clean_text,
    import_corpus,
    outlet_key,
    parse_dates,
    read_corpus,
)


@pytest.mark.parametrize(
    ("value", "day", "instant"),
    [
        ("2025-08-15", "2025-08-15", None),
        ("2025-08-15T14:30:00Z", "2025-08-15", "2025-08-15 14:30:00+00:00"),
        ("2025-08-15T23:30:00-05:00", "2025-08-16", "2025-08-16 04:30:00+00:00"),
        ("2025-08-15 10:00:00.123456", "2025-08-15", "2025-08-15 10:00:00.123456+00:00"),
        ("Aug 15, 2025", "2025-08-15", None),
        ("15 August 2025", "2025-08-15", None),
        ("2025/08/15", "2025-08-15", None),
        ("Fri, 15 Aug 2025 14:30:00 GMT", "2025-08-15", "2025-08-15 14:30:00+00:00"),
        ("Fri, 15 Aug 2025 22:30:00 EDT", "2025-08-16", "2025-08-16 02:30:00+00:00"),
    ],
)
def test_common_date_forms(value: str, day: str, instant: str | None) -> None:
    parsed = parse_dates(pd.Series([value]))
    assert str(parsed.day[0].date()) == day
    assert (None if pd.isna(parsed.instant[0]) else str(parsed.instant[0])) == instant
    assert parsed.error[0] is None


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2025-02-30", r"day is out of range for month"),
        ("garbage", r"cannot parse 'garbage' as a date$"),
        ("2019", r"lacks a year, month or day"),
        ("Aug 2025", r"lacks a year, month or day"),
    ],
)
def test_bad_dates_are_errors(value: str, reason: str) -> None:
    error = parse_dates(pd.Series([value])).error[0]
    assert error is not None and pd.Series([error]).str.contains(reason).all()


def test_dayfirst_and_timezone() -> None:
    assert str(parse_dates(pd.Series(["05/08/2025"]), dayfirst=True).day[0].date()) == "2025-08-05"
    assert str(parse_dates(pd.Series(["05/08/2025"])).day[0].date()) == "2025-05-08"
    local = parse_dates(pd.Series(["2025-08-15T23:30:00"]), timezone="America/New_York")
    assert str(local.day[0].date()) == "2025-08-16"


def test_missing_and_out_of_range_are_flags_not_errors() -> None:
    parsed = parse_dates(pd.Series(["", None, "0001-01-01", "2025-01-01"]))
    assert parsed.missing.tolist() == [True, True, False, False]
    assert parsed.out_of_range.tolist() == [False, False, True, False]
    assert parsed.error.isna().all()


def test_timestamp_columns_keep_time_only_when_given() -> None:
    stamps = pd.Series(pd.to_datetime(["2020-01-05", "2020-01-05 13:00"], format="mixed"))
    parsed = parse_dates(stamps)
    assert parsed.day.dt.strftime("%Y-%m-%d").tolist() == ["2020-01-05", "2020-01-05"]
    assert parsed.instant.isna().tolist() == [True, False]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Pr\u00c3\u00a9sident   Macron  ", "Président Macron"),
        ("a\r\nb\r\n\r\n\r\n\r\nc", "a\nb\n\nc"),
        ("tab\there\u00a0nbsp", "tab here nbsp"),
        ("Tom &amp; Jerry", "Tom & Jerry"),
        ("AT&T and café", "AT&T and café"),
        ("e\u0301te\u0301", "été"),  # decomposed accents become NFC
        ("zero\u200bwidth", "zerowidth"),
        ("“curly” quotes stay", "“curly” quotes stay"),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


@pytest.mark.parametrize(
    ("names", "key"),
    [
        (["https://www.cnn.com/", "cnn.com", "CNN.com", "www.cnn.com/world"], "cnn.com"),
        (["The Daily Caller", "thedailycaller", "the daily caller"], "thedailycaller"),
        (["Newsweek ", "newsweek"], "newsweek"),
    ],
)
def test_outlet_keys(names: list[str], key: str) -> None:
    assert {outlet_key(n) for n in names} == {key}


def test_outlet_aliases_from_csv(tmp_path) -> None:
    path = tmp_path / "aliases.csv"
    path.write_text("alias,outlet\ncnn.com,CNN\nCNN U.S. Edition,CNN\n", encoding="utf-8")
    aliases = OutletAliases.from_csv(path)
    names = pd.Series(["http://us.cnn.com", "https://www.cnn.com/x", "CNN U.S. Edition", None])
    assert aliases.resolve(names).tolist()[1:3] == ["CNN", "CNN"]
    assert aliases.resolve(names).tolist()[0] == "us.cnn.com"


def test_outlet_spellings_unify_to_the_written_out_name(tmp_path) -> None:
    frame = pd.DataFrame({
        "outlet": ["bbc", "bbc", "BBC", "thedailycaller", "The Daily Caller"],
        "date": ["2025-01-01"] * 5,
        "text": [f"story number {i} about things" for i in range(5)],
    })
    frame.to_csv(tmp_path / "n.csv", index=False)
    import_corpus(tmp_path / "n.csv", tmp_path / "s", progress=False)
    assert sorted(read_corpus(tmp_path / "s")["outlet"].unique()) == ["BBC", "The Daily Caller"]


def test_outlet_from_url_when_missing(tmp_path) -> None:
    frame = pd.DataFrame({"url": ["https://www.politico.com/a", None],
                          "date": ["2025-01-01"] * 2, "text": ["one text", "two text"]})
    frame.to_csv(tmp_path / "n.csv", index=False)
    corpus = import_corpus(tmp_path / "n.csv", tmp_path / "s", progress=False)
    assert read_corpus(tmp_path / "s")["outlet"].tolist() == ["politico.com"]
    assert corpus.manifest["rows"]["dropped_by_reason"] == {"missing_outlet": 1}
    assert corpus.manifest["counts"]["outlets_from_url"] == 1


def test_validation_drops_with_reasons(tmp_path) -> None:
    frame = pd.DataFrame({
        "doc_id": ["ok", "empty", "short", "nodate", "old", "future", ""],
        "outlet": ["A"] * 7,
        "date": ["2025-01-01", "2025-01-01", "2025-01-01", "", "1750-01-01", "2999-01-01",
                 "2025-01-02"],
        "text": ["a long enough text here", "   ", "two words", "a dated text", "an old text",
                 "a future text", "no id given here"],
    })
    frame.to_csv(tmp_path / "n.csv", index=False)
    corpus = import_corpus(tmp_path / "n.csv", tmp_path / "s", min_words=3, progress=False)
    assert corpus.manifest["rows"]["dropped_by_reason"] == {
        "empty_text": 1, "too_short": 1, "missing_date": 1, "implausible_date": 2}
    docs = read_corpus(tmp_path / "s")
    assert docs["doc_id"].tolist()[0] == "ok"
    assert docs["doc_id"].tolist()[1].startswith("auto-")
    dropped = corpus.dropped().set_index("doc_id")
    assert dropped.loc["old", "date"] == "1750-01-01"  # the raw value, for the audit
    assert dropped.loc["short", "source_row"] == 3


def test_generated_ids_are_stable(tmp_path) -> None:
    frame = pd.DataFrame({"outlet": ["A", "B"], "date": ["2025-01-01", "2025-01-02"],
                          "text": ["first text", "second text"]})
    frame.to_csv(tmp_path / "n.csv", index=False)
    import_corpus(tmp_path / "n.csv", tmp_path / "s1", progress=False)
    frame.iloc[::-1].to_csv(tmp_path / "r.csv", index=False)
    import_corpus(tmp_path / "r.csv", tmp_path / "s2", progress=False)
    one = read_corpus(tmp_path / "s1").set_index("text")["doc_id"]
    two = read_corpus(tmp_path / "s2").set_index("text")["doc_id"]
    assert one.sort_index().tolist() == two.sort_index().tolist()


def test_bad_parameters_are_refused(tmp_path) -> None:
    (tmp_path / "n.csv").write_text("outlet,date,text\nA,2025-01-01,t\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"The 'keep' parameter of import_corpus must be one of"):
        import_corpus(tmp_path / "n.csv", tmp_path / "s", keep="latest")
    with pytest.raises(InputError, match=r"unknown time zone 'Mars/Olympus'"):
        import_corpus(tmp_path / "n.csv", tmp_path / "s", timezone="Mars/Olympus")
