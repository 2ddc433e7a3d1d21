"""The annotations table, the CSV sheet, Label Studio export and import (real exports too)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framing.corpus import InputError, StoreExistsError
from framing.frames import (
    ANNOTATION_COLUMNS,
    annotation_sheet,
    export_labelstudio,
    export_sheet,
    frame_agreement,
    labelstudio_config,
    labelstudio_tasks,
    load_codebook,
    merge_annotations,
    read_annotations,
    read_labelstudio,
    read_sheet,
    validate_annotations,
    write_annotations,
)
from tests.conftest import shared_path

FRAMES = ("peacemaker", "isolationist", "skeptic")


def _table(n: int = 4) -> pd.DataFrame:
    return pd.DataFrame({
        "passage_id": [f"d{i}:0" for i in range(n)], "coder": "ana",
        "frame": [FRAMES[i % 3] for i in range(n)], "label": [i % 2 for i in range(n)],
        "annotated_at": "2025-03-01T10:00:00+01:00", "sample": "random",
        "codebook_version": "1.0"})


@pytest.fixture
def passages() -> pd.DataFrame:
    return pd.DataFrame({
        "passage_id": [f"d{i}:0" for i in range(6)], "doc_id": [f"d{i}" for i in range(6)],
        "outlet": ["A", "B", "C"] * 2, "date": pd.to_datetime(["2025-01-02"] * 6),
        "title": "T", "text": [f"Trump said thing {i}, with a comma." for i in range(6)],
        "sample": ["random"] * 3 + ["active"] * 3})


# -- the table ------------------------------------------------------------------------------------

def test_validate_cleans_types_and_converts_times_to_utc() -> None:
    table = validate_annotations(_table(), codebook="trump_ukraine_roles")
    assert list(table.columns) == list(ANNOTATION_COLUMNS)
    assert table["label"].tolist() == [0, 1, 0, 1]
    assert table["annotated_at"].iloc[0] == pd.Timestamp("2025-03-01 09:00:00")


@pytest.mark.parametrize(("change", "message"), [
    (lambda t: t.drop(columns="sample"), r"field 'sample': missing column"),
    (lambda t: t.assign(label=["1", "2", "0", "1"]), r"row 2, field 'label': expected 0 or 1"),
    (lambda t: t.assign(sample=["random", "random", "pool", "x"]),
     r"row 3, field 'sample': expected 'random' or 'active', got 'pool'"),
    (lambda t: t.assign(frame=["peacemaker", "hawk", "skeptic", "none"]),
     r"row 2, field 'frame': unknown frame 'hawk'"),
    (lambda t: t.assign(coder=["ana", "", "b", "c"]), r"row 2, field 'coder': empty value"),
    (lambda t: t.assign(annotated_at=["2025-03-01", "yesterday", None, None]),
     r"row 2, field 'annotated_at': cannot parse 'yesterday'"),
    (lambda t: pd.concat([t, t.iloc[[1]]]), r"row 5, field 'passage_id': .* coded twice"),
    (lambda t: t.assign(passage_id=["d0:0", "d1:0", "zz:9", "d3:0"]),
     r"row 3, field 'passage_id': unknown passage 'zz:9'"),
])
def test_validate_errors_name_the_file_row_and_field(change, message: str,
                                                     passages: pd.DataFrame) -> None:
    with pytest.raises(InputError, match=r"^ann\.csv: " + message):
        validate_annotations(change(_table()), codebook="trump_ukraine_roles",
                             passages=passages, path="ann.csv")


@pytest.mark.parametrize("suffix", [".csv", ".json", ".parquet"])
def test_write_read_round_trip(tmp_path: Path, suffix: str) -> None:
    table = validate_annotations(_table())
    path = write_annotations(table, tmp_path / f"a{suffix}")
    back = read_annotations(path, codebook="trump_ukraine_roles")
    pd.testing.assert_frame_equal(back, table, check_dtype=False)
    with pytest.raises(StoreExistsError):
        write_annotations(table, path)
    write_annotations(table, path, force=True)


def test_read_annotations_errors_name_the_file(write) -> None:
    bad = write("bad.csv", "passage_id,coder,frame,label,annotated_at,sample,codebook_version\n"
                "d1:0,ana,skeptic,1,,random,1.0\nd2:0,ana,skeptic,maybe,,random,1.0\n")
    with pytest.raises(InputError, match=r"bad\.csv: row 2, field 'label'"):
        read_annotations(bad)
    with pytest.raises(InputError, match=r"x\.txt: unknown annotations format"):
        read_annotations(write("x.txt", "hi"))
    labelstudio = write("ls.json", json.dumps([{"id": 1, "data": {}, "annotations": []}]))
    with pytest.raises(InputError, match="read_labelstudio"):
        read_annotations(labelstudio)


def test_merge_reports_conflicts_and_keeps_repeats_once() -> None:
    a = validate_annotations(_table())
    b = a.copy()
    b.loc[0, "label"] = 1 - b.loc[0, "label"]
    merged, conflicts = merge_annotations(a, a, b)
    assert len(merged) == len(a) + 1
    assert conflicts[["passage_id", "coder", "frame", "labels", "n_rows"]].values.tolist() == [
        ["d0:0", "ana", "peacemaker", "0,1", 2]]


# -- the CSV sheet --------------------------------------------------------------------------------

def test_sheet_export_has_a_column_per_frame_and_a_guide(tmp_path: Path,
                                                          passages: pd.DataFrame) -> None:
    sheet_path, readme = export_sheet(passages, tmp_path / "batch.csv")
    sheet = pd.read_csv(sheet_path, dtype=str, keep_default_na=False)
    assert sheet["passage_id"].tolist() == passages["passage_id"].tolist()
    assert sheet["date"].iloc[0] == "2025-01-02"
    for frame in FRAMES:
        assert (sheet[frame] == "").all()
    guide = readme.read_text(encoding="utf-8")
    codebook = load_codebook()
    for frame in FRAMES:
        assert codebook.frames[frame].definition.split()[0] in guide
        assert f"`{frame}`" in guide
    assert codebook.sha256 in guide
    assert "A blank cell means not coded (it is never read as 0)" in guide
    with pytest.raises(StoreExistsError):
        export_sheet(passages, tmp_path / "batch.csv")


def test_sheet_round_trip(tmp_path: Path, passages: pd.DataFrame) -> None:
    sheet_path, _ = export_sheet(passages, tmp_path / "batch.csv")
    sheet = pd.read_csv(sheet_path, dtype=str, keep_default_na=False)
    sheet.loc[0, ["coder", "peacemaker", "isolationist", "skeptic"]] = ["ana", "1", "0", "0"]
    sheet.loc[1, ["coder", "skeptic", "isolationist"]] = ["bo", "1", "0"]  # peacemaker blank
    sheet.loc[2, ["isolationist"]] = ["0"]  # coder comes from coder=
    sheet.to_csv(sheet_path, index=False)
    found = read_sheet(sheet_path, coder="cy", annotated_at="2025-04-01")
    table = found.annotations
    assert found.report["rows_skipped_blank"] == 3
    assert found.report["rows_coded"] == 1
    assert found.report["partly_coded_rows"] == [2, 3]
    assert found.report["cells_not_coded"] == 1 + 2
    # A blank cell is "not coded": no annotation, never a 0.
    assert len(table) == 3 + 2 + 1
    labels = table.set_index(["passage_id", "frame"])["label"]
    assert labels[("d0:0", "peacemaker")] == 1 and labels[("d0:0", "skeptic")] == 0
    assert labels[("d1:0", "skeptic")] == 1
    assert ("d1:0", "peacemaker") not in labels.index
    assert table.groupby("passage_id")["coder"].first().to_dict() == {
        "d0:0": "ana", "d1:0": "bo", "d2:0": "cy"}
    assert set(table["sample"]) == {"random"}
    assert (table["annotated_at"] == pd.Timestamp("2025-04-01")).all()


@pytest.mark.parametrize(("cell", "value", "message"), [
    ("skeptic", "yes", r"row 1, field 'skeptic': expected 1, 0 or blank \(not coded\), "
                       r"got 'yes'"),
    ("skeptic", "2", r"row 1, field 'skeptic': expected 1, 0 or blank"),
    ("skeptic", "0.5", r"row 1, field 'skeptic': expected 1, 0 or blank"),
    ("sample", "other", r"row 1, field 'sample': expected 'random' or 'active'"),
    ("coder", "", r"row 1, field 'coder': no coder: fill the coder column or pass coder= "
                  r"\(--coder\)"),
])
def test_sheet_errors(tmp_path: Path, passages: pd.DataFrame, cell: str, value: str,
                      message: str) -> None:
    sheet_path, _ = export_sheet(passages, tmp_path / "batch.csv")
    sheet = pd.read_csv(sheet_path, dtype=str, keep_default_na=False)
    sheet.loc[0, ["coder", "peacemaker"]] = ["ana", "1"]
    sheet.loc[0, cell] = value
    sheet.to_csv(sheet_path, index=False)
    with pytest.raises(InputError, match=r"batch\.csv: " + message):
        read_sheet(sheet_path)


def test_sheet_missing_frame_column(write) -> None:
    path = write("s.csv", "passage_id,sample,peacemaker,skeptic\nd1:0,random,1,0\n")
    with pytest.raises(InputError, match=r"s\.csv: field 'isolationist': no column for frame "
                                         r"'isolationist': .* the sheet's columns are "
                                         r"'passage_id', 'sample', 'peacemaker', 'skeptic'"):
        read_sheet(path)


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
def test_a_researcher_s_wide_sheet(tmp_path: Path, suffix: str) -> None:
    """Floats from a spreadsheet or pandas (1.0, 0.0, NaN), an ``id`` column, frames headed by
    their labels, and no sample or coder column: --sample and --coder fill those."""
    sheet = pd.DataFrame({"id": ["a", "b", "c", "d"], "text": ["w", "x", "y", "z"],
                          "Peacemaker": [1.0, 0.0, None, None],
                          "ISOLATIONIST": [0.0, None, None, 1.0],
                          "Skeptic": [0.0, 1.0, None, 1.0]})
    path = tmp_path / f"coded{suffix}"
    if suffix == ".csv":
        sheet.to_csv(path, index=False)
        assert "1.0,0.0,0.0" in path.read_text()  # what the researcher's file really holds
    elif suffix == ".parquet":
        sheet.to_parquet(path, index=False)
    else:
        path.write_text(sheet.to_json(orient="records", lines=True))
    found = read_sheet(path, coder="ana", sample="random")
    labels = found.annotations.set_index(["passage_id", "frame"])["label"].to_dict()
    assert labels == {("a", "peacemaker"): 1, ("a", "isolationist"): 0, ("a", "skeptic"): 0,
                      ("b", "peacemaker"): 0, ("b", "skeptic"): 1,
                      ("d", "isolationist"): 1, ("d", "skeptic"): 1}
    assert found.report["partly_coded_rows"] == [2, 4]
    assert found.report["rows_skipped_blank"] == 1
    assert "partly_coded_rows: 2, 4" in found.summary()


def test_sheet_ids_samples_and_maps(write) -> None:
    body = "item,text,sample,peacemaker,isolationist,skeptic\n7,t,,1,0,0\n8,t,active,0,0,1\n"
    path = write("s.csv", body)
    with pytest.raises(InputError, match=r"s\.csv: field 'passage_id': required column\(s\) "
                                         r"'passage_id' not found .*--map passage_id="):
        read_sheet(path, coder="ana")
    with pytest.raises(InputError, match=r"s\.csv: row 1, field 'sample': no sample: .* "
                                         r"sample= \(--sample\)"):
        read_sheet(path, coder="ana", column_map="passage_id=item")
    found = read_sheet(path, coder="ana", sample="random", column_map={"passage_id": "item"})
    assert found.annotations.groupby("passage_id")["sample"].first().to_dict() == {
        "7": "random", "8": "active"}
    twice = write("t.csv", "passage_id,coder,sample,peacemaker,isolationist,skeptic\n"
                           "p,ana,random,1,0,0\np,ana,random,1,0,0\n")
    with pytest.raises(InputError, match=r"t\.csv: row 2, field 'passage_id': passage 'p' is "
                                         r"coded twice by 'ana'"):
        read_sheet(twice)



_SHEET_HEAD = ("passage_id,coder,sample,annotated_at,codebook_version,"
               "peacemaker,isolationist,skeptic\n")


@pytest.mark.parametrize(("change", "message"), [
    # Row 3 of the sheet: the errors found on the one-row-per-frame table must name it.
    ({"annotated_at": "not a time"}, r"row 3, field 'annotated_at': cannot parse 'not a time'"),
    ({"codebook_version": " "}, None),
])
def test_sheet_errors_name_the_sheet_s_own_row(write, change: dict, message: str | None) -> None:
    rows = [{"passage_id": f"p{i}", "coder": "ana", "sample": "random",
             "annotated_at": "2025-03-01T10:00:00Z", "codebook_version": "1.0",
             "peacemaker": "1", "isolationist": "0", "skeptic": "0"} for i in range(4)]
    rows[2].update(change)
    body = _SHEET_HEAD + "".join(",".join(r.values()) + "\n" for r in rows)
    path = write("coded.csv", body)
    if message is None:  # a blank version takes the codebook's: no error
        assert len(read_sheet(path).annotations) == 12
        return
    with pytest.raises(InputError, match=r"coded\.csv: " + message):
        read_sheet(path)


def test_sheet_unknown_passage_names_the_sheet_s_row(write) -> None:
    body = _SHEET_HEAD + "".join(f"p{i},ana,random,,,1,0,0\n" for i in range(5))
    found = read_sheet(write("coded.csv", body))
    # Passing passages: the row named is the annotations table's (its own numbering).
    with pytest.raises(InputError, match=r"row 1, field 'passage_id': unknown passage 'p0'"):
        validate_annotations(found.annotations, passages=["p9"])


@pytest.mark.parametrize("encoding", ["latin-1", "utf-16", "cp1252"])
def test_sheet_in_a_legacy_or_utf16_encoding_reads(write, encoding: str) -> None:
    body = (_SHEET_HEAD + "pé1,José Núñez,random,,,1,0,0\n"
            "pé2,José Núñez,active,,,0,1,1\n")
    found = read_sheet(write("coded.csv", body, encoding=encoding))
    table = found.annotations
    assert sorted(table["passage_id"].unique()) == ["pé1", "pé2"]
    assert set(table["coder"]) == {"José Núñez"}
    assert int(table["label"].sum()) == 3


# -- Label Studio: our own round trip --------------------------------------------------------------

def test_labelstudio_config_is_valid_xml_with_one_choice_per_frame() -> None:
    root = ET.fromstring(labelstudio_config())
    choices = root.find("Choices")
    assert choices is not None
    assert choices.get("choice") == "multiple" and choices.get("toName") == "text"
    assert root.find("Text").get("value") == "$text"
    codebook = load_codebook()
    aliases = [c.get("alias") for c in choices.findall("Choice")]
    assert aliases == [*FRAMES, "none"]
    for choice in choices.findall("Choice"):
        frame = codebook.frames[choice.get("alias")]
        assert choice.get("value") == frame.label
        assert choice.get("hint") == " ".join(frame.definition.split())


def test_labelstudio_tasks_carry_ids_and_sample(tmp_path: Path, passages: pd.DataFrame) -> None:
    tasks = labelstudio_tasks(passages)
    assert [t["data"]["passage_id"] for t in tasks] == passages["passage_id"].tolist()
    assert tasks[0]["data"]["text"] == passages["text"].iloc[0]
    assert tasks[4]["data"]["sample"] == "active"
    tasks_path, config_path = export_labelstudio(passages, tmp_path / "batch")
    assert json.loads(tasks_path.read_text(encoding="utf-8")) == tasks
    assert config_path.read_text(encoding="utf-8") == labelstudio_config()


def _answer(i: int, coder: int, choices: list[str], *, cancelled: bool = False,
            when: str = "2025-05-01T10:00:00.000001Z") -> dict:
    return {"id": 100 * i + coder, "completed_by": {"id": coder, "email": f"c{coder}@x.org"},
            "was_cancelled": cancelled, "updated_at": when, "created_at": when,
            "result": [{"id": f"r{i}{coder}", "type": "choices", "from_name": "frames",
                        "to_name": "text", "value": {"choices": choices}},
                       {"id": f"s{i}{coder}", "type": "labels", "from_name": "span",
                        "to_name": "text", "value": {"start": 0, "end": 5,
                                                     "labels": ["Trump"]}}]}


def test_labelstudio_export_is_read_back(tmp_path: Path, passages: pd.DataFrame) -> None:
    tasks = labelstudio_tasks(passages.head(3))
    tasks[0]["annotations"] = [_answer(0, 1, ["peacemaker", "skeptic"]),
                               _answer(0, 2, ["peacemaker"]),
                               _answer(0, 3, [], cancelled=True)]
    tasks[1]["annotations"] = [_answer(1, 1, ["none"]),
                               _answer(1, 1, ["Isolationist"], when="2025-05-02T00:00:00Z")]
    tasks[1]["drafts"] = [{"user": "c9@x.org", "result": []}]
    tasks[2]["annotations"] = [{**_answer(2, 2, []), "result": [
        _answer(2, 2, [])["result"][1]]}]  # only a span: no answer to the frames
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tasks), encoding="utf-8")
    found = read_labelstudio(export)
    table, report = found.annotations, found.report
    labels = table.set_index(["passage_id", "coder", "frame"])["label"]
    assert labels[("d0:0", "1", "skeptic")] == 1 and labels[("d0:0", "2", "skeptic")] == 0
    assert labels[("d1:0", "1", "isolationist")] == 1  # the later answer wins
    assert len(table) == 3 * 3
    assert report["annotations_read"] == 6 and report["annotations_kept"] == 3
    assert report["annotations_dropped"] == {"cancelled": 1, "no_choice": 1, "superseded": 1}
    assert report["drafts_ignored"] == 1
    assert report["results_dropped"] == {"span/labels": 5}
    assert report["choices_kept"]["none"] == "(none)"
    assert table.set_index(["passage_id", "coder"])["result_ids"].loc[("d0:0", "1")].iloc[0] \
        == "r01"
    assert "email" not in table.columns and not table["coder"].str.contains("@").any()


def test_labelstudio_bad_input(write) -> None:
    with pytest.raises(InputError, match=r"x\.json: cannot read as JSON"):
        read_labelstudio(write("x.json", "{not json"))
    with pytest.raises(InputError, match=r"y\.json: expected a Label Studio JSON export"):
        read_labelstudio(write("y.json", json.dumps({"a": 1})))
    task = {"id": 7, "data": {"text": "x"}, "annotations": [_answer(0, 1, ["peacemaker"])]}
    with pytest.raises(InputError, match=r"z\.json: row 1, field 'sample': task 7 has no"):
        read_labelstudio(write("z.json", json.dumps([task])))
    with pytest.raises(InputError, match=r"unknown frame 'hawk' in choice_map= \(--choice-map\)"):
        read_labelstudio(write("w.json", json.dumps([task])), choice_map={"a": "hawk"})


def _export(write, tasks_answers: list[list[dict]], passages: pd.DataFrame) -> Path:
    tasks = labelstudio_tasks(passages.head(len(tasks_answers)))
    for task, answers in zip(tasks, tasks_answers, strict=True):
        task["annotations"] = answers
    return write("export.json", json.dumps(tasks))


def test_labelstudio_choices_that_match_no_frame_are_an_error(write,
                                                              passages: pd.DataFrame) -> None:
    # One answer with a frame, one with a choice the codebook does not know: never read as 0.
    path = _export(write, [[_answer(0, 1, ["peacemaker"])], [_answer(1, 1, ["Hawk"])],
                           [_answer(2, 1, ["Hawk", "Dove"])]], passages)
    with pytest.raises(InputError, match=r"export\.json: choices match no frame of codebook "
                                         r"trump_ukraine_roles .*unmatched 'Hawk' \(2\), "
                                         r"'Dove' \(1\); map them with choice_map= "
                                         r"\(--choice-map\)"):
        read_labelstudio(path)
    # A map that adds to the names: mapped choices count, the rest are dropped and counted.
    found = read_labelstudio(path, choice_map={"Hawk": "skeptic"})
    labels = found.annotations.set_index(["passage_id", "frame"])["label"]
    assert labels[("d1:0", "skeptic")] == 1 and labels[("d0:0", "peacemaker")] == 1
    assert found.report["choices_dropped"] == {"Dove": 1}
    # A map under which nothing matches a frame would give a file of zeros: an error.
    only_none = _export(write, [[_answer(0, 1, ["Hawk"])], [_answer(1, 1, ["Dove"])]],
                        passages)
    with pytest.raises(InputError, match=r"no choice in the export matches a frame .*"
                                         r"unmatched 'Dove' \(1\)"):
        read_labelstudio(only_none, choice_map={"Hawk": None})


def test_labelstudio_a_single_choice_string_is_one_choice(write,
                                                          passages: pd.DataFrame) -> None:
    answer = _answer(0, 1, [])
    answer["result"][0]["value"]["choices"] = "Skeptic"  # a string, not a list
    found = read_labelstudio(_export(write, [[answer]], passages))
    assert found.annotations.set_index("frame")["label"].to_dict() == {
        "peacemaker": 0, "isolationist": 0, "skeptic": 1}
    assert found.report["choices_kept"] == {"Skeptic": "skeptic"}


@pytest.mark.parametrize(("name", "unmatched"), [
    ("lssdk_csv_test_history.json", r"'Positive' \(1\)"),
    ("LEOKA_team_1.first30tasks.json", r"'Killed/Feloniously Killed' \(79\), "
                                       r"'Assaulted/Injured' \(59\)"),
])
def test_real_labelstudio_exports_with_foreign_choices_are_refused(name: str,
                                                                   unmatched: str) -> None:
    """Real exports whose choices are not our frames: an error naming the choices, never a
    table of zeros."""
    path = shared_path("formats", "labelstudio", name)
    with pytest.raises(InputError, match=r"no choice in the export matches a frame of codebook "
                                         r"trump_ukraine_roles .*unmatched " + unmatched):
        read_labelstudio(path, sample="random")


# -- Label Studio: real exports from other projects ------------------------------------------------

def _codebook(tmp_path: Path, frames: list[str]) -> Path:
    lines = ["name: foreign", "version: '0.1'", "frames:"]
    for frame in frames:
        lines += [f"  {frame}:", f"    definition: The {frame} category.",
                  f"    positive_examples: [An example of {frame}.]",
                  f"    lexicon: [{frame}]"]
    lines += ["  none:", "    definition: None of them."]
    path = tmp_path / "foreign.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_real_labelstudio_sdk_choices_export(tmp_path: Path) -> None:
    path = shared_path("formats", "labelstudio", "lssdk_csv_test_history.json")
    raw = json.loads(path.read_text(encoding="utf-8"))
    codebook = _codebook(tmp_path, ["positive", "negative"])
    found = read_labelstudio(path, codebook=codebook, sample="random")
    table, report = found.annotations, found.report
    assert report["tasks"] == len(raw) == 1
    assert report["annotations_kept"] == 1 and report["annotations_dropped"] == {}
    assert report["results_kept"] == {"sentiment/choices": 1}
    assert report["choices_kept"] == {"Positive": "positive"}
    annotation = raw[0]["annotations"][0]
    assert table["label"].tolist() == [1, 0]  # positive, negative
    assert set(table["coder"]) == {str(annotation["completed_by"]["id"])}
    assert set(table["passage_id"]) == {f"ls-task-{raw[0]['id']}"}
    assert set(table["result_ids"]) == {annotation["result"][0]["id"]}
    assert table["annotated_at"].iloc[0] == pd.Timestamp(annotation["updated_at"]).tz_convert(
        None)
    # A map can send the project's choices to our frames under other names.
    mapped = read_labelstudio(path, sample="active",
                              choice_map={"Positive": "peacemaker", "Negative": None})
    assert mapped.annotations.set_index("frame")["label"].to_dict() == {
        "peacemaker": 1, "isolationist": 0, "skeptic": 0}


def test_real_labelstudio_taxonomy_export_with_three_annotators(tmp_path: Path) -> None:
    path = shared_path("formats", "labelstudio", "LEOKA_team_1.first30tasks.json")
    raw = json.loads(path.read_text(encoding="utf-8"))
    codebook = _codebook(tmp_path, ["feloniously_killed", "injured_officer", "arrested"])
    choice_map = {"Killed/Feloniously Killed": "feloniously_killed",
                  "Assaulted/Injured": "injured_officer", "Suspect/Arrested": "arrested"}
    found = read_labelstudio(path, codebook=codebook, choice_map=choice_map,
                             from_name="Category", sample="random")
    table, report = found.annotations, found.report
    # Expected counts straight from the raw file, computed independently.
    answers = [a for t in raw for a in t["annotations"] if not a["was_cancelled"]]
    with_taxonomy = [a for a in answers
                     if any(r["type"] == "taxonomy" for r in a["result"])]
    spans = sum(r["type"] == "labels" for a in answers for r in a["result"])
    paths = Counter("/".join(p) for a in with_taxonomy for r in a["result"]
                    if r["type"] == "taxonomy" for p in r["value"]["taxonomy"])
    assert report["tasks"] == len(raw) == 30
    assert report["annotations_read"] == sum(len(t["annotations"]) for t in raw) == 89
    assert report["annotations_kept"] == len(with_taxonomy)
    assert report["results_dropped"] == {"label/labels": spans}
    assert report["drafts_ignored"] == sum(len(t["drafts"]) for t in raw)
    assert report["coders"] == len({a["completed_by"]["id"] for a in with_taxonomy}) == 3
    assert report["choices_dropped"] == {k: v for k, v in sorted(paths.items())
                                         if k not in choice_map}
    positives = table[table["label"] == 1].groupby("frame").size()
    for choice, frame in choice_map.items():
        assert positives[frame] == paths[choice]
    assert len(table) == 3 * len(with_taxonomy)
    # Reliability of the three annotators on these categories: a real number, in range.
    agreement = frame_agreement(table, n_bootstrap=200).set_index("frame")
    assert agreement.loc["feloniously_killed", "n_units"] == 30
    assert agreement.loc["feloniously_killed", "n_coders"] == 3
    assert ((agreement["alpha"] > 0.3) & (agreement["alpha"] <= 1)).all()
    assert (agreement["ci_low"] <= agreement["alpha"]).all()


def test_annotation_sheet_needs_ids(passages: pd.DataFrame) -> None:
    with pytest.raises(InputError, match="field 'sample'"):
        annotation_sheet(passages.drop(columns="sample"))
    assert np.array_equal(annotation_sheet(passages)["text"], passages["text"])
